"""Child process for the crash-safety tests: writes in a loop until killed.

``python crash_child.py DATA_DIR MODE START`` opens TaperDesk's store in
DATA_DIR and saves item START, START+1, ... with MODE's operation, printing
``saved N`` after each committed save. The parent kills it with SIGKILL at a
random moment and then checks that every reported item is in the database.

Modes: ``settings`` (one setting per item), ``diary`` (a full day per item:
two doses, 15 ratings and notes on day ``DIARY_START + N``), ``plan`` (a new
revision of the active plan per item, its reason ``crash N``; every fifth item
also holds and resumes the plan), and ``import``: ``START`` is then the path
of a TaperDesk JSON export, imported once; the child prints ``begin`` when
the import's transaction has begun and ``saved 1`` when it is committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from taperdesk.store.database import Database
from taperdesk.store.opening import open_user_database

DIARY_START = dt.date(2020, 1, 1)
PLAN_START = dt.date(2027, 1, 6)


def save_setting(database: Database, n: int) -> None:
    from taperdesk.store.settings import set_setting

    set_setting(database, f"crash.item.{n}", {"n": n, "payload": "x" * 2000})


def diary_day(n: int, symptom_ids: list[int]):
    """Day ``DIARY_START + n``, filled in as a person would on a bad day."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken

    mg = round(1.0 - (n % 50) * 0.01, 2)
    return DiaryEntry(
        DIARY_START + dt.timedelta(days=n),
        (
            DoseTaken("morning", "clonazepam", mg, mg, "08:00"),
            DoseTaken("night", "clonazepam", mg, mg, "21:30"),
        ),
        {symptom_id: (n + i) % 11 for i, symptom_id in enumerate(symptom_ids)},
        wellbeing=n % 11,
        sleep_hours=round(4 + (n % 9) * 0.5, 1),
        day_marker=("window", "wave", "neutral")[n % 3],
        notes=f"day {n}: " + "headache and a walk in the rain; " * 20,
    )


def save_diary_day(database: Database, n: int) -> None:
    from taperdesk.store.diary import save_entry
    from taperdesk.store.symptoms import list_symptoms

    symptom_ids = [s.id for s in list_symptoms(database)][:15]
    save_entry(database, diary_day(n, symptom_ids))


def crash_plan(percent: float = 10.0):
    from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan

    return TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5, "21:00")),
        start_date=PLAN_START,
        reduction=ReductionModel.percent(percent),
        rounding_mg=0.01,
    )


def save_plan_edit(database: Database, n: int) -> None:
    from taperdesk.store import plans

    plan_id = plans.active_plan_id(database)
    if plan_id is None:
        plan_id = plans.save_new_plan(database, crash_plan(), "Crash test taper")
    plans.save_revision(database, plan_id, crash_plan(5 + n % 10), f"crash {n}")
    if n % 5 == 0:
        plans.add_hold(database, plan_id, PLAN_START + dt.timedelta(days=n), note=f"hold {n}")
        plans.end_open_hold(database, plan_id, PLAN_START + dt.timedelta(days=n + 3))


OPERATIONS: dict[str, Callable[[Database, int], None]] = {
    "settings": save_setting,
    "diary": save_diary_day,
    "plan": save_plan_edit,
}


def import_once(database: Database, export_file: Path) -> None:
    """Import ``export_file`` in one transaction, saying when it has begun."""
    from taperdesk.store.data_io import import_document, read_json_file

    document = read_json_file(export_file)
    plain_transaction = database.transaction

    @contextlib.contextmanager
    def announced_transaction() -> Iterator[object]:
        with plain_transaction() as connection:
            print("begin", flush=True)
            yield connection

    database.transaction = announced_transaction  # type: ignore[method-assign]
    print("ready", flush=True)
    import_document(database, document)
    print("saved 1", flush=True)


def main() -> None:
    data_dir, mode, start = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    database = open_user_database(data_dir)
    if mode == "import":
        import_once(database, Path(start))
        return
    operation = OPERATIONS[mode]
    print("ready", flush=True)
    n = int(start)
    while True:
        operation(database, n)
        print(f"saved {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
