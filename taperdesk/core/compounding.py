"""Compounding: the fewest capsule strengths that make every dose of a period.

A compounding pharmacy makes capsules (or a suspension) of any strength
(domain.md, "Compounding"); planners pick the fewest strengths that combine
into each step's dose. Strengths come from a grid of whole multiples of a base
step (the plan's rounding, e.g. 0.005 mg), and each dose may use at most
``max_capsules_per_dose`` capsules (default 3).

Finding the true minimum is a set-cover problem, so the search is: a greedy
pass (each time adding the strength that makes the most still-missing doses),
then a depth-first search for a smaller set within a time budget. The answer is
always a valid set; it is the smallest the search found.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from taperdesk.core.measure import format_mg, format_ml, format_number
from taperdesk.core.titration_common import check_number, raise_if_errors

#: Concentrations a pharmacy would plausibly make, mg/mL, tried largest first.
SUSPENSION_CHOICES_MG_PER_ML: tuple[float, ...] = (
    10,
    5,
    2.5,
    2,
    1,
    0.5,
    0.25,
    0.2,
    0.1,
    0.05,
    0.025,
    0.02,
    0.01,
)
#: Time the search for a smaller set of strengths may take, in seconds.
SEARCH_BUDGET_S = 0.03
#: Candidates tried at each step of the depth-first search.
_BRANCHING = 6


@dataclass(frozen=True)
class CompoundingRequest:
    """The plan's doses over a period, and the rules for capsule strengths.

    ``daily_doses_mg`` holds one tuple per day, with one dose per dosing time
    (``((0.5, 0.25), (0.5, 0.245), ...)``); a single daily dose is a 1-tuple.
    """

    daily_doses_mg: tuple[tuple[float, ...], ...]
    base_step_mg: float = 0.005
    max_capsules_per_dose: int = 3
    supply_days: int | None = None  # None: the whole period
    graduation_ml: float = 0.1  # for the suspension alternative
    drug_name: str = ""


@dataclass(frozen=True)
class CapsuleCount:
    strength_mg: float
    count: int


@dataclass(frozen=True)
class CompoundingResult:
    """Capsule strengths, how each dose is made, counts for the supply, and a summary."""

    strengths_mg: tuple[float, ...]  # largest first
    dose_capsules: dict[float, tuple[float, ...]]  # dose -> capsule strengths taken
    supply_days: int
    counts: tuple[CapsuleCount, ...]
    suspension_mg_per_ml: float
    suspension_total_ml: float
    summary: str
    suspension_summary: str


def validate_compounding(request: CompoundingRequest) -> dict[str, str]:
    """Field-level problems with a compounding request."""
    errors: dict[str, str] = {}
    step_ok = check_number(errors, "base_step_mg", request.base_step_mg, what="The base step")
    check_number(
        errors,
        "max_capsules_per_dose",
        request.max_capsules_per_dose,
        what="The number of capsules per dose",
        whole=True,
    )
    check_number(errors, "graduation_ml", request.graduation_ml, what="The graduation")
    if not request.daily_doses_mg:
        errors["daily_doses_mg"] = "Give the doses of at least one day."
    for day in request.daily_doses_mg:
        for dose in day:
            if not check_number(errors, "daily_doses_mg", dose, what="Each dose", allow_zero=True):
                break
            if step_ok and not _is_multiple(dose, request.base_step_mg):
                errors["daily_doses_mg"] = (
                    f"{format_mg(dose, 6)} is not a whole multiple of the "
                    f"{format_mg(request.base_step_mg, 6)} step."
                )
                break
    if "daily_doses_mg" not in errors and not any(
        d > 0 for day in request.daily_doses_mg for d in day
    ):
        errors["daily_doses_mg"] = "There is no dose above zero to make."
    if (
        request.supply_days is not None
        and check_number(errors, "supply_days", request.supply_days, what="The supply", whole=True)
        and request.supply_days > len(request.daily_doses_mg)
    ):
        errors["supply_days"] = (
            f"The supply ({request.supply_days} days) is longer than the period given "
            f"({len(request.daily_doses_mg)} days)."
        )
    return errors


def _is_multiple(value: float, step: float) -> bool:
    units = value / step
    return abs(units - round(units)) * step <= 1e-9


def _reach(strengths: Sequence[int], max_count: int) -> dict[int, int]:
    """Every sum of at most ``max_count`` capsules -> the fewest capsules making it."""
    best = {0: 0}
    frontier = {0}
    for count in range(1, max_count + 1):
        frontier = {r + s for r in frontier for s in strengths}
        for total in frontier:
            best.setdefault(total, count)
    return best


def _candidates(
    best: dict[int, int], uncovered: Sequence[int], max_count: int
) -> dict[int, set[int]]:
    """New strength -> the missing doses it would make (with the current strengths)."""
    found: dict[int, set[int]] = {}
    usable = [(total, max_count - used) for total, used in best.items() if used < max_count]
    for dose in uncovered:
        for total, spare in usable:
            rest = dose - total
            if rest <= 0:
                continue
            for times in range(1, spare + 1):
                if rest % times == 0:
                    found.setdefault(rest // times, set()).add(dose)
    return found


def _ranked(found: dict[int, set[int]]) -> list[int]:
    return sorted(found, key=lambda c: (-len(found[c]), -c))


def _greedy(
    doses: Sequence[int],
    max_count: int,
    rng: random.Random | None = None,
    limit: int = 0,
    deadline: float = math.inf,
) -> list[int]:
    """Add strengths one by one, each making the most missing doses.

    With ``rng`` ties and near-ties are broken at random (one run of a
    multi-start search); ``limit`` stops a run that cannot beat a known set and
    ``deadline`` one that runs out of time (both return an empty list).
    """
    chosen: list[int] = []
    uncovered = list(doses)
    while uncovered:
        if (limit and len(chosen) >= limit) or time.perf_counter() > deadline:
            return []
        found = _candidates(_reach(chosen, max_count), uncovered, max_count)
        ranked = _ranked(found)
        pick = ranked[0]
        if rng is not None:
            top = len(found[pick])
            close = [c for c in ranked[:40] if len(found[c]) >= top - rng.randint(0, 1)]
            pick = rng.choice(close)
        chosen.append(pick)
        covered = _reach(chosen, max_count)
        uncovered = [d for d in uncovered if d not in covered]
    return chosen


def _search(doses: Sequence[int], max_count: int, size: int, deadline: float) -> list[int] | None:
    """Depth-first search for ``size`` strengths making every dose (None if not found)."""

    def visit(chosen: list[int]) -> list[int] | None:
        best = _reach(chosen, max_count)
        uncovered = [d for d in doses if d not in best]
        if not uncovered:
            return chosen
        if len(chosen) == size or time.perf_counter() > deadline:
            return None
        # Capacity bound: sums of at most max_count capsules from `size` strengths.
        found = _candidates(best, uncovered, max_count)
        target = min(uncovered)  # the smallest missing dose must be made somehow
        options = [c for c in _ranked(found) if target in found[c]][:_BRANCHING]
        for option in options:
            result = visit([*chosen, option])
            if result is not None:
                return result
        return None

    return visit([])


def fewest_strengths(
    doses: Sequence[int], max_count: int, budget_s: float = SEARCH_BUDGET_S
) -> list[int]:
    """Fewest strengths (grid units) so every dose is a sum of <= ``max_count`` of them."""
    distinct = sorted(set(doses))
    best = _greedy(distinct, max_count)
    lower = 1
    while math.comb(lower + max_count, max_count) - 1 < len(distinct):
        lower += 1
    deadline = time.perf_counter() + budget_s
    # Multi-start greedy (seeded, so the same doses always give the same answer).
    rng = random.Random(len(distinct) * 7919 + sum(distinct))
    search_from = time.perf_counter() + budget_s / 2
    while len(best) > lower and time.perf_counter() < search_from:
        attempt = _greedy(distinct, max_count, rng, limit=len(best) - 1, deadline=search_from)
        if attempt:
            best = attempt
    for size in range(lower, len(best)):
        found = _search(distinct, max_count, size, deadline)
        if found is not None:
            return sorted(found, reverse=True)
        if time.perf_counter() > deadline:
            break
    return sorted(best, reverse=True)


def _fewest_capsules(dose: int, strengths: Sequence[int], max_count: int) -> tuple[int, ...]:
    for count in range(1, max_count + 1):
        for combo in itertools.combinations_with_replacement(strengths, count):
            if sum(combo) == dose:
                return tuple(sorted(combo, reverse=True))
    raise AssertionError("strength search returned a set that misses a dose")


def plan_compounding(request: CompoundingRequest) -> CompoundingResult:
    """Capsule strengths, per-dose capsules and supply counts; plus one suspension.

    Raises :class:`TitrationInputError` for unusable inputs.
    """
    raise_if_errors(validate_compounding(request))
    step = request.base_step_mg
    max_count = int(request.max_capsules_per_dose)

    def units(mg: float) -> int:
        return round(mg / step)

    def mg(unit_count: int) -> float:
        return round(unit_count * step, 9)

    doses = sorted({units(d) for day in request.daily_doses_mg for d in day if d > 0})
    strengths = fewest_strengths(doses, max_count)
    dose_capsules = {
        mg(d): tuple(mg(c) for c in _fewest_capsules(d, sorted(strengths, reverse=True), max_count))
        for d in doses
    }
    supply_days = int(request.supply_days or len(request.daily_doses_mg))
    tally: Counter[float] = Counter()
    total_mg = 0.0
    for day in request.daily_doses_mg[:supply_days]:
        for dose in day:
            if dose > 0:
                tally.update(dose_capsules[mg(units(dose))])
                total_mg += dose
    strengths_mg = tuple(mg(s) for s in strengths)
    counts = tuple(CapsuleCount(s, tally[s]) for s in strengths_mg)

    concentration = _suspension_strength([mg(d) for d in doses], request.graduation_ml)
    total_ml = round(total_mg / concentration, 6)

    drug = f"{request.drug_name} " if request.drug_name else ""
    summary = (
        f"Please compound {drug}capsules in {len(strengths_mg)} strength"
        f"{'s' if len(strengths_mg) != 1 else ''}: "
        + ", ".join(format_mg(s, 4) for s in strengths_mg)
        + f". For a {supply_days}-day supply: "
        + ", ".join(f"{c.count} x {format_mg(c.strength_mg, 4)}" for c in counts)
        + f" (at most {max_count} capsules per dose)."
    )
    suspension_summary = (
        f"Or one {drug}suspension of {format_number(concentration, 4)} mg/mL: "
        f"{format_ml(total_ml, 1)} for {supply_days} days; every dose is a whole "
        f"{format_ml(request.graduation_ml, 3)} graduation."
    )
    return CompoundingResult(
        strengths_mg=strengths_mg,
        dose_capsules=dose_capsules,
        supply_days=supply_days,
        counts=counts,
        suspension_mg_per_ml=concentration,
        suspension_total_ml=total_ml,
        summary=summary,
        suspension_summary=suspension_summary,
    )


def _suspension_strength(doses_mg: Sequence[float], graduation_ml: float) -> float:
    """The strongest usual concentration making every dose a whole graduation."""
    for concentration in SUSPENSION_CHOICES_MG_PER_ML:
        step_mg = concentration * graduation_ml
        if all(_is_multiple(d, step_mg) for d in doses_mg):
            return float(concentration)
    # Otherwise the exact step: the greatest common divisor of the doses (in ng).
    divisor = 0
    for dose in doses_mg:
        divisor = math.gcd(divisor, round(dose * 1e6))
    return divisor / 1e6 / graduation_ml
