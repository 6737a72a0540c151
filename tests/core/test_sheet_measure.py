"""What a weekly sheet shows for a dose: the thing measured first (issue 17, point 1 and 2).

Worked examples come from the domain reference, not from the formulas under test:
BenzoBuddies' lorazepam water titration (one 0.5 mg tablet whole, one in 35 mL, remove
1 mL on day 1 ... 7 mL on day 7) and the issue's own figures ("83 mg powder",
"½ of a 0.5 mg tablet", "capsules 0.115 + 0.115 + 0.115").
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taperdesk.core.sheet_measure import equipment_text, measure_for_sheet, syringe_size_ml
from taperdesk.core.titration import MethodKind, MethodSettings, TabletStrength, TitrationInputError
from taperdesk.core.titration_tablets import Scoring

LORAZEPAM_MIX = MethodSettings(
    MethodKind.LIQUID, tablet_mg=0.5, tablet_count=1, volume_ml=35, graduation_ml=0.1
)


@pytest.mark.parametrize("day", range(1, 8))
def test_the_benzobuddies_water_example_removes_one_more_ml_each_day(day: int) -> None:
    dose_mg = 1.0 - day * 0.1 / 7  # 10% of 1 mg over 7 days
    found = measure_for_sheet(LORAZEPAM_MIX, dose_mg)
    assert found.remove == f"remove {day} mL"
    assert found.measure == f"1 × 0.5 mg + {35 - day} mL"
    assert found.delivered_mg == pytest.approx(dose_mg, abs=1e-9)


def test_a_weighed_dose_is_the_powder_to_weigh() -> None:
    scale = MethodSettings(
        MethodKind.SCALE, tablet_mg=0.5, tablet_weights_mg=(100.0,), readability_mg=1.0
    )
    found = measure_for_sheet(scale, 0.415)
    assert found.measure == "83 mg powder"
    assert found.note == ""


def test_split_tablets_read_as_fractions_of_one_strength() -> None:
    halves = MethodSettings(MethodKind.TABLETS, strengths=(TabletStrength(0.5, Scoring.SCORED),))
    assert measure_for_sheet(halves, 0.25).measure == "½ of 0.5 mg"
    quarters = MethodSettings(
        MethodKind.TABLETS, strengths=(TabletStrength(0.25, Scoring.QUARTER_SCORED),)
    )
    assert measure_for_sheet(quarters, 0.1875).measure == "¾ of 0.25 mg"
    assert measure_for_sheet(quarters, 0.4375).measure == "1¾ × 0.25 mg"
    assert measure_for_sheet(quarters, 0.5).measure == "2 × 0.25 mg"


def test_capsules_say_which_make_the_dose() -> None:
    capsules = MethodSettings(MethodKind.COMPOUNDED, compounded_step_mg=0.005)
    found = measure_for_sheet(capsules, 0.345, (0.115, 0.115, 0.115))
    assert found.measure == "capsules 0.115 + 0.115 + 0.115"
    assert found.delivered_mg == pytest.approx(0.345)
    assert measure_for_sheet(capsules, 0.2, (0.2,)).measure == "capsule 0.2"


def test_a_measure_off_the_plan_says_the_plans_figure() -> None:
    """The mg beside "7.3 mL" was the plan's 0.364 mg; 7.3 mL of 1 mg / 20 mL gives 0.365."""
    mix = MethodSettings(
        MethodKind.LIQUID, tablet_mg=0.5, tablet_count=2, volume_ml=20, graduation_ml=0.1
    )
    found = measure_for_sheet(mix, 0.364)
    assert found.measure == "7.3 mL" and found.delivered_mg == pytest.approx(0.365)
    assert found.note == "plan 0.364 mg: the nearest mark"
    assert measure_for_sheet(mix, 0.365).note == ""


def test_a_bought_liquid_has_nothing_to_remove() -> None:
    liquid = MethodSettings(MethodKind.LIQUID, liquid_mg_per_ml=2.5, volume_ml=30)
    found = measure_for_sheet(liquid, 0.5)
    assert (found.measure, found.remove) == ("0.2 mL", "")


def test_an_extended_release_tablet_is_never_suspended() -> None:
    from taperdesk.core.dosage_forms import DosageForm

    xr = MethodSettings(
        MethodKind.LIQUID, tablet_mg=1, tablet_count=1, volume_ml=10,
        tablet_form=DosageForm.EXTENDED_RELEASE,
    )  # fmt: skip
    with pytest.raises(TitrationInputError):
        measure_for_sheet(xr, 0.5)


def test_the_equipment_names_the_mix_and_the_syringe() -> None:
    mix = MethodSettings(
        MethodKind.LIQUID, tablet_mg=0.5, tablet_count=2, volume_ml=100, graduation_ml=0.1
    )
    text = equipment_text(mix, largest_volume_ml=3.3)
    assert text.startswith("2 × 0.5 mg tablets in 100 mL water (1 mg / 100 mL).")
    assert "5 mL oral syringe marked every 0.1 mL" in text
    assert "Remove the part shown" in equipment_text(mix, 2.5, removing=True)
    assert "measuring cylinder" in equipment_text(mix, largest_volume_ml=99.7)
    assert syringe_size_ml(0.8) == 1.0 and syringe_size_ml(10.0) == 10.0


@given(
    tablets=st.integers(1, 4),
    volume_ml=st.sampled_from([10, 20, 35, 50, 100]),
    share=st.floats(0.05, 1.0),
)
def test_what_is_removed_and_what_is_drunk_make_the_whole_mix(
    tablets: int, volume_ml: int, share: float
) -> None:
    from taperdesk.core.titration_liquid import WholeTablets

    mix = MethodSettings(
        MethodKind.LIQUID, tablet_mg=0.5, tablet_count=tablets, volume_ml=volume_ml,
        graduation_ml=0.1, whole_tablets=WholeTablets.NONE,
    )  # fmt: skip
    dose_mg = round(share * 0.5 * tablets, 4)
    found = measure_for_sheet(mix, dose_mg)
    if not found.remove:
        return  # too small to measure: nothing drawn up
    removed = float(re.findall(r"[\d.]+", found.remove)[0])
    assert found.volume_ml is not None
    assert removed + found.volume_ml == pytest.approx(volume_ml, abs=1e-9)
    assert found.measure == f"{float(found.measure.split()[0]):g} mL"  # what is drunk
    assert float(found.measure.split()[0]) == pytest.approx(found.volume_ml)
