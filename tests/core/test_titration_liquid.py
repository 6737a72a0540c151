"""Liquid titration, daily volumes and the fixed-volume method (domain.md, "Liquid titration")."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taperdesk.core.titration import (
    DEVICE_PRESETS,
    LIQUID_NOTES,
    FixedVolumePlan,
    LiquidMix,
    TitrationInputError,
    WholeTablets,
    daily_volumes,
    fixed_volume_schedule,
    liquid_dose,
    parse_quantity,
    suggest_mix_volume,
    validate_liquid_dose,
    validate_liquid_mix,
)

ISSUE_MIX = LiquidMix(volume_ml=100, graduation_ml=0.1, tablet_mg=1, tablet_count=1)


def test_issue_example_takes_87_ml_and_discards_13() -> None:
    result = liquid_dose(ISSUE_MIX, 0.87)
    assert result.concentration_mg_per_ml == pytest.approx(0.01)
    assert result.take_ml == 87
    assert result.discard_ml == 13
    assert result.delivered_dose_mg == pytest.approx(0.87)
    assert result.error_mg == 0
    assert result.dose_step_mg == pytest.approx(0.001)
    assert result.instruction == (
        "Suspend 1 x 1 mg tablet in 100 mL water, shake, take 87 mL (0.87 mg), discard 13 mL"
    )
    assert result.notes == LIQUID_NOTES


def test_whole_tablet_covers_part_of_the_dose() -> None:
    result = liquid_dose(ISSUE_MIX, 1.87)
    assert result.whole_tablet_count == 1
    assert result.take_ml == 87
    assert result.delivered_dose_mg == pytest.approx(1.87)
    assert result.instruction == (
        "Take 1 x 1 mg tablet whole, and suspend 1 x 1 mg tablet in 100 mL water, shake, "
        "take 87 mL (0.87 mg), discard 13 mL"
    )


def test_whole_tablets_off_means_the_mix_must_hold_the_dose() -> None:
    mix = LiquidMix(100, 0.1, tablet_mg=1, tablet_count=1, whole_tablets=WholeTablets.NONE)
    errors = validate_liquid_dose(mix, 1.87)
    assert "more than the whole mix holds" in errors["dose_mg"]
    with pytest.raises(TitrationInputError) as raised:
        liquid_dose(mix, 1.87)
    assert raised.value.field == "dose_mg"


def test_plural_tablets_and_finer_rounding() -> None:
    mix = LiquidMix(volume_ml=35, graduation_ml=1.0, tablet_mg=0.5, tablet_count=2)
    result = liquid_dose(mix, 0.9)
    # Whole tablets (auto) cover 0.5 mg; the liquid 0.4 mg = 14 mL of 1 mg / 35 mL.
    assert result.whole_tablet_count == 1
    assert result.take_ml == 14
    assert result.instruction.startswith(
        "Take 1 x 0.5 mg tablet whole, and suspend 2 x 0.5 mg tablets"
    )


def test_rounding_error_maths() -> None:
    mix = LiquidMix(volume_ml=10, graduation_ml=1.0, tablet_mg=1, tablet_count=1)
    result = liquid_dose(mix, 0.87)  # 8.7 mL -> 9 mL on a 1 mL cylinder
    assert result.take_ml == 9
    assert result.discard_ml == 1
    assert result.delivered_dose_mg == pytest.approx(0.9)
    assert result.error_mg == pytest.approx(0.03)
    assert result.error_percent == pytest.approx(100 * 0.03 / 0.87)
    assert result.dose_step_mg == pytest.approx(0.1)


def test_commercial_liquid_has_no_discard() -> None:
    mix = LiquidMix(volume_ml=30, graduation_ml=0.01, liquid_mg_per_ml=2)
    result = liquid_dose(mix, 0.87)
    assert result.take_ml == pytest.approx(0.44)  # 0.435 rounds half up
    assert result.discard_ml is None
    assert "0.44 mL of the 2 mg/mL liquid" in result.instruction


def test_graduation_coarser_than_the_cut_warns() -> None:
    mix = LiquidMix(volume_ml=10, graduation_ml=1.0, tablet_mg=1, tablet_count=1)
    result = liquid_dose(mix, 0.04)  # 0.4 mL rounds to nothing
    assert result.take_ml == 0
    assert any("finest step" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("mix", "dose", "field"),
    [
        (LiquidMix(100, 0.1, tablet_mg=1, tablet_count=1), 0.0, "dose_mg"),
        (LiquidMix(100, 0.1, tablet_mg=1, tablet_count=1), -1.0, "dose_mg"),
        (LiquidMix(100, 0.1, tablet_mg=1, tablet_count=1), math.nan, "dose_mg"),
        (LiquidMix(100, 0.1, tablet_mg=1, tablet_count=1), math.inf, "dose_mg"),
        (LiquidMix(0, 0.1, tablet_mg=1, tablet_count=1), 0.5, "volume_ml"),
        (LiquidMix(100, 0, tablet_mg=1, tablet_count=1), 0.5, "graduation_ml"),
        (LiquidMix(5, 10, tablet_mg=1, tablet_count=1), 0.5, "graduation_ml"),
        (LiquidMix(100, 0.1, tablet_mg=-1, tablet_count=1), 0.5, "tablet_mg"),
        (LiquidMix(100, 0.1, tablet_mg=1, tablet_count=1.5), 0.5, "tablet_count"),  # type: ignore[arg-type]
        (LiquidMix(100, 0.1, tablet_mg=1), 0.5, "tablet_count"),
        (LiquidMix(100, 0.1, tablet_mg="1", tablet_count=1), 0.5, "tablet_mg"),  # type: ignore[arg-type]
    ],
)
def test_bad_inputs_name_their_field(mix: LiquidMix, dose: float, field: str) -> None:
    errors = validate_liquid_dose(mix, dose)
    assert field in errors
    with pytest.raises(TitrationInputError) as raised:
        liquid_dose(mix, dose)
    assert field in raised.value.errors


@pytest.mark.parametrize(("text", "value"), [("0,87", 0.87), ("0.87", 0.87), (" 12 ", 12.0)])
def test_parse_quantity_accepts_comma_and_point(text: str, value: float) -> None:
    assert parse_quantity(text, "dose_mg") == value


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "nan", "inf", "1,2,3"])
def test_parse_quantity_rejects_junk(text: str) -> None:
    with pytest.raises(TitrationInputError) as raised:
        parse_quantity(text, "dose_mg")
    assert raised.value.field == "dose_mg"


def test_device_presets() -> None:
    assert [d.graduation_ml for d in DEVICE_PRESETS] == [0.01, 0.05, 0.1, 1.0]


def test_suggestion_picks_a_volume_that_fits_the_cuts() -> None:
    doses = [1.0, 0.95, 0.9, 0.85, 0.8]
    suggestion = suggest_mix_volume(1, 1, doses, 0.1)
    assert suggestion.meets_goals
    assert suggestion.volume_ml == 20  # 10 mL: step 0.01 mg > 0.05/10
    assert suggestion.dose_step_mg <= 0.005 + 1e-12
    assert suggestion.doses_on_graduation == 5
    assert "20 mL" in suggestion.explanation


def test_suggestion_explains_when_nothing_fits() -> None:
    suggestion = suggest_mix_volume(1, 1, [1.0, 0.999], 1.0)
    assert not suggestion.meets_goals
    assert "finer syringe" in suggestion.explanation


def test_daily_volumes_table() -> None:
    start = date(2025, 3, 1)
    doses = [(start + timedelta(days=k), 1 - k * 0.5 / 35) for k in range(8)]
    mix = LiquidMix(volume_ml=35, graduation_ml=1.0, tablet_mg=0.5, tablet_count=1)
    rows = daily_volumes(mix, doses)
    # Day 0 is exactly two whole tablets: the whole mix is left over.
    assert rows[0].whole_tablet_count == 2 and rows[0].take_ml == 0
    assert [r.remove_ml for r in rows[1:]] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.day for r in rows] == [d for d, _ in doses]
    assert rows[7].delivered_dose_mg == pytest.approx(0.9)
    assert all(r.whole_tablet_count == 1 and r.error_mg == pytest.approx(0) for r in rows[1:])
    # What the table tells the person to take includes the whole tablet (half the dose).
    assert rows[0].take_text(mix) == "2 x 0.5 mg tablets whole"
    assert rows[1].take_text(mix) == "1 x 0.5 mg tablet whole + 34 mL"
    no_tablets = daily_volumes(mix, [(start, 0.4)])[0]
    assert no_tablets.whole_tablet_count == 0 and no_tablets.take_text(mix) == "28 mL"


def test_daily_volumes_allows_a_zero_day() -> None:
    mix = LiquidMix(volume_ml=10, graduation_ml=0.1, tablet_mg=1, tablet_count=1)
    (row,) = daily_volumes(mix, [(date(2025, 1, 1), 0.0)])
    assert row.take_ml == 0 and row.remove_ml == 10 and row.delivered_dose_mg == 0


def test_lorazepam_35_ml_fixed_volume_example() -> None:
    """BenzoBuddies: 1 mg/day as two 0.5 mg tablets, one in 35 mL, remove 1..7 mL."""
    plan = FixedVolumePlan(
        tablet_mg=0.5,
        volume_ml=35,
        start_remove_ml=1,
        step_ml=1,
        days=7,
        whole_tablet_count=1,
        start_date=date(2025, 1, 1),
    )
    days = fixed_volume_schedule(plan)
    assert [d.remove_ml for d in days] == [1, 2, 3, 4, 5, 6, 7]
    for k, day in enumerate(days, start=1):
        assert day.delivered_dose_mg == pytest.approx(1 - (k / 35) * 0.5, abs=1e-9)
    assert days[-1].removed_mg == pytest.approx(0.1)
    assert days[-1].delivered_dose_mg == pytest.approx(0.9)
    assert days[-1].day == date(2025, 1, 7)


def test_fixed_volume_cannot_remove_more_than_the_mix() -> None:
    plan = FixedVolumePlan(tablet_mg=0.5, volume_ml=5, start_remove_ml=1, step_ml=1, days=7)
    with pytest.raises(TitrationInputError) as raised:
        fixed_volume_schedule(plan)
    assert raised.value.field == "step_ml"


mixes = st.builds(
    LiquidMix,
    volume_ml=st.sampled_from([10.0, 20.0, 25.0, 35.0, 50.0, 100.0, 200.0]),
    graduation_ml=st.sampled_from([0.01, 0.05, 0.1, 1.0]),
    tablet_mg=st.sampled_from([0.25, 0.5, 1.0, 2.0, 10.0]),
    tablet_count=st.integers(1, 4),
    whole_tablets=st.sampled_from(list(WholeTablets)),
)


@given(mix=mixes, fraction=st.floats(0.001, 1.0))
def test_liquid_invariants(mix: LiquidMix, fraction: float) -> None:
    dose = mix.mix_mg * fraction
    result = liquid_dose(mix, dose)
    assert result.discard_ml is not None
    assert result.take_ml + result.discard_ml == pytest.approx(mix.volume_ml)
    assert result.take_ml >= 0 and result.discard_ml >= 0 and result.delivered_dose_mg >= 0
    assert abs(result.delivered_dose_mg - dose) <= result.dose_step_mg / 2 + 1e-9
    # The volume to take is a whole number of graduations.
    units = result.take_ml / mix.graduation_ml
    assert units == pytest.approx(round(units), abs=1e-6)


def test_a_commercial_liquid_gets_its_own_notes() -> None:
    from taperdesk.core.titration_liquid import COMMERCIAL_LIQUID_NOTES, LIQUID_NOTES

    bought = liquid_dose(LiquidMix(volume_ml=30, graduation_ml=0.1, liquid_mg_per_ml=2), 0.5)
    assert bought.notes == COMMERCIAL_LIQUID_NOTES
    assert not any("suspension" in note for note in bought.notes)
    made = liquid_dose(LiquidMix(volume_ml=10, graduation_ml=0.1, tablet_mg=1, tablet_count=1), 0.5)
    assert made.notes == LIQUID_NOTES


def test_a_mix_holding_more_than_three_days_of_doses_is_questioned() -> None:
    """'Suspend 50 x 0.5 mg tablets in 200 mL' (25 mg in one mix) was accepted silently."""
    from taperdesk.core.titration import LiquidMix, mix_too_large

    typo = LiquidMix(volume_ml=200, graduation_ml=0.1, tablet_mg=0.5, tablet_count=50)
    question = mix_too_large(typo, [1.0] * 30)
    assert question is not None and "25 mg" in question and "3 days" in question
    usual = LiquidMix(volume_ml=100, graduation_ml=0.1, tablet_mg=0.5, tablet_count=2)
    assert mix_too_large(usual, [1.0] * 30) is None
    # One 1 mg tablet for 0.33 mg doses holds 3 days: nothing smaller can be mixed, so it
    # is not questioned (the screenshot of the Titration tab showed the question).
    one = LiquidMix(volume_ml=100, graduation_ml=0.1, tablet_mg=1, tablet_count=1)
    assert mix_too_large(one, [0.33] * 30) is None
    assert mix_too_large(LiquidMix(100, 0.1, tablet_mg=1, tablet_count=3), [0.33] * 30)


def test_an_extended_release_tablet_is_never_suspended_or_weighed() -> None:
    """Issue 14 point 5: the refusal names the label and leaves the change of form to the
    prescriber; a saved method keeps its form."""
    from taperdesk.core.titration import (
        DosageForm,
        MethodKind,
        MethodSettings,
        ScaleSetup,
        TitrationInputError,
        validate_scale,
    )

    xr = DosageForm.EXTENDED_RELEASE
    mix = LiquidMix(volume_ml=10, tablet_mg=1, tablet_count=1, tablet_form=xr)
    assert "swallowed whole" in validate_liquid_mix(mix)["tablet_form"]
    with pytest.raises(TitrationInputError, match="prescriber"):
        liquid_dose(mix, 0.5)
    setup = ScaleSetup(1, (100.0,), tablet_form=xr)
    assert "swallowed whole" in validate_scale(setup, 0.5)["tablet_form"]
    odt = LiquidMix(volume_ml=10, tablet_mg=1, tablet_count=1,
                    tablet_form=DosageForm.ORALLY_DISINTEGRATING)  # fmt: skip
    assert liquid_dose(odt, 0.5).delivered_dose_mg == 0.5
    saved = MethodSettings(MethodKind.LIQUID, tablet_mg=1, tablet_count=1, volume_ml=10,
                           tablet_form=DosageForm.ORALLY_DISINTEGRATING)  # fmt: skip
    assert MethodSettings.from_dict(saved.to_dict()) == saved
    with pytest.raises(TitrationInputError, match="swallowed whole"):
        MethodSettings.from_dict({**saved.to_dict(), "tablet_form": "extended-release tablet"})
