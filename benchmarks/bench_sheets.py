"""Benchmark: a 52-week run of weekly dosing sheets to PDF, seconds per page.

Compares with a baseline measured in the same run: a bare ``QPdfWriter``
writing 52 pages of about the same amount of plain text. Goal: well under
0.5 s a page. Run: ``python -m benchmarks.bench_sheets [--runs N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result

WEEKS = 52


def _inputs(capsules: bool = False):
    """A liquid cut-and-hold plan, or (``capsules``) a daily micro taper on compounded
    capsules: every day another dose, each sheet working out its capsules."""
    from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan, TaperStyle
    from taperdesk.core.titration import MethodSettings
    from taperdesk.printing.sources import inputs_for_plan

    plan = TaperPlan(
        "clonazepam",
        (DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5, "21:00")),
        dt.date(2027, 1, 4),
        ReductionModel.percent(10),
        rounding_mg=0.005 if capsules else 0.01,
        style=TaperStyle.DAILY_MICRO if capsules else TaperStyle.CUT_AND_HOLD,
    )
    method = MethodSettings.from_dict(
        {"kind": "compounded", "compounded_step_mg": 0.005}
        if capsules
        else {"kind": "liquid", "tablet_mg": 1.0, "tablet_count": 1, "volume_ml": 10.0}
    )
    symptoms = ("Anxiety", "Insomnia", "Depression", "Headaches", "Muscle pain")
    return inputs_for_plan(plan, method=method, person_name="A. Person", tracked_symptoms=symptoms)


def _sheets(path: Path, inputs) -> float:
    from taperdesk.printing.document import PageSize, write_pdf
    from taperdesk.printing.weekly_sheet import WeeklySheetDocument

    start = time.perf_counter()
    pages = write_pdf(WeeklySheetDocument(inputs, dt.date(2027, 1, 4), WEEKS), path, PageSize.A4)
    assert pages == WEEKS
    return time.perf_counter() - start


def _baseline(path: Path) -> float:
    """A bare QPdfWriter: 52 pages of ~120 short lines of text each."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QFont, QPageSize, QPainter, QPdfWriter

    start = time.perf_counter()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(1200)
    painter = QPainter(writer)
    font = QFont()
    font.setPointSizeF(8)
    painter.setFont(font)
    for page in range(WEEKS):
        if page:
            writer.newPage()
        for line in range(120):
            painter.drawText(QPointF(600, 600 + line * 100), f"Line {line}: take 4.5 mL of the mix")
    painter.end()
    return time.perf_counter() - start


def measure_ms_per_page(runs: int, capsules: bool = False) -> tuple[float, float, int]:
    """(TaperDesk ms/page, bare QPdfWriter ms/page, PDF size in bytes), medians of ``runs``."""
    from taperdesk.printing.document import ensure_gui_application

    ensure_gui_application()
    inputs = _inputs(capsules)
    with tempfile.TemporaryDirectory() as folder:
        _sheets(Path(folder) / "warmup.pdf", inputs)
        sheets, bare = [], []
        for i in range(runs):  # alternate, so drift in the machine hits both alike
            sheets.append(_sheets(Path(folder) / f"s{i}.pdf", inputs))
            bare.append(_baseline(Path(folder) / f"b{i}.pdf"))
        size = (Path(folder) / "s0.pdf").stat().st_size
    per_page_ms = statistics.median(sheets) / WEEKS * 1000
    base_page_ms = statistics.median(bare) / WEEKS * 1000
    return per_page_ms, base_page_ms, size


def results(runs: int = 5) -> list[Result]:
    """The sheets line of ``python -m benchmarks.run``."""
    found = []
    for capsules, what in ((False, "liquid"), (True, "capsules, daily micro taper")):
        per_page_ms, base_page_ms, _size = measure_ms_per_page(runs, capsules)
        found.append(
            Result(
                name=f"weekly sheets PDF, {WEEKS} weeks, {what} (per page)",
                value=per_page_ms,
                unit="ms",
                baseline_name="bare QPdfWriter, 120 text lines/page",
                baseline=base_page_ms,
                goal="< 500 ms/page",
                goal_met=per_page_ms < 500,
            )
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    per_page_ms, base_page_ms, size = measure_ms_per_page(runs)
    print(f"weekly sheets: {WEEKS} pages, median of {runs} runs")
    print(f"  TaperDesk sheets : {per_page_ms:7.1f} ms/page  ({size // 1024} KiB PDF)")
    print(f"  bare QPdfWriter  : {base_page_ms:7.1f} ms/page")
    ratio = per_page_ms / base_page_ms
    print(f"  ratio            : {ratio:7.1f} x   (goal: well under 500 ms/page)")


if __name__ == "__main__":
    main()
