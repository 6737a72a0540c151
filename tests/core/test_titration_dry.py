"""Dry (scale) titration (domain.md, "Dry (scale) titration")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taperdesk.core.titration import (
    ScaleSetup,
    TitrationInputError,
    scale_dose,
    validate_scale,
    weight_spread,
)
from taperdesk.core.titration_dry import UNIFORMITY_CAVEAT


def test_one_tablet_example() -> None:
    result = scale_dose(ScaleSetup(tablet_mg=1, tablet_weights_mg=(120,)), 0.87)
    assert result.powder_to_take_mg == 104  # 104.4 mg rounded to the 1 mg reading
    assert result.delivered_dose_mg == pytest.approx(104 / 120)
    assert result.error_mg == pytest.approx(104 / 120 - 0.87)
    assert result.powder_to_remove_mg == 16  # 15.6 -> 16 mg off a whole tablet
    assert result.remove_delivered_dose_mg == pytest.approx(104 / 120)
    assert result.dose_step_mg == pytest.approx(1 / 120)
    assert result.instruction == "Weigh 104 mg of powder from crushed 1 mg tablets (0.867 mg)"
    assert result.warnings[-1] == UNIFORMITY_CAVEAT


def test_mean_of_several_tablets() -> None:
    result = scale_dose(ScaleSetup(1, (120, 118)), 0.87)
    assert result.spread.mean_mg == 119
    assert result.powder_to_take_mg == 104  # 103.53 -> 104
    assert result.delivered_dose_mg == pytest.approx(104 / 119)


def test_small_amount_is_unreliable() -> None:
    result = scale_dose(ScaleSetup(1, (60,)), 0.1)  # 6 mg of powder < 10 x 1 mg
    assert any("unreliable" in w and "Withdrawal Project" in w for w in result.warnings)


def test_whole_tablets_cover_part_of_the_dose() -> None:
    result = scale_dose(ScaleSetup(1, (120,)), 1.87)
    assert result.whole_tablet_count == 1
    assert result.powder_to_take_mg == 104
    assert result.instruction.startswith("Take 1 x 1 mg tablet whole, and weigh 104 mg")


def test_spread_warning_states_the_threshold() -> None:
    spread = weight_spread([100, 120, 110])
    assert spread.min_mg == 100 and spread.max_mg == 120 and spread.mean_mg == 110
    assert spread.cv_percent == pytest.approx(100 * 10 / 110)
    assert spread.warning is not None and "5% CV" in spread.warning and "10%" in spread.warning
    assert weight_spread([120, 121, 119]).warning is None
    assert weight_spread([120]).cv_percent is None


@pytest.mark.parametrize(
    ("setup", "dose", "field"),
    [
        (ScaleSetup(1, (120,)), 0, "dose_mg"),
        (ScaleSetup(1, ()), 0.5, "tablet_weights_mg"),
        (ScaleSetup(1, (0.5,)), 0.5, "tablet_weights_mg"),  # lighter than its active ingredient
        (ScaleSetup(1, (120, -3)), 0.5, "tablet_weights_mg"),
        (ScaleSetup(0, (120,)), 0.5, "tablet_mg"),
        (ScaleSetup(1, (120,), readability_mg=0), 0.5, "readability_mg"),
        (ScaleSetup(1, (120,), readability_mg=200), 0.5, "readability_mg"),
        (ScaleSetup(1, (120,), use_whole_tablets=False), 1.5, "dose_mg"),
    ],
)
def test_bad_inputs(setup: ScaleSetup, dose: float, field: str) -> None:
    assert field in validate_scale(setup, dose)
    with pytest.raises(TitrationInputError):
        scale_dose(setup, dose)


@given(
    tablet_mg=st.sampled_from([0.5, 1.0, 2.0, 10.0]),
    weight=st.floats(80, 400),
    readability=st.sampled_from([0.1, 1.0]),
    fraction=st.floats(0.01, 3.0),
)
def test_scale_invariants(
    tablet_mg: float, weight: float, readability: float, fraction: float
) -> None:
    setup = ScaleSetup(tablet_mg, (weight,), readability)
    dose = tablet_mg * fraction
    result = scale_dose(setup, dose)
    assert result.powder_to_take_mg >= 0 and result.delivered_dose_mg >= 0
    assert abs(result.delivered_dose_mg - dose) <= setup.dose_step_mg / 2 + 1e-9
    assert UNIFORMITY_CAVEAT in result.warnings
