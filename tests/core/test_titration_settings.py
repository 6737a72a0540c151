"""The saved method settings and the functions the plan and weekly sheets call."""

from __future__ import annotations

import json

import pytest

from taperdesk.core.titration import (
    MethodKind,
    MethodSettings,
    Scoring,
    TabletStrength,
    TitrationInputError,
    instruction_for_dose,
    measurable_step_mg,
)

LIQUID = MethodSettings(
    MethodKind.LIQUID, tablet_mg=1, tablet_count=1, volume_ml=10, graduation_ml=0.1
)
SCALE = MethodSettings(MethodKind.SCALE, tablet_mg=1, tablet_weights_mg=(120.0, 118.0))
TABLETS = MethodSettings(
    MethodKind.TABLETS,
    strengths=(TabletStrength(0.5, Scoring.SCORED), TabletStrength(1.0)),
)
COMPOUNDED = MethodSettings(MethodKind.COMPOUNDED, compounded_step_mg=0.005)


@pytest.mark.parametrize("settings", [LIQUID, SCALE, TABLETS, COMPOUNDED])
def test_round_trip_through_json(settings: MethodSettings) -> None:
    data = json.loads(json.dumps(settings.to_dict()))
    assert MethodSettings.from_dict(data) == settings


def test_from_dict_rejects_bad_data() -> None:
    with pytest.raises(TitrationInputError) as raised:
        MethodSettings.from_dict({"kind": "telepathy"})
    assert raised.value.field == "kind"
    bad = LIQUID.to_dict() | {"volume_ml": -5}
    with pytest.raises(TitrationInputError) as raised:
        MethodSettings.from_dict(bad)
    assert raised.value.field == "volume_ml"
    with pytest.raises(TitrationInputError) as raised:
        MethodSettings.from_dict(LIQUID.to_dict() | {"graduation_ml": "x"})
    assert raised.value.field == "graduation_ml"


def test_liquid_sheet_instruction_and_step() -> None:
    assert instruction_for_dose(LIQUID, 0.87) == "take 8.7 mL of the 1 mg / 10 mL mix"
    assert instruction_for_dose(LIQUID, 1.87) == (
        "take 1 x 1 mg whole + 8.7 mL of the 1 mg / 10 mL mix"
    )
    assert instruction_for_dose(LIQUID, 0) == "no dose"
    assert measurable_step_mg(LIQUID) == 0.01
    # A dose the mix cannot measure closely: the sheet says what it really gives, or that
    # it cannot be measured, never an empty cell.
    assert instruction_for_dose(LIQUID, 0.013) == (
        "take 0.1 mL of the 1 mg / 10 mL mix (gives 0.01 mg, not 0.013 mg)"
    )
    assert instruction_for_dose(LIQUID, 0.003) == "too small to measure with this mix (0.003 mg)"


def test_scale_tablets_compounded() -> None:
    assert instruction_for_dose(SCALE, 0.87) == "weigh 104 mg of powder"
    # 0.05 mg is ~6 mg of powder: under 10x what a 1 mg scale reads, and the sheet says so.
    assert instruction_for_dose(SCALE, 0.05).endswith(
        "of powder (too little for this scale to weigh reliably)"
    )
    assert measurable_step_mg(SCALE) == pytest.approx(1 / 119)
    assert instruction_for_dose(TABLETS, 1.25) == "take 1 x 1 mg + 1 half of 0.5 mg"
    assert measurable_step_mg(TABLETS) == 0.25
    assert measurable_step_mg(COMPOUNDED) == 0.005
    assert "0.87 mg" in instruction_for_dose(COMPOUNDED, 0.87)
