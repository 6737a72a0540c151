"""Start-up time: process start to main window shown, vs a bare Qt window.

Each sample is a new Python process (a cold start as a user gets it, minus the
disk cache). The baseline is a bare QApplication + empty QMainWindow measured
in the same run, so the ratio holds across machines. Offscreen platform.

    python -m benchmarks.startup [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1100, 760)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
print("shown", flush=True)
"""

TAPERDESK = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from taperdesk.ui.app import make_application
from taperdesk.ui.startup import open_with_recovery
from taperdesk.ui.main_window import MainWindow
from taperdesk.ui.state import AppState
app = make_application(sys.argv)
folder = Path(sys.argv[1])
database = open_with_recovery(folder)
window = MainWindow(AppState(folder, database))
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
print("shown", flush=True)
"""

PREPARE = r"""
import sys
from pathlib import Path
from taperdesk.core import safety
from taperdesk.store.opening import open_user_database
from taperdesk.store.settings import set_setting
db = open_user_database(Path(sys.argv[1]))
set_setting(db, "safety.acknowledged_version", safety.NOTICE_VERSION)
db.close()
"""


#: A data folder as a user has it after ten years: the five-year plan of the
#: schedule benchmark and ten years of daily diary entries with 15 ratings.
PREPARE_FULL = r"""
import sys
from pathlib import Path
from benchmarks.bench_diary import seed_diary
from benchmarks.bench_schedule import five_year_plan
from taperdesk.core import safety
from taperdesk.core.plan import TaperStyle
from taperdesk.store import plans
from taperdesk.store.opening import open_user_database
from taperdesk.store.settings import set_setting
db = open_user_database(Path(sys.argv[1]))
set_setting(db, "safety.acknowledged_version", safety.NOTICE_VERSION)
plans.save_new_plan(db, five_year_plan(TaperStyle.CUT_AND_HOLD), "Diazepam taper")
seed_diary(db)
db.close()
"""


def time_process(code: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # An installed TaperDesk starts from compiled bytecode (pip compiles at install
    # time, the frozen bundle ships .pyc). With PYTHONDONTWRITEBYTECODE set (some
    # shells and CI images do), an editable checkout would be recompiled on every
    # start, ~40 ms the user never pays; the warm-up run writes the cache instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or "shown" not in result.stdout:
        raise RuntimeError(result.stderr or result.stdout)
    return elapsed


def measure(runs: int, full: bool = False) -> dict[str, float]:
    """Medians of ``runs`` starts: a new data folder, or (``full``) ten years of data."""
    with tempfile.TemporaryDirectory() as folder:
        data = str(Path(folder) / "data")
        subprocess.run(
            [sys.executable, "-c", PREPARE_FULL if full else PREPARE, data],
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        time_process(BASELINE)  # warm the disk cache for both
        time_process(TAPERDESK, data)
        baseline, app = [], []
        for _ in range(runs):  # interleaved, so drift hits both alike
            baseline.append(time_process(BASELINE))
            app.append(time_process(TAPERDESK, data))
    bare = statistics.median(baseline)
    ours = statistics.median(app)
    return {"baseline_s": bare, "taperdesk_s": ours, "ratio": ours / bare}


def results(runs: int = 7) -> list:
    from benchmarks.common import Result

    results = []
    for label, full in (("new data folder", False), ("plan + 10 years of diary", True)):
        figures = measure(runs, full)
        results.append(
            Result(
                f"start-up to main window shown ({label})",
                figures["taperdesk_s"] * 1000,
                "ms",
                "bare PySide6 window",
                figures["baseline_s"] * 1000,
                "<= 1.5x baseline",
                figures["ratio"] <= 1.5,
            )
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for label, full in (("new data folder", False), ("plan + 10 years of diary", True)):
        result = measure(args.runs, full)
        print(label)
        print(f"  bare Qt window   {result['baseline_s'] * 1000:7.0f} ms (median of {args.runs})")
        print(f"  TaperDesk window {result['taperdesk_s'] * 1000:7.0f} ms (median of {args.runs})")
        print(f"  ratio            {result['ratio']:7.2f}x  (goal <= 1.5x)")


if __name__ == "__main__":
    main()
