"""Shared pieces of the titration engine: input errors, number parsing, devices.

Every titration method validates its inputs here in core, field by field, so
the GUI can show a message next to the field at fault and the command line can
print the same message on one line. Field names are the dataclass attribute
names (``dose_mg``, ``volume_ml``...); callers map them to widgets or options.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from taperdesk.core.measure import EPSILON, format_ml, format_number, parse_decimal

#: A dose or amount counts as "the same" within this much (mg or mL).
TOLERANCE = EPSILON
#: Positive amounts below this (mg or mL) are refused: no tool measures them, and
#: dividing by them overflows.
SMALLEST_QUANTITY = 1e-6
#: ... and amounts above this, for the same reasons.
LARGEST_QUANTITY = 1e9


class TitrationInputError(ValueError):
    """One or more inputs a user typed cannot give a preparation.

    ``errors`` maps a field name to one plain sentence about it. ``field`` and
    ``message`` are the first of them, for callers that show only one.
    """

    def __init__(self, errors: Mapping[str, str] | str, message: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {errors: message or "This value is not valid."}
        if not errors:
            raise ValueError("TitrationInputError needs at least one field error")
        self.errors: dict[str, str] = dict(errors)
        self.field, self.message = next(iter(self.errors.items()))
        super().__init__("; ".join(f"{name}: {text}" for name, text in self.errors.items()))


def raise_if_errors(errors: Mapping[str, str]) -> None:
    """Raise :class:`TitrationInputError` when ``errors`` is not empty."""
    if errors:
        raise TitrationInputError(errors)


def parse_quantity(text: str | float | int, field: str) -> float:
    """Read a number a person typed: ``"0,87"`` and ``"0.87"`` both give 0.87.

    Only the number is parsed; whether it is allowed (zero, negative...) is
    checked by the method's validation. Raises :class:`TitrationInputError`
    naming ``field`` for empty, non-numeric, NaN or infinite input.
    """
    if isinstance(text, bool):
        raise TitrationInputError(field, "Enter a number.")
    if isinstance(text, int | float):
        value = float(text)
    else:
        if not text.strip():
            raise TitrationInputError(field, "Enter a number.")
        try:
            value = parse_decimal(text)
        except ValueError:
            raise TitrationInputError(field, f"'{text.strip()}' is not a number.") from None
    if not math.isfinite(value):
        raise TitrationInputError(field, "Enter an ordinary number (not NaN or infinity).")
    return value


def check_number(
    errors: dict[str, str],
    field: str,
    value: object,
    *,
    allow_zero: bool = False,
    what: str = "This value",
    whole: bool = False,
) -> bool:
    """Add a message to ``errors`` when ``value`` is not a usable number.

    Returns True when the value is fine, so callers can go on to checks that
    combine several fields.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.setdefault(field, f"{what} must be a number.")
        return False
    if not math.isfinite(value):
        errors.setdefault(field, f"{what} must be an ordinary number (not NaN or infinity).")
        return False
    if value < 0:
        errors.setdefault(field, f"{what} cannot be negative.")
        return False
    if value == 0 and not allow_zero:
        errors.setdefault(field, f"{what} must be more than zero.")
        return False
    if 0 < value < SMALLEST_QUANTITY:
        errors.setdefault(field, f"{what} is too small to measure (under 0.000001).")
        return False
    if value > LARGEST_QUANTITY:
        errors.setdefault(field, f"{what} is far too large (over 1,000,000,000).")
        return False
    if whole and abs(value - round(value)) > TOLERANCE:
        errors.setdefault(field, f"{what} must be a whole number.")
        return False
    return True


@dataclass(frozen=True)
class MeasuringDevice:
    """Something that measures liquid, described by its finest graduation."""

    name: str
    graduation_ml: float

    @property
    def label(self) -> str:
        """``"oral syringe (0.1 mL graduations)"``."""
        return f"{self.name} ({format_ml(self.graduation_ml, 3)} graduations)"


#: The devices people commonly own (domain.md, "Liquid titration": oral
#: syringes with 0.01-0.1 mL graduations, cylinders with 1 mL).
SYRINGE_0_01_ML = MeasuringDevice("oral syringe", 0.01)
SYRINGE_0_05_ML = MeasuringDevice("oral syringe", 0.05)
SYRINGE_0_1_ML = MeasuringDevice("oral syringe", 0.1)
CYLINDER_1_ML = MeasuringDevice("measuring cylinder", 1.0)
DEVICE_PRESETS: tuple[MeasuringDevice, ...] = (
    SYRINGE_0_01_ML,
    SYRINGE_0_05_ML,
    SYRINGE_0_1_ML,
    CYLINDER_1_ML,
)


def custom_device(graduation_ml: float) -> MeasuringDevice:
    """A device the user describes by its graduation (validated by the method)."""
    return MeasuringDevice("measuring device", graduation_ml)


def tablets_phrase(count: int, tablet_mg: float) -> str:
    """``"1 x 1 mg tablet"``, ``"2 x 0.5 mg tablets"``."""
    plural = "" if count == 1 else "s"
    return f"{count} x {format_number(tablet_mg, 4)} mg tablet{plural}"


def whole_tablet_count(dose_mg: float, tablet_mg: float) -> int:
    """The most whole tablets that do not exceed ``dose_mg`` (float noise forgiven)."""
    return max(0, math.floor(dose_mg / tablet_mg + 1e-7))
