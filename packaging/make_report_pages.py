"""Render the prescriber report and the pharmacy requests from realistic data, to look at.

    python packaging/make_report_pages.py [OUT_DIR]

Seeds two temporary data folders and writes the PDFs through the command line
(``taperdesk report`` and ``taperdesk pharmacy``), as a person would:

* ``crossover``: clonazepam 0.5 + 0.5 mg switching to diazepam a dose a week, then a
  diazepam taper measured as a liquid; a 7-day hold, an updose (the old night dose), a
  missed morning dose, a few days not logged, symptoms rated daily. Gives the report
  (two months, and November alone) and a 90-day compounding request across the switch.
* ``compounded``: a clonazepam daily micro taper made up as compounded capsules: a 90-day
  request with dozens of dose recipes and changes of dose, and a 30-day one.

Every PDF is written at A4 and Letter, each page rendered to PNG (70 dpi) and
thresholded to black and white at 55% (ImageMagick's ``convert``, when installed), so a
change of layout is looked at in colour and as a cheap printer would print it. Nothing
touches the user's own data.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from taperdesk.core import safety
from taperdesk.core.diary import DiaryEntry, DoseTaken
from taperdesk.core.plan import (
    Crossover,
    DosingTime,
    Hold,
    ReductionModel,
    TaperPlan,
    TaperStyle,
)
from taperdesk.store.diary import save_entry
from taperdesk.store.opening import open_user_database
from taperdesk.store.plans import save_new_plan
from taperdesk.store.settings import set_setting

#: The data is laid out around 1 Dec 2026 (the reports end on 30 Nov). The command line
#: reads the real clock, so "Now" and "Printed" follow the day the pages are made.
TODAY = dt.date(2026, 12, 1)
CROSS_START = dt.date(2026, 9, 7)
HOLD = (dt.date(2026, 11, 3), dt.date(2026, 11, 9))
UPDOSE_DAY = dt.date(2026, 11, 12)
MISSED_DAY = dt.date(2026, 11, 20)
NOT_LOGGED = {dt.date(2026, 10, 18), dt.date(2026, 11, 24), dt.date(2026, 11, 25)}


def crossover_plan() -> TaperPlan:
    return TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5, "21:00")),
        start_date=CROSS_START,
        reduction=ReductionModel.percent(10),
        interval_days=14,
        rounding_mg=0.1,
        crossover=Crossover("diazepam", ("night", "morning"), 7),
        holds=(Hold(*HOLD),),
    )


def micro_plan() -> TaperPlan:
    return TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5, "21:00")),
        start_date=dt.date(2026, 12, 7),
        reduction=ReductionModel.percent(10),
        interval_days=14,
        rounding_mg=0.005,
        style=TaperStyle.DAILY_MICRO,
    )


def seed_crossover(data_dir: Path) -> None:
    from taperdesk.app.lived_plan import new_lived_plan
    from taperdesk.core.drugs import load_catalogue

    database = open_user_database(data_dir)
    set_setting(database, "safety.acknowledged_version", safety.NOTICE_VERSION)
    set_setting(database, "person.name", "Alex Example")
    set_setting(
        database,
        "titration.method",
        {"kind": "liquid", "liquid_mg_per_ml": 1.0, "volume_ml": 100.0, "drug_key": "diazepam"},
    )
    plan = crossover_plan()
    save_new_plan(database, plan, "Switch to diazepam, then taper")
    lived = new_lived_plan(plan, load_catalogue(), TODAY)
    symptom_ids = [
        row[0]
        for row in database.query("SELECT id FROM symptoms WHERE tracked = 1 ORDER BY position")
    ]
    rng = random.Random(17)
    day = CROSS_START
    while day < TODAY:
        planned = lived.on(day)
        if day in NOT_LOGGED or planned is None:
            day += dt.timedelta(days=1)
            continue
        doses = []
        reason = notes = ""
        for dose in planned.doses():
            mg = dose.dose_mg
            if day == UPDOSE_DAY and dose.label == "night":
                mg += 1.0
                reason = "took the old night dose"
                notes = "Awful night, woke at 3 and could not settle."
            if day == MISSED_DAY and dose.label == "morning":
                mg = 0.0
                reason = "forgot the morning dose"
            doses.append(DoseTaken(dose.label, dose.drug_key, mg, planned_mg=dose.dose_mg))
        wave = 2 if planned.step is not None and (day - planned.step.start_date).days < 4 else 0
        ratings = {
            sid: max(0, min(10, 3 + n % 3 + wave + rng.randint(-2, 2)))
            for n, sid in enumerate(symptom_ids[:5])
        }
        if day == dt.date(2026, 10, 2):
            notes = "Walked to work, fine."
        save_entry(
            database,
            DiaryEntry(day, tuple(doses), ratings, notes=notes, deviation_reason=reason),
        )
        day += dt.timedelta(days=1)
    database.close()


def seed_compounded(data_dir: Path) -> None:
    database = open_user_database(data_dir)
    set_setting(database, "safety.acknowledged_version", safety.NOTICE_VERSION)
    set_setting(database, "titration.method", {"kind": "compounded", "compounded_step_mg": 0.005})
    save_new_plan(database, micro_plan(), "Daily micro taper")
    database.close()


def run(data_dir: Path, *args: str) -> None:
    command = [sys.executable, "-m", "taperdesk", "--data-dir", str(data_dir), *args]
    subprocess.run(command, check=True)


def render(pdf: Path, out_dir: Path) -> None:
    prefix = out_dir / pdf.stem
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(prefix)], check=True)
    convert = shutil.which("convert")
    for png in sorted(out_dir.glob(f"{pdf.stem}-*.png")):
        if convert and not png.stem.endswith("-bw"):
            target = png.with_name(png.stem + "-bw.png")
            subprocess.run([convert, str(png), "-threshold", "55%", str(target)], check=True)


def write_pdfs(out_dir: Path) -> list[Path]:
    """Every report and request PDF, at A4 and Letter, into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        cross, compounded = Path(folder) / "crossover", Path(folder) / "compounded"
        seed_crossover(cross)
        seed_compounded(compounded)
        jobs = [
            (cross, "report", "report", "--from", "2026-10-01", "--to", "2026-11-30"),
            (cross, "report-november", "report", "--from", "2026-11-01", "--to", "2026-11-30"),
            (cross, "pharmacy-switch-90", "pharmacy", "--from", "2026-09-07", "--days", "90"),
            (compounded, "pharmacy-90", "pharmacy", "--from", "2026-12-07", "--days", "90"),
            (compounded, "pharmacy-30", "pharmacy", "--from", "2026-12-07", "--days", "30"),
        ]
        for data_dir, name, command, *options in jobs:
            for page in ("a4", "letter"):
                pdf = out_dir / f"{name}-{page}.pdf"
                run(data_dir, command, *options, "--page", page, "-o", str(pdf))
                written.append(pdf)
    return written


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("report-pages")
    for pdf in write_pdfs(out_dir):
        render(pdf, out_dir)
        print(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
