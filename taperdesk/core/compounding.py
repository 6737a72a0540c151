"""Compounding: the fewest capsule strengths that make every dose of a period.

A compounding pharmacy makes capsules (or a suspension) of any strength
(domain.md, "Compounding"); planners pick the fewest strengths that combine
into each step's dose. Strengths come from a grid of whole multiples of a base
step (the plan's rounding, e.g. 0.005 mg), and each dose may use at most
``max_capsules_per_dose`` capsules (default 3).

Finding the true minimum is hard in general (it is a cousin of the "postage
stamp" problem), so :func:`fewest_strengths` combines a greedy first answer, a
counting lower bound, an exhaustive search that proves the minimum when it
finishes within its node budget, and simulated annealing when it does not. The
answer is always a valid set, and says whether it is proven to be the fewest
(``CompoundingResult.proven_fewest``) and how many strengths are needed at least.
"""

from __future__ import annotations

import itertools
import math
import random
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
#: Candidate strengths the exhaustive search may try before it stops proving.
SEARCH_NODE_BUDGET = 100_000
#: More capsules per dose than anyone swallows; the strength search grows with it.
MAX_CAPSULES_PER_DOSE = 20
#: Doses past this many grid steps make the strength search run for minutes.
MAX_STEPS_PER_DOSE = 20_000
#: Moves simulated annealing may make per smaller size it tries.
ANNEAL_MOVES = 4_000


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
    proven_fewest: bool = False  # True: no smaller set of strengths exists
    lower_bound: int = 1  # never fewer strengths than this
    optimality: str = ""  # one sentence saying which of the two

    @property
    def max_per_dose(self) -> int:
        """The most capsules any one dose takes."""
        return max((len(c) for c in self.dose_capsules.values()), default=1)


#: Strength steps a compounding pharmacy can be asked for, coarsest first.
STEP_CHOICES_MG = (0.01, 0.005, 0.0025, 0.001, 0.0005, 0.00025, 0.0001)


def fitting_step_mg(daily_doses_mg: Sequence[Sequence[float]]) -> float | None:
    """The coarsest usual step of which every dose is a whole multiple (None: none is)."""
    doses = [d for day in daily_doses_mg for d in day if d > 0]
    for step in STEP_CHOICES_MG:
        if all(_is_multiple(dose, step) for dose in doses):
            return step
    return None


def validate_compounding(request: CompoundingRequest) -> dict[str, str]:
    """Field-level problems with a compounding request."""
    errors: dict[str, str] = {}
    step_ok = check_number(errors, "base_step_mg", request.base_step_mg, what="The base step")
    if (
        check_number(
            errors,
            "max_capsules_per_dose",
            request.max_capsules_per_dose,
            what="The number of capsules per dose",
            whole=True,
        )
        and request.max_capsules_per_dose > MAX_CAPSULES_PER_DOSE
    ):
        errors["max_capsules_per_dose"] = f"Give at most {MAX_CAPSULES_PER_DOSE} capsules per dose."
    check_number(errors, "graduation_ml", request.graduation_ml, what="The graduation")
    if not request.daily_doses_mg:
        errors["daily_doses_mg"] = "Give the doses of at least one day."
    for day in request.daily_doses_mg:
        for dose in day:
            if not check_number(errors, "daily_doses_mg", dose, what="Each dose", allow_zero=True):
                break
            if step_ok and not _is_multiple(dose, request.base_step_mg):
                fitting = fitting_step_mg(request.daily_doses_mg)
                hint = (
                    f" A step of {format_mg(fitting, 6)} makes every dose of the period."
                    if fitting is not None
                    else " Round the plan to a step the pharmacy can make."
                )
                errors["daily_doses_mg"] = (
                    f"{format_mg(dose, 6)} is not a whole multiple of the "
                    f"{format_mg(request.base_step_mg, 6)} step.{hint}"
                )
                break
            if step_ok and dose / request.base_step_mg > MAX_STEPS_PER_DOSE:
                errors["daily_doses_mg"] = (
                    f"{format_mg(dose, 6)} is more than {MAX_STEPS_PER_DOSE:,} steps of "
                    f"{format_mg(request.base_step_mg, 6)}: use a larger step."
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


# --- The search ----------------------------------------------------------------
#
# Sets of reachable totals are Python ints used as bitsets: bit t is set when a
# total of t grid units can be made. ``levels[j]`` holds the totals of at most
# j capsules, so adding a strength s is ``new[j] = levels[j] | (new[j-1] << s)``.


@dataclass(frozen=True)
class StrengthSearch:
    """The strengths found (grid units, largest first) and how sure the search is.

    ``proven_fewest`` is True when no smaller set exists: the set has as many
    strengths as ``lower_bound``, which the search proved (by counting sums or
    by an exhaustive search that ran to its end). Otherwise fewer strengths than
    found may be possible, but never fewer than ``lower_bound``.
    """

    strengths: tuple[int, ...]
    proven_fewest: bool
    lower_bound: int
    nodes: int


def _add_strength(levels: list[int], strength: int, max_count: int) -> list[int]:
    new = [1]
    for j in range(1, max_count + 1):
        new.append(levels[j] | (new[j - 1] << strength))
    return new


def _levels(strengths: Sequence[int], max_count: int) -> list[int]:
    levels = [1] * (max_count + 1)
    for strength in strengths:
        levels = _add_strength(levels, strength, max_count)
    return levels


def _bits(mask: int) -> list[int]:
    return [b for b in range(mask.bit_length()) if mask >> b & 1]


def counting_lower_bound(dose_count: int, max_count: int) -> int:
    """Fewest strengths that could make ``dose_count`` different doses at all.

    k strengths give at most C(k + m, m) - 1 different non-zero sums of at most
    m capsules, so k must be at least the smallest k for which that reaches
    ``dose_count``.
    """
    k = 1
    while math.comb(k + max_count, max_count) - 1 < dose_count:
        k += 1
    return k


def _greedy(mask: int, top: int, max_count: int) -> list[int]:
    """Add strengths one by one, each making the most still-missing doses."""
    chosen: list[int] = []
    levels = [1] * (max_count + 1)
    while missing := mask & ~levels[max_count]:
        best_gain, best_strength, best_levels = -1, 0, levels
        for strength in range(1, top + 1):
            new = _add_strength(levels, strength, max_count)
            gain = (new[max_count] & missing).bit_count()
            if gain > best_gain:
                best_gain, best_strength, best_levels = gain, strength, new
        chosen.append(best_strength)
        levels = best_levels
    return chosen


class _OutOfNodes(Exception):
    pass


def _exact(
    mask: int, top: int, max_count: int, size: int, budget: int
) -> tuple[list[int] | None, bool, int]:
    """Exhaustive search for ``size`` strengths making every dose in ``mask``.

    Strengths are chosen largest first. The largest missing dose U must be
    e + t new capsules, each no larger than the next strength s, with e a total
    of c <= m - t chosen capsules; so s >= (U - e) / (m - c) for the best e,
    and s < the last strength chosen. A counting bound prunes the rest: r more
    strengths add at most sum_t C(r + t - 1, t) x |totals of <= m - t chosen
    capsules| new totals. Returns (set or None, finished, nodes used).
    """
    nodes = 0

    def visit(levels: list[int], chosen: list[int], last: int) -> list[int] | None:
        nonlocal nodes
        missing = mask & ~levels[max_count]
        if not missing:
            return list(chosen)
        room = size - len(chosen)
        if room == 0:
            return None
        can_add = sum(
            math.comb(room + t - 1, t) * levels[max_count - t].bit_count()
            for t in range(1, max_count + 1)
        )
        if missing.bit_count() > can_add:
            return None
        largest = missing.bit_length() - 1
        below = (1 << (largest + 1)) - 1
        low = largest
        for used in range(max_count):
            made = (levels[used] & below).bit_length() - 1
            low = min(low, -(-(largest - made) // (max_count - used)))
        high = min(last - 1, largest)
        if low > high:
            return None
        nodes += high - low + 1
        if nodes > budget:
            raise _OutOfNodes
        options = []
        for strength in range(high, low - 1, -1):
            new = _add_strength(levels, strength, max_count)
            # A strength that makes no missing dose yet is still a candidate: with
            # smaller strengths chosen later it can (13 = 10 + 3 from {1, 3, 10, 20}).
            gain = (new[max_count] & missing).bit_count()
            options.append((gain, strength, new))
        options.sort(key=lambda option: (-option[0], -option[1]))
        for _gain, strength, new in options:
            chosen.append(strength)
            found = visit(new, chosen, strength)
            chosen.pop()
            if found is not None:
                return found
        return None

    try:
        return visit([1] * (max_count + 1), [], top + 1), True, nodes
    except _OutOfNodes:
        return None, False, nodes


def _anneal(
    mask: int,
    top: int,
    max_count: int,
    start: Sequence[int],
    size: int,
    moves: int,
    rng: random.Random,
) -> list[int] | None:
    """Simulated annealing for ``size`` strengths, from ``start`` less its least useful ones.

    A move replaces one strength by one that completes a missing dose
    ((dose - total of the others) / t); worse sets are accepted less and less.
    """
    chosen = list(start)
    while len(chosen) > size:
        kept = [
            (_levels(chosen[:j] + chosen[j + 1 :], max_count)[max_count] & mask).bit_count()
            for j in range(len(chosen))
        ]
        chosen.pop(kept.index(max(kept)))
    made = _levels(chosen, max_count)[max_count] & mask
    for move in range(moves):
        if made == mask:
            return chosen
        temperature = 1.5 * (1 - move / moves) + 0.1
        j = rng.randrange(size)
        others = _levels(chosen[:j] + chosen[j + 1 :], max_count)
        dose = rng.choice(_bits(mask & ~made))
        t = rng.randint(1, max_count)
        rest = rng.choice(_bits(others[max_count - t] & ((1 << dose) - 1)))
        strength = (dose - rest) // t
        if strength < 1 or (dose - rest) % t:
            strength = rng.randint(1, top)
        now = _add_strength(others, strength, max_count)[max_count] & mask
        change = now.bit_count() - made.bit_count()
        if change >= 0 or rng.random() < math.exp(change / temperature):
            chosen[j] = strength
            made = now
    return chosen if made == mask else None


def fewest_strengths(
    doses: Sequence[int],
    max_count: int,
    node_budget: int = SEARCH_NODE_BUDGET,
    anneal_moves: int = ANNEAL_MOVES,
) -> StrengthSearch:
    """Fewest strengths (grid units) so every dose is a sum of <= ``max_count`` of them.

    1. A greedy set gives a first answer, and counting gives a lower bound.
    2. An exhaustive search tries each size from the lower bound up: a size it
       rules out raises the lower bound; the first size it fills is the minimum.
    3. If the node budget runs out first, simulated annealing looks for smaller
       sets than the greedy one, and the answer says optimality is not proven.

    Deterministic: the same doses always give the same answer.
    """
    distinct = sorted(set(doses))
    mask = 0
    for dose in distinct:
        mask |= 1 << dose
    top = distinct[-1]
    lower = counting_lower_bound(len(distinct), max_count)
    best = _greedy(mask, top, max_count)
    nodes = 0
    size = lower
    while size < len(best):
        found, finished, used = _exact(mask, top, max_count, size, node_budget - nodes)
        nodes += used
        if found is not None:
            best = found
            break
        if not finished:
            break
        lower = size = size + 1
    rng = random.Random(len(distinct) * 7919 + sum(distinct))
    while len(best) > lower:
        smaller = _anneal(mask, top, max_count, best, len(best) - 1, anneal_moves, rng)
        if smaller is None:
            break
        best = smaller
    return StrengthSearch(
        strengths=tuple(sorted(best, reverse=True)),
        proven_fewest=len(best) == lower,
        lower_bound=lower,
        nodes=nodes,
    )


def _fewest_capsules(dose: int, strengths: Sequence[int], max_count: int) -> tuple[int, ...]:
    for count in range(1, max_count + 1):
        for combo in itertools.combinations_with_replacement(strengths, count):
            if sum(combo) == dose:
                return tuple(sorted(combo, reverse=True))
    raise AssertionError("strength search returned a set that misses a dose")


@dataclass(frozen=True, slots=True)
class DispensedCapsules:
    """The capsule strengths of the last pharmacy request made for a drug: what the person
    has at home, so a weekly sheet says which of them make each dose."""

    drug_key: str
    strengths_mg: tuple[float, ...]
    max_per_dose: int
    first_day: str  # ISO date the request's supply starts

    def to_dict(self) -> dict[str, object]:
        return {
            "drug_key": self.drug_key,
            "strengths_mg": list(self.strengths_mg),
            "max_per_dose": self.max_per_dose,
            "first_day": self.first_day,
        }

    @classmethod
    def from_dict(cls, data: object) -> DispensedCapsules | None:
        """``None`` for anything that is not a saved set (a damaged or old value)."""
        if not isinstance(data, dict):
            return None
        try:
            strengths = tuple(float(v) for v in data["strengths_mg"])
            found = cls(
                str(data["drug_key"]), strengths, int(data["max_per_dose"]),
                str(data["first_day"]),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            return None
        sane = 0 < len(strengths) <= 20 and all(0 < v < 1000 for v in strengths)
        return found if sane and 1 <= found.max_per_dose <= 6 else None


def capsules_for_dose(
    dose_mg: float, strengths_mg: Sequence[float], max_per_dose: int
) -> tuple[float, ...] | None:
    """The fewest of ``strengths_mg`` (at most ``max_per_dose``) adding up to ``dose_mg``
    exactly (to a millionth of a mg), largest first; ``None`` when none do."""
    unit = 1_000_000
    dose = round(dose_mg * unit)
    units = sorted({round(s * unit) for s in strengths_mg if s > 0}, reverse=True)
    for count in range(1, max_per_dose + 1):
        for combo in itertools.combinations_with_replacement(units, count):
            if sum(combo) == dose:
                return tuple(c / unit for c in sorted(combo, reverse=True))
    return None


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
    search = fewest_strengths(doses, max_count)
    strengths = list(search.strengths)
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
    if search.proven_fewest:
        optimality = f"{len(strengths_mg)} is the fewest strengths that can make these doses."
    else:
        optimality = (
            f"The search found no set of fewer than {len(strengths_mg)} strengths in its time, "
            f"but did not rule one out: at least {search.lower_bound} are needed."
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
        proven_fewest=search.proven_fewest,
        lower_bound=search.lower_bound,
        optimality=optimality,
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
