"""Dry (scale) titration: weigh crushed-tablet powder on a milligram scale.

Maths (domain.md, "Dry (scale) titration"): dose = strength x weighed powder /
whole-tablet weight, using the mean of several weighed tablets. Amounts under
about 10x the scale's readability are unreliable (The Withdrawal Project), and
the active ingredient may be unevenly spread in the powder.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from taperdesk.core.dosage_forms import DosageForm, intact_form_problem
from taperdesk.core.measure import clean, format_mg, format_number, format_percent, round_to_step
from taperdesk.core.titration_common import (
    TOLERANCE,
    check_number,
    raise_if_errors,
    tablets_phrase,
    whole_tablet_count,
)

#: Warn when the weighed tablets vary more than this (coefficient of variation, %).
MAX_WEIGHT_CV_PERCENT = 5.0
#: ... or when their range (max - min) is more than this share of the mean, in %.
MAX_WEIGHT_RANGE_PERCENT = 10.0
#: Weighed amounts under this many readabilities are unreliable (The Withdrawal Project).
RELIABLE_READABILITY_MULTIPLE = 10
#: Default scale readability: 0.001 g.
DEFAULT_READABILITY_MG = 1.0

UNIFORMITY_CAVEAT = (
    "The active ingredient may be unevenly spread in the powder: crush finely and mix well, "
    "and expect some variation from day to day."
)


@dataclass(frozen=True)
class ScaleSetup:
    """A tablet strength, the weights of whole tablets, and the scale's readability."""

    tablet_mg: float
    tablet_weights_mg: tuple[float, ...]
    readability_mg: float = DEFAULT_READABILITY_MG
    use_whole_tablets: bool = True
    #: The weighed tablets' form: an extended-release tablet is never crushed or weighed.
    tablet_form: DosageForm = DosageForm.TABLET

    @property
    def mean_weight_mg(self) -> float:
        return statistics.fmean(self.tablet_weights_mg)

    @property
    def dose_step_mg(self) -> float:
        """The dose in one scale reading: strength x readability / tablet weight."""
        return self.tablet_mg * self.readability_mg / self.mean_weight_mg


@dataclass(frozen=True)
class TabletWeightSpread:
    """How much the weighed tablets vary."""

    count: int
    mean_mg: float
    min_mg: float
    max_mg: float
    cv_percent: float | None  # None with a single tablet
    range_percent: float
    warning: str | None

    def describe(self) -> str:
        text = f"Tablet weight: mean {format_mg(self.mean_mg, 2)} of {self.count}"
        if self.count > 1:
            text += (
                f" (min {format_mg(self.min_mg, 2)}, max {format_mg(self.max_mg, 2)}, "
                f"CV {format_percent(self.cv_percent or 0.0, 1)})"
            )
        return text


def weight_spread(weights_mg: Sequence[float]) -> TabletWeightSpread:
    """Mean, range and coefficient of variation of whole-tablet weights, with a warning
    when CV > 5% or the range > 10% of the mean."""
    mean = statistics.fmean(weights_mg)
    low, high = min(weights_mg), max(weights_mg)
    cv = 100.0 * statistics.stdev(weights_mg) / mean if len(weights_mg) > 1 else None
    range_percent = 100.0 * (high - low) / mean
    warning = None
    if (cv is not None and cv > MAX_WEIGHT_CV_PERCENT) or range_percent > MAX_WEIGHT_RANGE_PERCENT:
        warning = (
            f"Your tablets vary a lot in weight (CV {format_percent(cv or 0.0, 1)}, range "
            f"{format_percent(range_percent, 1)} of the mean; warning above "
            f"{format_number(MAX_WEIGHT_CV_PERCENT)}% CV or "
            f"{format_number(MAX_WEIGHT_RANGE_PERCENT)}% "
            "range): weigh more tablets, or crush several together and weigh from the mixed powder."
        )
    return TabletWeightSpread(len(weights_mg), mean, low, high, cv, range_percent, warning)


@dataclass(frozen=True)
class ScaleResult:
    """How much powder to weigh for one dose; amounts after rounding to the scale."""

    setup: ScaleSetup
    target_dose_mg: float
    spread: TabletWeightSpread
    whole_tablet_count: int
    whole_tablet_mg: float
    powder_target_mg: float  # active ingredient the powder must carry
    powder_to_take_mg: float  # weight of powder, rounded to the readability
    delivered_dose_mg: float
    error_mg: float
    error_percent: float
    powder_to_remove_mg: float | None  # alternative: shave this off one whole tablet
    remove_delivered_dose_mg: float | None
    dose_step_mg: float
    instruction: str
    warnings: tuple[str, ...]

    def result_lines(self) -> list[str]:
        """The result as the tab and the command line show it."""
        lines = [self.spread.describe()]
        if self.whole_tablet_count:
            lines.append(
                f"Whole tablets: {tablets_phrase(self.whole_tablet_count, self.setup.tablet_mg)}"
            )
        lines += [
            f"Powder to take: {format_mg(self.powder_to_take_mg, 3)}",
            f"Dose delivered: {format_mg(self.delivered_dose_mg, 4)}"
            f" (target {format_mg(self.target_dose_mg, 4)})",
            f"Error: {format_mg(self.error_mg, 4)} ({format_percent(self.error_percent, 2)})",
        ]
        if self.powder_to_remove_mg is not None and self.remove_delivered_dose_mg is not None:
            lines.append(
                f"Or remove {format_mg(self.powder_to_remove_mg, 3)} of powder from one whole "
                f"tablet ({format_mg(self.remove_delivered_dose_mg, 4)} left)"
            )
        lines.append(
            f"Finest dose step: {format_mg(self.dose_step_mg, 5)}"
            f" (one {format_mg(self.setup.readability_mg, 3)} scale reading)"
        )
        return lines


def validate_scale(setup: ScaleSetup, dose_mg: float) -> dict[str, str]:
    """Field-level problems with a scale setup and a target dose."""
    errors: dict[str, str] = {}
    if problem := intact_form_problem(setup.tablet_form):
        errors["tablet_form"] = problem
    strength_ok = check_number(errors, "tablet_mg", setup.tablet_mg, what="The tablet strength")
    weights = setup.tablet_weights_mg
    weights_ok = True
    if not weights:
        errors["tablet_weights_mg"] = "Weigh at least one whole tablet."
        weights_ok = False
    for weight in weights:
        if not check_number(errors, "tablet_weights_mg", weight, what="Each tablet weight"):
            weights_ok = False
            break
    if strength_ok and weights_ok and min(weights) < setup.tablet_mg - TOLERANCE:
        errors["tablet_weights_mg"] = (
            f"A {format_mg(setup.tablet_mg)} tablet cannot weigh less than "
            f"{format_mg(setup.tablet_mg)}: check the weights (in mg, not g)."
        )
        weights_ok = False
    readability_ok = check_number(
        errors, "readability_mg", setup.readability_mg, what="The scale readability"
    )
    if weights_ok and readability_ok and setup.readability_mg > statistics.fmean(weights):
        errors["readability_mg"] = "The scale's readability is coarser than a whole tablet."
    dose_ok = check_number(errors, "dose_mg", dose_mg, what="The dose")
    too_much = dose_ok and strength_ok and dose_mg > setup.tablet_mg + TOLERANCE
    if too_much and not setup.use_whole_tablets:
        errors["dose_mg"] = (
            f"Without whole tablets the dose cannot be more than one tablet "
            f"({format_mg(setup.tablet_mg)})."
        )
    return errors


def scale_dose(setup: ScaleSetup, dose_mg: float) -> ScaleResult:
    """Powder to weigh (and the remove-from-a-tablet alternative) for ``dose_mg``.

    Whole tablets cover what they can when ``use_whole_tablets``; the powder
    does the rest. Raises :class:`TitrationInputError` for unusable inputs.
    """
    raise_if_errors(validate_scale(setup, dose_mg))
    spread = weight_spread(setup.tablet_weights_mg)
    mean = spread.mean_mg
    whole_count = whole_tablet_count(dose_mg, setup.tablet_mg) if setup.use_whole_tablets else 0
    if not setup.use_whole_tablets and abs(dose_mg - setup.tablet_mg) <= TOLERANCE:
        whole_count = 1
    whole_mg = whole_count * setup.tablet_mg
    powder_target = max(0.0, dose_mg - whole_mg)
    raw_powder_mg = powder_target * mean / setup.tablet_mg
    powder_mg = round_to_step(raw_powder_mg, setup.readability_mg)
    powder_dose = clean(setup.tablet_mg * powder_mg / mean)
    delivered = clean(whole_mg + powder_dose)
    error_mg = clean(delivered - dose_mg)
    error_percent = 100.0 * error_mg / dose_mg

    remove_mg = remove_dose = None
    if powder_target > TOLERANCE:
        remove_mg = round_to_step(mean - raw_powder_mg, setup.readability_mg)
        remove_dose = clean(whole_mg + setup.tablet_mg * (mean - remove_mg) / mean)

    warnings: list[str] = []
    reliable_mg = RELIABLE_READABILITY_MULTIPLE * setup.readability_mg
    if powder_target > TOLERANCE and powder_mg < reliable_mg:
        warnings.append(
            f"{format_mg(powder_mg)} of powder is under {RELIABLE_READABILITY_MULTIPLE}x the "
            f"scale's readability ({format_mg(reliable_mg)}): the reading is unreliable "
            "(The Withdrawal Project). Use a finer scale or liquid titration."
        )
    if remove_mg is not None and remove_mg < reliable_mg:
        warnings.append(
            f"Removing {format_mg(remove_mg)} is under {RELIABLE_READABILITY_MULTIPLE}x the "
            f"scale's readability ({format_mg(reliable_mg)}): that reading is unreliable."
        )
    if spread.warning:
        warnings.append(spread.warning)
    warnings.append(UNIFORMITY_CAVEAT)

    if powder_target <= TOLERANCE:
        instruction = f"Take {tablets_phrase(whole_count, setup.tablet_mg)} whole; no powder needed"
    else:
        instruction = (
            f"Weigh {format_mg(powder_mg)} of powder from crushed "
            f"{format_number(setup.tablet_mg, 4)} mg tablets ({format_mg(powder_dose, 3)})"
        )
        if whole_count:
            instruction = (
                f"Take {tablets_phrase(whole_count, setup.tablet_mg)} whole, and w"
                + instruction[1:]
            )
    return ScaleResult(
        setup=setup,
        target_dose_mg=dose_mg,
        spread=spread,
        whole_tablet_count=whole_count,
        whole_tablet_mg=whole_mg,
        powder_target_mg=powder_target,
        powder_to_take_mg=powder_mg,
        delivered_dose_mg=delivered,
        error_mg=error_mg,
        error_percent=error_percent,
        powder_to_remove_mg=remove_mg,
        remove_delivered_dose_mg=remove_dose,
        dose_step_mg=setup.dose_step_mg,
        instruction=instruction,
        warnings=tuple(warnings),
    )


#: A weighed portion holding more than this many days' doses is asked about (a dose typed
#: 9 for 0.9): powder is weighed for a dose, not stored for days.
PORTION_DAYS_QUESTIONED = 3


def portion_too_large(dose_mg: float, daily_doses_mg: Sequence[float]) -> str | None:
    """A question when the dose to weigh is more than :data:`PORTION_DAYS_QUESTIONED` days
    of the plan's doses; ``None`` otherwise (or without a plan)."""
    days = [d for d in daily_doses_mg[:PORTION_DAYS_QUESTIONED] if d > 0]
    if not days:
        return None
    limit = sum(days) * PORTION_DAYS_QUESTIONED / len(days)
    if dose_mg <= limit + 1e-9:
        return None
    return (
        f"{format_mg(dose_mg, 4)} is more than {PORTION_DAYS_QUESTIONED} days of your planned "
        f"doses ({format_mg(limit, 4)}). Is the dose right?"
    )
