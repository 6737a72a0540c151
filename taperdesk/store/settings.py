"""Key/value settings (JSON values) in the ``settings`` table.

Keys are dotted names owned by the module that uses them, e.g.
``window.geometry``, ``safety.acknowledged``, ``titration.method``.
"""

from __future__ import annotations

import json
from typing import Any

from taperdesk.store.database import Database, utc_now_text


def get_setting(database: Database, key: str, default: Any = None) -> Any:
    rows = database.query("SELECT value_json FROM settings WHERE key = ?", (key,))
    if not rows:
        return default
    return json.loads(rows[0]["value_json"])


def set_setting(database: Database, key: str, value: Any) -> None:
    """Save one setting in its own committed transaction."""
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
