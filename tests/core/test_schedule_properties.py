"""Invariants of the schedule engine over many generated plans (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

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
)
from taperdesk.core.schedule import (
    PlanRefused,
    Schedule,
    ScheduleTooLongError,
    StepKind,
    build_schedule,
)

CATALOGUE = load_catalogue()
START = dt.date(2027, 1, 4)
TOL = 1e-9
DRUGS = ("clonazepam", "diazepam", "lorazepam", "alprazolam", "oxazepam")


@st.composite
def plans(draw: st.DrawFn) -> TaperPlan:
    drug = draw(st.sampled_from(DRUGS))
    labels = draw(
        st.lists(
            st.sampled_from(["morning", "noon", "evening", "night"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    rounding = draw(st.sampled_from([0.001, 0.005, 0.01, 0.0625, 0.125, 0.25]))
    doses = [draw(st.integers(0, 4000)) * rounding for _ in labels]
    assume(sum(doses) > rounding)
    if draw(st.booleans()):
        reduction = ReductionModel.percent(draw(st.floats(0.5, 50)))
    else:
        reduction = ReductionModel.fixed_mg(sum(doses) * draw(st.floats(0.01, 0.6)))
    order = CutOrder(tuple(draw(st.permutations(labels)))) if draw(st.booleans()) else CutOrder()
    holds = tuple(
        Hold(START + dt.timedelta(days=a), START + dt.timedelta(days=a + n))
        for a, n in draw(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 30)), max_size=3))
    )
    crossover = None
    if draw(st.booleans()):
        to = draw(st.sampled_from([d for d in DRUGS if d != drug]))
        crossover = Crossover(to, tuple(draw(st.permutations(labels))), draw(st.integers(1, 10)))
    overrides = ()
    if draw(st.booleans()):
        overrides = ((drug, draw(st.floats(0.1, 40))),)
    return TaperPlan(
        drug_key=drug,
        dosing_times=tuple(DosingTime(lb, d) for lb, d in zip(labels, doses, strict=True)),
        start_date=START,
        reduction=reduction,
        interval_days=draw(st.integers(1, 35)),
        style=draw(st.sampled_from(TaperStyle)),
        cut_order=order,
        rounding_mg=rounding,
        final_dose_mg=draw(st.none() | st.floats(0, 2)),
        holds=holds,
        crossover=crossover,
        equivalence_overrides=overrides,
    )


def schedule_of(plan: TaperPlan) -> Schedule:
    try:
        return build_schedule(plan, CATALOGUE)
    except (ScheduleTooLongError, PlanRefused):
        assume(False)
        raise


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(plans())
def test_rows_are_consistent(plan: TaperPlan) -> None:
    schedule = schedule_of(plan)
    steps = {s.number: s for s in schedule.steps}
    days = [day for day, _ in itertools.groupby(r.day for r in schedule.rows)]
    assert days == [START + dt.timedelta(days=i) for i in range(len(days))]
    for row in schedule.rows:
        assert all(d >= 0 for d in row.doses_mg)  # no negative dose
        assert abs(row.total_mg - sum(row.doses_mg)) < 1e-6  # total = sum of dosing times
        assert len(row.doses_mg) == len(plan.dosing_times)
        if row.step_number:  # every row's rate is its step's rate
            rate = steps[row.step_number].effective_rate_percent_per_14_days
            assert row.effective_rate_percent_per_14_days == rate
    assert schedule.rows[-1].total_mg == 0 and schedule.steps[-1].is_jump
    assert schedule.summary.end_date == schedule.rows[-1].day


@PROPERTY_SETTINGS
@given(plans())
def test_doses_never_rise(plan: TaperPlan) -> None:
    schedule = schedule_of(plan)
    taper_drug = CATALOGUE.with_overrides(plan.overrides).get(plan.taper_drug_key)
    # Crossover doses are rounded to the nearest measurable step of the new drug.
    slack = plan.rounding_mg * 10 / taper_drug.mg_per_diazepam_10 * len(plan.labels) / 2 + 1e-6
    switch_numbers = {s.number for s in schedule.steps if s.kind is StepKind.SWITCH}
    previous_eq: float | None = None
    previous: dict[str, tuple[float, ...]] = {}
    for day, group in itertools.groupby(schedule.rows, key=lambda r: r.day):
        rows = list(group)
        eq = sum(r.diazepam_eq_mg for r in rows)
        if previous_eq is not None:
            assert eq <= previous_eq + slack, day
        previous_eq = eq
        for row in rows:
            before = previous.get(row.drug_key)
            rising_new_drug = row.step_number in switch_numbers and row.drug_key == taper_drug.key
            if before is not None and not rising_new_drug:
                assert all(a <= b + TOL for a, b in zip(row.doses_mg, before, strict=True)), day
            previous[row.drug_key] = row.doses_mg


@PROPERTY_SETTINGS
@given(plans())
def test_cuts_follow_the_plan_and_rounding_is_reported(plan: TaperPlan) -> None:
    schedule = schedule_of(plan)
    for step in schedule.steps:
        if step.kind is not StepKind.CUT:
            continue
        assert step.cut_mg > 0  # never a step without a cut
        if plan.reduction.kind is ReductionKind.PERCENT_OF_CURRENT:
            allowed = step.dose_before_mg * plan.reduction.value / 100
        else:
            allowed = plan.reduction.value
        if step.cut_rounded_up:
            assert step.rounding_note and step.cut_mg <= plan.rounding_mg + 1e-6
            # Rounding may make a cut larger only up to 25%, and then the step lasts
            # longer so the pace stays the plan's own (compounded over the step).
            assert step.cut_percent <= 25 + 1e-6
            assert step.interval_days >= plan.interval_days
        else:
            assert step.cut_mg <= allowed + 1e-6  # rounding never cuts more than planned
    # The rate over 14 days compounds: a step of 14 days or more as 1 - ratio^(14/days),
    # shorter steps multiplied with the cuts that follow within the 14 days.
    cuts = [s for s in schedule.steps if s.kind is StepKind.CUT]
    for i, step in enumerate(cuts):
        if step.interval_days >= 14:
            ratio = (step.dose_after_mg / step.dose_before_mg) ** (14 / step.interval_days)
        else:
            ratio, used = 1.0, 0
            for later in cuts[i:]:
                if used >= 14:
                    break
                ratio *= later.dose_after_mg / later.dose_before_mg
                used += later.interval_days
        assert abs(step.effective_rate_percent_per_14_days - 100 * (1 - ratio)) < 1e-6
    cut_rates = [
        s.effective_rate_percent_per_14_days for s in schedule.steps if s.kind is StepKind.CUT
    ]
    assert schedule.summary.largest_effective_rate_percent_per_14_days == max(cut_rates, default=0)
    warned = {
        w.step_number
        for w in schedule.summary.warnings
        if "in 14 days" in w.text or "at once" in w.text
    }
    at_once = plan.style is TaperStyle.CUT_AND_HOLD  # a big cut is not hidden by a long hold
    assert warned == {
        s.number
        for s in schedule.steps
        if s.kind is StepKind.CUT
        and max(s.effective_rate_percent_per_14_days, s.cut_percent if at_once else 0) > 10 + 1e-6
    }


@PROPERTY_SETTINGS
@given(plans())
def test_daily_micro_taper_ends_each_step_where_cut_and_hold_does(plan: TaperPlan) -> None:
    hold = schedule_of(replace(plan, style=TaperStyle.CUT_AND_HOLD))
    daily = schedule_of(replace(plan, style=TaperStyle.DAILY_MICRO))
    assert [(s.start_date, s.doses_after_mg) for s in daily.steps] == [
        (s.start_date, s.doses_after_mg) for s in hold.steps
    ]
    for step in daily.steps:
        if step.kind is StepKind.CUT:
            # The step's last planned (not held) day is at the cut-and-hold dose.
            last = max(r.day for r in daily.rows if r.step_number == step.number and not r.hold)
            assert daily.doses_on(last).total_mg() == step.dose_after_mg


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_fast_step_is_warned_on_its_sheet_and_sheets_state_the_stored_dose(plan) -> None:
    """No step of an accepted plan goes past the ASAM ceiling (25% per 14 days, or at once)
    without a STRONG warning on the sheet of its week; no dose printed differs from the
    dose the schedule holds by more than 0.00005 mg."""
    import re

    from taperdesk.app.lived_plan import new_lived_plan
    from taperdesk.printing.sources import PrintInputs
    from taperdesk.printing.weekly_sheet import sheet_week, week_start

    schedule_of(plan)  # refused or too long plans are not printed
    lived = new_lived_plan(plan, CATALOGUE, START)
    inputs = PrintInputs(lived)
    at_once = plan.style is TaperStyle.CUT_AND_HOLD
    for step in lived.schedule.steps:
        if step.kind is not StepKind.CUT:
            continue
        fast = max(step.effective_rate_percent_per_14_days, step.cut_percent if at_once else 0)
        if fast > 25 + 1e-6:
            week = sheet_week(inputs, week_start(step.start_date))
            assert any(f"Step {step.number} " in text for text in week.warnings), step.number
    for step in lived.schedule.steps[:6]:
        week = sheet_week(inputs, week_start(step.start_date))
        for sheet_day in week.days:
            planned = lived.on(sheet_day.day)
            if planned is None:
                continue
            for label, dose in zip(week.labels, sheet_day.doses, strict=True):
                name = label.split(" · ")[0].lower()
                stated = [float(n) for a in dose.amounts for n in re.findall(r"\d+(?:\.\d+)?", a)]
                exact = [d.dose_mg for d in planned.doses() if d.label.lower() == name]
                exact = [mg for mg in exact if mg > 0] or exact[:1]
                for a, b in zip(stated, exact, strict=True):
                    assert abs(a - b) <= 0.00005 + 1e-12, (sheet_day.day, label, a, b)
