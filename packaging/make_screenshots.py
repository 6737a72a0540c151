"""Render TaperDesk's screens with a realistic sample taper, for the README and AppStream.

    QT_QPA_PLATFORM=offscreen python packaging/make_screenshots.py [OUT_DIR]

Seeds a temporary data folder (a clonazepam taper that started eight weeks ago,
two doses a day, and a diary of the weeks since), opens the main window at
1200x820 and saves one PNG per tab (the README's), then the same at a laptop's
1366x768 and a desktop's 1920x1080 (in subfolders of those names), to be looked at
before a change of layout is done. Nothing touches the user's own data.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from taperdesk.core import safety
from taperdesk.core.diary import DiaryEntry, DoseTaken
from taperdesk.core.drugs import load_catalogue
from taperdesk.core.plan import DosingTime, Hold, ReductionModel, TaperPlan
from taperdesk.core.schedule import build_schedule
from taperdesk.store.diary import save_entry
from taperdesk.store.opening import open_user_database
from taperdesk.store.plans import save_new_plan
from taperdesk.store.settings import set_setting

TODAY = dt.date.today()


def seed(data_dir: Path) -> None:
    database = open_user_database(data_dir)
    set_setting(database, "safety.acknowledged_version", safety.NOTICE_VERSION)
    start = TODAY - dt.timedelta(days=56)
    plan = TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("Morning", 0.5, "08:00"), DosingTime("Night", 0.5, "21:00")),
        start_date=start,
        reduction=ReductionModel.percent(10),
        interval_days=14,
        rounding_mg=0.01,
        holds=(Hold(start + dt.timedelta(days=30), start + dt.timedelta(days=36)),),
    )
    save_new_plan(database, plan, "Clonazepam taper")
    schedule = build_schedule(plan, load_catalogue())
    rng = random.Random(4)
    symptom_ids = [
        row[0]
        for row in database.query("SELECT id FROM symptoms WHERE tracked = 1 ORDER BY position")
    ]
    for offset in range(63, 0, -1):
        day = TODAY - dt.timedelta(days=offset)
        if offset in (20, 41):
            continue  # a couple of days not logged
        planned = schedule.doses_on(day)
        doses = ()
        if planned is not None:
            doses = tuple(
                DoseTaken(label, "clonazepam", mg, planned_mg=mg)
                for label, mg in planned.doses_mg_by_label().items()
            )
        cut_bump = (
            2 if planned is not None and planned.step_number and (offset % 14) in (11, 12) else 0
        )
        ratings = {sid: max(0, min(10, 3 + cut_bump + rng.randint(-2, 2))) for sid in symptom_ids}
        marker = "wave" if cut_bump else ("window" if offset % 9 == 0 else "neutral")
        save_entry(
            database,
            DiaryEntry(
                entry_date=day,
                doses=doses,
                ratings=ratings,
                wellbeing=max(0, 7 - cut_bump + rng.randint(-1, 1)),
                sleep_hours=round(6 + rng.random() * 2, 1),
                day_marker=marker,
                notes="Windy day, long walk helped." if offset % 11 == 0 else "",
            ),
        )
    database.close()


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    from taperdesk.ui.app import make_application
    from taperdesk.ui.main_window import MainWindow
    from taperdesk.ui.state import AppState

    app = make_application(["taperdesk"])
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        seed(data_dir)
        database = open_user_database(data_dir)
        window = MainWindow(AppState(data_dir, database))
        for folder_name, size in (("", (1200, 820)), ("1366x768", (1366, 768)),
                                  ("1920x1080", (1920, 1080))):  # fmt: skip
            target = out_dir / folder_name
            target.mkdir(parents=True, exist_ok=True)
            window.resize(*size)
            window.show()
            for index, name in enumerate(("plan", "titration", "diary")):
                window.tabs.setCurrentIndex(index)
                for _ in range(30):
                    app.processEvents()
                path = target / f"{name}.png"
                window.grab().save(str(path))
                print(path)
        window.close()
        database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
