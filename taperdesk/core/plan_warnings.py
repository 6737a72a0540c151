"""Plain-language warnings about a schedule, as data.

Thresholds come from the domain reference, each warning naming the source its
number comes from: ASAM 2025 (and NHS Scotland's "every 2-4 weeks") start with
5-10% of the current dose every 2-4 weeks (caution above 10% per 14 days) and
usually no more than 25% every 2 weeks (strong warning above that); never stop
abruptly (strong warning for a jump to zero from above TaperDesk's own default
final dose, which no guideline states). Texts describe; they never give orders
beyond suggesting a talk with the prescriber.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from taperdesk.core.measure import format_mg, format_number, format_percent

if TYPE_CHECKING:
    from taperdesk.core.drugs import Drug
    from taperdesk.core.plan import TaperPlan
    from taperdesk.core.schedule_steps import Step

#: Above this effective rate (% per 14 days) a step gets a caution.
CAUTION_RATE_PERCENT_PER_14_DAYS = 10.0
#: Above this effective rate (% per 14 days) a step gets a strong warning.
STRONG_RATE_PERCENT_PER_14_DAYS = 25.0
_TOLERANCE = 1e-6
_PRESCRIBER = "Discuss with your prescriber."


class Severity(Enum):
    """How loudly a warning is shown."""

    INFO = "info"
    CAUTION = "caution"
    STRONG = "strong"


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """One warning: how serious, which step (if any) and the sentence to show."""

    severity: Severity
    step_number: int | None
    text: str
    day: dt.date | None = None


def rate_warning(step: Step, all_at_once: bool = False) -> PlanWarning | None:
    """Caution or strong warning for a cut step faster than the guidance.

    The rate is averaged over the step (% per 14 days), so one big cut followed by
    a long hold would hide behind it: with ``all_at_once`` (cut and hold, where the
    whole cut is taken on one day) the size of the cut itself is checked too,
    against the same numbers (about 10% at a time; usually no more than 25%).
    """
    rate = step.effective_rate_percent_per_14_days
    size = step.cut_percent if all_at_once else 0.0
    if max(rate, size) <= CAUTION_RATE_PERCENT_PER_14_DAYS + _TOLERANCE:
        return None
    why = " Rounding to a measurable step made this cut larger." if step.cut_rounded_up else ""
    when = f"Step {step.number} ({step.start_date.isoformat()})"
    by_size = size > rate + _TOLERANCE
    if by_size:
        head = f"{when} cuts {format_percent(size)} of the dose at once"
    else:
        head = f"{when} cuts {format_percent(rate)} in 14 days"
    if max(rate, size) > STRONG_RATE_PERCENT_PER_14_DAYS + _TOLERANCE:
        return PlanWarning(
            Severity.STRONG,
            step.number,
            f"{head}, more than the 25% per 2 weeks the ASAM 2025 guideline gives as the usual "
            f"upper limit.{why} {_PRESCRIBER}",
            step.start_date,
        )
    suggested = (
        "the 5-10% at a time the ASAM 2025 guideline starts with"
        if by_size
        else "the 5-10% every 2-4 weeks of the ASAM 2025 guideline and NHS Scotland"
    )
    return PlanWarning(
        Severity.CAUTION,
        step.number,
        f"{head}, {'more' if by_size else 'faster'} than {suggested}.{why} {_PRESCRIBER}",
        step.start_date,
    )


def jump_warning(step: Step, rule_mg: float, drug_name: str) -> PlanWarning | None:
    """Strong warning when the last step stops from above the final-dose rule."""
    if step.dose_before_mg <= rule_mg + 1e-9:
        return None
    return PlanWarning(
        Severity.STRONG,
        step.number,
        f"Step {step.number} ({step.start_date.isoformat()}) stops from "
        f"{format_mg(step.dose_before_mg, 6)} {drug_name} a day, above TaperDesk's default final "
        f"dose of {format_mg(rule_mg, 6)} (its own rule, not a guideline's: the smaller of 5% of "
        f"the starting dose and the equivalent of 1 mg diazepam; NICE CKS, from the Ashton "
        f"Manual, ends a diazepam taper with 0.5-1 mg steps). ASAM 2025 and FDA labelling say "
        f"never to stop abruptly, because of the risk of seizures. {_PRESCRIBER}",
        step.start_date,
    )


def fixed_cut_warning(plan: TaperPlan, cut_steps: Sequence[Step]) -> PlanWarning | None:
    """Explain, once, that fixed mg cuts grow as a share of a falling dose."""
    fast = [
        s
        for s in cut_steps
        if s.effective_rate_percent_per_14_days > CAUTION_RATE_PERCENT_PER_14_DAYS + _TOLERANCE
    ]
    if not fast:
        return None
    first = fast[0]
    worst = max(fast, key=lambda s: s.effective_rate_percent_per_14_days)
    return PlanWarning(
        Severity.CAUTION,
        first.number,
        f"This plan cuts a fixed {format_mg(plan.reduction.value)} every "
        f"{plan.interval_days} days, so each cut is a bigger share of a smaller dose. From step "
        f"{first.number} ({first.start_date.isoformat()}) the cuts are faster than 10% per "
        f"14 days, "
        f"up to {format_percent(worst.effective_rate_percent_per_14_days)} at step {worst.number}. "
        f"People on fixed cuts often 'hit a wall' near the end; percent-of-current-dose cuts get "
        f"smaller as the dose falls. {_PRESCRIBER}",
        first.start_date,
    )


def crossover_ratio_warning(
    from_drug: Drug, to_drug: Drug, first_stage: Step | None
) -> PlanWarning | None:
    """Caution when a crossover uses a ratio the user changed."""
    changed = [d for d in (from_drug, to_drug) if d.equivalence.is_overridden]
    if not changed:
        return None
    catalogue_to_mg = 1 * to_drug.equivalence.default.mg / from_drug.equivalence.default.mg
    used_to_mg = 1 * to_drug.mg_per_diazepam_10 / from_drug.mg_per_diazepam_10
    return PlanWarning(
        Severity.CAUTION,
        first_stage.number if first_stage else None,
        f"The switch from {from_drug.name} to {to_drug.name} uses a ratio you changed: "
        f"1 mg {from_drug.name} ~ {format_number(used_to_mg)} mg {to_drug.name} (catalogue: "
        f"{format_number(catalogue_to_mg)} mg). Sources disagree on equivalence. {_PRESCRIBER}",
        first_stage.start_date if first_stage else None,
    )


#: A crossover whose rounding changes the day's equivalent dose by more than this
#: share (%) is warned about: the switch itself would then be a cut or a rise.
CROSSOVER_ROUNDING_PERCENT = 2.0


def crossover_rounding_warning(
    exact_mg: float, rounded_mg: float, to_drug: Drug, rounding_mg: float, last_stage: Step
) -> PlanWarning | None:
    """Caution when rounding the switched doses changes the daily dose noticeably."""
    if exact_mg <= 0:
        return None
    change = 100 * (rounded_mg - exact_mg) / exact_mg
    if abs(change) <= CROSSOVER_ROUNDING_PERCENT + _TOLERANCE:
        return None
    direction = "less" if change < 0 else "more"
    # A switch that lands on nothing, or far from the dose before, is itself a big cut or rise.
    big = rounded_mg <= 0 or abs(change) > STRONG_RATE_PERCENT_PER_14_DAYS + _TOLERANCE
    return PlanWarning(
        Severity.STRONG if big else Severity.CAUTION,
        last_stage.number,
        f"After the switch the plan gives {format_mg(rounded_mg, 4)} {to_drug.name} a day, "
        f"{format_percent(abs(change))} {direction} than the equivalent of the dose before "
        f"({format_mg(exact_mg, 4)}), because each dose is rounded to the "
        f"{format_mg(rounding_mg, 4)} step. A finer rounding step keeps the switch even. "
        f"{_PRESCRIBER}",
        last_stage.start_date,
    )


def open_hold_warning(hold_start: dt.date, today: dt.date) -> PlanWarning:
    """Information that an open hold is assumed to end tomorrow."""
    return PlanWarning(
        Severity.INFO,
        None,
        f"On hold since {hold_start.isoformat()}. Dates after {today.isoformat()} assume the "
        f"plan resumes tomorrow.",
        hold_start,
    )


def above_original_start_warning(plan: TaperPlan, drug_name: str) -> PlanWarning | None:
    """Caution when a revision starts above where the taper began (a re-plan from a day of
    higher doses): going back up and down is what holds are for."""
    original = plan.original_start_dose_mg
    same_drug = (plan.original_drug_key or plan.drug_key) == plan.drug_key
    if original is None or not same_drug or plan.start_dose_mg <= original + _TOLERANCE:
        return None
    return PlanWarning(
        Severity.CAUTION,
        None,
        f"This revision starts from {format_mg(plan.start_dose_mg, 4)} {drug_name} a day, above "
        f"the {format_mg(original, 4)} the taper began with. Repeated ups and downs can make "
        f"later withdrawals worse (kindling, the Ashton Manual); FDA labelling suggests "
        f"returning to the previous tapered dose, not above, then going more slowly. "
        f"{_PRESCRIBER}",
        plan.start_date,
    )
