"""Settings as the front ends use them: typed reads through the one registry.

The keys, types and defaults are in :mod:`taperdesk.core.settings_registry`;
here are the reads that turn a stored value into what a screen or a printout
needs (a :class:`~taperdesk.core.titration.MethodSettings`, a name), once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from taperdesk.core import settings_registry as registry
from taperdesk.core.settings_registry import SettingDefinition

if TYPE_CHECKING:
    import datetime as dt

    from taperdesk.core.compounding import CompoundingResult, DispensedCapsules
    from taperdesk.core.titration import MethodSettings
    from taperdesk.store.database import Database

__all__ = [
    "SettingDefinition",
    "dispensed_capsules",
    "person_name",
    "read",
    "registry",
    "remember_capsules",
    "titration_method",
    "write",
]


def read(database: Database, definition: SettingDefinition) -> Any:
    """The stored value, or the definition's default when missing or unfit."""
    from taperdesk.store.settings import read_setting

    return read_setting(database, definition)


def write(database: Database, definition: SettingDefinition, value: Any) -> None:
    """Save one setting (one committed transaction)."""
    from taperdesk.store.settings import set_setting

    set_setting(database, definition.key, value)


def titration_method(database: Database) -> MethodSettings | None:
    """The saved measuring method and equipment, or ``None`` (none saved, or unfit)."""
    from taperdesk.core.titration import MethodSettings, TitrationInputError

    raw = read(database, registry.TITRATION_METHOD)
    if not raw:
        return None
    try:
        return MethodSettings.from_dict(raw)
    except (TitrationInputError, TypeError, ValueError, KeyError):
        return None


def dispensed_capsules(database: Database) -> DispensedCapsules | None:
    """The capsule strengths of the last pharmacy request, or ``None``."""
    from taperdesk.core.compounding import DispensedCapsules

    return DispensedCapsules.from_dict(read(database, registry.DISPENSED_CAPSULES))


def remember_capsules(
    database: Database, drug_key: str, result: CompoundingResult, first_day: dt.date
) -> None:
    """Save a pharmacy request's capsule strengths for the weekly sheets (one transaction)."""
    from taperdesk.core.compounding import DispensedCapsules

    found = DispensedCapsules(
        drug_key, tuple(result.strengths_mg), result.max_per_dose, first_day.isoformat()
    )
    if read(database, registry.DISPENSED_CAPSULES) != found.to_dict():
        write(database, registry.DISPENSED_CAPSULES, found.to_dict())


def person_name(database: Database) -> str | None:
    """The name printed on sheets, or ``None``."""
    name = read(database, registry.PERSON_NAME)
    return (name.strip() or None) if isinstance(name, str) else None
