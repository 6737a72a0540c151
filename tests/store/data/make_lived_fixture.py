"""Write ``taperdesk_0.1.0_lived.sqlite3``: a data file as TaperDesk 0.1.0 left it.

A person's whole history: a lorazepam plan crossing over to diazepam, a second
revision re-planned on diazepam, a closed hold and an open one, a custom drug,
diary days on both drugs, settings. It was written by the 0.1.0 code itself
(``git worktree add /tmp/v010 e9d489b`` and
``PYTHONPATH=/tmp/v010 python tests/store/data/make_lived_fixture.py``), with the
timestamps then pinned; never regenerate it with newer code, since it stands for
files that real users have on disk.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE / "taperdesk_0.1.0_lived.sqlite3"
START = dt.date(2026, 9, 7)


def main() -> Path:
    try:
        from taperdesk.store.database import open_user_database  # 0.1.0
    except ImportError:  # pragma: no cover - newer code
        from taperdesk.store.opening import open_user_database
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.core.drugs import custom_drug
    from taperdesk.core.plan import Crossover, DosingTime, ReductionModel, TaperPlan
    from taperdesk.store import diary, plans
    from taperdesk.store.drugs import save_custom_drug
    from taperdesk.store.settings import set_setting

    folder = Path(tempfile.mkdtemp())
    database = open_user_database(folder)
    set_setting(database, "person.name", "Sam")
    save_custom_drug(database, custom_drug("custom-etizolam", "Etizolam", 1.0))
    first = TaperPlan(
        "lorazepam",
        (DosingTime("morning", 1.0, "08:00"), DosingTime("night", 1.0, "21:00")),
        START,
        ReductionModel.percent(10),
        rounding_mg=0.5,
        crossover=Crossover("diazepam", ("night", "morning"), 7),
    )
    plan_id = plans.save_new_plan(database, first, "Lorazepam to diazepam")
    plans.add_hold(database, plan_id, dt.date(2026, 10, 1), dt.date(2026, 10, 7))
    second = TaperPlan(
        "diazepam",
        (DosingTime("morning", 9.0, "08:00"), DosingTime("night", 9.0, "21:00")),
        dt.date(2026, 11, 16),
        ReductionModel.percent(10),
        rounding_mg=0.5,
        original_start_dose_mg=2.0,
        original_drug_key="lorazepam",
    )
    plans.save_revision(database, plan_id, second, "Re-planned from 2026-11-02")
    plans.add_hold(database, plan_id, dt.date(2026, 11, 20))
    for day, doses in (
        (dt.date(2026, 9, 8), (("morning", "lorazepam", 1.0), ("night", "diazepam", 10.0))),
        (dt.date(2026, 9, 20), (("morning", "diazepam", 10.0), ("night", "diazepam", 10.0))),
        (dt.date(2026, 11, 2), (("morning", "diazepam", 9.0), ("night", "diazepam", 9.0))),
    ):
        diary.save_entry(
            database,
            DiaryEntry(day, tuple(DoseTaken(*d) for d in doses), notes=f"Logged {day}"),
        )
    with database.transaction() as connection:
        for number, stamp in ((1, "2026-09-07T09:00:00+00:00"), (2, "2026-11-02T20:00:00+00:00")):
            connection.execute(
                "UPDATE plan_revisions SET created_at = ? WHERE revision = ?", (stamp, number)
            )
        connection.execute("UPDATE plans SET created_at = '2026-09-07T09:00:00+00:00'")
    database.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    shutil.copy(folder / "taperdesk.sqlite3", TARGET)
    shutil.rmtree(folder)
    return TARGET


if __name__ == "__main__":
    print(main())
