"""The schedule engine: worked examples, every plan option, holds, crossover, warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from taperdesk.core.drugs import load_catalogue
from taperdesk.core.plan import (
    Crossover,
    CutOrder,
    DosingTime,
    Hold,
    ReductionModel,
    TaperPlan,
    TaperStyle,
)
from taperdesk.core.schedule import (
    PlanRefused,
    Schedule,
    ScheduleTooLongError,
    Severity,
    StepKind,
    build_schedule,
)

START = dt.date(2027, 1, 4)
CATALOGUE = load_catalogue()
DAY = dt.timedelta(days=1)


def plan_of(
    drug: str = "clonazepam", doses: dict[str, float] | None = None, **changes: object
) -> TaperPlan:
    """A plan starting on START at 10% per 14 days unless ``changes`` say otherwise."""
    values: dict[str, object] = {"reduction": ReductionModel.percent(10), **changes}
    times = tuple(DosingTime(k, v) for k, v in (doses or {"daily": 1}).items())
    return TaperPlan(drug, times, START, **values)  # type: ignore[arg-type]


def build(plan: TaperPlan, **kwargs) -> Schedule:
    return build_schedule(plan, CATALOGUE, **kwargs)


def cut_doses(schedule: Schedule) -> list[float]:
    return [s.dose_after_mg for s in schedule.steps if s.kind is StepKind.CUT]


# --- worked examples from the reference -----------------------------------------------------


def test_ten_percent_series_from_10_mg() -> None:
    schedule = build(plan_of("diazepam", {"daily": 10}, rounding_mg=0.00001))
    expected = [9, 8.1, 7.29, 6.561, 5.9049, 5.3144, 4.783]
    assert cut_doses(schedule)[:7] == pytest.approx(expected, abs=0.0006)
    assert schedule.rows[0].total_mg == 9  # the start date is the day of the first cut


def test_first_clonazepam_cut_is_a_tenth_of_a_milligram() -> None:
    step = build(plan_of()).steps[0]
    assert step.cut_mg == pytest.approx(0.1) and step.dose_after_mg == pytest.approx(0.9)
    assert step.cut_percent == pytest.approx(10)
    assert step.effective_rate_percent_per_14_days == pytest.approx(10)
    assert (step.start_date, step.end_date) == (START, START + 13 * DAY)


def test_clonazepam_duration_is_of_the_order_the_sources_give() -> None:
    # Seed article: 1 mg at ~10% every 2-4 weeks takes ~10-12 months. With the
    # default final dose (0.05 mg) 14-day steps take about 14 months; the band
    # allows for how far down a taper goes before the jump.
    fortnightly = build(plan_of()).summary
    assert 300 <= fortnightly.duration_days <= 460
    assert fortnightly.largest_effective_rate_percent_per_14_days <= 10 + 1e-9
    assert fortnightly.warnings == ()
    monthly = build(plan_of(interval_days=28)).summary
    assert monthly.duration_days == pytest.approx(2 * fortnightly.duration_days, rel=0.05)


@pytest.mark.parametrize(
    ("start_mg", "cut_mg", "weeks_low", "weeks_high"),
    [(40, 2.5, 30, 60), (20, 1, 20, 40)],  # NICE CKS (Ashton-based) durations
)
def test_diazepam_durations_match_nice_cks_bands(
    start_mg: float, cut_mg: float, weeks_low: int, weeks_high: int
) -> None:
    plan = plan_of("diazepam", {"daily": start_mg}, reduction=ReductionModel.fixed_mg(cut_mg))
    summary = build(plan).summary
    assert weeks_low * 7 <= summary.duration_days <= weeks_high * 7
    assert summary.final_dose_rule_mg == 1  # the smaller of 5% and 1 mg diazepam


# --- options ------------------------------------------------------------------------------


def test_fixed_amount_cuts_the_same_mg_and_explains_growing_rates() -> None:
    schedule = build(plan_of(doses={"daily": 1}, reduction=ReductionModel.fixed_mg(0.1)))
    cuts = [s.cut_mg for s in schedule.steps if s.kind is StepKind.CUT]
    assert cuts == pytest.approx([0.1] * len(cuts)) and len(cuts) == 9
    rates = [s.effective_rate_percent_per_14_days for s in schedule.steps if s.is_cut]
    assert rates[:3] == pytest.approx([10, 100 / 9, 12.5])
    fixed = [w for w in schedule.summary.warnings if "fixed" in w.text]
    assert len(fixed) == 1 and fixed[0].step_number == 2
    assert "From step 2 (2027-01-18)" in fixed[0].text
    assert schedule.steps[-1].is_jump and schedule.steps[-1].dose_before_mg == pytest.approx(0.1)


def test_interval_sets_step_length_and_rate_compounds_over_14_days() -> None:
    # Two 10% cuts a week apart leave 0.9 x 0.9 = 81% of the dose: 19% in 14 days (not 20%).
    schedule = build(plan_of(interval_days=7))
    assert schedule.steps[1].start_date == START + 7 * DAY
    assert schedule.steps[0].effective_rate_percent_per_14_days == pytest.approx(19)
    caution = [w for w in schedule.summary.warnings if w.severity is Severity.CAUTION]
    assert caution and "cuts 19% in 14 days" in caution[0].text
    # Each warning names the source its number comes from (ASAM 2025 and NHS Scotland).
    assert "ASAM 2025" in caution[0].text and "NHS Scotland" in caution[0].text
    assert "Ashton" not in caution[0].text and "prescriber" in caution[0].text


def test_strong_warning_above_25_percent_per_14_days() -> None:
    schedule = build(plan_of(reduction=ReductionModel.percent(30)))
    strong = [w for w in schedule.summary.warnings if w.severity is Severity.STRONG]
    assert strong and "ASAM" in strong[0].text and strong[0].step_number == 1
    assert schedule.summary.largest_effective_rate_percent_per_14_days == pytest.approx(30)
    assert schedule.summary.largest_rate_step_number == 1


def test_two_25_percent_cuts_a_week_apart_are_43_75_percent_in_14_days() -> None:
    """The reference's worked example: 0.75 x 0.75 = 56.25% left (ASAM 2025 pace)."""
    schedule = build(
        plan_of(reduction=ReductionModel.percent(25), interval_days=7, rounding_mg=0.0001)
    )
    assert schedule.steps[0].effective_rate_percent_per_14_days == pytest.approx(43.75)
    strong = [w for w in schedule.summary.warnings if w.step_number == 1]
    assert strong and strong[0].severity is Severity.STRONG and "43.8%" in strong[0].text


def test_a_big_single_cut_is_not_hidden_by_a_long_hold() -> None:
    """50% every 70 days is ~12.9% per 14 days, but the whole cut is taken on one day."""
    schedule = build(plan_of(reduction=ReductionModel.percent(50), interval_days=70))
    # 1 - 0.5 ** (14 / 70)
    assert schedule.steps[0].effective_rate_percent_per_14_days == pytest.approx(12.944943670)
    first = [w for w in schedule.summary.warnings if w.step_number == 1]
    assert first and first[0].severity is Severity.STRONG
    assert "cuts 50% of the dose at once" in first[0].text and "ASAM" in first[0].text

    moderate = build(plan_of(reduction=ReductionModel.percent(15), interval_days=28))
    first = [w for w in moderate.summary.warnings if w.step_number == 1]
    assert first and first[0].severity is Severity.CAUTION and "15%" in first[0].text

    # The same 15% spread over every day of 28 (daily micro taper) is 7.5% per 14 days.
    spread = build(
        plan_of(
            reduction=ReductionModel.percent(15), interval_days=28, style=TaperStyle.DAILY_MICRO
        )
    )
    assert not [w for w in spread.summary.warnings if w.step_number == 1]


def test_daily_micro_taper_ends_each_step_where_cut_and_hold_would() -> None:
    hold = build(plan_of(doses={"am": 0.5, "pm": 0.5}))
    daily = build(plan_of(doses={"am": 0.5, "pm": 0.5}, style=TaperStyle.DAILY_MICRO))
    assert [s.dose_after_mg for s in daily.steps] == [s.dose_after_mg for s in hold.steps]
    for step in daily.steps:
        if step.kind is StepKind.CUT:
            last = daily.doses_on(step.end_date)
            assert last is not None and last.total_mg() == pytest.approx(step.dose_after_mg)
    first_days = [daily.doses_on(START + i * DAY).total_mg() for i in range(14)]
    # Each dosing time is rounded up onto the 0.001 mg grid: never ahead of the line.
    assert 1 - 0.1 / 14 <= first_days[0] <= 1 - 0.1 / 14 + 2 * 0.001
    assert first_days == sorted(first_days, reverse=True) and first_days[-1] == 0.9
    assert sum(r.is_cut_day for r in daily.rows[:14]) == 14
    assert sum(r.is_cut_day for r in hold.rows[:14]) == 1


def test_proportional_cuts_share_the_cut_between_dosing_times() -> None:
    schedule = build(plan_of(doses={"morning": 0.25, "night": 0.75}))
    assert schedule.steps[0].doses_after_mg == pytest.approx((0.225, 0.675))


def test_sequential_order_cuts_the_first_dosing_time_to_zero_first() -> None:
    plan = plan_of(
        "diazepam",
        {"morning": 5, "midday": 5, "night": 10},
        reduction=ReductionModel.fixed_mg(2),
        cut_order=CutOrder(("midday", "morning")),
    )
    doses = [s.doses_after_mg for s in build(plan).steps]
    assert doses[:6] == [(5, 3, 10), (5, 1, 10), (4, 0, 10), (2, 0, 10), (0, 0, 10), (0, 0, 8)]


def test_rounding_up_keeps_the_cut_within_the_plan_and_says_so() -> None:
    schedule = build(plan_of(rounding_mg=0.01))
    step = schedule.steps[2]  # 0.81 -> 0.729 planned, 0.73 measurable
    assert step.dose_after_mg == pytest.approx(0.73)
    assert step.rounding_note and "Rounded up to 0.73 mg" in step.rounding_note
    assert not step.cut_rounded_up
    cuts = [s for s in schedule.steps if s.kind is StepKind.CUT]
    assert all(s.cut_percent <= 10 + 1e-9 for s in cuts if not s.cut_rounded_up)
    # Near the end a tenth is less than 0.01 mg: those cuts are one step, and say so.
    assert all(
        s.rounding_note and s.cut_mg == pytest.approx(0.01) for s in cuts if s.cut_rounded_up
    )


def test_rounding_that_makes_a_cut_far_larger_is_refused_naming_the_step() -> None:
    # 10% of 1 mg is 0.1 mg, less than one 0.25 mg step: rounding forces 25%, 33%, 50% and a
    # stop. Waiting longer does not make a 33% cut small: the plan is refused at step 2.
    with pytest.raises(PlanRefused) as refused:
        build(plan_of(rounding_mg=0.25))
    assert refused.value.step_number == 2
    assert "Step 2" in str(refused.value) and "33.3% at once" in str(refused.value)
    assert "liquid or a milligram scale" in str(refused.value)


def test_a_rounded_cut_up_to_25_percent_lasts_longer_to_keep_the_pace() -> None:
    # Saved by an older version: shown as saved, the too-large cuts strongly warned.
    schedule = build(plan_of(rounding_mg=0.25), strict=False)
    assert cut_doses(schedule) == [0.75, 0.5, 0.25]
    assert all(s.cut_mg > 0 for s in schedule.steps)
    step = schedule.steps[0]
    # 25% instead of 10%: ln(0.75) / ln(0.9) x 14 days = 38.2 -> 39 days, ~9.8% per 14 days.
    assert step.cut_rounded_up and step.interval_days == 39
    assert "lasts 39 days instead of 14" in step.rounding_note
    assert step.effective_rate_percent_per_14_days <= 10
    warnings = schedule.summary.warnings
    assert any(
        w.step_number == 2 and w.severity is Severity.STRONG and "Rounding" in w.text
        for w in warnings
    )


def test_final_dose_jump_is_a_single_day_at_zero() -> None:
    schedule = build(plan_of(final_dose_mg=0.3))
    jump = schedule.steps[-1]
    before = schedule.steps[-2]
    assert before.dose_after_mg <= 0.3 < before.dose_before_mg
    assert jump.is_jump and jump.start_date == jump.end_date == schedule.summary.end_date
    assert schedule.rows[-1].total_mg == 0 and schedule.rows[-1].day == jump.start_date
    strong = [w for w in schedule.summary.warnings if w.step_number == jump.number]
    assert strong[0].severity is Severity.STRONG and "never to stop abruptly" in strong[0].text


def test_default_final_dose_rule() -> None:
    # 5% of 1 mg clonazepam = 0.05 mg; 1 mg diazepam = 0.05 mg clonazepam.
    assert build(plan_of()).summary.final_dose_rule_mg == pytest.approx(0.05)
    # 5% of 10 mg diazepam = 0.5 mg < 1 mg diazepam.
    assert build(plan_of("diazepam", {"d": 10})).summary.final_dose_rule_mg == 0.5
    # 40 mg diazepam: 2 mg vs 1 mg -> 1 mg.
    assert build(plan_of("diazepam", {"d": 40})).summary.final_dose_rule_mg == 1
    last_cut = [s for s in build(plan_of()).steps if s.kind is StepKind.CUT][-1]
    assert last_cut.dose_after_mg <= 0.05 < last_cut.dose_before_mg


def test_holds_move_the_rest_of_the_plan_later() -> None:
    plain = build(plan_of())
    hold = Hold(dt.date(2027, 1, 20), dt.date(2027, 1, 29))  # inside step 2, 10 days
    held = build(plan_of(holds=(hold,)))
    assert held.summary.end_date == plain.summary.end_date + 10 * DAY
    held_rows = [r for r in held.rows if r.hold]
    assert len(held_rows) == 10 and all(r.step_number == 2 for r in held_rows)
    assert all(r.total_mg == pytest.approx(0.81) for r in held_rows)
    assert held.steps[1].hold_days == 10
    assert held.steps[2].start_date == plain.steps[2].start_date + 10 * DAY
    assert held.step_on(dt.date(2027, 1, 25)).number == 2


def test_hold_on_the_start_date_delays_the_first_cut() -> None:
    held = build(plan_of(holds=(Hold(START, START + 2 * DAY),)))
    assert [r.total_mg for r in held.rows[:4]] == [1, 1, 1, 0.9]
    assert held.rows[0].step_number == 0 and held.steps[0].start_date == START + 3 * DAY
    assert held.step_on(START) is None


def test_too_long_plans_are_refused() -> None:
    plan = plan_of("diazepam", {"d": 40}, reduction=ReductionModel.percent(0.5), interval_days=60)
    with pytest.raises(ScheduleTooLongError, match="more than 20 years"):
        build(plan)
    with pytest.raises(ScheduleTooLongError):
        build(plan_of(holds=(Hold(START + DAY, START + 7400 * DAY),)))


# --- crossover ------------------------------------------------------------------------------


def lorazepam_crossover(**changes) -> TaperPlan:
    return plan_of(
        "lorazepam",
        {"morning": 1, "night": 1},
        reduction=ReductionModel.fixed_mg(1),
        cut_order=CutOrder(("morning", "night")),
        crossover=Crossover("diazepam", ("night", "morning"), 7),
        **changes,
    )


def test_crossover_switches_one_dosing_time_per_stage() -> None:
    schedule = build(lorazepam_crossover())
    switch = [s for s in schedule.steps if s.kind is StepKind.SWITCH]
    assert [s.doses_after_mg for s in switch] == [(0, 10), (10, 10)]
    assert switch[0].note == "Night dose switched: 1 mg Lorazepam to 10 mg Diazepam."
    assert [s.start_date for s in switch] == [START, START + 7 * DAY]
    day_one = schedule.doses_on(START)
    assert [r.drug_key for r in day_one.rows] == ["lorazepam", "diazepam"]
    assert day_one.doses_mg_by_label("lorazepam") == {"morning": 1, "night": 0}
    assert day_one.doses_mg_by_label() == {"morning": 0, "night": 10}
    assert day_one.total_diazepam_eq_mg == 20
    # Then the taper continues in diazepam, a fixed 1 mg of diazepam per step.
    first_cut = schedule.steps[2]
    assert first_cut.kind is StepKind.CUT and first_cut.drug_key == "diazepam"
    assert first_cut.start_date == START + 14 * DAY
    assert (first_cut.dose_before_mg, first_cut.dose_after_mg) == (20, 19)
    assert first_cut.doses_after_mg == (9, 10)
    assert schedule.drug_keys == ("lorazepam", "diazepam")
    assert not any(
        r.drug_key == "lorazepam" for r in schedule.rows if r.day >= first_cut.start_date
    )
    assert not any("ratio you changed" in w.text for w in schedule.summary.warnings)


def test_crossover_uses_an_overridden_ratio_and_warns() -> None:
    plan = lorazepam_crossover(equivalence_overrides=(("lorazepam", 0.5),))
    schedule = build(plan)
    assert schedule.steps[1].doses_after_mg == (20, 20)
    ratio = [w for w in schedule.summary.warnings if "ratio you changed" in w.text]
    assert ratio and "1 mg Lorazepam ~ 20 mg Diazepam (catalogue: 10 mg)" in ratio[0].text
    # A catalogue-level override is a changed ratio too.
    changed = build_schedule(lorazepam_crossover(), CATALOGUE.with_override("diazepam", 5))
    assert changed.steps[0].doses_after_mg == (0, 5)
    assert any("ratio you changed" in w.text for w in changed.summary.warnings)


# --- lookups --------------------------------------------------------------------------------


def test_lookups_for_the_today_panel() -> None:
    schedule = build(plan_of(doses={"morning": 0.5, "night": 0.5}))
    today = START + 20 * DAY
    planned = schedule.doses_on(today)
    assert planned.step_number == 2 and not planned.hold
    assert planned.doses_mg_by_label() == {"morning": 0.405, "night": 0.405}
    assert planned.total_mg() == pytest.approx(0.81)
    assert schedule.step_on(today).number == 2
    nxt = schedule.next_cut(today)
    assert nxt.day == START + 28 * DAY and nxt.days_until == 8 and nxt.step_number == 3
    assert nxt.cut_mg == pytest.approx(0.081) and nxt.dose_after_mg == pytest.approx(0.729)
    assert schedule.doses_on(START - DAY) is None
    assert schedule.doses_on(schedule.summary.end_date + DAY) is None
    assert schedule.next_cut(schedule.summary.end_date) is None
    assert schedule.next_cut(START - DAY).day == START


def test_summary_counts_and_dates() -> None:
    schedule = build(plan_of())
    summary = schedule.summary
    assert summary.step_count == len(schedule.steps) == summary.cut_step_count
    assert summary.start_date == START and summary.end_date == schedule.rows[-1].day
    assert summary.duration_days == (summary.end_date - START).days
    assert summary.strongest_severity is None
    assert replace(plan_of(), interval_days=7) != plan_of()


def test_a_crossover_rounded_to_a_coarse_step_says_what_rounding_did() -> None:
    """36 mg oxazepam is 18 mg diazepam; doses rounded to 5 mg make 15 mg (-16.7%)."""
    plan = TaperPlan(
        drug_key="oxazepam",
        dosing_times=(DosingTime("a", 12), DosingTime("b", 12), DosingTime("c", 12)),
        start_date=START,
        reduction=ReductionModel.percent(10),
        rounding_mg=5,
        crossover=Crossover("diazepam", (), 7),
    )
    schedule = build(plan, strict=False)  # 5 mg steps would be refused near the end
    stages = [s for s in schedule.steps if s.kind is StepKind.SWITCH]
    assert stages[-1].dose_after_mg == 15
    assert "(6 mg by the equivalence, rounded to the 5 mg step)" in (stages[0].note or "")
    found = [w for w in schedule.summary.warnings if "After the switch" in w.text]
    assert found and found[0].severity is Severity.CAUTION
    assert "16.7% less" in found[0].text and "18 mg" in found[0].text
    exact = build(replace(plan, rounding_mg=0.5), strict=False)
    assert not [w for w in exact.summary.warnings if "After the switch" in w.text]
    # Doubling the dose at the switch (0.25 mg clonazepam = 5 mg diazepam -> 10 mg) is strong.
    doubled = build(
        TaperPlan(
            drug_key="clonazepam",
            dosing_times=(DosingTime("night", 0.25),),
            start_date=START,
            reduction=ReductionModel.percent(10),
            rounding_mg=10,
            crossover=Crossover("diazepam", (), 7),
        ),
        strict=False,
    )
    found = [w for w in doubled.summary.warnings if "After the switch" in w.text]
    assert found and found[0].severity is Severity.STRONG and "100% more" in found[0].text


def test_a_revision_above_where_the_taper_began_is_noted() -> None:
    from taperdesk.core.plan import replan_from_actual

    plan = plan_of(doses={"daily": 1})
    higher = replan_from_actual(plan, START, {"daily": 1.2})
    found = [w for w in build(higher).summary.warnings if "above the 1 mg" in w.text]
    assert found and found[0].severity is Severity.CAUTION and "kindling" in found[0].text
    lower = replan_from_actual(plan, START, {"daily": 0.9})
    assert not [w for w in build(lower).summary.warnings if "taper began" in w.text]


def test_the_stop_row_is_a_stop_not_a_rate(tmp_path) -> None:
    import io

    from taperdesk.app.lived_plan import new_lived_plan
    from taperdesk.commands.schedule import write_table

    out = io.StringIO()
    write_table(new_lived_plan(plan_of(interval_days=28), CATALOGUE, START), out)
    last = [line for line in out.getvalue().splitlines() if line[:1].isdigit()][-1]
    assert last.rstrip().endswith("stop") and "50%" not in last
