"""Schema migrations: an ordered list of SQL steps, each in its own transaction.

The schema version lives in ``PRAGMA user_version``. Step N brings a database
from version N-1 to N. Steps are never edited once released: a change to the
schema is a new step. ``tests/store/data/schema_vN.sqlite3`` keeps a database
of every past version, and the tests upgrade each one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

#: TaperDesk's SQLite application id ("TpDk"), set by the first migration.
APPLICATION_ID = int.from_bytes(b"TpDk", "big")


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    script_name: str

    def statements(self) -> list[str]:
        """The step's SQL, split into complete statements (triggers stay whole)."""
        from importlib import resources  # ~6 ms: only a new or older file needs it

        text = (
            resources.files("taperdesk.store")
            .joinpath("sql", self.script_name)
            .read_text(encoding="utf-8")
        )
        return split_statements(text)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "settings, user drugs and the symptom catalogue", "0001_foundation.sql"),
    Migration(2, "taper plans, revisions, dosing times and holds", "0002_plans.sql"),
    Migration(3, "diary entries, doses taken and symptom ratings", "0003_diary.sql"),
    Migration(4, "no by-symptom index on ratings (faster diary saves)", "0004_lean_ratings.sql"),
    Migration(5, "a crossover may move each dose in parts", "0005_crossover_parts.sql"),
)

LATEST_VERSION = MIGRATIONS[-1].version


def split_statements(script: str) -> list[str]:
    """Split an SQL script into statements using SQLite's own completeness test."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        stripped = line.strip()
        if not buffer and (not stripped or stripped.startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer[:60]!r}")
    return statements


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def pending(connection: sqlite3.Connection, target: int = LATEST_VERSION) -> list[Migration]:
    current = schema_version(connection)
    return [m for m in MIGRATIONS if current < m.version <= target]


def migrate(connection: sqlite3.Connection, target: int = LATEST_VERSION) -> list[int]:
    """Apply every pending step up to ``target``; returns the versions applied.

    The connection must be in autocommit mode (``isolation_level=None``) so that
    the explicit BEGIN/COMMIT here are the only transaction control. A failing
    step is rolled back whole and the error propagates; earlier steps stay.
    """
    applied: list[int] = []
    for migration in pending(connection, target):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in migration.statements():
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {int(migration.version)}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
