"""Key/value settings (JSON values) in the ``settings`` table.

Every key is defined once, with its type and default, in
:mod:`taperdesk.core.settings_registry`. A value is checked when it is read: one
that does not fit its definition (a damaged file, a hostile import) reads as the
default, so no stored setting can stop the app.
"""

from __future__ import annotations

import json
from typing import Any

from taperdesk.core.settings_registry import SETTINGS, SettingDefinition
from taperdesk.store.database import Database, utc_now_text

_MISSING = object()


def _raw(database: Database, key: str) -> Any:
    rows = database.query("SELECT value_json FROM settings WHERE key = ?", (key,))
    if not rows:
        return _MISSING
    try:
        return json.loads(rows[0]["value_json"])
    except (ValueError, RecursionError):
        return _MISSING


def read_setting(database: Database, definition: SettingDefinition) -> Any:
    """The stored value of ``definition``, or its default when missing or unfit."""
    raw = _raw(database, definition.key)
    return definition.default if raw is _MISSING else definition.read(raw)


def get_setting(database: Database, key: str, default: Any = None) -> Any:
    """The value of ``key``; ``default`` when it is missing or does not fit its definition."""
    raw = _raw(database, key)
    if raw is _MISSING:
        return default
    definition = SETTINGS.get(key)
    if definition is not None and definition.read(raw) is not raw:
        return default
    return raw


def set_setting(database: Database, key: str, value: Any) -> None:
    """Save one setting in its own committed transaction.

    Raises ``ValueError`` for a value that does not fit the key's definition (a bug).
    """
    definition = SETTINGS.get(key)
    if definition is not None and definition.read(value) is not value:
        raise ValueError(f"{value!r} is not a valid value for the setting {key!r}")
    text = json.dumps(value, sort_keys=True, allow_nan=False)
    with database.transaction() as connection:
        connection.execute(
            "INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, "
            "updated_at = excluded.updated_at",
            (key, text, utc_now_text()),
        )


def all_settings(database: Database) -> dict[str, Any]:
    return {
        row["key"]: json.loads(row["value_json"])
        for row in database.query("SELECT key, value_json FROM settings ORDER BY key")
    }
