"""Render TaperDesk's printouts with realistic samples, to be looked at before a change lands.

    QT_QPA_PLATFORM=offscreen python packaging/make_pages.py [OUT_DIR] [--png DPI]

Writes, at A4 and at Letter, the documents people print most (the issue "Paper
that works"): a liquid cut-and-hold weekly sheet (also two weeks a page), a daily micro
taper water sheet, a compounded-capsule sheet, a crossover-week sheet, and, through
``make_report_pages.py`` (seeded data folders, the ``taperdesk report`` and ``taperdesk
pharmacy`` commands), the prescriber report with a crossover, a hold, an updose and a
missed dose, and 90- and 30-day pharmacy requests. OUT_DIR
defaults to ``packaging/pages``. With ``--png`` every page is also rendered with
``pdftoppm`` in colour and thresholded to black and white (55%), as a cheap printer
would, into ``OUT_DIR/png``: look at each one. No user data is read or written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from taperdesk.core.plan import (
    Crossover,
    DosingTime,
    Hold,
    ReductionModel,
    TaperPlan,
    TaperStyle,
)
from taperdesk.core.titration import MethodSettings
from taperdesk.printing.document import PageSize, ensure_gui_application, write_pdf
from taperdesk.printing.sources import PrintInputs, inputs_for_plan
from taperdesk.printing.weekly_sheet import WeeklySheetDocument

START = dt.date(2027, 1, 4)  # a Monday
NAME = "Alex Example"
SYMPTOMS = ("Anxiety", "Insomnia", "Muscle pain and stiffness", "Tinnitus", "Depersonalisation")


def _two_doses(drug: str = "clonazepam", **changes: object) -> TaperPlan:
    values: dict[str, object] = {
        "drug_key": drug,
        "dosing_times": (DosingTime("Morning", 0.5, "08:00"), DosingTime("Night", 0.5, "21:00")),
        "start_date": START,
        "reduction": ReductionModel.percent(10),
        "interval_days": 14,
        "rounding_mg": 0.005,
    }
    values.update(changes)
    return TaperPlan(**values)  # type: ignore[arg-type]


def _inputs(plan: TaperPlan, method: dict | None, today: dt.date = START) -> PrintInputs:
    return inputs_for_plan(
        plan,
        method=MethodSettings.from_dict(method) if method else None,
        person_name=NAME,
        tracked_symptoms=SYMPTOMS,
        today=today,
    )


def liquid_sheet() -> tuple[object, str]:
    """Cut and hold, two doses, 2 x 0.5 mg tablets in 20 mL; a hold in the second week."""
    plan = _two_doses(holds=(Hold(START + dt.timedelta(days=17), START + dt.timedelta(days=20)),))
    method = {"kind": "liquid", "tablet_mg": 0.5, "tablet_count": 2, "volume_ml": 20.0,
              "graduation_ml": 0.1, "whole_tablets": "none", "drug_key": "clonazepam"}  # fmt: skip
    inputs = _inputs(plan, method)
    return WeeklySheetDocument(inputs, START + dt.timedelta(days=14), weeks=2), "sheet-liquid"


def liquid_two_weeks_a_page() -> tuple[object, str]:
    """The liquid sheet, two weeks a page where they fit."""
    document, stem = liquid_sheet()
    inputs = document.inputs  # type: ignore[attr-defined]
    two = WeeklySheetDocument(inputs, START + dt.timedelta(days=14), weeks=4, weeks_per_page=2)
    return two, f"{stem}-two-weeks-a-page"


def daily_water_sheet() -> tuple[object, str]:
    """Daily micro taper at night, 1 x 0.5 mg tablet in 100 mL water: "remove X mL"."""
    plan = TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("Night", 0.5, "22:00"),),
        start_date=START,
        reduction=ReductionModel.percent(10),
        interval_days=28,
        style=TaperStyle.DAILY_MICRO,
        rounding_mg=0.0005,
    )
    method = {"kind": "liquid", "tablet_mg": 0.5, "tablet_count": 1, "volume_ml": 100.0,
              "graduation_ml": 0.1, "whole_tablets": "none", "drug_key": "clonazepam"}  # fmt: skip
    return WeeklySheetDocument(_inputs(plan, method), START, weeks=2), "sheet-daily-water"


def capsule_sheet() -> tuple[object, str]:
    """Daily micro taper on compounded capsules (5 microgram step): which capsules make
    each dose."""
    plan = TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("Morning", 0.125, "08:00"), DosingTime("Night", 0.25, "21:00")),
        start_date=START,
        reduction=ReductionModel.percent(10),
        interval_days=21,
        style=TaperStyle.DAILY_MICRO,
        rounding_mg=0.005,
    )
    method = {"kind": "compounded", "compounded_step_mg": 0.005, "drug_key": "clonazepam"}
    return WeeklySheetDocument(_inputs(plan, method), START, weeks=2), "sheet-capsules"


def crossover_plan() -> TaperPlan:
    return _two_doses(
        crossover=Crossover("diazepam", ("Night", "Morning"), stage_days=7),
        rounding_mg=0.01,
        holds=(Hold(START + dt.timedelta(days=28), START + dt.timedelta(days=34)),),
    )


def crossover_sheet() -> tuple[object, str]:
    """The week a dose changes drug, diazepam measured from scored 2 mg and 5 mg tablets."""
    method = {"kind": "tablets", "drug_key": "diazepam",
              "strengths": [{"strength_mg": 2.0, "scoring": "scored"},
                            {"strength_mg": 5.0, "scoring": "scored"}]}  # fmt: skip
    inputs = _inputs(crossover_plan(), method)
    return WeeklySheetDocument(inputs, START, weeks=2), "sheet-crossover"


SAMPLES = (
    liquid_sheet,
    liquid_two_weeks_a_page,
    daily_water_sheet,
    capsule_sheet,
    crossover_sheet,
)


def render(out_dir: Path, png_dpi: int | None) -> list[Path]:
    ensure_gui_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for make in SAMPLES:
        document, stem = make()
        for page in PageSize:
            path = out_dir / f"{stem}-{page.value}.pdf"
            pages = write_pdf(document, path, page, printed_on=dt.date(2027, 1, 4))  # type: ignore[arg-type]
            print(f"{path.name}: {pages} page{'s' if pages != 1 else ''}")
            written.append(path)
    # The report and the pharmacy requests, from seeded data folders through the commands
    # a person runs (taperdesk report, taperdesk pharmacy).
    sys.path.insert(0, str(Path(__file__).parent))
    from make_report_pages import write_pdfs

    for path in write_pdfs(out_dir):
        print(path.name)
        written.append(path)
    if png_dpi:
        png_dir = out_dir / "png"
        shutil.rmtree(png_dir, ignore_errors=True)
        png_dir.mkdir()
        for path in written:
            prefix = png_dir / path.stem
            subprocess.run(["pdftoppm", "-r", str(png_dpi), "-png", str(path), str(prefix)],
                           check=True)  # fmt: skip
            for png in sorted(png_dir.glob(f"{path.stem}-*.png")):
                if png.stem.endswith("-bw") or "-bw-" in png.stem:
                    continue
                bw = png.with_name(png.stem + "-bw.png")
                subprocess.run(["convert", str(png), "-colorspace", "gray", "-threshold", "55%",
                                str(bw)], check=True)  # fmt: skip
        print(f"PNG pages (colour and 55% black-and-white) in {png_dir}")
    return written


def readme_image(out_dir: Path) -> Path:
    """Page 1 of the daily micro taper sheet, as the README shows it."""
    target = Path(__file__).parent / "screenshots" / "weekly-sheet.png"
    prefix = out_dir / "readme"
    source = out_dir / "sheet-daily-water-a4.pdf"
    subprocess.run(
        ["pdftoppm", "-r", "66", "-png", "-f", "1", "-l", "1", "-singlefile", str(source),
         str(prefix)],
        check=True,
    )  # fmt: skip
    shutil.move(str(prefix.with_suffix(".png")), target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default=str(Path(__file__).parent / "pages"))
    parser.add_argument("--png", type=int, metavar="DPI", help="also render PNGs at DPI")
    args = parser.parse_args(argv)
    render(Path(args.out_dir), args.png)
    print(f"README image: {readme_image(Path(args.out_dir))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
