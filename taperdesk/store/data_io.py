"""All of TaperDesk's data as one JSON file, and the diary as CSV.

Export walks the schema (every table, every column), so new tables are
covered without this module knowing them. Import checks *everything* first,
in a scratch in-memory database with the same schema (types, CHECK ranges,
dates, references, duplicates), then applies it in ONE transaction. A day
already in the diary is never overwritten silently: it is skipped and
reported unless ``overwrite=True``. Preferences (settings, drug overrides,
symptom flags) take the file's values; plans already present are kept.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taperdesk.errors import KnownError
from taperdesk.store import migrations
from taperdesk.store.database import Database, connect, utc_now_text
from taperdesk.store.paths import os_error_text, write_private_text

FORMAT_NAME = "taperdesk-data"
FORMAT_VERSION = 1
HEALTH_WARNING = (
    "This file contains health information (doses, symptoms, notes). Keep it private: "
    "store it somewhere only you can read, and share it only with people you trust."
)


class ImportRefused(KnownError):
    """The file cannot be imported; ``problems`` lists each bad record by location."""

    title = "The file cannot be imported"

    def __init__(self, source: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:5]) + (
            f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        super().__init__(f"{source}: {shown}", "Nothing was imported. Fix the file and try again.")
        self.problems = problems


@dataclass
class ImportReport:
    added_days: int = 0
    replaced_days: int = 0
    skipped_days: list[str] = field(default_factory=list)
    rows_added: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        text = f"{self.added_days} day(s) added, {self.replaced_days} replaced"
        if self.skipped_days:
            text += f", {len(self.skipped_days)} skipped (already in your diary: "
            text += (
                ", ".join(self.skipped_days[:10])
                + ("…" if len(self.skipped_days) > 10 else "")
                + ")"
            )
        return text + "."


# -- the schema, read from the database itself ------------------------------


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    types: dict[str, str]
    not_null: frozenset[str]
    primary_key: tuple[str, ...]
    references: dict[str, tuple[str, str]]  # column -> (table, column)

    @property
    def has_id(self) -> bool:
        return self.primary_key == ("id",)


def schema_tables(connection: sqlite3.Connection) -> list[Table]:
    """Every table of the schema, parents before children."""
    names = [
        r[0]
        for r in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    tables: dict[str, Table] = {}
    for name in names:
        info = connection.execute(f"PRAGMA table_info({name})").fetchall()
        fks = connection.execute(f"PRAGMA foreign_key_list({name})").fetchall()
        tables[name] = Table(
            name=name,
            columns=tuple(r[1] for r in info),
            types={r[1]: r[2].upper() for r in info},
            not_null=frozenset(r[1] for r in info if r[3] or r[5]),
            primary_key=tuple(r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]),
            references={f[3]: (f[2], f[4]) for f in fks},
        )
    ordered: list[Table] = []
    while len(ordered) < len(tables):
        for table in tables.values():
            if table in ordered:
                continue
            parents = {t for t, _c in table.references.values() if t != table.name}
            if parents <= {t.name for t in ordered}:
                ordered.append(table)
    return ordered


# -- export -------------------------------------------------------------------


def export_data(database: Database, exported_at: str | None = None) -> dict[str, Any]:
    connection = database.connection
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in schema_tables(connection):
        order = ", ".join(table.primary_key or table.columns)
        rows = connection.execute(f"SELECT * FROM {table.name} ORDER BY {order}").fetchall()
        tables[table.name] = [dict(zip(table.columns, tuple(r), strict=True)) for r in rows]
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "schema_version": database.schema_version,
        "exported_at": exported_at or utc_now_text(),
        "warning": HEALTH_WARNING,
        "tables": tables,
    }


def export_json_text(database: Database, exported_at: str | None = None) -> str:
    return (
        json.dumps(
            export_data(database, exported_at), indent=1, ensure_ascii=False, allow_nan=False
        )
        + "\n"
    )


def write_export(database: Database, path: Path, exported_at: str | None = None) -> None:
    """Write all data to ``path`` (private file, written whole then renamed)."""
    text = export_json_text(database, exported_at)
    try:
        write_private_text(path, text)
    except OSError as error:
        raise KnownError(
            f"Could not write {path}: {os_error_text(error)}.", "Choose another place."
        ) from error


# -- import -------------------------------------------------------------------


def read_json_file(path: Path) -> Any:
    data = read_import_bytes(path)
    try:
        text = data.decode("utf-8-sig")  # a BOM (Notepad) is fine, as for CSV
    except UnicodeDecodeError:
        encoding = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "not UTF-8"
        raise ImportRefused(
            str(path), [f"the file is {encoding} text; TaperDesk exports are UTF-8 JSON"]
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            str(path), [f"line {error.lineno} column {error.colno}: not valid JSON ({error.msg})"]
        ) from error
    except RecursionError as error:  # thousands of nested brackets
        raise ImportRefused(str(path), ["nested too deeply to be a TaperDesk file"]) from error


def validate_document(doc: Any, source: str = "file") -> dict[str, list[dict[str, Any]]]:
    """Check ``doc`` completely; return its tables, or raise :class:`ImportRefused`."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise ImportRefused(
            source, [f"$.format: not a TaperDesk data file (expected '{FORMAT_NAME}')"]
        )
    problems: list[str] = []
    if doc.get("format_version") != FORMAT_VERSION:
        problems.append(f"$.format_version: {doc.get('format_version')!r} is not supported")
    version = doc.get("schema_version")
    if (
        not isinstance(version, int)
        or isinstance(version, bool)
        or not 1 <= version <= migrations.LATEST_VERSION
    ):
        problems.append(f"$.schema_version: {version!r} is not supported (newer TaperDesk?)")
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        problems.append("$.tables: missing")
    if problems:
        raise ImportRefused(source, problems)
    scratch = connect(":memory:")
    try:
        migrations.migrate(scratch)
        schema = {t.name: t for t in schema_tables(scratch)}
        for name in tables:
            if name not in schema:
                problems.append(f"$.tables.{name}: unknown table")
        scratch.execute("DELETE FROM symptoms")
        for table in schema.values():
            records = tables.get(table.name, [])
            if not isinstance(records, list):
                problems.append(f"$.tables.{table.name}: must be a list")
                continue
            for index, record in enumerate(records):
                where = f"$.tables.{table.name}[{index}] (record {index + 1})"
                problem = _check_record(scratch, table, record)
                if problem:
                    problems.append(f"{where}: {problem}")
                if len(problems) > 200:
                    break
    finally:
        scratch.close()
    if problems:
        raise ImportRefused(source, problems)
    return {name: tables.get(name, []) for name in schema}


def _check_record(scratch: sqlite3.Connection, table: Table, record: Any) -> str | None:
    if not isinstance(record, dict):
        return "must be an object"
    unknown = set(record) - set(table.columns)
    if unknown:
        return f"unknown field(s) {', '.join(sorted(unknown))}"
    for column, value in record.items():
        kind = table.types[column]
        if value is None:
            if column in table.not_null and column not in table.primary_key:
                return f"{column} is missing"
            continue
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            return f"{column} is far too large"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{column} is not a finite number ({value})"
        if isinstance(value, bool) or not (
            (kind == "INTEGER" and isinstance(value, int))
            or (kind == "REAL" and isinstance(value, int | float) and math.isfinite(value))
            or (kind == "TEXT" and isinstance(value, str))
        ):
            return f"{column} has the wrong type ({type(value).__name__}, expected {kind.lower()})"
    meaning = _meaning_problem(table.name, record)
    if meaning:
        return meaning
    missing = [c for c in table.not_null if c not in record and c not in table.primary_key]
    columns = list(record)
    try:
        scratch.execute(
            _insert_sql("INSERT", table.name, columns),
            [record[c] for c in columns],
        )
    except sqlite3.IntegrityError as error:
        text = str(error)
        if "UNIQUE" in text or "PRIMARY KEY" in text:
            return f"duplicate ({text.split(':', 1)[-1].strip()})"
        if "FOREIGN KEY" in text:
            return "refers to a record that is not in the file"
        if "NOT NULL" in text and missing:
            return f"{missing[0]} is missing"
        return f"value out of range or badly formed ({text})"
    return None


def _meaning_problem(table: str, record: dict[str, Any]) -> str | None:
    """What the schema cannot see: a setting that does not fit its definition in the
    settings registry, a symptom name the app would not accept when typed."""
    if table == "settings" and isinstance(record.get("key"), str):
        from taperdesk.core.settings_registry import SETTINGS

        definition = SETTINGS.get(record["key"])
        text = record.get("value_json")
        if definition is not None and isinstance(text, str):
            try:
                value = json.loads(text)
            except (ValueError, RecursionError):
                return f"the setting {record['key']} is not valid JSON"
            if definition.read(value) is not value:
                return f"the setting {record['key']} has a value that does not fit it ({text[:40]})"
    if table == "symptoms" and isinstance(record.get("name"), str):
        from taperdesk.core.diary import FieldError, validate_symptom_name

        try:
            validate_symptom_name(record["name"])
        except FieldError as error:
            return f"the symptom name {record['name'][:40]!r}: {error.message}"
    return None


def import_document(
    database: Database, doc: Any, *, overwrite: bool = False, source: str = "file"
) -> ImportReport:
    """Validate ``doc`` fully, then merge it into ``database`` in one transaction."""
    tables = validate_document(doc, source)
    report = ImportReport()
    with database.transaction() as connection:
        _merge(connection, tables, overwrite, report)
    return report


def conflicting_days(database: Database, doc: Any) -> list[str]:
    """Days in ``doc`` that already have an entry (for the GUI to ask about)."""
    days = [
        r.get("entry_date")
        for r in (doc.get("tables", {}).get("diary_entries") or [])
        if isinstance(r, dict)
    ]
    have = {r[0] for r in database.query("SELECT entry_date FROM diary_entries")}
    return sorted(d for d in days if d in have)


def _merge(connection: sqlite3.Connection, tables: Mapping[str, list[dict[str, Any]]],
           overwrite: bool, report: ImportReport) -> None:  # fmt: skip
    ids: dict[str, dict[Any, Any]] = {}  # table -> file id -> database id (None: skipped)
    schema = schema_tables(connection)
    active_exists = connection.execute("SELECT 1 FROM plans WHERE is_active = 1").fetchone()
    for table in schema:
        mapping = ids.setdefault(table.name, {})
        added = 0
        for record in tables.get(table.name, []):
            row = dict(record)
            skip = False
            for column, (parent, _pc) in table.references.items():
                if column in row and row[column] is not None:
                    target = ids.get(parent, {}).get(row[column], "absent")
                    if target is None:
                        skip = True
                    elif target != "absent":
                        row[column] = target
            if skip:
                continue
            file_id = row.get("id")
            existing = _existing(connection, table, row)
            if table.name == "diary_entries" and existing is not None:
                if not overwrite:
                    report.skipped_days.append(row["entry_date"])
                    mapping[file_id] = None
                    continue
                connection.execute("DELETE FROM diary_entries WHERE id = ?", (existing,))
                report.replaced_days += 1
                existing = None
            elif table.name == "diary_entries":
                report.added_days += 1
            if table.name == "plans" and existing is not None:
                mapping[file_id] = None  # the plan is already here: keep it as it is
                continue
            if table.name == "plans" and row.get("is_active") and active_exists:
                row["is_active"] = 0
            if existing is not None and table.has_id:
                mapping[file_id] = existing
                row.pop("id", None)
                sets = ", ".join(f"{c} = ?" for c in row)
                connection.execute(
                    f"UPDATE {table.name} SET {sets} WHERE id = ?", [*row.values(), existing]
                )
                continue
            if (
                table.has_id
                and connection.execute(
                    f"SELECT 1 FROM {table.name} WHERE id = ?", (file_id,)
                ).fetchone()
            ):
                row.pop("id")
            columns = list(row)
            cursor = connection.execute(
                _insert_sql("INSERT OR REPLACE", table.name, columns),
                [row[c] for c in columns],
            )
            if table.has_id:
                mapping[file_id] = cursor.lastrowid
            added += 1
        report.rows_added[table.name] = added


def _insert_sql(verb: str, table: str, columns: list[str]) -> str:
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _existing(connection: sqlite3.Connection, table: Table, row: dict[str, Any]) -> Any:
    """The id of the database row this record stands for (by natural key), or None."""
    keys = {
        "symptoms": ("name",),
        "diary_entries": ("entry_date",),
        "plans": ("name", "created_at"),
    }
    key = keys.get(table.name)
    if key is None or not table.has_id:
        return None
    where = " AND ".join(f"{c} = ?" for c in key)
    found = connection.execute(
        f"SELECT id FROM {table.name} WHERE {where}", [row.get(c) for c in key]
    ).fetchone()
    return found[0] if found else None


# -- diary CSV ------------------------------------------------------------------


def export_diary_csv(database: Database) -> str:
    from taperdesk.core.diary_csv import diary_to_csv
    from taperdesk.store.diary import entries_between
    from taperdesk.store.symptoms import list_symptoms

    names = {s.id: s.name for s in list_symptoms(database)}
    return diary_to_csv(entries_between(database), names)


def import_diary_csv(
    database: Database, text: str, *, overwrite: bool = False, source: str = "file"
) -> ImportReport:
    """Check every row of a diary CSV, then add its days in one transaction.

    A symptom column this diary does not have yet (a symptom the person added in
    another TaperDesk) becomes one of their symptoms, in the same transaction.
    """
    from taperdesk.core.diary import FieldError, validate_symptom_name
    from taperdesk.core.diary_csv import (
        MAX_NEW_SYMPTOMS,
        CsvProblems,
        diary_from_csv,
        symptom_columns,
    )
    from taperdesk.store.diary import write_entry
    from taperdesk.store.symptoms import insert_symptom, list_symptoms

    ids = {s.name: s.id for s in list_symptoms(database)}
    known = {name.casefold() for name in ids}
    missing: list[str] = []
    columns = symptom_columns(text)
    for name in columns:
        if name.casefold() in known:
            continue
        try:
            missing.append(validate_symptom_name(name, [*ids, *missing]))
        except FieldError as error:
            raise ImportRefused(source, [f"line 1: column '{name}': {error}"]) from error
        known.add(name.casefold())
    if len(missing) > MAX_NEW_SYMPTOMS:
        raise ImportRefused(
            source,
            [f"line 1: {len(missing):,} columns are not symptoms in your list; one file adds "
             f"at most {MAX_NEW_SYMPTOMS} new symptoms (is this a TaperDesk diary CSV?)"],
        )  # fmt: skip
    have = {r[0] for r in database.query("SELECT entry_date FROM diary_entries")}
    report = ImportReport()
    with database.transaction() as connection:  # an error below undoes the new symptoms too
        for name in missing:
            ids[name] = insert_symptom(connection, name).id
        try:
            entries = diary_from_csv(text, ids)
        except CsvProblems as error:
            raise ImportRefused(source, error.problems) from error
        for entry in entries:
            day = entry.entry_date.isoformat()
            if day in have and not overwrite:
                report.skipped_days.append(day)
                continue
            write_entry(connection, entry)
            if day in have:
                report.replaced_days += 1
            else:
                report.added_days += 1
    return report


def csv_conflicting_days(database: Database, text: str) -> list[str]:
    from taperdesk.core.diary_csv import csv_dates

    have = {r[0] for r in database.query("SELECT entry_date FROM diary_entries")}
    return sorted(set(csv_dates(text)) & have)


#: The largest file an import reads: ten years of a diary with long notes is ~10 MB.
MAX_IMPORT_BYTES = 30 * 1024 * 1024


def read_import_bytes(path: Path) -> bytes:
    """The bytes of a file to import, refused with a sentence when unreadable or far
    larger than any TaperDesk export."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportRefused(
                str(path),
                [f"the file is {size / 1024 / 1024:.0f} MB, larger than any TaperDesk export "
                 f"(at most {MAX_IMPORT_BYTES // 1024 // 1024} MB are read)"],
            )  # fmt: skip
        return path.read_bytes()
    except OSError as error:
        raise ImportRefused(str(path), [f"cannot be read ({error.strerror or error})"]) from error


def read_diary_csv_file(path: Path) -> str:
    """The text of a diary CSV (UTF-8, or what Excel writes: Windows-1252)."""
    from taperdesk.core.diary_csv import decode_csv

    return decode_csv(read_import_bytes(path))
