"""Taper plans in SQLite: plans, their revisions, dosing times and holds.

A plan is the user's taper. Every edit and every "re-plan from actual" adds a
revision (old ones are kept for the chart); holds belong to the plan, not to a
revision, because they are real-world pauses. At most one plan is active.
Every write is one committed transaction; errors a user can meet come out of
:meth:`Database.transaction` as :class:`~taperdesk.store.errors.StoreError`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, replace

from taperdesk.core.plan import (
    Crossover,
    CutOrder,
    DosingTime,
    Hold,
    ReductionKind,
    ReductionModel,
    TaperPlan,
    TaperStyle,
)
from taperdesk.store.database import Database, utc_now_text

_MODEL_TO_SQL = {ReductionKind.PERCENT_OF_CURRENT: "percent", ReductionKind.FIXED_MG: "fixed"}
_MODEL_FROM_SQL = {v: k for k, v in _MODEL_TO_SQL.items()}


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    """One saved revision: its number, when (ISO UTC text) and why."""

    revision: int
    created_at: str
    reason: str


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """The active plan with its ids, name and revision list (newest last)."""

    plan_id: int
    name: str
    created_at: str
    plan: TaperPlan
    revisions: tuple[RevisionInfo, ...]

    @property
    def revision(self) -> int:
        return self.plan.revision


@dataclass(frozen=True, slots=True)
class SavedRevision:
    """A revision with the plan it describes (holds merged in), for the chart."""

    revision: int
    created_at: str
    reason: str
    plan: TaperPlan


# -- writing -----------------------------------------------------------------


def save_new_plan(database: Database, plan: TaperPlan, name: str) -> int:
    """Save ``plan`` as revision 1 of a new plan, which becomes the active one.

    The plan that was active is deactivated in the same transaction. Holds in
    ``plan`` are saved with it. Returns the new plan's id.
    """
    now = utc_now_text()
    with database.transaction() as connection:
        connection.execute("UPDATE plans SET is_active = 0 WHERE is_active = 1")
        plan_id = connection.execute(
            "INSERT INTO plans (name, is_active, created_at) VALUES (?, 1, ?)",
            (name.strip(), now),
        ).lastrowid
        assert plan_id is not None
        _insert_revision(connection, plan_id, 1, replace(plan, revision=1), "Created", now)
        for hold in plan.holds:
            _insert_hold(connection, plan_id, hold)
    return plan_id


def save_revision(database: Database, plan_id: int, plan: TaperPlan, reason: str) -> int:
    """Add a revision (an edit or a re-plan from actual); returns its number.

    Earlier revisions are kept. Holds are the plan's and are not touched here
    (use :func:`add_hold` / :func:`end_open_hold`).
    """
    now = utc_now_text()
    with database.transaction() as connection:
        row = connection.execute(
            "SELECT coalesce(max(revision), 0) FROM plan_revisions WHERE plan_id = ?", (plan_id,)
        ).fetchone()
        number = int(row[0]) + 1
        if number == 1:
            raise KeyError(f"No plan with id {plan_id}")
        _insert_revision(connection, plan_id, number, replace(plan, revision=number), reason, now)
    return number


def add_hold(
    database: Database, plan_id: int, start: dt.date, end: dt.date | None = None, note: str = ""
) -> None:
    """Add a hold; ``end=None`` is "Hold from ``start``" until resumed.

    Does nothing if an open hold already exists and ``end`` is ``None``.
    """
    with database.transaction() as connection:
        if end is None and _open_hold_row(connection, plan_id) is not None:
            return
        _insert_hold(connection, plan_id, Hold(start, end), note)


def end_open_hold(database: Database, plan_id: int, today: dt.date) -> None:
    """ "Resume": the open hold ends yesterday (and vanishes if it began today)."""
    with database.transaction() as connection:
        row = _open_hold_row(connection, plan_id)
        if row is None:
            return
        start = dt.date.fromisoformat(row["start_date"])
        end = today - dt.timedelta(days=1)
        if end < start:
            connection.execute("DELETE FROM plan_holds WHERE id = ?", (row["id"],))
        else:
            connection.execute(
                "UPDATE plan_holds SET end_date = ? WHERE id = ?", (end.isoformat(), row["id"])
            )


def delete_hold(database: Database, plan_id: int, start: dt.date) -> None:
    """Remove the hold of ``plan_id`` that starts on ``start``."""
    with database.transaction() as connection:
        connection.execute(
            "DELETE FROM plan_holds WHERE plan_id = ? AND start_date = ?",
            (plan_id, start.isoformat()),
        )


def archive_plan(database: Database, plan_id: int) -> None:
    """Keep the plan but make it inactive (the tab then shows "No plan yet")."""
    with database.transaction() as connection:
        connection.execute("UPDATE plans SET is_active = 0 WHERE id = ?", (plan_id,))


def delete_plan(database: Database, plan_id: int) -> None:
    """Delete a plan with all its revisions and holds."""
    with database.transaction() as connection:
        connection.execute("DELETE FROM plans WHERE id = ?", (plan_id,))


def rename_plan(database: Database, plan_id: int, name: str) -> None:
    with database.transaction() as connection:
        connection.execute("UPDATE plans SET name = ? WHERE id = ?", (name.strip(), plan_id))


# -- reading -----------------------------------------------------------------


def active_plan_id(database: Database) -> int | None:
    rows = database.query("SELECT id FROM plans WHERE is_active = 1")
    return int(rows[0]["id"]) if rows else None


def load_active_plan(database: Database) -> TaperPlan | None:
    """The newest revision of the active plan with its holds, or ``None``."""
    record = load_active_plan_record(database)
    return record.plan if record else None


def local_date(utc_text: str) -> dt.date | None:
    """The local calendar day of a stored UTC timestamp (``None`` if unreadable)."""
    try:
        return dt.datetime.fromisoformat(utc_text).astimezone().date()
    except ValueError:
        return None


def plan_fingerprint(database: Database) -> tuple[object, ...]:
    """A cheap value that changes whenever the active plan, a revision, a hold or a
    user drug changes (by this process or another one): the application layer's
    cache key for "what is planned on day D"."""
    row = database.query(
        "SELECT (SELECT group_concat(id || ':' || name, ';') FROM plans WHERE is_active = 1), "
        "(SELECT max(r.id) || ':' || count(*) FROM plan_revisions r "
        " JOIN plans p ON p.id = r.plan_id AND p.is_active = 1), "
        "(SELECT group_concat(h.id || ':' || h.start_date || ':' || ifnull(h.end_date, ''), ';') "
        " FROM plan_holds h JOIN plans p ON p.id = h.plan_id AND p.is_active = 1)"
    )[0]
    drugs = database.query("SELECT * FROM user_drugs ORDER BY drug_key")
    return (tuple(row), tuple(tuple(r) for r in drugs))


def load_active_plan_record(database: Database) -> PlanRecord | None:
    """The active plan with its id, name and revision list, or ``None``."""
    rows = database.query("SELECT id, name, created_at FROM plans WHERE is_active = 1")
    if not rows:
        return None
    plan_id = int(rows[0]["id"])
    revisions = load_revisions(database, plan_id)
    if not revisions:
        return None
    return PlanRecord(
        plan_id=plan_id,
        name=rows[0]["name"],
        created_at=rows[0]["created_at"],
        plan=revisions[-1].plan,
        revisions=tuple(RevisionInfo(r.revision, r.created_at, r.reason) for r in revisions),
    )


def load_revisions(database: Database, plan_id: int) -> list[SavedRevision]:
    """Every revision of ``plan_id``, oldest first, each with the plan's holds."""
    holds = load_holds(database, plan_id)
    revision_rows = database.query(
        "SELECT * FROM plan_revisions WHERE plan_id = ? ORDER BY revision", (plan_id,)
    )
    time_rows = database.query(
        "SELECT t.* FROM plan_dosing_times t JOIN plan_revisions r ON r.id = t.revision_id "
        "WHERE r.plan_id = ? ORDER BY t.revision_id, t.position",
        (plan_id,),
    )
    times_by_revision: dict[int, list[sqlite3.Row]] = {}
    for row in time_rows:
        times_by_revision.setdefault(int(row["revision_id"]), []).append(row)
    return [
        SavedRevision(
            int(row["revision"]),
            row["created_at"],
            row["reason"],
            _plan_from_rows(row, times_by_revision.get(int(row["id"]), []), holds),
        )
        for row in revision_rows
    ]


def load_holds(database: Database, plan_id: int) -> tuple[Hold, ...]:
    rows = database.query(
        "SELECT start_date, end_date FROM plan_holds WHERE plan_id = ? ORDER BY start_date",
        (plan_id,),
    )
    return tuple(
        Hold(
            dt.date.fromisoformat(r["start_date"]),
            dt.date.fromisoformat(r["end_date"]) if r["end_date"] else None,
        )
        for r in rows
    )


# -- rows <-> plans ----------------------------------------------------------


def _insert_revision(
    connection: sqlite3.Connection,
    plan_id: int,
    number: int,
    plan: TaperPlan,
    reason: str,
    now: str,
) -> None:
    overrides = plan.overrides
    crossover = plan.crossover
    known = {plan.drug_key, plan.original_drug_key, crossover.to_drug_key if crossover else None}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"Equivalence overrides for drugs outside the plan: {sorted(unknown)}")
    original_key = plan.original_drug_key
    revision_id = connection.execute(
        "INSERT INTO plan_revisions (plan_id, revision, created_at, reason, drug_key, start_date, "
        "reduction_model, reduction_value, interval_days, style, cut_order, rounding_mg, "
        "final_dose_mg, eq_override_mg, crossover_drug_key, crossover_stage_days, "
        "crossover_eq_override_mg, original_start_dose_mg, original_drug_key, "
        "original_eq_override_mg, crossover_parts) VALUES (" + ", ".join("?" * 21) + ")",
        (
            plan_id,
            number,
            now,
            reason,
            plan.drug_key,
            plan.start_date.isoformat(),
            _MODEL_TO_SQL[plan.reduction.kind],
            plan.reduction.value,
            plan.interval_days,
            plan.style.value,
            "proportional" if plan.cut_order.proportional else "sequential",
            plan.rounding_mg,
            plan.final_dose_mg,
            overrides.get(plan.drug_key),
            crossover.to_drug_key if crossover else None,
            crossover.stage_days if crossover else None,
            overrides.get(crossover.to_drug_key) if crossover else None,
            plan.original_start_dose_mg,
            original_key,
            overrides.get(original_key) if original_key else None,
            crossover.parts if crossover and crossover.parts > 1 else None,
        ),
    ).lastrowid
    cut_rank = {label: i for i, label in enumerate(plan.cut_order.sequence)}
    swap_rank = {label: i for i, label in enumerate(crossover.swap_order if crossover else ())}
    connection.executemany(
        "INSERT INTO plan_dosing_times (revision_id, position, label, dose_mg, clock_time, "
        "cut_rank, swap_rank) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                revision_id,
                position,
                t.label,
                t.dose_mg,
                t.clock_time,
                cut_rank.get(t.label),
                swap_rank.get(t.label),
            )
            for position, t in enumerate(plan.dosing_times)
        ],
    )


def _insert_hold(connection: sqlite3.Connection, plan_id: int, hold: Hold, note: str = "") -> None:
    connection.execute(
        "INSERT INTO plan_holds (plan_id, start_date, end_date, note) VALUES (?, ?, ?, ?)",
        (plan_id, hold.start.isoformat(), hold.end.isoformat() if hold.end else None, note),
    )


def _open_hold_row(connection: sqlite3.Connection, plan_id: int) -> sqlite3.Row | None:
    return connection.execute(
        "SELECT id, start_date FROM plan_holds WHERE plan_id = ? AND end_date IS NULL", (plan_id,)
    ).fetchone()


def _ranked(times: list[sqlite3.Row], column: str) -> tuple[str, ...]:
    ranked = sorted((r[column], r["label"]) for r in times if r[column] is not None)
    return tuple(label for _rank, label in ranked)


def _plan_from_rows(
    row: sqlite3.Row, times: list[sqlite3.Row], holds: tuple[Hold, ...]
) -> TaperPlan:
    overrides: list[tuple[str, float]] = []
    for key_column, mg_column in (
        ("drug_key", "eq_override_mg"),
        ("crossover_drug_key", "crossover_eq_override_mg"),
        ("original_drug_key", "original_eq_override_mg"),
    ):
        key, mg = row[key_column], row[mg_column]
        if key and mg is not None and key not in dict(overrides):
            overrides.append((key, float(mg)))
    crossover = None
    if row["crossover_drug_key"]:
        crossover = Crossover(
            row["crossover_drug_key"],
            _ranked(times, "swap_rank"),
            int(row["crossover_stage_days"]),
            int(row["crossover_parts"] or 1),
        )
    cut_order = (
        CutOrder(_ranked(times, "cut_rank")) if row["cut_order"] == "sequential" else CutOrder()
    )
    return TaperPlan(
        drug_key=row["drug_key"],
        dosing_times=tuple(
            DosingTime(t["label"], float(t["dose_mg"]), t["clock_time"]) for t in times
        ),
        start_date=dt.date.fromisoformat(row["start_date"]),
        reduction=ReductionModel(
            _MODEL_FROM_SQL[row["reduction_model"]], float(row["reduction_value"])
        ),
        interval_days=int(row["interval_days"]),
        style=TaperStyle(row["style"]),
        cut_order=cut_order,
        rounding_mg=float(row["rounding_mg"]),
        final_dose_mg=None if row["final_dose_mg"] is None else float(row["final_dose_mg"]),
        holds=holds,
        crossover=crossover,
        equivalence_overrides=tuple(overrides),
        revision=int(row["revision"]),
        original_start_dose_mg=(
            None if row["original_start_dose_mg"] is None else float(row["original_start_dose_mg"])
        ),
        original_drug_key=row["original_drug_key"],
    )
