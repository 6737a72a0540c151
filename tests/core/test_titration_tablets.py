"""Whole and split tablets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taperdesk.core.titration import (
    DosageForm,
    Scoring,
    TabletStrength,
    TitrationInputError,
    tablet_combination,
    validate_tablets,
)

CLONAZEPAM = (
    TabletStrength(0.5, Scoring.SCORED),
    TabletStrength(1.0),
    TabletStrength(2.0),
)


def test_exact_with_fewest_pieces() -> None:
    result = tablet_combination(CLONAZEPAM, 1.75)
    assert result.exact is not None
    assert result.exact.piece_count == 3
    assert result.exact.dose_mg == pytest.approx(1.75)
    assert result.instruction == "Take 1 x 1 mg + 1 x 0.5 mg + 1 half of 0.5 mg (1.75 mg)"


def test_prefers_one_tablet_over_two() -> None:
    result = tablet_combination(CLONAZEPAM, 2.0)
    assert result.exact is not None and result.exact.piece_count == 1


def test_nearest_below_and_above() -> None:
    result = tablet_combination(CLONAZEPAM, 1.3)
    assert result.exact is None
    assert result.below is not None and result.below.dose_mg == pytest.approx(1.25)
    assert result.above is not None and result.above.dose_mg == pytest.approx(1.5)


def test_below_smallest_piece_has_only_above() -> None:
    result = tablet_combination(CLONAZEPAM, 0.1)
    assert result.below is None
    assert result.above is not None and result.above.dose_mg == pytest.approx(0.25)


def test_unscored_tablets_are_never_split() -> None:
    result = tablet_combination((TabletStrength(1.0),), 0.5)
    assert result.exact is None


def test_quarter_scored_alprazolam() -> None:
    result = tablet_combination((TabletStrength(2.0, Scoring.QUARTER_SCORED),), 1.5)
    assert result.exact is not None
    assert result.exact.dose_mg == pytest.approx(1.5)
    assert result.exact.piece_count == 2  # one half + one quarter


def test_bad_input() -> None:
    with pytest.raises(TitrationInputError) as raised:
        tablet_combination((), 1.0)
    assert raised.value.field == "strengths"
    with pytest.raises(TitrationInputError) as raised:
        tablet_combination(CLONAZEPAM, -1)
    assert raised.value.field == "dose_mg"


@given(
    strengths=st.lists(
        st.builds(
            TabletStrength,
            st.sampled_from([0.25, 0.5, 1.0, 2.0, 5.0, 10.0]),
            st.sampled_from(list(Scoring)),
        ),
        min_size=1,
        max_size=4,
    ),
    quarters=st.integers(1, 200),
)
def test_combinations_sum_exactly(strengths: list[TabletStrength], quarters: int) -> None:
    dose = quarters * 0.0625
    result = tablet_combination(strengths, dose)
    if result.exact is not None:
        assert abs(result.exact.dose_mg - dose) <= 1e-9
    else:
        if result.below is not None:
            assert result.below.dose_mg < dose
        if result.above is not None:
            assert result.above.dose_mg > dose
    for combo in (result.exact, result.below, result.above):
        if combo is not None:
            for piece in combo.pieces:
                allowed = next(s for s in strengths if s.strength_mg == piece.strength_mg)
                assert piece.fraction in allowed.scoring.fractions or any(
                    piece.fraction in s.scoring.fractions
                    for s in strengths
                    if s.strength_mg == piece.strength_mg
                )


def test_extended_release_tablets_are_combined_whole_never_split_or_mixed() -> None:
    """Issue 14 point 5 (FDA label of alprazolam XR: swallow whole)."""
    xr = DosageForm.EXTENDED_RELEASE
    result = tablet_combination([TabletStrength(0.5, form=xr), TabletStrength(3, form=xr)], 3.5)
    assert result.exact is not None and result.exact.describe() == (
        "1 x 3 mg XR tablet + 1 x 0.5 mg XR tablet (3.5 mg)"
    )
    split = validate_tablets([TabletStrength(2, Scoring.SCORED, xr)], 1)
    assert "never split" in split["strengths"] and "prescriber" in split["strengths"]
    mixed = validate_tablets([TabletStrength(0.5), TabletStrength(1, form=xr)], 1)
    assert "not both" in mixed["strengths"]
