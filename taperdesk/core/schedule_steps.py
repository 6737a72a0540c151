"""Building blocks of a schedule: the steps of a plan before they get dates.

:mod:`taperdesk.core.schedule` puts these drafts on the calendar (holds,
lookups, summary). Here: the size of each cut and its rounding, how a cut is
shared among dosing times, daily micro-taper days, and crossover stages.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import Enum

from taperdesk.core.drugs import Drug, convert_dose_mg
from taperdesk.core.measure import (
    EPSILON,
    RoundingMode,
    clean,
    decimals_for_step,
    distribute_on_grid,
    first_upper,
    format_mg,
    format_percent,
    round_many_to_step,
    round_to_step,
)
from taperdesk.core.plan import ReductionKind, TaperPlan, TaperStyle

#: Longest schedule built (20 years); longer plans are refused.
MAX_SCHEDULE_DAYS = 20 * 365 + 5
#: Days the effective rate is expressed over.
RATE_WINDOW_DAYS = 14
#: Final-dose rule: share of the starting dose ...
FINAL_DOSE_SHARE = 0.05
#: ... or this much diazepam-equivalent, whichever is smaller.
FINAL_DOSE_DIAZEPAM_MG = 1.0


class ScheduleTooLongError(ValueError):
    """The plan would run past :data:`MAX_SCHEDULE_DAYS`."""


#: A cut that rounding makes larger than planned is refused above this share (%): waiting
#: longer does not make a large single cut small (ASAM 2025: usually no more than 25% per
#: two weeks).
MAX_ROUNDED_CUT_PERCENT = 25.0


class PlanRefused(ValueError):
    """Rounding to the measuring step would make a cut far larger than planned, or stop the
    plan from above its final dose: the plan is refused, naming the step and what to do."""

    def __init__(self, step_number: int, message: str) -> None:
        super().__init__(message)
        self.step_number = step_number


class StepKind(Enum):
    """What a step does."""

    SWITCH = "switch"  # a crossover stage: one dosing time moves to the new drug
    CUT = "cut"  # a reduction
    JUMP = "jump"  # the final step to zero


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the plan, in mg of ``drug_key`` (the new drug for a switch stage).

    ``start_date``..``end_date`` include any hold days in or right after it.
    For a switch stage the "dose" is the new drug's total (it rises) and the
    cut is zero. ``interval_days`` is the planned length, without holds.
    """

    number: int
    kind: StepKind
    drug_key: str
    start_date: dt.date
    end_date: dt.date
    interval_days: int
    hold_days: int
    dose_before_mg: float
    dose_after_mg: float
    doses_after_mg: tuple[float, ...]
    diazepam_eq_after_mg: float
    cut_mg: float
    cut_percent: float
    effective_rate_percent_per_14_days: float
    rounding_note: str | None = None
    cut_rounded_up: bool = False
    note: str | None = None

    @property
    def is_jump(self) -> bool:
        return self.kind is StepKind.JUMP

    @property
    def is_cut(self) -> bool:
        """A reduction step, including the jump to zero."""
        return self.kind is not StepKind.SWITCH


#: One day's state: ``(drug_key, doses by label, total mg, diazepam-eq mg)`` per drug.
DrugDay = tuple[str, tuple[float, ...], float, float]


@dataclass(slots=True)
class StepDraft:
    """A step before it has dates: its per-day states and cut-day flags."""

    kind: StepKind
    drug_key: str
    states: list[tuple[DrugDay, ...]]
    cut_days: list[bool]
    dose_before_mg: float
    dose_after_mg: float
    doses_after_mg: tuple[float, ...]
    diazepam_eq_after_mg: float
    interval_days: int
    rate: float = 0.0
    rounding_note: str | None = None
    cut_rounded_up: bool = False
    note: str | None = None


def _eq(drug: Drug, total_mg: float) -> float:
    return clean(total_mg * 10 / drug.mg_per_diazepam_10)


def drug_day(drug: Drug, doses: tuple[float, ...]) -> DrugDay:
    total = clean(math.fsum(doses))
    return (drug.key, doses, total, _eq(drug, total))


def compounded_rate_percent(ratios_and_days: list[tuple[float, int]]) -> float:
    """The share (%) of the dose cut over :data:`RATE_WINDOW_DAYS` days from a step's start.

    ``ratios_and_days`` are ``(dose after / dose before, interval days)`` of the step and
    the steps after it. Cuts that fall inside the window multiply (two 25% cuts a week
    apart leave 0.75 x 0.75 = 56.25%, a 43.75% cut); a step of 14 days or more counts
    as ``1 - ratio ** (14 / interval)``.
    """
    ratio, days = ratios_and_days[0]
    if days >= RATE_WINDOW_DAYS:
        return clean(100 * (1 - ratio ** (RATE_WINDOW_DAYS / days)))
    product, used = 1.0, 0
    for step_ratio, step_days in ratios_and_days:
        if used >= RATE_WINDOW_DAYS:
            break
        product *= step_ratio
        used += step_days
    return clean(100 * (1 - product))


def _target(plan: TaperPlan, before_mg: float) -> float:
    """The total after one cut as the plan asks it, before rounding."""
    if plan.reduction.kind is ReductionKind.PERCENT_OF_CURRENT:
        return before_mg * (1 - plan.reduction.value / 100)
    return before_mg - plan.reduction.value


def _new_total(plan: TaperPlan, before_mg: float) -> tuple[float, str | None, bool]:
    """The rounded total after one cut, a note on any rounding, and whether the cut grew."""
    step_mg = plan.rounding_mg
    target = _target(plan, before_mg)
    if target <= EPSILON:
        return 0.0, None, False
    decimals = max(3, decimals_for_step(step_mg) + 1)
    new = round_to_step(target, step_mg, RoundingMode.UP)
    if new >= before_mg - EPSILON:
        below = round_to_step(before_mg, step_mg, RoundingMode.DOWN)
        if below >= before_mg - EPSILON:
            below = clean(below - step_mg)
        new = max(below, 0.0)
        return (
            new,
            f"The planned cut ({format_mg(before_mg - target, decimals)}) is smaller than one "
            f"measurable step ({format_mg(step_mg, decimals)}), so this step cuts "
            f"{format_mg(before_mg - new, decimals)} instead.",
            True,
        )
    if abs(new - target) > EPSILON:
        return (
            new,
            f"Rounded up to {format_mg(new, decimals)} (planned {format_mg(target, decimals)}) to "
            f"whole {format_mg(step_mg, decimals)} steps, so the cut is "
            f"{format_mg(before_mg - new, decimals)}, not more than planned.",
            False,
        )
    return new, None, False


def _split(
    plan: TaperPlan, before: tuple[float, ...], new_total: float, order: tuple[int, ...]
) -> tuple[float, ...]:
    """Share ``new_total`` among the dosing times (proportionally or in cut order)."""
    if new_total <= EPSILON:
        return tuple(0.0 for _ in before)
    if order:  # one dosing time at a time
        remaining = math.fsum(before) - new_total
        after = list(before)
        for i in order:
            take = min(after[i], remaining)
            after[i] = clean(after[i] - take)
            remaining -= take
            if remaining <= EPSILON:
                break
        return tuple(after)
    total = math.fsum(before)
    targets = [b * new_total / total for b in before]
    return tuple(distribute_on_grid(targets, new_total, plan.rounding_mg, caps=list(before)))


def _cut_states(
    plan: TaperPlan,
    drug: Drug,
    before: tuple[float, ...],
    after: tuple[float, ...],
    length: int,
) -> tuple[list[tuple[DrugDay, ...]], list[bool]]:
    """Per-day states of one cut step of ``length`` days in the plan's style."""
    if plan.style is TaperStyle.CUT_AND_HOLD:
        state = (drug_day(drug, after),)
        return [state] * length, [True] + [False] * (length - 1)
    # Per dosing time: the straight line from before to after, rounded up onto
    # the measurable grid (never below the line, never above the dose before).
    columns = []
    for b, a in zip(before, after, strict=True):
        line = [b + (a - b) * j / length for j in range(1, length)]
        column = [min(v, b) for v in round_many_to_step(line, plan.rounding_mg, RoundingMode.UP)]
        column.append(a)
        columns.append(column)
    states: list[tuple[DrugDay, ...]] = []
    cuts: list[bool] = []
    previous = math.fsum(before)
    key, per_mg = drug.key, 10 / drug.mg_per_diazepam_10
    for doses in zip(*columns, strict=True):
        total = clean(sum(doses))
        states.append(((key, doses, total, clean(total * per_mg)),))
        cuts.append(total < previous - EPSILON)
        previous = total
    return states, cuts


def crossover_drafts(
    plan: TaperPlan, from_drug: Drug, to_drug: Drug
) -> tuple[list[StepDraft], tuple[float, ...]]:
    """Switch stages, and the new drug's doses once every dosing time is switched."""
    assert plan.crossover is not None
    labels = plan.labels
    order = plan.crossover.swap_order or labels
    order = (*order, *(lb for lb in labels if lb not in order))
    start = tuple(float(t.dose_mg) for t in plan.dosing_times)
    exact = tuple(convert_dose_mg(from_drug, to_drug, d) for d in start)
    converted = tuple(round_to_step(d, plan.rounding_mg) for d in exact)
    drafts: list[StepDraft] = []
    moved: dict[str, int] = {}  # parts of each dosing time already on the new drug
    parts = plan.crossover.parts
    to_before = 0.0
    for label in order:
        i = labels.index(label)
        for part in range(1, parts + 1):
            moved[label] = part

            def old_mg(lb: str, d: float) -> float:
                return clean(d * (1 - moved.get(lb, 0) / parts))

            def new_mg(lb: str, c: float, e: float) -> float:
                share = moved.get(lb, 0)
                if share == parts:
                    return c
                return round_to_step(e * share / parts, plan.rounding_mg) if share else 0.0

            old = tuple(old_mg(lb, d) for lb, d in zip(labels, start, strict=True))
            new = tuple(new_mg(lb, c, e) for lb, c, e in zip(labels, converted, exact, strict=True))
            state = (drug_day(from_drug, old), drug_day(to_drug, new))
            if parts == 1:
                note = (
                    f"{first_upper(label)} dose switched: {format_mg(start[i])} "
                    f"{from_drug.name} to {format_mg(converted[i])} {to_drug.name}"
                )
            else:
                note = (
                    f"{first_upper(label)} dose, part {part} of {parts}: "
                    f"{format_mg(old[i], 4)} {from_drug.name} + {format_mg(new[i], 4)} "
                    f"{to_drug.name}"
                )
            exact_part = exact[i] * part / parts
            note += (
                f" ({format_mg(exact_part, 4)} by the equivalence, rounded to the "
                f"{format_mg(plan.rounding_mg, 4)} step)."
                if abs(new[i] - exact_part) > 1e-9
                else "."
            )
            drafts.append(
                StepDraft(
                    kind=StepKind.SWITCH,
                    drug_key=to_drug.key,
                    states=[state] * plan.crossover.stage_days,
                    cut_days=[False] * plan.crossover.stage_days,
                    dose_before_mg=to_before,
                    dose_after_mg=state[1][2],
                    doses_after_mg=new,
                    diazepam_eq_after_mg=clean(state[0][3] + state[1][3]),
                    interval_days=plan.crossover.stage_days,
                    note=note,
                )
            )
            to_before = state[1][2]
    return drafts, converted


def _keep_pace(
    plan: TaperPlan, number: int, before_mg: float, after_mg: float, final_mg: float
) -> tuple[int, str | None]:
    """The length of a step whose cut rounding made larger than planned, and its note.

    A rounded cut of at most :data:`MAX_ROUNDED_CUT_PERCENT` lasts longer, so the step
    keeps the plan's own pace; a larger one, or a stop from above the final dose, is
    refused (:class:`PlanRefused`): waiting longer does not make a large cut small.
    """
    step_mg = format_mg(plan.rounding_mg, 4)
    finer = "Choose a finer way to measure (a liquid or a milligram scale gives smaller steps)"
    if after_mg <= EPSILON:
        if before_mg > final_mg + EPSILON:
            raise PlanRefused(
                number,
                f"Step {number}: rounding to whole {step_mg} steps would stop the plan from "
                f"{format_mg(before_mg, 4)} a day, above its final dose of "
                f"{format_mg(final_mg, 4)}. {finer}, or a final dose of at least "
                f"{format_mg(before_mg, 4)} if that is what you and your prescriber chose.",
            )
        return plan.interval_days, None
    cut = 1 - after_mg / before_mg
    planned = 1 - _target(plan, before_mg) / before_mg
    if 100 * cut > MAX_ROUNDED_CUT_PERCENT + 1e-9:
        raise PlanRefused(
            number,
            f"Step {number}: rounding to whole {step_mg} steps would cut "
            f"{format_percent(100 * cut)} at once ({format_mg(before_mg, 4)} to "
            f"{format_mg(after_mg, 4)}), not the {format_percent(100 * planned)} planned. "
            f"{finer}.",
        )
    if planned <= 0 or planned >= cut:
        return plan.interval_days, None
    days = math.ceil(plan.interval_days * math.log(1 - cut) / math.log(1 - planned) - 1e-9)
    days = max(plan.interval_days, days)
    return days, (
        f"Rounding to whole {step_mg} steps makes this cut {format_percent(100 * cut)} "
        f"(planned {format_percent(100 * planned)}), so the step lasts {days} days instead of "
        f"{plan.interval_days} to keep the plan's pace."
    )


def taper_drafts(
    plan: TaperPlan,
    drug: Drug,
    start: tuple[float, ...],
    final_mg: float,
    days_used: int,
    strict: bool = True,
    first_number: int = 1,
) -> list[StepDraft]:
    """Cut steps from ``start`` down to the final dose, then the jump to zero.

    With ``strict`` a cut that rounding makes too large raises :class:`PlanRefused`;
    without it (a plan saved by an older version) the step is kept as it is and its
    note says so, for the strong warning.
    """
    labels = plan.labels
    seq = plan.cut_order.sequence
    order = (
        tuple(labels.index(lb) for lb in (*seq, *(lb for lb in labels if lb not in seq)))
        if seq
        else ()
    )
    drafts: list[StepDraft] = []
    before = start
    while True:
        number = first_number + len(drafts)
        before_total = clean(math.fsum(before))
        if before_total <= final_mg + EPSILON:
            new_total, note, grew = 0.0, None, False
        else:
            new_total, note, grew = _new_total(plan, before_total)
        after = _split(plan, before, new_total, order)
        after_total = clean(math.fsum(after))
        length = plan.interval_days
        if grew:
            try:
                length, pace_note = _keep_pace(plan, number, before_total, after_total, final_mg)
            except PlanRefused as refused:
                if strict:
                    raise
                length, pace_note = plan.interval_days, f"{refused} (kept as saved)"
            note = pace_note or note
        if after_total <= EPSILON:
            zero = (drug_day(drug, after),)
            drafts.append(
                StepDraft(
                    StepKind.JUMP, drug.key, [zero], [True], before_total, 0.0, after, 0.0, 1,
                    rate=100.0, rounding_note=note, cut_rounded_up=grew,
                    note=f"Stop: {format_mg(before_total, 4)} to 0 mg.",
                )
            )  # fmt: skip
            break
        states, cuts = _cut_states(plan, drug, before, after, length)
        drafts.append(
            StepDraft(
                StepKind.CUT, drug.key, states, cuts, before_total, after_total, after,
                _eq(drug, after_total), length,
                rounding_note=note, cut_rounded_up=grew,
            )
        )  # fmt: skip
        days_used += length
        if days_used > MAX_SCHEDULE_DAYS:
            raise ScheduleTooLongError(
                "This plan would run for more than 20 years. Choose a larger cut, a shorter "
                "interval or a higher final dose."
            )
        before = after
    # Each cut's rate over 14 days, compounded with the cuts that follow inside the window
    # (the stop has a warning of its own and is left out of the windows).
    cuts_only = [d for d in drafts if d.kind is StepKind.CUT]
    ratios = [(d.dose_after_mg / d.dose_before_mg, d.interval_days) for d in cuts_only]
    for i, draft in enumerate(cuts_only):
        draft.rate = compounded_rate_percent(ratios[i:])
    return drafts
