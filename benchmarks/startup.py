"""Start-up as a person waits for it: process start to pixels on a real X screen.

Each sample is a new process started through TaperDesk's real entry point
(``python -m taperdesk --data-dir DIR``: ``cli.main``, the folder lock, the data
file opened and checked, the window, ``after_show``) on a private Xvfb, timed by
the X server's DAMAGE reports (see :mod:`benchmarks.xscreen`): a figure ends when
the server reports pixels drawn, not when Qt meant to paint.

- *First paint*: the first damage of the window, against a bare PySide6
  ``QMainWindow`` of the same size started the same way (``python FILE``).
- *Plan chart drawn*: the first damage after which the screen holds the plan
  line's colour (the palette's highlight) over at least 1,500 pixels, against a bare
  matplotlib-QtAgg window (the same size, imports matplotlib, draws the same daily
  doses as a step line in the same colour, then shows).

Runs alternate between TaperDesk and its baseline; medians of ``runs``. Children
start from compiled bytecode, as an installed app does (see ``_env``).

    python -m benchmarks.startup [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.datasets import KINDS
from benchmarks.xscreen import Region, time_to_colour, time_to_first_paint, xvfb

ROOT = Path(__file__).resolve().parent.parent

BARE_WINDOW = r"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1100, 760)
window.show()
app.exec()
"""

#: The plan chart's lines drawn the plainest way: matplotlib imported, a Figure on a
#: FigureCanvasQTAgg filling a window of the app's size, the daily doses as one step line
#: in the palette's highlight colour and the diary's doses taken as hollow dots (as the
#: app draws them), shown once drawn.
BARE_CHART = r"""
import json, sys, datetime as dt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMainWindow
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
app = QApplication(sys.argv)
lines = json.load(open(sys.argv[1]))
days = [dt.date.fromisoformat(d) for d in lines["days"]]
colour = app.palette().color(QPalette.ColorRole.Highlight).name()
window = QMainWindow()
figure = Figure(figsize=(8, 3), layout="constrained")
canvas = FigureCanvasQTAgg(figure)
axes = figure.add_subplot()
axes.plot(days, lines["mg"], drawstyle="steps-post", color=colour, linewidth=2.2)
text = app.palette().color(QPalette.ColorRole.WindowText).name()
taken = [dt.date.fromisoformat(d) for d in lines["taken_days"]]
axes.plot(taken, lines["taken_mg"], linestyle="none", marker="o", markersize=3.2,
          markerfacecolor="none", markeredgewidth=0.8, color=text)
axes.twinx()
window.setCentralWidget(canvas)
window.resize(1100, 760)
window.show()
app.exec()
"""

#: The plan's daily doses, for the bare chart (written once per data folder, not timed).
PLAN_LINES = r"""
import json, sys
from pathlib import Path
from taperdesk.app.lived_plan import active_plan
from taperdesk.app.taken import taken_for_chart
from taperdesk.store.opening import open_user_database
database = open_user_database(Path(sys.argv[1]))
lived = active_plan(database)
days = [r.day.isoformat() for r in lived.schedule.rows]
mg = [r.total_mg for r in lived.schedule.rows]
taken = sorted(taken_for_chart(database, lived)[0].items())
json.dump({"days": days, "mg": mg, "taken_days": [d.isoformat() for d, _ in taken],
           "taken_mg": [v for _, v in taken]}, open(sys.argv[2], "w"))
"""


#: Where both windows open on a screen without a window manager (1100 x 760 at the top
#: left): only this is read back when damage is reported.
WINDOW = Region(0, 0, 1110, 800)


def is_highlight(red, green, blue):
    """Qt's default highlight (#308cc6, the plan line) give or take antialiasing."""
    return (abs(red - 0x30) < 40) & (abs(green - 0x8C) < 40) & (abs(blue - 0xC6) < 40)


def _prepare(kind: str, folder: Path) -> Path:
    data = folder / kind
    subprocess.run(
        [sys.executable, "-m", "benchmarks.datasets", kind, str(data)], check=True, cwd=ROOT
    )
    return data


def _taperdesk(data: Path) -> list[str]:
    return [sys.executable, "-m", "taperdesk", "--data-dir", str(data)]


def _alternate(first, second, runs: int) -> tuple[float, float]:
    """Medians (s) of two measurements run alternately, after one untimed run each."""
    first()
    second()
    a, b = [], []
    for _ in range(runs):
        b.append(second())
        a.append(first())
    return statistics.median(a), statistics.median(b)


def measure_first_paint(runs: int) -> list[tuple[str, float, float]]:
    """(label, TaperDesk s, bare window s) for each data folder."""
    out = []
    with tempfile.TemporaryDirectory() as folder, xvfb() as name:
        bare_file = Path(folder) / "bare_window.py"
        bare_file.write_text(BARE_WINDOW)
        bare = [sys.executable, str(bare_file)]
        for kind in ("empty", "diary10", "plan20", "revisions30"):
            data = _prepare(kind, Path(folder))
            ours, theirs = _alternate(
                lambda data=data: time_to_first_paint(name, _taperdesk(data)),
                lambda: time_to_first_paint(name, bare),
                runs,
            )
            out.append((KINDS[kind], ours, theirs))
    return out


def measure_chart(runs: int, kind: str = "diary10") -> tuple[float, float]:
    """(TaperDesk s, bare matplotlib window s) from start to the plan chart drawn."""
    with tempfile.TemporaryDirectory() as folder, xvfb() as name:
        data = _prepare(kind, Path(folder))
        lines = Path(folder) / "lines.json"
        subprocess.run(
            [sys.executable, "-c", PLAN_LINES, str(data), str(lines)], check=True, cwd=ROOT
        )
        bare_file = Path(folder) / "bare_chart.py"
        bare_file.write_text(BARE_CHART)
        return _alternate(
            lambda: time_to_colour(name, _taperdesk(data), is_highlight, 1500, region=WINDOW),
            lambda: time_to_colour(
                name,
                [sys.executable, str(bare_file), str(lines)],
                is_highlight,
                1500,
                region=WINDOW,
            ),
            runs,
        )


#: The frozen bundle ``packaging/build.py`` makes (or give another with TAPERDESK_BUNDLE).
BUNDLE = ROOT / "packaging" / "dist" / "taperdesk" / "taperdesk"


def _bundle() -> Path | None:
    import os

    found = Path(os.environ.get("TAPERDESK_BUNDLE", BUNDLE))
    return found if found.is_file() else None


def _temporary_entries() -> set[str]:
    """What the temporary folder holds (a frozen start once left a new matplotlib folder)."""
    return {p.name for p in Path(tempfile.gettempdir()).iterdir()}


def measure_frozen(runs: int, bundle: Path, kind: str = "diary10") -> tuple[float, float, int]:
    """(frozen s, pip-installed s) from start to the Plan chart drawn, alternating, and
    the number of temporary folders the frozen starts (each ended by SIGTERM) left."""
    with tempfile.TemporaryDirectory() as folder, xvfb() as name:
        data = _prepare(kind, Path(folder))
        frozen = [str(bundle), "--data-dir", str(data)]
        before = _temporary_entries()
        found = _alternate(
            lambda: time_to_colour(name, frozen, is_highlight, 1500, region=WINDOW),
            lambda: time_to_colour(name, _taperdesk(data), is_highlight, 1500, region=WINDOW),
            runs,
        )
        left = {n for n in _temporary_entries() - before if "matplotlib" in n or "_MEI" in n}
        return found[0], found[1], len(left)


def results(runs: int = 7) -> list:
    from benchmarks.common import Result

    out = []
    for label, ours, theirs in measure_first_paint(runs):
        out.append(
            Result(
                f"start → first paint, X damage ({label})",
                ours * 1000,
                "ms",
                "bare PySide6 QMainWindow",
                theirs * 1000,
                "<= 1.5x baseline",
                ours / theirs <= 1.5,
            )
        )
    ours, theirs = measure_chart(runs)
    out.append(
        Result(
            "start → Plan chart drawn, X damage (5-year plan + 10 y diary)",
            ours * 1000,
            "ms",
            "bare matplotlib-QtAgg window, same line",
            theirs * 1000,
            "<= 1.15x baseline",
            ours / theirs <= 1.15,
        )
    )
    bundle = _bundle()
    if bundle is not None:
        frozen, installed, left = measure_frozen(runs, bundle)
        out.append(
            Result(
                f"frozen app start → Plan chart drawn (temporary folders left: {left})",
                frozen * 1000,
                "ms",
                "the pip-installed app, same data",
                installed * 1000,
                "<= 1.1x baseline, none left",
                frozen / installed <= 1.1 and left == 0,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=("paint", "chart", "frozen"))
    args = parser.parse_args()
    if args.only in (None, "paint"):
        for label, ours, theirs in measure_first_paint(args.runs):
            print(f"first paint, {label}: {ours * 1000:.0f} ms vs {theirs * 1000:.0f} ms "
                  f"({ours / theirs:.2f}x)")  # fmt: skip
    if args.only in (None, "chart"):
        ours, theirs = measure_chart(args.runs)
        print(f"plan chart: {ours * 1000:.0f} ms vs {theirs * 1000:.0f} ms ({ours / theirs:.2f}x)")
    bundle = _bundle()
    if args.only in (None, "frozen"):
        if bundle is None:
            print(f"frozen app: no bundle at {BUNDLE} (build it: packaging/build.py)")
        else:
            frozen, installed, left = measure_frozen(args.runs, bundle)
            print(f"frozen app → chart: {frozen * 1000:.0f} ms vs pip-installed "
                  f"{installed * 1000:.0f} ms ({frozen / installed:.2f}x); temporary folders "
                  f"left: {left}")  # fmt: skip


if __name__ == "__main__":
    main()
