"""The symptom catalogue: the seed list plus the user's own symptoms.

Symptoms are never deleted here: hiding one keeps every rating of it, so the
chart and the exports still show what was logged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from taperdesk.core.diary import FieldError, Symptom, validate_symptom_name
from taperdesk.store.database import Database


def _symptom(row: object) -> Symptom:
    return Symptom(
        id=int(row["id"]),  # type: ignore[index]
        name=row["name"],  # type: ignore[index]
        is_seed=bool(row["is_seed"]),  # type: ignore[index]
        hidden=bool(row["hidden"]),  # type: ignore[index]
        tracked=bool(row["tracked"]),  # type: ignore[index]
        position=int(row["position"]),  # type: ignore[index]
    )


def list_symptoms(database: Database, include_hidden: bool = True) -> list[Symptom]:
    """The catalogue in the user's order."""
    where = "" if include_hidden else "WHERE hidden = 0"
    rows = database.query(f"SELECT * FROM symptoms {where} ORDER BY position, id")
    return [_symptom(row) for row in rows]


def tracked_symptoms(database: Database) -> list[Symptom]:
    """Symptoms rated every day: tracked and not hidden, in order."""
    return [s for s in list_symptoms(database, include_hidden=False) if s.tracked]


def get_symptom(database: Database, symptom_id: int) -> Symptom | None:
    rows = database.query("SELECT * FROM symptoms WHERE id = ?", (symptom_id,))
    return _symptom(rows[0]) if rows else None


def add_symptom(database: Database, name: str, tracked: bool = True) -> Symptom:
    """Add the user's own symptom at the end of the list (tracked by default).

    Raises :class:`FieldError` for an empty, too long or duplicate name.
    """
    taken = [s.name for s in list_symptoms(database)]
    cleaned = validate_symptom_name(name, taken)
    with database.transaction() as connection:
        return insert_symptom(connection, cleaned, tracked)


def insert_symptom(connection: sqlite3.Connection, name: str, tracked: bool = True) -> Symptom:
    """Add an already validated symptom name at the end of the list, inside an open
    transaction (an import adds its new symptoms together with its days)."""
    (position,) = connection.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM symptoms"
    ).fetchone()
    cursor = connection.execute(
        "INSERT INTO symptoms (name, is_seed, hidden, tracked, position) VALUES (?, 0, 0, ?, ?)",
        (name, int(tracked), position),
    )
    return Symptom(int(cursor.lastrowid or 0), name, False, False, tracked, position)


def rename_symptom(database: Database, symptom_id: int, name: str) -> None:
    taken = [s.name for s in list_symptoms(database) if s.id != symptom_id]
    cleaned = validate_symptom_name(name, taken)
    _update(database, symptom_id, "name", cleaned)


def set_hidden(database: Database, symptom_id: int, hidden: bool) -> None:
    """Hide (or show again) a symptom; its ratings are kept either way."""
    _update(database, symptom_id, "hidden", int(hidden))


def set_tracked(database: Database, symptom_id: int, tracked: bool) -> None:
    _update(database, symptom_id, "tracked", int(tracked))


def reorder_symptoms(database: Database, ordered_ids: Sequence[int]) -> None:
    """Put the symptoms in ``ordered_ids`` order; any not listed keep their order after them."""
    current = [s.id for s in list_symptoms(database)]
    unknown = set(ordered_ids) - set(current)
    if unknown or len(set(ordered_ids)) != len(ordered_ids):
        raise ValueError(f"Unknown or repeated symptom ids: {sorted(unknown) or ordered_ids}")
    order = list(ordered_ids) + [i for i in current if i not in set(ordered_ids)]
    with database.transaction() as connection:
        connection.executemany(
            "UPDATE symptoms SET position = ? WHERE id = ?",
            [(position, symptom_id) for position, symptom_id in enumerate(order)],
        )


def _update(database: Database, symptom_id: int, column: str, value: object) -> None:
    with database.transaction() as connection:
        cursor = connection.execute(
            f"UPDATE symptoms SET {column} = ? WHERE id = ?", (value, symptom_id)
        )
        if cursor.rowcount == 0:
            raise FieldError("symptom", f"There is no symptom with id {symptom_id}.")
