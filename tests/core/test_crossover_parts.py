"""A single daily dose moves to diazepam in parts (issue: 'clonazepam 1 mg at night ->
diazepam 20 mg on day 1'; ASAM 2025: over 1-2 weeks may be more successful)."""

from __future__ import annotations

import datetime as dt

import pytest

from taperdesk.core.drugs import load_catalogue
from taperdesk.core.plan import Crossover, DosingTime, ReductionModel, TaperPlan
from taperdesk.core.plan_fields import validate_plan_fields
from taperdesk.core.schedule import StepKind, build_schedule

START = dt.date(2027, 1, 4)
CATALOGUE = load_catalogue()


def night_dose(parts: int) -> TaperPlan:
    return TaperPlan(
        "clonazepam",
        (DosingTime("night", 1.0),),
        START,
        ReductionModel.percent(10),
        rounding_mg=0.5,
        final_dose_mg=2.0,
        crossover=Crossover("diazepam", (), 3, parts),
    )


def test_a_quarter_of_the_dose_moves_each_stage_and_the_equivalent_stays() -> None:
    # 1 mg clonazepam ~ 20 mg diazepam (Ashton: 0.5 mg ~ 10 mg).
    schedule = build_schedule(night_dose(4), CATALOGUE)
    stages = [s for s in schedule.steps if s.kind is StepKind.SWITCH]
    assert [s.start_date for s in stages] == [START + dt.timedelta(days=3 * i) for i in range(4)]
    days = [schedule.doses_on(s.start_date) for s in stages]
    taken = [
        (d.total_mg("clonazepam"), d.total_mg("diazepam"), d.total_diazepam_eq_mg) for d in days
    ]
    assert taken == [(0.75, 5, 20), (0.5, 10, 20), (0.25, 15, 20), (0, 20, 20)]
    assert "part 1 of 4" in (stages[0].note or "")


def test_one_daily_dose_moves_in_quarters_by_default_and_two_doses_at_once() -> None:
    raw = {"drug": "clonazepam", "doses": "1", "start": "2027-01-04", "cut": "10%",
           "crossover": "diazepam"}  # fmt: skip
    single, errors = validate_plan_fields(raw, catalogue=CATALOGUE)
    assert not errors and single.crossover.parts == 4
    double, errors = validate_plan_fields(
        {**raw, "doses": "morning=0.5,night=0.5"}, catalogue=CATALOGUE
    )
    assert not errors and double.crossover.parts == 1
    chosen, errors = validate_plan_fields({**raw, "switch_parts": "1"}, catalogue=CATALOGUE)
    assert not errors and chosen.crossover.parts == 1
    _plan, errors = validate_plan_fields({**raw, "switch_parts": "9"}, catalogue=CATALOGUE)
    assert "switch_parts" in errors


def test_parts_are_saved_and_read_back(database) -> None:
    from taperdesk.core.plan import plan_from_dict, plan_to_dict
    from taperdesk.store.plans import load_active_plan, save_new_plan

    plan = night_dose(4)
    assert plan_from_dict(plan_to_dict(plan)) == plan
    save_new_plan(database, plan, "Staged")
    assert load_active_plan(database).crossover.parts == 4


def test_parts_must_be_sensible() -> None:
    with pytest.raises(ValueError, match="parts"):
        night_dose(0)
