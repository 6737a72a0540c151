"""Every setting TaperDesk stores, once: its key, type, default and meaning.

Pure data, so ``store`` can validate a value when it reads it: a stored value
that does not fit its type (a damaged or hostile import, an older version)
reads as the default, and no setting can stop the app from starting.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SettingDefinition:
    """One stored setting."""

    key: str
    meaning: str
    default: Any
    valid: Callable[[Any], bool]

    def read(self, raw: Any) -> Any:
        """``raw`` if it fits this setting, else the default."""
        try:
            return raw if self.valid(raw) else self.default
        except (TypeError, ValueError, KeyError, AttributeError):
            return self.default


def _int_between(low: int, high: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _base64_text(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 10_000:
        return False
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _symptom_ids(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= 50
        and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
    )


def _method(value: Any) -> bool:
    from taperdesk.core.titration import MethodSettings, TitrationInputError

    if value is None:
        return True
    if not isinstance(value, dict):
        return False
    page = value.get("page", 0)
    if isinstance(page, bool) or not isinstance(page, int) or not 0 <= page <= 10:
        return False
    try:
        MethodSettings.from_dict(value)
    except (TitrationInputError, TypeError, ValueError, KeyError):
        return False
    return True


def _name(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 80 and value.isprintable()


WINDOW_GEOMETRY = SettingDefinition(
    "window.geometry", "The main window's size and place (Qt's saveGeometry, base64).",
    None, _base64_text,
)  # fmt: skip
WINDOW_TAB = SettingDefinition(
    "window.tab", "The tab shown when the app last closed (0 Plan, 1 Titration, 2 Diary).",
    0, _int_between(0, 2),
)  # fmt: skip
SAFETY_ACKNOWLEDGED = SettingDefinition(
    "safety.acknowledged_version", "The version of the safety notice the person accepted.",
    0, _int_between(0, 10_000),
)  # fmt: skip
TITRATION_METHOD = SettingDefinition(
    "titration.method", "The measuring method and equipment last used (Titration tab).",
    None, _method,
)  # fmt: skip
CHART_SYMPTOMS = SettingDefinition(
    "diary.chart_symptoms", "Ids of the symptoms drawn on the diary chart.",
    None, _symptom_ids,
)  # fmt: skip
CHART_RANGE = SettingDefinition(
    "diary.chart_range", "Days the diary chart shows (0: all of it).",
    91, lambda v: v in (0, 28, 91, 365) and not isinstance(v, bool),
)  # fmt: skip
DIARY_REMINDERS = SettingDefinition(
    "diary.reminders", "Remind at each dosing time to log the dose.",
    True, lambda v: isinstance(v, bool),
)  # fmt: skip
PERSON_NAME = SettingDefinition(
    "person.name", "The name printed on sheets and reports.", "", _name,
)  # fmt: skip
PRINT_PAGE_SIZE = SettingDefinition(
    "print.page_size", "Paper last chosen for printouts ('a4', 'letter'; '' the locale's).",
    "", lambda v: v in ("", "a4", "letter"),
)  # fmt: skip
PRINT_MEASURE = SettingDefinition(
    "print.measure",
    "How weekly sheets say to measure each dose ('saved': the Titration tab's method; "
    "'liquid', 'scale', 'tablets', 'compounded'; 'none': only the mg).",
    "saved", lambda v: v in ("saved", "liquid", "scale", "tablets", "compounded", "none"),
)  # fmt: skip
PRINT_WEEKS_PER_PAGE = SettingDefinition(
    "print.weeks_per_page", "Weekly sheets: one week a page, or two where they fit.",
    1, lambda v: v in (1, 2) and not isinstance(v, bool),
)  # fmt: skip


def _capsules(value: Any) -> bool:
    from taperdesk.core.compounding import DispensedCapsules

    return value is None or DispensedCapsules.from_dict(value) is not None


DISPENSED_CAPSULES = SettingDefinition(
    "compounding.capsules",
    "The capsule strengths of the last pharmacy request (the weekly sheets make each dose "
    "from them).",
    None, _capsules,
)  # fmt: skip
SELF_CHECK = SettingDefinition(
    "selfcheck.value", "Written and read back by --self-check.", None, lambda v: True,
)  # fmt: skip

SETTINGS: dict[str, SettingDefinition] = {
    d.key: d
    for d in (
        WINDOW_GEOMETRY,
        WINDOW_TAB,
        SAFETY_ACKNOWLEDGED,
        TITRATION_METHOD,
        CHART_SYMPTOMS,
        CHART_RANGE,
        DIARY_REMINDERS,
        PERSON_NAME,
        PRINT_PAGE_SIZE,
        PRINT_MEASURE,
        PRINT_WEEKS_PER_PAGE,
        DISPENSED_CAPSULES,
        SELF_CHECK,
    )
}
