"""The day-by-day schedule of a taper plan.

:func:`build_schedule` turns a :class:`~taperdesk.core.plan.TaperPlan` into
rows (one per day per drug), steps and a summary with warnings. It is pure and
fast (a five-year daily schedule takes a few milliseconds).

How a plan becomes days:

* Optional crossover stages come first: each stage switches one dosing time
  to the new drug at the (possibly overridden) equivalence, lasting
  ``stage_days``; both drugs have rows during the switch.
* Then cut steps of ``interval_days``: each takes ``value``% of the current
  dose (or a fixed mg) off the daily total, proportionally or one dosing time
  at a time. Cut-and-hold takes the cut on the step's first day; a daily micro
  taper spreads it over the step and ends where cut-and-hold would be.
* Rounding: the new total is rounded *up* to the plan's measurable step, so
  rounding never cuts more than planned; if that would leave no cut, the cut is
  one measurable step instead. Either adjustment is recorded in the step's
  ``rounding_note``.
* The step that reaches the final dose (or below) is held for its interval,
  then the next step is zero (the "jump", a single day).
* Held days repeat the last dose and push the rest of the plan later. An open
  hold ("hold from today") lasts until ``today`` and the rest is projected as if
  resumed tomorrow.

The effective rate of a step is its cut as a share of the dose before it,
scaled linearly to 14 days: ``100 * cut / before * 14 / interval_days``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from taperdesk.core.drugs import Drug, DrugCatalogue, convert_dose_mg
from taperdesk.core.measure import clean
from taperdesk.core.plan import ReductionKind, TaperPlan, TaperStyle
from taperdesk.core.plan_warnings import (
    PlanWarning,
    Severity,
    above_original_start_warning,
    crossover_ratio_warning,
    crossover_rounding_warning,
    fixed_cut_warning,
    jump_warning,
    open_hold_warning,
    rate_warning,
)
from taperdesk.core.schedule_steps import (
    FINAL_DOSE_DIAZEPAM_MG,
    FINAL_DOSE_SHARE,
    MAX_SCHEDULE_DAYS,
    DrugDay,
    PlanRefused,
    ScheduleTooLongError,
    Step,
    StepDraft,
    StepKind,
    crossover_drafts,
    drug_day,
    taper_drafts,
)

__all__ = [
    "MAX_SCHEDULE_DAYS",
    "DayRow",
    "NextCut",
    "PlanRefused",
    "PlanWarning",
    "PlannedDose",
    "Schedule",
    "ScheduleSummary",
    "ScheduleTooLongError",
    "Severity",
    "Step",
    "StepKind",
    "build_schedule",
    "final_dose_rule_mg",
]


class DayRow(NamedTuple):
    """One drug on one day. ``doses_mg`` follows :attr:`Schedule.labels`.

    A named tuple rather than a dataclass: schedules hold thousands of rows and
    tuples are several times cheaper to create.
    """

    day: dt.date
    step_number: int  # 0 = before the first step (a hold on the start date)
    drug_key: str
    doses_mg: tuple[float, ...]
    total_mg: float
    diazepam_eq_mg: float
    hold: bool
    is_cut_day: bool
    effective_rate_percent_per_14_days: float


@dataclass(frozen=True, slots=True)
class ScheduleSummary:
    """The plan at a glance.

    ``end_date`` is the first day at zero; ``largest_effective_rate_percent_per_14_days``
    is over cut steps (not the jump, which has its own warning).
    """

    start_date: dt.date
    end_date: dt.date
    duration_days: int
    step_count: int
    cut_step_count: int
    largest_effective_rate_percent_per_14_days: float
    largest_rate_step_number: int | None
    final_dose_mg: float
    final_dose_rule_mg: float
    warnings: tuple[PlanWarning, ...]

    @property
    def strongest_severity(self) -> Severity | None:
        order = [Severity.INFO, Severity.CAUTION, Severity.STRONG]
        if not self.warnings:
            return None
        return max((w.severity for w in self.warnings), key=order.index)


@dataclass(frozen=True, slots=True)
class PlannedDose:
    """What the plan says to take on one day (all drugs), for the Today panel and the diary."""

    day: dt.date
    step_number: int
    hold: bool
    labels: tuple[str, ...]
    rows: tuple[DayRow, ...]

    @property
    def total_diazepam_eq_mg(self) -> float:
        return clean(sum(r.diazepam_eq_mg for r in self.rows))

    def doses_mg_by_label(self, drug_key: str | None = None) -> dict[str, float]:
        """``label -> mg`` for one drug (default: the last drug listed, the one being tapered)."""
        row = self.row_for(drug_key)
        return dict(zip(self.labels, row.doses_mg, strict=True)) if row else {}

    def total_mg(self, drug_key: str | None = None) -> float:
        row = self.row_for(drug_key)
        return row.total_mg if row else 0.0

    def row_for(self, drug_key: str | None = None) -> DayRow | None:
        if drug_key is None:
            return self.rows[-1] if self.rows else None
        return next((r for r in self.rows if r.drug_key == drug_key), None)


@dataclass(frozen=True, slots=True)
class NextCut:
    """The next day the dose goes down, and by how much (mg of ``drug_key``)."""

    day: dt.date
    days_until: int
    step_number: int
    drug_key: str
    cut_mg: float
    dose_after_mg: float


@dataclass(frozen=True)
class Schedule:
    """Rows, steps and summary of a plan, with lookups by date."""

    plan: TaperPlan
    labels: tuple[str, ...]
    drug_keys: tuple[str, ...]
    rows: tuple[DayRow, ...]
    steps: tuple[Step, ...]
    summary: ScheduleSummary
    _days: tuple[dt.date, ...] = field(repr=False, compare=False, default=())
    _first_row: tuple[int, ...] = field(repr=False, compare=False, default=())
    #: The plan's starting doses as a row (step 0): what is taken until the first cut.
    start_row: DayRow | None = field(repr=False, compare=False, default=None)

    @property
    def cut_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.is_cut)

    def rows_for_drug(self, drug_key: str) -> Iterator[DayRow]:
        return (r for r in self.rows if r.drug_key == drug_key)

    def _index(self, day: dt.date) -> int | None:
        i = bisect.bisect_left(self._days, day)
        return i if i < len(self._days) and self._days[i] == day else None

    def rows_on(self, day: dt.date) -> tuple[DayRow, ...]:
        """The rows of ``day`` (one per drug); empty outside the schedule."""
        i = self._index(day)
        if i is None:
            return ()
        stop = self._first_row[i + 1] if i + 1 < len(self._first_row) else len(self.rows)
        return self.rows[self._first_row[i] : stop]

    def doses_on(self, day: dt.date) -> PlannedDose | None:
        """Planned doses for ``day``; ``None`` before the start or after the end date."""
        rows = self.rows_on(day)
        if not rows:
            return None
        return PlannedDose(day, rows[0].step_number, rows[0].hold, self.labels, rows)

    def lead_in_on(self, day: dt.date) -> PlannedDose | None:
        """The starting doses for a day before the first cut, else ``None``.

        A plan starts from the person's current dose, so until its first cut that
        is what it says to take (after "Re-plan from actual", the doses just taken).
        Callers decide from which day this applies (not before the plan existed).
        """
        if self.start_row is None or day >= self.plan.start_date:
            return None
        return PlannedDose(day, 0, False, self.labels, (self.start_row._replace(day=day),))

    def step_on(self, day: dt.date) -> Step | None:
        """The step whose dates contain ``day`` (``None`` outside, or before step 1)."""
        starts = [s.start_date for s in self.steps]
        i = bisect.bisect_right(starts, day) - 1
        if i < 0 or day > self.steps[i].end_date:
            return None
        return self.steps[i]

    def next_cut(self, after: dt.date) -> NextCut | None:
        """The first day after ``after`` on which the dose goes down."""
        i = bisect.bisect_right(self._days, after)
        for k in range(i, len(self._days)):
            start = self._first_row[k]
            row = self.rows[start]
            stop = self._first_row[k + 1] if k + 1 < len(self._first_row) else len(self.rows)
            taper_row = self.rows[stop - 1]
            if row.is_cut_day and taper_row.is_cut_day:
                prev = self.rows_on(row.day - dt.timedelta(days=1))
                before = next(
                    (r.total_mg for r in prev if r.drug_key == taper_row.drug_key),
                    self.plan.start_dose_mg,
                )
                return NextCut(
                    day=row.day,
                    days_until=(row.day - after).days,
                    step_number=row.step_number,
                    drug_key=taper_row.drug_key,
                    cut_mg=clean(before - taper_row.total_mg),
                    dose_after_mg=taper_row.total_mg,
                )
        return None


def final_dose_rule_mg(plan: TaperPlan, catalogue: DrugCatalogue) -> float:
    """The default final dose, in mg of the drug being tapered.

    The smaller of 5% of the starting daily dose (of revision 1, converted to
    the tapered drug) and the dose equivalent to 1 mg diazepam.
    """
    catalogue = catalogue.with_overrides(plan.overrides)
    taper_drug = catalogue.get(plan.taper_drug_key)
    first_drug = catalogue.get(plan.original_drug_key or plan.drug_key)
    first_dose = plan.original_start_dose_mg or plan.start_dose_mg
    start_mg = convert_dose_mg(first_drug, taper_drug, first_dose)
    one_mg_diazepam = FINAL_DOSE_DIAZEPAM_MG * taper_drug.mg_per_diazepam_10 / 10
    return clean(min(FINAL_DOSE_SHARE * start_mg, one_mg_diazepam))


def build_schedule(
    plan: TaperPlan,
    catalogue: DrugCatalogue,
    today: dt.date | None = None,
    *,
    strict: bool = True,
) -> Schedule:
    """Compute every day of ``plan``.

    ``today`` only matters for an open hold (it lasts until ``today``; default:
    the hold's first day). Raises :class:`ScheduleTooLongError` past 20 years,
    ``KeyError`` for a drug missing from ``catalogue``, and :class:`PlanRefused`
    when rounding would make a cut far larger than planned (``strict=False``, for a
    plan already saved, keeps such steps with a strong warning instead).
    """
    catalogue = catalogue.with_overrides(plan.overrides)
    from_drug = catalogue.get(plan.drug_key)
    taper_drug = catalogue.get(plan.taper_drug_key)
    start = tuple(float(t.dose_mg) for t in plan.dosing_times)

    drafts: list[StepDraft] = []
    if plan.crossover is not None:
        drafts, start = crossover_drafts(plan, from_drug, taper_drug)
    rule_mg = final_dose_rule_mg(plan, catalogue)
    final_mg = plan.final_dose_mg if plan.final_dose_mg is not None else rule_mg
    used = sum(d.interval_days for d in drafts)
    drafts += taper_drafts(
        plan, taper_drug, start, final_mg, used, strict=strict, first_number=len(drafts) + 1
    )

    rows, steps, days, first_row = _lay_out(plan, drafts, from_drug, today)
    warnings = _warnings(plan, steps, catalogue, rule_mg, today)
    rated = [s for s in steps if s.kind is StepKind.CUT]
    largest = max(rated, key=lambda s: s.effective_rate_percent_per_14_days, default=None)
    end = steps[-1].start_date
    summary = ScheduleSummary(
        start_date=plan.start_date,
        end_date=end,
        duration_days=(end - plan.start_date).days,
        step_count=len(steps),
        cut_step_count=sum(1 for s in steps if s.is_cut),
        largest_effective_rate_percent_per_14_days=(
            largest.effective_rate_percent_per_14_days if largest else 0.0
        ),
        largest_rate_step_number=largest.number if largest else None,
        final_dose_mg=final_mg,
        final_dose_rule_mg=rule_mg,
        warnings=tuple(warnings),
    )
    keys = (plan.drug_key, taper_drug.key) if plan.crossover else (plan.drug_key,)
    key, doses, total, eq = drug_day(from_drug, tuple(float(t.dose_mg) for t in plan.dosing_times))
    start_row = DayRow(plan.start_date, 0, key, doses, total, eq, False, False, 0.0)
    return Schedule(
        plan, plan.labels, keys, rows, tuple(steps), summary, days, first_row, start_row
    )


def _lay_out(
    plan: TaperPlan, drafts: list[StepDraft], from_drug: Drug, today: dt.date | None
) -> tuple[tuple[DayRow, ...], list[Step], tuple[dt.date, ...], tuple[int, ...]]:
    """Put the drafts on the calendar, inserting held days."""
    holds = [
        (h.start, h.end if h.end is not None else max(h.start, today or h.start))
        for h in plan.holds
    ]
    rows: list[DayRow] = []
    days: list[dt.date] = []
    first_row: list[int] = []
    one_day = dt.timedelta(days=1)
    limit = plan.start_date + dt.timedelta(days=MAX_SCHEDULE_DAYS)
    day = plan.start_date
    last_state: tuple[DrugDay, ...] = (
        drug_day(from_drug, tuple(float(t.dose_mg) for t in plan.dosing_times)),
    )
    last_number, last_rate = 0, 0.0
    starts: list[dt.date] = []
    hold_days = [0] * (len(drafts) + 1)

    def emit(state: tuple[DrugDay, ...], number: int, hold: bool, cut: bool, rate: float) -> None:
        days.append(day)
        first_row.append(len(rows))
        for key, doses, total, eq in state:
            rows.append(DayRow(day, number, key, doses, total, eq, hold, cut, rate))

    for number, draft in enumerate(drafts, start=1):
        for j, state in enumerate(draft.states):
            while holds and any(s <= day <= e for s, e in holds):
                emit(last_state, last_number, True, False, last_rate)
                hold_days[last_number] += 1
                day += one_day
                if day > limit:
                    raise ScheduleTooLongError(
                        "With its holds this plan would run for more than 20 years."
                    )
            if j == 0:
                starts.append(day)
            emit(state, number, False, draft.cut_days[j], draft.rate)
            day += one_day
            last_state, last_number, last_rate = state, number, draft.rate
        if day > limit:
            raise ScheduleTooLongError("This plan would run for more than 20 years.")

    steps = []
    for i, draft in enumerate(drafts):
        end = starts[i + 1] - one_day if i + 1 < len(drafts) else starts[i]
        cut = (
            clean(draft.dose_before_mg - draft.dose_after_mg)
            if draft.kind is not StepKind.SWITCH
            else 0.0
        )
        steps.append(
            Step(
                number=i + 1,
                kind=draft.kind,
                drug_key=draft.drug_key,
                start_date=starts[i],
                end_date=end,
                interval_days=draft.interval_days,
                hold_days=hold_days[i + 1],
                dose_before_mg=draft.dose_before_mg,
                dose_after_mg=draft.dose_after_mg,
                doses_after_mg=draft.doses_after_mg,
                diazepam_eq_after_mg=draft.diazepam_eq_after_mg,
                cut_mg=cut,
                cut_percent=clean(100 * cut / draft.dose_before_mg) if cut else 0.0,
                effective_rate_percent_per_14_days=draft.rate,
                rounding_note=draft.rounding_note,
                cut_rounded_up=draft.cut_rounded_up,
                note=draft.note,
            )
        )
    return tuple(rows), steps, tuple(days), tuple(first_row)


def _warnings(
    plan: TaperPlan,
    steps: list[Step],
    catalogue: DrugCatalogue,
    rule_mg: float,
    today: dt.date | None,
) -> list[PlanWarning]:
    warnings: list[PlanWarning] = []
    above = above_original_start_warning(plan, catalogue.get(plan.drug_key).name.lower())
    if above is not None:
        warnings.append(above)
    hold = plan.open_hold
    if hold is not None:
        warnings.append(open_hold_warning(hold.start, max(hold.start, today or hold.start)))
    if plan.crossover is not None:
        first_stage = next((s for s in steps if s.kind is StepKind.SWITCH), None)
        found = crossover_ratio_warning(
            catalogue.get(plan.drug_key), catalogue.get(plan.taper_drug_key), first_stage
        )
        if found:
            warnings.append(found)
        stages = [s for s in steps if s.kind is StepKind.SWITCH]
        if stages:
            exact = sum(
                convert_dose_mg(
                    catalogue.get(plan.drug_key), catalogue.get(plan.taper_drug_key), t.dose_mg
                )
                for t in plan.dosing_times
            )
            found = crossover_rounding_warning(
                exact,
                stages[-1].dose_after_mg,
                catalogue.get(plan.taper_drug_key),
                plan.rounding_mg,
                stages[-1],
            )
            if found:
                warnings.append(found)
    cut_steps = [s for s in steps if s.kind is StepKind.CUT]
    if plan.reduction.kind is ReductionKind.FIXED_MG:
        found = fixed_cut_warning(plan, cut_steps)
        if found:
            warnings.append(found)
    at_once = plan.style is TaperStyle.CUT_AND_HOLD
    warnings.extend(w for s in cut_steps if (w := rate_warning(s, at_once)) is not None)
    jump = steps[-1]
    found = jump_warning(jump, rule_mg, catalogue.get(jump.drug_key).name)
    if found:
        warnings.append(found)
    return warnings
