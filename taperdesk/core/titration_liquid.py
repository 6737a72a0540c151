"""Liquid titration: tablets suspended in liquid (or a commercial liquid).

Maths (domain.md, "Liquid titration"): concentration = tablets x strength /
volume; the volume to take is the liquid part of the dose / concentration,
rounded to the measuring device's graduation; the finest dose step the setup
allows is concentration x graduation. Whole tablets can cover part of the dose
(1.87 mg = one 1 mg tablet whole + 0.87 mg from the liquid).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum

from taperdesk.core.dosage_forms import DosageForm, intact_form_problem
from taperdesk.core.measure import (
    clean,
    decimals_for_step,
    format_mg,
    format_ml,
    format_number,
    format_percent,
    round_to_step,
)
from taperdesk.core.titration_common import (
    TOLERANCE,
    check_number,
    raise_if_errors,
    tablets_phrase,
    whole_tablet_count,
)

#: Shown with every liquid result (domain.md, "Liquid titration").
LIQUID_NOTES: tuple[str, ...] = (
    "Benzodiazepine tablets barely dissolve: the mix is a suspension. Shake or stir it "
    "before every measurement.",
    "Make it fresh: keep it at most 1-2 days, in the fridge.",
    "Use water or full-fat milk as the carrier (or a suspending agent from a pharmacy).",
)

#: Notes for a manufactured oral solution or concentrate (not a home-made suspension).
COMMERCIAL_LIQUID_NOTES: tuple[str, ...] = (
    "A manufactured liquid: check its strength (mg per mL) on the bottle; it differs by "
    "country and brand.",
    "Keep and discard it as its leaflet says; measure with the oral syringe, not a spoon.",
)

#: Mixing volumes a person would reasonably prepare, in mL.
MIX_VOLUME_CHOICES_ML: tuple[float, ...] = (10, 20, 25, 50, 100, 200)

#: Error (in % of the dose) above which a result carries a warning.
LARGE_ERROR_PERCENT = 5.0


class WholeTablets(Enum):
    """Whether whole tablets cover part of the dose, with the liquid doing the rest."""

    AUTO = "auto"  # as many whole tablets as fit under the dose
    NONE = "none"  # everything from the liquid


@dataclass(frozen=True)
class LiquidMix:
    """A liquid the user prepares or owns, and the device they measure it with.

    Either ``tablet_mg`` and ``tablet_count`` (tablets suspended in
    ``volume_ml`` of water or milk) or ``liquid_mg_per_ml`` (a commercial
    liquid; ``volume_ml`` is then how much of it there is) must be given.
    """

    volume_ml: float
    graduation_ml: float = 0.1
    tablet_mg: float | None = None
    tablet_count: int | None = None
    liquid_mg_per_ml: float | None = None
    whole_tablets: WholeTablets = WholeTablets.AUTO
    #: The suspended tablets' form: an extended-release tablet is never suspended.
    tablet_form: DosageForm = DosageForm.TABLET

    @property
    def is_commercial_liquid(self) -> bool:
        return self.liquid_mg_per_ml is not None

    @property
    def mix_mg(self) -> float:
        """Active ingredient in the whole mix, in mg."""
        if self.liquid_mg_per_ml is not None:
            return self.liquid_mg_per_ml * self.volume_ml
        return float(self.tablet_mg or 0) * float(self.tablet_count or 0)

    @property
    def concentration_mg_per_ml(self) -> float:
        if self.liquid_mg_per_ml is not None:
            return float(self.liquid_mg_per_ml)
        return self.mix_mg / self.volume_ml

    @property
    def dose_step_mg(self) -> float:
        """Finest dose step: concentration x graduation."""
        return self.concentration_mg_per_ml * self.graduation_ml

    def describe(self) -> str:
        """``"1 mg / 10 mL mix"`` or ``"2 mg/mL liquid"``, for short instructions."""
        if self.liquid_mg_per_ml is not None:
            return f"{format_number(self.liquid_mg_per_ml, 4)} mg/mL liquid"
        return f"{format_mg(self.mix_mg, 4)} / {format_ml(self.volume_ml)} mix"


@dataclass(frozen=True)
class LiquidResult:
    """How to measure one dose from a :class:`LiquidMix`; every amount after rounding."""

    mix: LiquidMix
    target_dose_mg: float
    whole_tablet_count: int
    whole_tablet_mg: float
    liquid_target_mg: float
    concentration_mg_per_ml: float
    take_ml: float
    discard_ml: float | None  # None for a commercial liquid: the rest is kept
    liquid_delivered_mg: float
    delivered_dose_mg: float
    error_mg: float
    error_percent: float
    dose_step_mg: float
    instruction: str
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = LIQUID_NOTES

    def result_lines(self) -> list[str]:
        """The result as the tab and the command line show it."""
        ml_decimals = max(2, decimals_for_step(self.mix.graduation_ml))
        lines = [
            f"Concentration: {format_number(self.concentration_mg_per_ml, 5)} mg/mL",
        ]
        if self.whole_tablet_count:
            lines.append(
                f"Whole tablets: {tablets_phrase(self.whole_tablet_count, self.mix.tablet_mg or 0)}"
                f" ({format_mg(self.whole_tablet_mg, 4)})"
            )
        lines.append(f"Volume to take: {format_ml(self.take_ml, ml_decimals)}")
        if self.discard_ml is not None:
            lines.append(f"Volume to discard: {format_ml(self.discard_ml, ml_decimals)}")
        lines += [
            f"Dose delivered: {format_mg(self.delivered_dose_mg, 4)}"
            f" (target {format_mg(self.target_dose_mg, 4)})",
            f"Error: {format_mg(self.error_mg, 4)} ({format_percent(self.error_percent, 2)})",
            f"Finest dose step: {format_mg(self.dose_step_mg, 5)}"
            f" (one {format_ml(self.mix.graduation_ml, 3)} graduation)",
        ]
        return lines


def validate_liquid_mix(mix: LiquidMix) -> dict[str, str]:
    """Field-level problems with a mix (empty dict when it is usable)."""
    errors: dict[str, str] = {}
    if mix.liquid_mg_per_ml is not None:
        check_number(errors, "liquid_mg_per_ml", mix.liquid_mg_per_ml, what="The concentration")
        if mix.tablet_count is not None:
            errors.setdefault(
                "tablet_count", "Give either tablets to suspend or a liquid's mg/mL, not both."
            )
    else:
        if problem := intact_form_problem(mix.tablet_form):
            errors["tablet_form"] = problem
        if mix.tablet_mg is None:
            errors["tablet_mg"] = "Enter the tablet strength (or a liquid's mg/mL)."
        else:
            check_number(errors, "tablet_mg", mix.tablet_mg, what="The tablet strength")
        if mix.tablet_count is None:
            errors["tablet_count"] = "Enter how many tablets go into the mix."
        else:
            check_number(
                errors, "tablet_count", mix.tablet_count, what="The number of tablets", whole=True
            )
    volume_ok = check_number(errors, "volume_ml", mix.volume_ml, what="The volume")
    graduation_ok = check_number(errors, "graduation_ml", mix.graduation_ml, what="The graduation")
    if volume_ok and graduation_ok and mix.graduation_ml > mix.volume_ml + TOLERANCE:
        errors["graduation_ml"] = (
            f"The graduation ({format_ml(mix.graduation_ml, 3)}) is coarser than the whole "
            f"volume ({format_ml(mix.volume_ml)})."
        )
    if not isinstance(mix.whole_tablets, WholeTablets):
        errors["whole_tablets"] = "Choose 'auto' or 'none' for whole tablets."
    return errors


def _whole_tablets_for(mix: LiquidMix, dose_mg: float) -> int:
    if mix.is_commercial_liquid or mix.whole_tablets is WholeTablets.NONE or not mix.tablet_mg:
        return 0
    return whole_tablet_count(dose_mg, mix.tablet_mg)


def validate_liquid_dose(
    mix: LiquidMix, dose_mg: float, *, allow_zero: bool = False
) -> dict[str, str]:
    """Field-level problems with a mix and a target dose."""
    errors = validate_liquid_mix(mix)
    if not check_number(errors, "dose_mg", dose_mg, what="The dose", allow_zero=allow_zero):
        return errors
    if errors:
        return errors
    whole_mg = _whole_tablets_for(mix, dose_mg) * (mix.tablet_mg or 0)
    if dose_mg - whole_mg > mix.mix_mg + TOLERANCE:
        errors["dose_mg"] = (
            f"The dose ({format_mg(dose_mg, 4)}) is more than the whole mix holds "
            f"({format_mg(mix.mix_mg, 4)})."
        )
    return errors


#: A home-made suspension is for 1-2 days (reference: make it fresh); a mix holding more
#: than this many days' doses is asked about (a count typed 50 for 5).
MIX_DAYS_QUESTIONED = 3


def mix_too_large(mix: LiquidMix, daily_doses_mg: list[float]) -> str | None:
    """A question when a home-made mix holds more than :data:`MIX_DAYS_QUESTIONED` days of
    the plan's doses ("Suspend 50 x 0.5 mg tablets in 200 mL": 25 mg in one mix)."""
    if mix.is_commercial_liquid or not daily_doses_mg:
        return None
    days = daily_doses_mg[:MIX_DAYS_QUESTIONED]
    limit = sum(days) * MIX_DAYS_QUESTIONED / len(days)
    if limit <= 0 or mix.mix_mg <= limit + 1e-9:
        return None
    if mix.tablet_mg and (mix.tablet_count or 0) * mix.tablet_mg - mix.tablet_mg <= limit + 1e-9:
        return None  # one tablet fewer would be too few: nothing smaller can be mixed
    return (
        f"This mix holds {format_mg(mix.mix_mg, 4)}: more than {MIX_DAYS_QUESTIONED} days of "
        f"your doses ({format_mg(limit, 4)}). A suspension is made fresh for 1-2 days; is the "
        f"number of tablets right?"
    )


def liquid_dose(mix: LiquidMix, dose_mg: float, *, allow_zero: bool = False) -> LiquidResult:
    """How much of ``mix`` to take for ``dose_mg``, rounded to the device's graduation.

    Raises :class:`TitrationInputError` for unusable inputs. ``allow_zero``
    lets a day-by-day table include a zero-dose day (take nothing).
    """
    raise_if_errors(validate_liquid_dose(mix, dose_mg, allow_zero=allow_zero))
    concentration = mix.concentration_mg_per_ml
    whole_count = _whole_tablets_for(mix, dose_mg)
    whole_mg = whole_count * (mix.tablet_mg or 0.0)
    liquid_target = max(0.0, dose_mg - whole_mg)
    raw_take_ml = liquid_target / concentration
    take_ml = min(round_to_step(raw_take_ml, mix.graduation_ml), mix.volume_ml)
    discard_ml = None if mix.is_commercial_liquid else clean(mix.volume_ml - take_ml)
    liquid_delivered = clean(take_ml * concentration)
    delivered = clean(whole_mg + liquid_delivered)
    error_mg = clean(delivered - dose_mg)
    error_percent = 100.0 * error_mg / dose_mg if dose_mg > 0 else 0.0
    step_mg = mix.dose_step_mg

    warnings: list[str] = []
    if liquid_target > TOLERANCE and take_ml == 0:
        warnings.append(
            f"The liquid part ({format_mg(liquid_target, 4)}) is smaller than half the finest "
            f"step this setup allows ({format_mg(step_mg, 5)}): use more liquid or a finer syringe."
        )
    elif abs(error_percent) > LARGE_ERROR_PERCENT:
        warnings.append(
            f"Rounding to the {format_ml(mix.graduation_ml, 3)} graduation changes the dose by "
            f"{format_percent(error_percent, 1)} "
            f"(more than {format_number(LARGE_ERROR_PERCENT)}%): "
            "use more liquid or a finer syringe."
        )

    result = LiquidResult(
        mix=mix,
        target_dose_mg=dose_mg,
        whole_tablet_count=whole_count,
        whole_tablet_mg=whole_mg,
        liquid_target_mg=liquid_target,
        concentration_mg_per_ml=concentration,
        take_ml=take_ml,
        discard_ml=discard_ml,
        liquid_delivered_mg=liquid_delivered,
        delivered_dose_mg=delivered,
        error_mg=error_mg,
        error_percent=error_percent,
        dose_step_mg=step_mg,
        instruction="",
        warnings=tuple(warnings),
        notes=COMMERCIAL_LIQUID_NOTES if mix.is_commercial_liquid else LIQUID_NOTES,
    )
    return _with_instruction(result)


def _with_instruction(result: LiquidResult) -> LiquidResult:
    return replace(result, instruction=liquid_instruction(result))


def liquid_instruction(result: LiquidResult) -> str:
    """The plain instruction line, e.g. "Suspend 1 x 1 mg tablet in 100 mL water, shake,
    take 87 mL (0.87 mg), discard 13 mL"."""
    mix = result.mix
    ml_decimals = max(2, decimals_for_step(mix.graduation_ml))
    take = format_ml(result.take_ml, ml_decimals)
    liquid_mg = format_mg(result.liquid_delivered_mg, 4)
    whole = ""
    if result.whole_tablet_count:
        whole = f"Take {tablets_phrase(result.whole_tablet_count, mix.tablet_mg or 0)} whole"
        if result.take_ml == 0:
            return whole + "; no liquid needed"
    if mix.liquid_mg_per_ml is not None:
        liquid = (
            f"shake, measure {take} of the {format_number(mix.liquid_mg_per_ml, 4)} mg/mL "
            f"liquid ({liquid_mg})"
        )
    else:
        count = round(mix.tablet_count or 0)
        liquid = (
            f"suspend {tablets_phrase(count, mix.tablet_mg or 0)} in "
            f"{format_ml(mix.volume_ml)} water, shake, "
        )
        if result.discard_ml:
            liquid += (
                f"take {take} ({liquid_mg}), discard {format_ml(result.discard_ml, ml_decimals)}"
            )
        else:
            liquid += f"take all {take} ({liquid_mg})"
    if whole:
        return f"{whole}, and {liquid}"
    return liquid[0].upper() + liquid[1:]


# --- Suggesting a mixing volume ---------------------------------------------


@dataclass(frozen=True)
class MixSuggestion:
    """A mixing volume for the plan's next doses, and why it was chosen."""

    volume_ml: float
    dose_step_mg: float
    max_error_percent: float
    doses_on_graduation: int
    dose_count: int
    meets_goals: bool
    explanation: str


def suggest_mix_volume(
    tablet_mg: float,
    tablet_count: int,
    next_doses_mg: Sequence[float],
    graduation_ml: float,
    *,
    whole_tablets: WholeTablets = WholeTablets.AUTO,
    volume_choices_ml: Sequence[float] = MIX_VOLUME_CHOICES_ML,
    max_error_percent: float = 1.0,
    step_fraction_of_cut: float = 0.1,
) -> MixSuggestion:
    """Pick the smallest sensible mixing volume that suits the plan's next doses.

    Goals: every dose lands on a whole graduation or within
    ``max_error_percent``; and the finest step (concentration x graduation) is
    at most ``step_fraction_of_cut`` (1/10) of the smallest cut between
    consecutive doses. The smallest volume meeting both wins (less to mix and
    throw away); when none does, the one with the smallest worst error.
    """
    doses = [d for d in next_doses_mg if d > TOLERANCE]
    errors: dict[str, str] = {}
    check_number(errors, "tablet_mg", tablet_mg, what="The tablet strength")
    check_number(errors, "tablet_count", tablet_count, what="The number of tablets", whole=True)
    check_number(errors, "graduation_ml", graduation_ml, what="The graduation")
    for dose in next_doses_mg:
        if not check_number(errors, "next_doses_mg", dose, what="Each dose", allow_zero=True):
            break
    if not doses:
        errors.setdefault("next_doses_mg", "Give at least one dose above zero.")
    raise_if_errors(errors)

    cuts = [abs(a - b) for a, b in itertools.pairwise(next_doses_mg) if abs(a - b) > TOLERANCE]
    smallest_cut = min(cuts) if cuts else None
    best: tuple[tuple[float, ...], MixSuggestion] | None = None
    for volume in volume_choices_ml:
        mix = LiquidMix(
            volume_ml=volume,
            graduation_ml=graduation_ml,
            tablet_mg=tablet_mg,
            tablet_count=tablet_count,
            whole_tablets=whole_tablets,
        )
        if validate_liquid_mix(mix) or any(validate_liquid_dose(mix, d) for d in doses):
            continue
        results = [liquid_dose(mix, d) for d in doses]
        on_grid = sum(
            1
            for r in results
            if is_whole_multiple(r.liquid_target_mg / r.concentration_mg_per_ml, graduation_ml)
        )
        worst = max(abs(r.error_percent) for r in results)
        step = mix.dose_step_mg
        precise = worst <= max_error_percent + 1e-9
        fine = smallest_cut is None or step <= smallest_cut * step_fraction_of_cut + 1e-12
        meets = precise and fine
        explanation = _explain(
            volume,
            mix,
            len(doses),
            on_grid,
            worst,
            smallest_cut,
            meets,
            max_error_percent,
            step_fraction_of_cut,
        )
        suggestion = MixSuggestion(volume, step, worst, on_grid, len(doses), meets, explanation)
        key = (0.0 if meets else 1.0, worst if not meets else 0.0, step if not meets else volume)
        if best is None or key < best[0]:
            best = (key, suggestion)
    if best is None:
        raise_if_errors({"next_doses_mg": "None of the usual mixing volumes can hold these doses."})
    assert best is not None
    return best[1]


def _explain(
    volume: float,
    mix: LiquidMix,
    dose_count: int,
    on_grid: int,
    worst_percent: float,
    smallest_cut: float | None,
    meets: bool,
    max_error_percent: float,
    fraction: float,
) -> str:
    grad = format_ml(mix.graduation_ml, 3)
    text = (
        f"Mix {tablets_phrase(int(mix.tablet_count or 0), mix.tablet_mg or 0)} in "
        f"{format_ml(volume)}: {on_grid} of the next {dose_count} doses land exactly on a "
        f"{grad} graduation and the largest rounding error is "
        f"{format_percent(worst_percent, 2)} (goal: at most {format_percent(max_error_percent)})."
    )
    text += f" The finest dose step is {format_mg(mix.dose_step_mg, 5)}"
    if smallest_cut is not None:
        text += (
            f", against a smallest cut of {format_mg(smallest_cut, 4)} "
            f"(goal: at most 1/{format_number(1 / fraction)} of it)."
        )
    else:
        text += "."
    if meets:
        text += " It is the smallest of the usual volumes that meets both goals."
    else:
        text += (
            " No usual volume meets both goals; this one comes closest,"
            " so consider a finer syringe."
        )
    return text


# --- Day-by-day tables -------------------------------------------------------


@dataclass(frozen=True)
class DailyVolumeRow:
    """One day of a daily micro-taper with a liquid mix."""

    day: date
    target_dose_mg: float
    take_ml: float
    remove_ml: float | None
    delivered_dose_mg: float
    error_mg: float
    error_percent: float
    whole_tablet_count: int

    def take_text(self, mix: LiquidMix, ml_decimals: int = 2) -> str:
        """What to take that day: whole tablets first, if any, then the volume of the mix.

        The whole tablets are part of the dose: a table that showed only the volume
        would halve the dose of someone taking 1 x 0.5 mg whole + 34 mL of the mix.
        """
        volume = format_ml(self.take_ml, ml_decimals)
        if self.whole_tablet_count and mix.tablet_mg:
            tablets = f"{tablets_phrase(self.whole_tablet_count, mix.tablet_mg)} whole"
            return tablets if self.take_ml == 0 else f"{tablets} + {volume}"
        return volume


def daily_volumes(
    mix: LiquidMix, doses: Sequence[tuple[date, float]]
) -> tuple[DailyVolumeRow, ...]:
    """A day-by-day table for the planned doses, with :func:`liquid_dose`'s rounding.

    ``doses`` is ``(date, dose_mg)`` per day from the plan's schedule; a zero
    dose gives a row that takes nothing.
    """
    rows = []
    for day, dose in doses:
        result = liquid_dose(mix, dose, allow_zero=True)
        rows.append(
            DailyVolumeRow(
                day=day,
                target_dose_mg=dose,
                take_ml=result.take_ml,
                remove_ml=result.discard_ml,
                delivered_dose_mg=result.delivered_dose_mg,
                error_mg=result.error_mg,
                error_percent=result.error_percent,
                whole_tablet_count=result.whole_tablet_count,
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class FixedVolumePlan:
    """The fixed-volume method: one tablet in N mL, remove R mL more each day.

    ``whole_tablet_count`` tablets of the same strength are taken whole on top
    (the lorazepam example: one 0.5 mg tablet whole + one suspended in 35 mL).
    """

    tablet_mg: float
    volume_ml: float
    start_remove_ml: float
    step_ml: float
    days: int
    tablet_count: int = 1
    whole_tablet_count: int = 0
    start_date: date | None = None


@dataclass(frozen=True)
class FixedVolumeDay:
    """What one day of the fixed-volume method really delivers."""

    day_number: int
    day: date | None
    remove_ml: float
    take_ml: float
    removed_mg: float
    delivered_dose_mg: float


def validate_fixed_volume(plan: FixedVolumePlan) -> dict[str, str]:
    """Field-level problems with a fixed-volume plan."""
    errors: dict[str, str] = {}
    check_number(errors, "tablet_mg", plan.tablet_mg, what="The tablet strength")
    check_number(
        errors, "tablet_count", plan.tablet_count, what="The number of tablets", whole=True
    )
    check_number(errors, "volume_ml", plan.volume_ml, what="The volume")
    check_number(
        errors, "start_remove_ml", plan.start_remove_ml, what="The first removal", allow_zero=True
    )
    check_number(errors, "step_ml", plan.step_ml, what="The daily step", allow_zero=True)
    check_number(errors, "days", plan.days, what="The number of days", whole=True)
    check_number(
        errors,
        "whole_tablet_count",
        plan.whole_tablet_count,
        what="The number of whole tablets",
        allow_zero=True,
        whole=True,
    )
    if not errors:
        last = plan.start_remove_ml + (plan.days - 1) * plan.step_ml
        if last > plan.volume_ml + TOLERANCE:
            errors["step_ml"] = (
                f"By day {int(plan.days)} you would remove {format_ml(last)}, more than the "
                f"{format_ml(plan.volume_ml)} mix."
            )
    return errors


def fixed_volume_schedule(plan: FixedVolumePlan) -> tuple[FixedVolumeDay, ...]:
    """The dose each day of the fixed-volume method really delivers.

    Day k removes ``start_remove_ml + (k - 1) x step_ml`` from the mix and the
    person takes the rest plus any whole tablets.
    """
    raise_if_errors(validate_fixed_volume(plan))
    concentration = plan.tablet_mg * plan.tablet_count / plan.volume_ml
    whole_mg = plan.whole_tablet_count * plan.tablet_mg
    days = []
    for k in range(1, int(plan.days) + 1):
        remove = clean(plan.start_remove_ml + (k - 1) * plan.step_ml)
        take = clean(plan.volume_ml - remove)
        days.append(
            FixedVolumeDay(
                day_number=k,
                day=plan.start_date + timedelta(days=k - 1) if plan.start_date else None,
                remove_ml=remove,
                take_ml=take,
                removed_mg=clean(remove * concentration),
                delivered_dose_mg=clean(whole_mg + take * concentration),
            )
        )
    return tuple(days)


def is_whole_multiple(value: float, step: float) -> bool:
    """True when ``value`` is a whole number of ``step`` (float noise forgiven)."""
    units = value / step
    return math.isclose(units, round(units), abs_tol=1e-7)
