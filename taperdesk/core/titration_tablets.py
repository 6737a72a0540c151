"""Whole and split tablets: which pieces of the available strengths make a dose.

Unscored tablets are taken whole; scored tablets may be halved; quarter-scored
tablets may be halved or quartered (domain.md, strengths table: e.g. alprazolam
2 mg is quarter-scored, clonazepam 0.5 mg is scored). A "piece" is one whole
tablet, one half or one quarter; fewer pieces are easier and more accurate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from taperdesk.core.dosage_forms import DosageForm, intact_form_problem
from taperdesk.core.measure import format_mg, format_number
from taperdesk.core.titration_common import check_number, raise_if_errors

#: Doses are compared in integer units of this many mg (1 ng), exact within 1e-9 mg.
_UNIT_MG = 1e-6
#: Largest dynamic-programming table (grid points) the search builds.
_MAX_GRID = 4_000_000


class Scoring(Enum):
    """How a tablet may be split."""

    UNSCORED = "unscored"  # whole only
    SCORED = "scored"  # halves
    QUARTER_SCORED = "quarter"  # halves and quarters

    @property
    def fractions(self) -> tuple[float, ...]:
        return {
            Scoring.UNSCORED: (1.0,),
            Scoring.SCORED: (1.0, 0.5),
            Scoring.QUARTER_SCORED: (1.0, 0.5, 0.25),
        }[self]


@dataclass(frozen=True)
class TabletStrength:
    """One available tablet strength and how it may be split."""

    strength_mg: float
    scoring: Scoring = Scoring.UNSCORED
    #: An extended-release tablet is only ever taken whole (its label); a capsule too.
    form: DosageForm = DosageForm.TABLET


@dataclass(frozen=True)
class TabletPiece:
    """``count`` pieces of ``fraction`` of a ``strength_mg`` tablet."""

    strength_mg: float
    fraction: float
    count: int
    form: DosageForm = DosageForm.TABLET

    @property
    def dose_mg(self) -> float:
        return self.strength_mg * self.fraction * self.count

    def describe(self) -> str:
        """``"2 x 1 mg"``, ``"1 half of 0.5 mg"``, ``"3 quarters of 2 mg"``."""
        strength = format_number(self.strength_mg, 4)
        if self.fraction == 1.0:
            kind = f" {self.form.short}" if self.form is not DosageForm.TABLET else ""
            return f"{self.count} x {strength} mg{kind}"
        name = "half" if self.fraction == 0.5 else "quarter"
        plural = {"half": "halves", "quarter": "quarters"}[name] if self.count != 1 else name
        kind = f" {self.form.short}" if self.form is not DosageForm.TABLET else ""
        return f"{self.count} {plural} of {strength} mg{kind}"


@dataclass(frozen=True)
class TabletCombination:
    """Pieces that together make ``dose_mg``."""

    pieces: tuple[TabletPiece, ...]

    @property
    def dose_mg(self) -> float:
        return math.fsum(p.dose_mg for p in self.pieces)

    @property
    def piece_count(self) -> int:
        return sum(p.count for p in self.pieces)

    def describe(self) -> str:
        """``"1 x 1 mg + 1 half of 0.5 mg (1.25 mg)"``."""
        if not self.pieces:
            return "nothing (0 mg)"
        return " + ".join(p.describe() for p in self.pieces) + f" ({format_mg(self.dose_mg, 4)})"


@dataclass(frozen=True)
class TabletResult:
    """The exact combination for a dose, or the nearest ones below and above."""

    target_dose_mg: float
    exact: TabletCombination | None
    below: TabletCombination | None
    above: TabletCombination | None

    @property
    def instruction(self) -> str:
        if self.exact is not None:
            return "Take " + self.exact.describe()
        parts = [f"No combination makes exactly {format_mg(self.target_dose_mg, 4)}."]
        if self.below is not None:
            parts.append(f"Nearest below: {self.below.describe()}.")
        if self.above is not None:
            parts.append(f"Nearest above: {self.above.describe()}.")
        return " ".join(parts)

    def result_lines(self) -> list[str]:
        combinations = (self.exact, self.below, self.above)
        forms = {p.form for c in combinations if c is not None for p in c.pieces}
        intact = [f"Swallow {form.label}s whole." for form in forms if form.must_stay_intact]
        return [self.instruction, *intact]


def validate_tablets(strengths: Sequence[TabletStrength], dose_mg: float) -> dict[str, str]:
    """Field-level problems with the strengths and the dose."""
    errors: dict[str, str] = {}
    if not strengths:
        errors["strengths"] = "Give at least one tablet strength."
    for strength in strengths:
        if not check_number(errors, "strengths", strength.strength_mg, what="Each strength"):
            break
        if not isinstance(strength.scoring, Scoring):
            errors["strengths"] = "Each strength must be unscored, scored or quarter-scored."
            break
        if strength.scoring is not Scoring.UNSCORED and not strength.form.may_be_split:
            errors["strengths"] = (
                f"A {format_mg(strength.strength_mg, 4)} {strength.form.label} is never split. "
                + (intact_form_problem(strength.form) or "")
            ).strip()
            break
    intact = {s.form.must_stay_intact for s in strengths if isinstance(s.form, DosageForm)}
    if "strengths" not in errors and len(intact) > 1:
        errors["strengths"] = (
            "Choose extended-release or immediate-release strengths, not both: they are "
            "taken differently, and which to take is for your prescriber to say."
        )
    check_number(errors, "dose_mg", dose_mg, what="The dose")
    return errors


def _piece_types(
    strengths: Sequence[TabletStrength],
) -> list[tuple[int, float, float, DosageForm]]:
    """(size in units, strength, fraction, form) for every allowed piece, largest first."""
    seen: dict[int, tuple[int, float, float, DosageForm]] = {}
    for strength in strengths:
        for fraction in strength.scoring.fractions:
            units = round(strength.strength_mg * fraction / _UNIT_MG)
            if units > 0:
                # Prefer the whole tablet (larger fraction) for the same size.
                current = seen.get(units)
                if current is None or fraction > current[2]:
                    seen[units] = (units, strength.strength_mg, fraction, strength.form)
    return sorted(seen.values(), key=lambda piece: piece[:3], reverse=True)


def tablet_combination(strengths: Sequence[TabletStrength], dose_mg: float) -> TabletResult:
    """The fewest pieces making ``dose_mg`` exactly, else the nearest below and above.

    A coin-change search on the grid of the greatest common divisor of all
    piece sizes; "exact" means within 1e-9 mg.
    """
    raise_if_errors(validate_tablets(strengths, dose_mg))
    pieces = _piece_types(strengths)
    grid = 0
    for units, *_ in pieces:
        grid = math.gcd(grid, units)
    sizes = [units // grid for units, *_ in pieces]
    dose_units = dose_mg / _UNIT_MG / grid
    limit = math.floor(dose_units + 1e-6) + max(sizes)
    if limit > _MAX_GRID:
        raise_if_errors(
            {"strengths": "These strengths and this dose are too fine-grained to combine."}
        )
    # fewest[s] = fewest pieces summing to s grid units; choice[s] = piece index used last.
    infinity = 1 << 30
    fewest = [infinity] * (limit + 1)
    choice = [-1] * (limit + 1)
    fewest[0] = 0
    for total in range(1, limit + 1):
        best, best_index = infinity, -1
        for index, size in enumerate(sizes):
            if size <= total and fewest[total - size] + 1 < best:
                best, best_index = fewest[total - size] + 1, index
        fewest[total], choice[total] = best, best_index

    def build(total: int) -> TabletCombination:
        counts: dict[int, int] = {}
        while total > 0:
            index = choice[total]
            counts[index] = counts.get(index, 0) + 1
            total -= sizes[index]
        ordered = sorted(
            counts.items(), key=lambda item: (-pieces[item[0]][1], -pieces[item[0]][2])
        )
        return TabletCombination(
            tuple(TabletPiece(pieces[i][1], pieces[i][2], n, pieces[i][3]) for i, n in ordered)
        )

    nearest = round(dose_units)
    exact = None
    if abs(dose_units - nearest) * grid * _UNIT_MG <= 1e-9 and fewest[nearest] < infinity:
        exact = build(nearest)
        return TabletResult(dose_mg, exact, None, None)
    below = above = None
    for total in range(min(math.floor(dose_units + 1e-9), limit), 0, -1):
        if fewest[total] < infinity:
            below = build(total)
            break
    for total in range(max(1, math.ceil(dose_units - 1e-9)), limit + 1):
        if fewest[total] < infinity:
            above = build(total)
            break
    return TabletResult(dose_mg, None, below, above)
