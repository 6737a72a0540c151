"""Diary entries in SQLite: one row per day, with its doses and symptom ratings.

Every write is one committed transaction: saving a day replaces the entry, its
doses and its ratings together, so a crash leaves either the old day or the
new one, never a mix. Reads hand back :class:`~taperdesk.core.diary.DiaryEntry`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from taperdesk.core.diary import DiaryEntry, DoseTaken, validate_entry
from taperdesk.store.database import Database, utc_now_text

if TYPE_CHECKING:
    import numpy as np


def save_entry(database: Database, entry: DiaryEntry) -> None:
    """Create or replace the entry of ``entry.entry_date`` (one transaction).

    Raises :class:`~taperdesk.core.diary.EntryInvalid` before touching the file
    when a field is not accepted.
    """
    validate_entry(entry)
    with database.transaction() as connection:
        write_entry(connection, entry)


def write_entry(connection: sqlite3.Connection, entry: DiaryEntry) -> None:
    """Upsert ``entry`` inside an open transaction (for imports that batch many days)."""
    row = connection.execute(
        "INSERT INTO diary_entries (entry_date, wellbeing, sleep_hours, day_marker, notes, "
        "deviation_reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (entry_date) DO UPDATE SET wellbeing = excluded.wellbeing, "
        "sleep_hours = excluded.sleep_hours, day_marker = excluded.day_marker, "
        "notes = excluded.notes, deviation_reason = excluded.deviation_reason, "
        "updated_at = excluded.updated_at RETURNING id",
        (
            entry.entry_date.isoformat(),
            entry.wellbeing,
            entry.sleep_hours,
            entry.day_marker,
            entry.notes,
            entry.deviation_reason,
            utc_now_text(),
        ),
    ).fetchone()
    entry_id = int(row[0])
    # Only rows that change are written: a re-save of the day (autosave after each
    # field) then dirties a page or two instead of every ratings and index page,
    # which is most of what a synchronous=FULL commit costs.
    keys = [(d.label, d.drug_key) for d in entry.doses]
    connection.execute(
        "DELETE FROM doses_taken WHERE entry_id = ?"
        + (
            " AND (dosing_label, drug_key) NOT IN (VALUES "
            + ", ".join(["(?, ?)"] * len(keys))
            + ")"
            if keys
            else ""
        ),
        (entry_id, *(part for key in keys for part in key)),
    )
    connection.executemany(
        "INSERT INTO doses_taken (entry_id, dosing_label, drug_key, dose_mg, planned_mg, "
        "taken_time) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (entry_id, dosing_label, drug_key) DO UPDATE SET "
        "dose_mg = excluded.dose_mg, planned_mg = excluded.planned_mg, "
        "taken_time = excluded.taken_time WHERE dose_mg IS NOT excluded.dose_mg "
        "OR planned_mg IS NOT excluded.planned_mg OR taken_time IS NOT excluded.taken_time",
        [
            (entry_id, d.label, d.drug_key, d.dose_mg, d.planned_mg, d.taken_time)
            for d in entry.doses
        ],
    )
    symptom_ids = list(entry.ratings)
    connection.execute(
        "DELETE FROM symptom_ratings WHERE entry_id = ?"
        + (
            " AND symptom_id NOT IN (" + ", ".join(["?"] * len(symptom_ids)) + ")"
            if symptom_ids
            else ""
        ),
        (entry_id, *symptom_ids),
    )
    connection.executemany(
        "INSERT INTO symptom_ratings (entry_id, symptom_id, severity) VALUES (?, ?, ?) "
        "ON CONFLICT (entry_id, symptom_id) DO UPDATE SET severity = excluded.severity "
        "WHERE severity IS NOT excluded.severity",
        [(entry_id, symptom_id, severity) for symptom_id, severity in entry.ratings.items()],
    )


def restore_day(database: Database, day: dt.date, entry: DiaryEntry | None) -> None:
    """Put ``day`` back as ``entry`` (``None``: no entry), in one transaction (for undo)."""
    with database.transaction() as connection:
        if entry is None:
            connection.execute("DELETE FROM diary_entries WHERE entry_date = ?", (day.isoformat(),))
        else:
            validate_entry(entry)
            write_entry(connection, entry)


def delete_entry(database: Database, day: dt.date) -> bool:
    """Remove the entry of ``day``; ``True`` if there was one."""
    with database.transaction() as connection:
        cursor = connection.execute(
            "DELETE FROM diary_entries WHERE entry_date = ?", (day.isoformat(),)
        )
        return cursor.rowcount > 0


def load_entry(database: Database, day: dt.date) -> DiaryEntry | None:
    entries = entries_between(database, day, day)
    return entries[0] if entries else None


def entries_between(
    database: Database, start: dt.date | None = None, end: dt.date | None = None
) -> list[DiaryEntry]:
    """Entries from ``start`` to ``end`` (inclusive; ``None`` = open), oldest first.

    Three queries whatever the number of days.
    """
    low = (start or dt.date.min).isoformat()
    high = (end or dt.date.max).isoformat()
    entry_rows = database.query(
        "SELECT * FROM diary_entries WHERE entry_date BETWEEN ? AND ? ORDER BY entry_date",
        (low, high),
    )
    if not entry_rows:
        return []
    doses: dict[int, list[DoseTaken]] = defaultdict(list)
    for row in database.query(
        "SELECT d.* FROM doses_taken d JOIN diary_entries e ON e.id = d.entry_id "
        "WHERE e.entry_date BETWEEN ? AND ? ORDER BY d.entry_id, d.dosing_label, d.drug_key",
        (low, high),
    ):
        doses[row["entry_id"]].append(
            DoseTaken(
                row["dosing_label"],
                row["drug_key"],
                row["dose_mg"],
                row["planned_mg"],
                row["taken_time"],
            )
        )
    ratings: dict[int, dict[int, int]] = defaultdict(dict)
    for row in database.query(
        "SELECT r.entry_id, r.symptom_id, r.severity FROM symptom_ratings r "
        "JOIN diary_entries e ON e.id = r.entry_id WHERE e.entry_date BETWEEN ? AND ?",
        (low, high),
    ):
        ratings[row[0]][row[1]] = row[2]
    return [
        DiaryEntry(
            entry_date=dt.date.fromisoformat(row["entry_date"]),
            doses=tuple(doses.get(row["id"], ())),
            ratings=ratings.get(row["id"], {}),
            wellbeing=row["wellbeing"],
            sleep_hours=row["sleep_hours"],
            day_marker=row["day_marker"],
            notes=row["notes"],
            deviation_reason=row["deviation_reason"],
        )
        for row in entry_rows
    ]


def doses_taken_on(database: Database, day: dt.date, drug_key: str) -> dict[str, float]:
    """``dosing time -> mg`` of ``drug_key`` the diary records for ``day`` (empty: none)."""
    rows = database.query(
        "SELECT d.dosing_label, d.dose_mg FROM doses_taken d "
        "JOIN diary_entries e ON e.id = d.entry_id WHERE e.entry_date = ? AND d.drug_key = ?",
        (day.isoformat(), drug_key),
    )
    return {str(row[0]): float(row[1]) for row in rows}


def daily_totals_taken(
    database: Database, drug_key: str, days: Collection[dt.date] | None = None
) -> dict[dt.date, float]:
    """``date -> total mg of drug_key`` taken, for every day the diary records a dose of it
    (of ``days`` only, when given: a day without a dose of it is absent)."""
    only = ""
    arguments: tuple[object, ...] = (drug_key,)
    if days is not None:
        only = f" AND e.entry_date IN ({', '.join('?' * len(days))})"
        arguments += tuple(day.isoformat() for day in days)
    rows = database.query(
        "SELECT e.entry_date, sum(d.dose_mg) FROM doses_taken d "
        f"JOIN diary_entries e ON e.id = d.entry_id WHERE d.drug_key = ?{only} "
        "GROUP BY e.entry_date ORDER BY e.entry_date",
        arguments,
    )
    return {dt.date.fromisoformat(row[0]): float(row[1]) for row in rows}


def logged_dates(database: Database) -> list[dt.date]:
    """Every day with an entry, oldest first."""
    return [
        dt.date.fromisoformat(row[0])
        for row in database.query("SELECT entry_date FROM diary_entries ORDER BY entry_date")
    ]


def last_entry_before(database: Database, day: dt.date) -> DiaryEntry | None:
    """The latest entry with doses before ``day`` (where dose labels come from without a plan)."""
    rows = database.query(
        "SELECT e.entry_date FROM diary_entries e WHERE e.entry_date < ? AND EXISTS "
        "(SELECT 1 FROM doses_taken d WHERE d.entry_id = e.id) ORDER BY e.entry_date DESC LIMIT 1",
        (day.isoformat(),),
    )
    return load_entry(database, dt.date.fromisoformat(rows[0][0])) if rows else None


@dataclass(frozen=True, slots=True)
class NoteHit:
    entry_date: dt.date
    notes: str


def search_notes(database: Database, text: str, limit: int = 1000) -> list[NoteHit]:
    """Entries whose notes (or reason) contain ``text`` in any letter case, newest first.

    Matched in Python with ``casefold``: SQLite's LIKE folds only A-Z, so "übelkeit"
    would miss "Übelkeit". A hit found only in the reason shows the reason.
    """
    wanted = text.casefold()
    rows = database.query(
        "SELECT entry_date, notes, deviation_reason FROM diary_entries "
        "WHERE notes != '' OR deviation_reason != '' ORDER BY entry_date DESC"
    )
    hits: list[NoteHit] = []
    for day, notes, reason in rows:
        if wanted in notes.casefold():
            hits.append(NoteHit(dt.date.fromisoformat(day), notes))
        elif wanted in reason.casefold():
            hits.append(NoteHit(dt.date.fromisoformat(day), f"Reason: {reason}"))
        if len(hits) >= limit:
            break
    return hits


def entry_summaries(
    database: Database, limit: int = 5000
) -> list[tuple[dt.date, tuple[tuple[str, float], ...], str, str]]:
    """(date, ((drug, mg taken), ...), marker, notes) for the browse list, newest first.

    Doses of two drugs (a crossover) are never added together: each drug has its total.
    """
    rows = database.query(_SUMMARY_SQL + "ORDER BY e.entry_date DESC LIMIT ?", (limit,))
    return [_summary(r) for r in rows]


def entry_summary(
    database: Database, day: dt.date
) -> tuple[dt.date, tuple[tuple[str, float], ...], str, str] | None:
    """The browse list's summary of one day (a save refreshes its own row only)."""
    rows = database.query(_SUMMARY_SQL + "WHERE e.entry_date = ?", (day.isoformat(),))
    return _summary(rows[0]) if rows else None


_SUMMARY_SQL = (
    "SELECT e.entry_date, (SELECT group_concat(drug_key || char(31) || total, char(30)) "
    "FROM (SELECT drug_key, sum(dose_mg) AS total FROM doses_taken d "
    "WHERE d.entry_id = e.id GROUP BY drug_key ORDER BY drug_key)), e.day_marker, e.notes "
    "FROM diary_entries e "
)


def _summary(r: sqlite3.Row) -> tuple[dt.date, tuple[tuple[str, float], ...], str, str]:
    drugs = tuple(
        (key, float(mg))
        for key, mg in (part.split("\x1f") for part in (r[1] or "").split("\x1e") if part)
    )
    return dt.date.fromisoformat(r[0]), drugs, r[2], r[3]


def logged_drug_keys(database: Database) -> tuple[str, ...]:
    """Every drug the diary has a dose of."""
    rows = database.query("SELECT DISTINCT drug_key FROM doses_taken ORDER BY drug_key")
    return tuple(r[0] for r in rows)


def drug_keys_still_logged(
    database: Database, known: Collection[str], day: dt.date
) -> tuple[str, ...]:
    """:func:`logged_drug_keys` after a save of ``day``, when ``known`` were the keys
    before it: ``day``'s drugs, and each known one still logged on some day (a stop at
    its first dose; the whole table was read, ~3 ms at ten years, on every save)."""
    rows = database.query(
        "SELECT DISTINCT d.drug_key FROM doses_taken d "
        "JOIN diary_entries e ON e.id = d.entry_id WHERE e.entry_date = ?",
        (day.isoformat(),),
    )
    keys = {r[0] for r in rows}
    for key in set(known) - keys:
        if database.query("SELECT 1 FROM doses_taken WHERE drug_key = ? LIMIT 1", (key,)):
            keys.add(key)
    return tuple(sorted(keys))


def _sql_text(text: str) -> str:
    """A string literal for SQL (drug keys are checked text; quotes are doubled anyway)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass
class DiarySeries:
    """The diary as arrays for charts: x values are day ordinals (``date.toordinal()``).

    ``taken_mg``/``planned_mg`` are NaN where a day has no doses / no plan.
    ``ratings`` maps symptom id to ``(days, severities)`` of the days it was rated.
    """

    days: np.ndarray
    wellbeing: np.ndarray
    sleep_hours: np.ndarray
    markers: np.ndarray  # 0 neutral, 1 window, 2 wave
    taken_mg: np.ndarray
    planned_mg: np.ndarray
    ratings: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: How many doses each day logged (0: none): fewer than the plan has is a day logged
    #: in part, which must not be drawn as a drop in dose.
    dose_count: np.ndarray | None = None


_MARKER_CODE = "CASE day_marker WHEN 'window' THEN 1 WHEN 'wave' THEN 2 ELSE 0 END"


def diary_series(
    database: Database,
    diazepam_eq_per_mg: Mapping[str, float] | None = None,
    only_day: dt.date | None = None,
) -> DiarySeries:
    """Everything the chart needs, in one query per table (ten years load in ~20 ms).

    With ``diazepam_eq_per_mg`` (drug -> diazepam-eq mg per mg) the doses are that
    day's diazepam-equivalent total, for a diary of more than one drug; without it,
    mg summed (one drug). ``only_day``: that day alone (a save refreshes its own day).
    """
    import numpy as np

    where = "" if only_day is None else " WHERE e.entry_date = ?"
    # One day's doses and ratings by its entry's id (the doses' sums were taken over the
    # whole diary and then joined to the one day: ~7 ms at ten years, for every save).
    rating_where = (
        ""
        if only_day is None
        else " WHERE entry_id = (SELECT id FROM diary_entries WHERE entry_date = ?)"
    )
    day_parameter = () if only_day is None else (only_day.isoformat(),)
    dose = "dose_mg"
    planned = "planned_mg"
    if diazepam_eq_per_mg:
        cases = " ".join(
            f"WHEN {_sql_text(k)} THEN {float(v)!r}" for k, v in diazepam_eq_per_mg.items()
        )
        factor = f"(CASE drug_key {cases} ELSE NULL END)"
        dose, planned = f"dose_mg * {factor}", f"planned_mg * {factor}"
    cursor = database.connection.cursor()
    cursor.row_factory = None
    # Absent values come back as -1 (no stored value can be negative) so the rows
    # are plain numbers numpy converts in one call; -1 becomes NaN below.
    entries = cursor.execute(
        "SELECT e.id, julianday(e.entry_date) - 1721424.5, coalesce(e.wellbeing, -1), "
        f"coalesce(e.sleep_hours, -1), {_MARKER_CODE}, coalesce(d.taken, -1), "
        "coalesce(d.planned, -1), coalesce(d.doses, 0) FROM diary_entries e LEFT JOIN ("
        f"SELECT entry_id, sum({dose}) AS taken, sum({planned}) AS planned, "
        "count(*) AS doses "
        f"FROM doses_taken{rating_where} GROUP BY entry_id) d ON d.entry_id = e.id{where} "
        "ORDER BY e.entry_date",
        day_parameter * 2,
    ).fetchall()
    table = np.array(entries, dtype=float).reshape(len(entries), 8)
    ids = table[:, 0].astype(np.int64)
    table = table[:, 1:]
    for column in (1, 2, 4, 5):
        table[table[:, column] < 0, column] = np.nan
    series = DiarySeries(
        days=table[:, 0].round(),
        wellbeing=table[:, 1],
        sleep_hours=table[:, 2],
        markers=table[:, 3].astype(np.int8),
        taken_mg=table[:, 4],
        planned_mg=table[:, 5],
        dose_count=table[:, 6].astype(np.int16),
    )
    if not len(entries):
        return series
    order = np.argsort(ids)
    sorted_ids = ids[order]
    cursor = database.connection.cursor()
    cursor.row_factory = None  # plain tuples: several times faster to turn into an array
    # One text row packing (entry, symptom, severity) as integers: parsing one string is
    # several times faster than fetching 50 000 row tuples.
    packed_text = cursor.execute(
        "SELECT group_concat((entry_id * 1048576 + symptom_id) * 16 + severity) "
        f"FROM symptom_ratings{rating_where}",
        day_parameter,
    ).fetchone()[0]
    packed = (
        np.fromstring(packed_text, dtype=np.int64, sep=",")  # parsed in C
        if packed_text
        else np.empty(0, dtype=np.int64)
    )
    rating_rows = np.column_stack((packed // 16 % 1048576, packed // 16777216, packed % 16))
    rating_rows = rating_rows[np.lexsort((rating_rows[:, 1], rating_rows[:, 0]))]
    if len(rating_rows):
        positions = order[np.searchsorted(sorted_ids, rating_rows[:, 1])]
        splits = np.flatnonzero(np.diff(rating_rows[:, 0])) + 1
        for chunk_ids, chunk_pos, chunk_sev in zip(
            np.split(rating_rows[:, 0], splits),
            np.split(positions, splits),
            np.split(rating_rows[:, 2], splits),
            strict=True,
        ):
            by_day = np.argsort(chunk_pos)
            series.ratings[int(chunk_ids[0])] = (
                series.days[chunk_pos[by_day]],
                chunk_sev[by_day].astype(float),
            )
    return series
