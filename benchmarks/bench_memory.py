"""Peak memory with ten years of data (goal < 300 MB), vs a bare PySide6 window.

Each figure is the peak resident set of a new Python process (``VmHWM``; on
Linux ``ru_maxrss`` would include the parent's size, see ``PEAK``):

- TaperDesk: a data folder seeded through the store (ten years of diary entries
  with 2 doses and 15 ratings each, and a five-year plan), the main window
  shown, every tab visited, and the diary chart showing all 15 symptoms drawn
  at range All;
- baseline: a bare QApplication + QMainWindow shown.

Both are run a few times, interleaved; the medians are reported.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Result

ROOT = Path(__file__).resolve().parent.parent

SEED = r"""
import sys
from pathlib import Path
from benchmarks.bench_diary import seed_diary
from benchmarks.bench_schedule import five_year_plan
from taperdesk.core import safety
from taperdesk.core.plan import TaperStyle
from taperdesk.store import plans
from taperdesk.store.opening import open_user_database
from taperdesk.store.settings import set_setting
database = open_user_database(Path(sys.argv[1]))
set_setting(database, "safety.acknowledged_version", safety.NOTICE_VERSION)
plans.save_new_plan(database, five_year_plan(TaperStyle.CUT_AND_HOLD), "Diazepam taper")
print(seed_diary(database), flush=True)
database.close()
"""

PEAK = r"""
import resource
def peak_kib():
    # VmHWM: the peak resident set of this process's own memory, reset at exec.
    # ru_maxrss is not used as such: Linux carries it over from the parent
    # across fork + exec, so a child of a big process reports the parent's size.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

BASELINE = (
    PEAK
    + r"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1100, 760)
window.show()
app.processEvents()
print(peak_kib(), flush=True)
"""
)

TAPERDESK = (
    PEAK
    + r"""
import sys
from pathlib import Path
from taperdesk.store import symptoms
from taperdesk.ui.app import make_application
from taperdesk.ui.main_window import TABS, MainWindow
from taperdesk.ui.startup import open_with_recovery
from taperdesk.ui.state import AppState
app = make_application(sys.argv)
folder = Path(sys.argv[1])
database = open_with_recovery(folder)
window = MainWindow(AppState(folder, database))
window.resize(1100, 760)
window.show()
app.processEvents()
for index in range(window.tabs.count()):
    window.tabs.setCurrentIndex(index)
    app.processEvents()
diary = window.diary_tab
window.tabs.setCurrentIndex([k for k, *_ in TABS].index("diary"))
app.processEvents()
chart = diary.build_chart()
chart.set_data(chart.series, chart.symptoms, [s.id for s in symptoms.list_symptoms(database)])
chart.set_range(None)
chart.canvas.draw()
app.processEvents()
assert len(chart.lines_data()) == 33, len(chart.lines_data())  # 15 x 2, taken, planned, partly
print(peak_kib(), flush=True)
"""
)


def _peak_mb(code: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr or result.stdout)
    return int(result.stdout.split()[-1]) / 1024  # KiB


def measure(runs: int = 3) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="taperdesk-memory-") as name:
        data = str(Path(name) / "data")
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        subprocess.run([sys.executable, "-c", SEED, data], check=True, env=env, cwd=ROOT,
                       capture_output=True)  # fmt: skip
        ours, bare = [], []
        for _ in range(runs):
            bare.append(_peak_mb(BASELINE))
            ours.append(_peak_mb(TAPERDESK, data))
    mine, base = statistics.median(ours), statistics.median(bare)
    return [
        Result(
            "peak memory, 10 y diary + plan, all tabs, chart at All",
            mine,
            "MB",
            "bare PySide6 window",
            base,
            "< 300 MB",
            mine < 300,
        )
    ]


if __name__ == "__main__":
    from benchmarks.common import format_table

    print(format_table(measure()))
