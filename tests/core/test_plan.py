"""Plan values, hold/resume, re-plan from actual, and field validation messages."""

from __future__ import annotations

import datetime as dt

import pytest

from taperdesk.core.drugs import load_catalogue
from taperdesk.core.plan import (
    Crossover,
    CutOrder,
    DosingTime,
    Hold,
    ReductionKind,
    ReductionModel,
    TaperPlan,
    TaperStyle,
    hold_from,
    plan_from_dict,
    plan_to_dict,
    replan_from_actual,
    resume,
)
from taperdesk.core.plan_fields import validate_plan_fields
from taperdesk.core.schedule import build_schedule

START = dt.date(2027, 1, 4)
CATALOGUE = load_catalogue()


def clonazepam_plan(**changes: object) -> TaperPlan:
    values: dict[str, object] = {
        "drug_key": "clonazepam",
        "dosing_times": (DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5)),
        "start_date": START,
        "reduction": ReductionModel.percent(10),
    }
    values.update(changes)
    return TaperPlan(**values)  # type: ignore[arg-type]


def test_plan_defaults_and_derived_values() -> None:
    plan = clonazepam_plan()
    assert plan.interval_days == 14 and plan.style is TaperStyle.CUT_AND_HOLD
    assert plan.cut_order.proportional and plan.rounding_mg == 0.001
    assert plan.final_dose_mg is None and plan.start_dose_mg == 1
    assert plan.labels == ("morning", "night") and plan.taper_drug_key == "clonazepam"


@pytest.mark.parametrize(
    "changes",
    [
        {"dosing_times": ()},
        {"dosing_times": tuple(DosingTime(f"t{i}", 1) for i in range(5))},
        {"dosing_times": (DosingTime("a", 1), DosingTime("a", 1))},
        {"dosing_times": (DosingTime("a", -1), DosingTime("b", 2))},
        {"interval_days": 0},
        {"cut_order": CutOrder(("lunch",))},
        {"crossover": Crossover("diazepam", ("lunch",))},
        {"holds": (Hold(START, START - dt.timedelta(days=1)),)},
    ],
)
def test_impossible_plans_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        clonazepam_plan(**changes)


def test_hold_from_today_and_resume() -> None:
    plan = clonazepam_plan()
    today = dt.date(2027, 3, 1)
    held = hold_from(plan, today)
    assert held.open_hold == Hold(today, None)
    assert hold_from(held, today + dt.timedelta(days=3)) is held  # already on hold
    resumed = resume(held, dt.date(2027, 3, 10))
    assert resumed.holds == (Hold(today, dt.date(2027, 3, 9)),)
    assert resume(held, today).holds == ()  # held and resumed the same day: no hold
    assert resume(plan, today) is plan


def test_open_hold_lasts_until_today_and_then_projects() -> None:
    plan = hold_from(clonazepam_plan(), dt.date(2027, 3, 1))
    schedule = build_schedule(plan, CATALOGUE, today=dt.date(2027, 3, 10))
    held = [r for r in schedule.rows if r.hold]
    assert [r.day for r in held] == [dt.date(2027, 3, 1) + dt.timedelta(days=i) for i in range(10)]
    plain = build_schedule(clonazepam_plan(), CATALOGUE)
    assert schedule.summary.end_date - plain.summary.end_date == dt.timedelta(days=10)
    assert schedule.summary.warnings[0].severity.value == "info"
    assert "resumes tomorrow" in schedule.summary.warnings[0].text


def test_replan_from_actual_starts_a_new_revision() -> None:
    plan = clonazepam_plan(holds=(Hold(dt.date(2027, 2, 1), dt.date(2027, 2, 3)),))
    on = dt.date(2027, 3, 5)
    new = replan_from_actual(plan, on, {"morning": 0.4, "night": 0.45})
    assert new.revision == 2 and new.start_dose_mg == pytest.approx(0.85)
    assert new.start_date == on + dt.timedelta(days=14)  # hold the actual dose one interval
    assert new.holds == ()  # past holds are dropped
    assert new.reduction == plan.reduction and new.interval_days == plan.interval_days
    assert new.original_start_dose_mg == 1 and new.original_drug_key == "clonazepam"
    # The final-dose rule still uses the first revision's starting dose.
    assert build_schedule(new, CATALOGUE).summary.final_dose_rule_mg == pytest.approx(0.05)
    third = replan_from_actual(new, on, {"morning": 0.3, "night": 0.3}, first_cut_date=on)
    assert third.revision == 3 and third.start_date == on and third.original_start_dose_mg == 1


def test_replan_needs_every_dosing_time_and_something_taken() -> None:
    plan = clonazepam_plan()
    with pytest.raises(ValueError, match="each dosing time"):
        replan_from_actual(plan, START, {"morning": 0.5})
    with pytest.raises(ValueError, match="Nothing was taken"):
        replan_from_actual(plan, START, {"morning": 0, "night": 0})


def test_replan_after_a_crossover_continues_on_the_new_drug() -> None:
    plan = TaperPlan(
        "lorazepam",
        (DosingTime("morning", 1), DosingTime("night", 1)),
        START,
        ReductionModel.fixed_mg(1),
        crossover=Crossover("diazepam", ("night", "morning"), 7),
    )
    new = replan_from_actual(
        plan, dt.date(2027, 4, 1), {"morning": 8, "night": 10}, drug_key="diazepam"
    )
    assert new.drug_key == "diazepam" and new.crossover is None
    schedule = build_schedule(new, CATALOGUE)
    assert schedule.steps[0].dose_before_mg == 18 and schedule.steps[0].dose_after_mg == 17
    # The rule still starts from the first revision: 5% of 2 mg lorazepam = 1 mg diazepam.
    assert schedule.summary.final_dose_rule_mg == pytest.approx(1)


def test_plan_round_trips_through_a_dict() -> None:
    plan = clonazepam_plan(
        style=TaperStyle.DAILY_MICRO,
        cut_order=CutOrder(("night", "morning")),
        holds=(Hold(START, START), Hold(dt.date(2027, 5, 1))),
        crossover=Crossover("diazepam", ("night",), 10),
        equivalence_overrides=(("clonazepam", 1.0),),
        final_dose_mg=0.1,
    )
    assert plan_from_dict(plan_to_dict(plan)) == plan


# --- field validation -----------------------------------------------------------------------

GOOD = {"drug": "clonazepam", "doses": "morning=0.5,night=0.5", "start": "2027-01-04"}


def errors_for(**fields: str) -> dict[str, str]:
    plan, errors = validate_plan_fields({**GOOD, **fields}, CATALOGUE)
    assert (plan is None) == bool(errors)
    return errors


def test_valid_fields_give_a_plan_with_defaults() -> None:
    plan, errors = validate_plan_fields(GOOD, CATALOGUE)
    assert errors == {} and plan is not None
    assert plan.reduction == ReductionModel.percent(10) and plan.interval_days == 14
    assert plan.style is TaperStyle.CUT_AND_HOLD and plan.start_date == START


def test_every_field_is_read() -> None:
    plan, errors = validate_plan_fields(
        {
            "drug": " Lorazepam ",
            "doses": "morning=1@08:00, night=1,5@22:00",
            "start": "2027-02-01",
            "cut": "0,25 mg",
            "every": "21",
            "style": "daily",
            "order": "night, morning",
            "round": "0,05",
            "final": "0.5",
            "crossover": "diazepam",
            "swap_order": "night,morning",
            "stage_days": "10",
            "equivalence": "1.2",
            "crossover_equivalence": "10",
        },
        CATALOGUE,
    )
    assert errors == {} and plan is not None
    assert plan.dosing_times == (
        DosingTime("morning", 1, "08:00"),
        DosingTime("night", 1.5, "22:00"),
    )
    assert plan.reduction.kind is ReductionKind.FIXED_MG and plan.reduction.value == 0.25
    assert (plan.interval_days, plan.style, plan.rounding_mg) == (21, TaperStyle.DAILY_MICRO, 0.05)
    assert plan.cut_order.sequence == ("night", "morning") and plan.final_dose_mg == 0.5
    assert plan.crossover == Crossover("diazepam", ("night", "morning"), 10)
    assert dict(plan.equivalence_overrides) == {"lorazepam": 1.2, "diazepam": 10}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cut", "0%", "Cut must be between 0.5% and 50% of the current dose."),
        ("cut", "-5%", "Cut must be between 0.5% and 50% of the current dose."),
        ("cut", "75%", "Cut must be between 0.5% and 50% of the current dose."),
        ("cut", "nan%", "nan is not a number. Cut must be between 0.5% and 50%"),
        ("cut", "inf%", "inf is not a number."),
        ("cut", "ten", "Write the cut as a percent"),
        ("cut", "1mg", "more than 0 mg and less than the starting daily dose (1 mg)"),
        ("cut", "0mg", "A fixed cut must be more than 0 mg"),
        ("every", "0", "Interval must be a whole number of days from 1 to 365."),
        ("every", "1.5", "Interval must be a whole number of days from 1 to 365."),
        ("every", "9999", "Interval must be a whole number of days from 1 to 365."),
        ("doses", "abc", "abc is not a number. The daily dose must be more than 0"),
        ("doses", "0", "The daily dose must be more than 0 and at most 1000 mg."),
        ("doses", "-1", "The daily dose must be more than 0"),
        ("doses", "5000", "at most 1000 mg"),
        ("doses", "morning=-1", "Each dose must be from 0 to 1000 mg."),
        ("doses", "morning=0,night=0", "The daily dose must be more than 0 mg."),
        ("doses", "a=1,b=1,c=1,d=1,e=1", "1 to 4 dosing times"),
        ("doses", "a=1,a=1", "its own name"),
        ("doses", "=1", "Write doses as name=mg"),
        ("doses", "a=1@25:00", "Times are written HH:MM"),
        ("start", "2027-02-30", "is not a date. Start date must be between 2000-01-01"),
        ("start", "1999-12-31", "Start date must be between 2000-01-01 and 2100-12-31"),
        ("style", "fast", "Style must be hold (cut and hold) or daily"),
        ("order", "lunch", "must list dosing times from: morning, night"),
        ("order", "morning,morning", "must list dosing times from"),
        ("round", "0", "Rounding must be between 0.00001 mg and 10 mg."),
        ("round", "5", "Rounding must be between 0.00001 mg and the daily dose (1 mg)."),
        ("final", "1", "Final dose must be at least 0 mg and less than the daily dose (1 mg)."),
        ("final", "-0.1", "Final dose must be at least 0 mg"),
        ("drug", "aspirin", "Unknown drug aspirin. Choose one of:"),
        ("crossover", "clonazepam", "different drug"),
        ("equivalence", "0", "Equivalence must be more than 0 and at most 1000 mg"),
    ],
)
def test_bad_fields_get_a_message_saying_what_is_allowed(
    field: str, value: str, message: str
) -> None:
    errors = errors_for(**{field: value})
    assert message in errors[field], errors


def test_missing_required_fields_and_crossover_only_fields() -> None:
    plan, errors = validate_plan_fields({"swap_order": "morning", "stage_days": "3"}, CATALOGUE)
    assert plan is None
    assert errors["drug"] == "Choose the drug you take."
    assert "Enter the daily dose" in errors["doses"]
    assert "needs a crossover drug" in errors["stage_days"]


def test_decimal_comma_and_point_are_the_same() -> None:
    comma, _ = validate_plan_fields({**GOOD, "doses": "0,75", "cut": "7,5%"}, CATALOGUE)
    point, _ = validate_plan_fields({**GOOD, "doses": "0.75", "cut": "7.5%"}, CATALOGUE)
    assert comma == point and comma is not None and comma.start_dose_mg == 0.75


def test_start_defaults_to_today() -> None:
    today = dt.date(2030, 6, 1)
    plan, _ = validate_plan_fields({"drug": "diazepam", "doses": "10"}, CATALOGUE, today=today)
    assert plan is not None and plan.start_date == today
    assert plan.labels == ("daily",)


def test_dosing_time_lists_ignore_letter_case() -> None:
    plan, errors = validate_plan_fields(
        {**GOOD, "doses": "Morning=0.5,Night=0.5", "order": "night, MORNING"}, CATALOGUE
    )
    assert errors == {} and plan is not None
    assert plan.cut_order.sequence == ("Night", "Morning")
    assert "Order" in errors_for(order="night, night")["order"]
    assert "Order" in errors_for(order="noon")["order"]


def test_rounding_after_a_crossover_is_in_the_new_drugs_mg() -> None:
    """0.5 mg clonazepam becomes 10 mg diazepam: a 1 mg step is sensible after the switch."""
    plan, errors = validate_plan_fields(
        {**GOOD, "doses": "0.5", "crossover": "diazepam", "round": "1"}, CATALOGUE
    )
    assert errors == {} and plan is not None and plan.rounding_mg == 1
    assert "round" in errors_for(doses="0.5", round="1")  # no switch: bigger than the dose


def test_a_crossover_rounding_step_may_not_round_a_switched_dose_to_nothing() -> None:
    """0.1 mg clonazepam is 2 mg diazepam: a 5 mg step would switch to 0 mg (an abrupt stop)."""
    errors = errors_for(doses="morning=0.1,night=0.1", crossover="diazepam", round="5")
    assert "round to nothing" in errors["round"] and "2 mg Diazepam" in errors["round"]
    plan, errors = validate_plan_fields(
        {**GOOD, "doses": "morning=0.1,night=0.1", "crossover": "diazepam", "round": "1"},
        CATALOGUE,
    )
    assert errors == {} and plan is not None


def test_dosing_times_differing_only_in_case_and_tiny_doses_are_refused() -> None:
    assert "its own name" in errors_for(doses="AM=0.5,am=0.25")["doses"]
    assert "at least 0.00001 mg" in errors_for(doses="morning=0.000001,night=1")["doses"]
    assert errors_for(doses="morning=0,night=1") == {}


def test_a_dose_above_the_highest_labelled_daily_dose_is_questioned() -> None:
    """'--dose 100' clonazepam (about 2,000 mg diazepam-equivalent) was accepted silently."""
    import datetime as dt

    from taperdesk.core.drugs import load_catalogue
    from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan
    from taperdesk.core.plan_fields import implausible_dose

    catalogue = load_catalogue()

    def plan(drug: str, mg: float) -> TaperPlan:
        return TaperPlan(
            drug, (DosingTime("daily", mg),), dt.date(2027, 1, 4), ReductionModel.percent(10)
        )

    question = implausible_dose(plan("clonazepam", 100), catalogue)
    assert question is not None and "5x the highest labelled daily dose (20 mg" in question
    assert "Klonopin" in question and question.endswith("Is this dose right?")
    assert implausible_dose(plan("clonazepam", 20), catalogue) is None
    assert implausible_dose(plan("diazepam", 41), catalogue) is not None
    assert implausible_dose(plan("bromazepam", 1000), catalogue) is None  # no labelled maximum


def test_the_cli_refuses_an_implausible_dose_without_force(tmp_path) -> None:
    import subprocess
    import sys

    def cli(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "taperdesk", "--data-dir", str(tmp_path), "schedule", *argv],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    refused = cli("--drug", "clonazepam", "--dose", "100")
    assert refused.returncode != 0 and "--force" in refused.stderr and refused.stdout == ""
    assert cli("--drug", "clonazepam", "--dose", "100", "--force").returncode == 0


def test_a_dose_typed_with_its_unit_is_read() -> None:
    """Found by review: "1.5 mg" in a box that says mg was "not a number"."""
    from taperdesk.core.drugs import load_catalogue
    from taperdesk.core.plan_fields import validate_plan_fields

    plan, errors = validate_plan_fields({"drug": "clonazepam", "doses": "1.5 mg"},
                                        catalogue=load_catalogue())  # fmt: skip
    assert not errors and plan.dosing_times[0].dose_mg == 1.5
    plan, errors = validate_plan_fields({"drug": "clonazepam", "doses": "morning=0.5mg,night=0.5"},
                                        catalogue=load_catalogue())  # fmt: skip
    assert not errors and [t.dose_mg for t in plan.dosing_times] == [0.5, 0.5]
