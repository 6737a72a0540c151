"""The one place where TaperDesk rounds, shows and reads numbers.

Dose maths everywhere else works with unrounded floats. Values are rounded
only when they have to become something a person can measure (a syringe
graduation, a scale reading, a plan's smallest measurable step) or read
(text on screen or paper). Keeping both here means a change of rule is made
once, and tests can hold every caller to the same rule.
"""

from __future__ import annotations

import math
import re
from enum import Enum

#: Float noise below this is treated as zero (far below any measurable dose).
EPSILON = 1e-9


class RoundingMode(Enum):
    """How a value is brought onto a grid of measurable steps."""

    NEAREST = "nearest"  # half away from zero
    DOWN = "down"  # towards zero: never more than the value
    UP = "up"  # away from zero: never less than the value


def clean(value: float) -> float:
    """Remove binary float noise (``0.30000000000000004`` -> ``0.3``)."""
    return round(value, 9) + 0.0  # + 0.0 turns -0.0 into 0.0


def _check_step(step: float) -> None:
    if not (math.isfinite(step) and step > 0):
        raise ValueError(f"step must be a positive number, got {step!r}")


def _whole_steps(value: float, step: float, mode: RoundingMode) -> int:
    """How many whole steps ``value`` rounds to: the rounding rule, in one place."""
    units = value / step
    if not math.isfinite(units) or abs(units) > 1e15:
        raise ValueError(f"{value!r} is too large to count in steps of {step!r}")
    # Snap values that are a whole number of steps up to float noise.
    nearest = round(units)
    if abs(units - nearest) < 1e-7:
        return int(nearest)
    if mode is RoundingMode.NEAREST:
        return math.floor(abs(units) + 0.5) * (1 if units >= 0 else -1)
    if mode is RoundingMode.DOWN:
        return math.trunc(units)
    return math.ceil(units) if units >= 0 else math.floor(units)


def round_to_step(value: float, step: float, mode: RoundingMode = RoundingMode.NEAREST) -> float:
    """Round ``value`` to a whole multiple of ``step`` (both in the same unit).

    ``step`` must be positive and finite. Ties go away from zero for NEAREST so
    that 0.05 on a 0.1 grid becomes 0.1 whatever the float representation.
    """
    _check_step(step)
    if not math.isfinite(value):
        raise ValueError(f"value must be a finite number, got {value!r}")
    return clean(_whole_steps(value, step, mode) * step)


def decimals_for_step(step: float) -> int:
    """Number of decimals needed to show multiples of ``step`` exactly (max 6)."""
    for decimals in range(7):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-7:
            return decimals
    return 6


def format_number(value: float, max_decimals: int = 3) -> str:
    """Plain text for a quantity: no float noise, no trailing zeros.

    ``format_number(0.8700000001)`` -> ``"0.87"``; ``format_number(2.0)`` -> ``"2"``.
    """
    text = f"{clean(value):.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


#: Decimals a dose keeps when shown: 0.0625 (half a 0.125 mg tablet) is never "0.062",
#: and no measuring method TaperDesk offers is finer than 0.0001 mg.
DOSE_DECIMALS = 4


def format_mg(value_mg: float, max_decimals: int = DOSE_DECIMALS) -> str:
    """``0.875`` -> ``"0.875 mg"``; ``0.0625`` -> ``"0.0625 mg"``; ``1.0`` -> ``"1 mg"``
    (no trailing zero: ISMP lists "1.0 mg" as error-prone, it is misread as 10 mg)."""
    return f"{format_number(value_mg, max_decimals)} mg"


def align_decimals(texts: list[str], space: str = "\u2007") -> list[str]:
    """Numbers of one column padded on the right (figure spaces by default) so their
    decimal points line up without trailing zeros: "0.34" beside "0.342" reads right.
    Texts that are not plain numbers are left as they are."""

    def decimals(text: str) -> int | None:
        body = text.strip()
        try:
            float(body)
        except ValueError:
            return None
        return len(body.split(".")[1]) if "." in body else 0

    counts = [decimals(t) for t in texts]
    widest = max((c for c in counts if c is not None), default=0)
    out = []
    for text, count in zip(texts, counts, strict=True):
        if count is None or count == widest:
            out.append(text)
        else:
            pad = widest - count + (1 if count == 0 and widest else 0)
            out.append(text + space * pad)
    return out


def align_integers(texts: list[str], space: str = "\u2007") -> list[str]:
    """Numbers of one left-aligned column padded on the left (figure spaces) so their
    decimal points line up: "9.9" under "10.35" becomes " 9.9", and no number gets a
    trailing zero or a gap before its unit. Texts that are not plain numbers are left
    as they are."""

    def whole_digits(text: str) -> int | None:
        body = text.strip()
        try:
            float(body)
        except ValueError:
            return None
        return len(body.split(".")[0])

    counts = [whole_digits(t) for t in texts]
    widest = max((c for c in counts if c is not None), default=0)
    return [
        text if count is None else space * (widest - count) + text.strip()
        for text, count in zip(texts, counts, strict=True)
    ]


def format_ml(volume_ml: float, max_decimals: int = 2) -> str:
    """``8.7`` -> ``"8.7 mL"``."""
    return f"{format_number(volume_ml, max_decimals)} mL"


def format_percent(fraction_percent: float, max_decimals: int = 1) -> str:
    """``12.5`` -> ``"12.5%"``; the value is already in percent."""
    return f"{format_number(fraction_percent, max_decimals)}%"


def round_many_to_step(
    values: list[float], step: float, mode: RoundingMode = RoundingMode.NEAREST
) -> list[float]:
    """:func:`round_to_step` for a list of finite values (the same rule).

    Used for long day-by-day series (a daily micro taper over years).
    """
    _check_step(step)
    return [round(_whole_steps(value, step, mode) * step, 9) + 0.0 for value in values]


def distribute_on_grid(
    targets: list[float], total: float, step: float, caps: list[float] | None = None
) -> list[float]:
    """Share ``total`` (a multiple of ``step``) into parts close to ``targets``.

    Every part is a whole number of steps; parts start rounded down and the
    steps left over go to the parts with the largest remainders (largest
    remainder method), never lifting a part above its cap. Used to divide a
    rounded daily dose among dosing times without changing the total.
    """
    if not (math.isfinite(step) and step > 0):
        raise ValueError(f"step must be a positive number, got {step!r}")
    units = [math.floor(t / step + 1e-7) for t in targets]
    missing = round(total / step) - sum(units)
    by_remainder = sorted(
        range(len(targets)), key=lambda i: targets[i] / step - units[i], reverse=True
    )
    for i in by_remainder:
        if missing <= 0:
            break
        if caps is None or (units[i] + 1) * step <= caps[i] + EPSILON:
            units[i] += 1
            missing -= 1
    return [clean(u * step) for u in units]


#: A decimal as people type it: optional sign, digits, one "." or "," as the
#: decimal separator. No exponents, digit separators or words (NaN, inf).
_TYPED_DECIMAL = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_decimal(text: str) -> float:
    """Read a number a person typed: ``"0,5"`` and ``"0.5"`` both give 0.5.

    Raises ValueError for anything else (empty, ``"1e5"``, ``"1_000"``,
    ``"1.2.3"``, ``"nan"``...). Whether the value is allowed (zero, negative,
    too large) is for the caller to say, next to its field.
    """
    cleaned = text.strip()
    if not _TYPED_DECIMAL.match(cleaned):
        raise ValueError(f"not a number: {text!r}")
    value = float(cleaned.replace(",", "."))
    if not math.isfinite(value):  # e.g. 400 digits
        raise ValueError(f"not an ordinary number: {text!r}")
    return value


def first_upper(text: str) -> str:
    """``text`` with its first letter in capitals and the rest untouched ("AM" stays "AM")."""
    return text[:1].upper() + text[1:]
