"""A diary edit through the real window: a click on a symptom's spin arrow, then Tab.

TaperDesk is started through its real entry point (``benchmarks.gui_child``) on a
private Xvfb with the Diary tab shown, a five-year plan and one or ten years of
diary logged up to today. Real X input events (XTest) click the first symptom's
up or down arrow, then press Tab (leaving the box saves the rating at once:
the day's list row, the chart's series and the chart are updated). The X server's
damage reports time what the person sees:

- *click → repaint*: from the click to the first repaint of the window (the new
  value in the box);
- *Tab → saved and repainted*: from the key to the last repaint it caused (the
  rating saved, the list row, the status line and the chart redrawn), ended by
  a quarter second without repaint;
- *Plan tab*: a click on its tab at once after the save (its chart's doses taken are
  read again and redrawn then), and, after another edit, 2 s after the save (the hidden
  chart was redrawn once the edits paused), to its last repaint.

Baseline, in the same run with runs alternating: a bare window with a QSpinBox and
a second one to Tab to in the first of two tabs, clicked and tabbed the same way.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result
from benchmarks.xscreen import InputTimer, Region, _end, _env, xvfb

ROOT = Path(__file__).resolve().parent.parent
#: Seconds between the save and the click on the Plan tab in the second timing of it.
PAUSE_S = 2.0


def _prepare(kind: str, folder: Path) -> Path:
    data = folder / kind
    subprocess.run(
        [sys.executable, "-m", "benchmarks.datasets", kind, str(data)],
        check=True,
        cwd=ROOT,
    )
    return data


def _start(
    name: str, arguments: list[str]
) -> tuple[subprocess.Popen, Region, list[int], list[int]]:
    """The window started, its first rating box, its Diary and Plan tabs' centres."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.gui_child", *arguments],
        env=_env() | {"DISPLAY": name, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # once the chart is drawn and the preload done
    if not line:
        _end(process)
        raise RuntimeError("the window did not report its rating box")
    box = json.loads(line)
    return process, Region(box["x"], box["y"], box["w"], box["h"]), box["diary"], box["plan"]


def _edit(
    timer: InputTimer,
    window: tuple[Region, list[int], list[int]],
    up: bool,
    screen: Region,
    pause_s: float = 0.0,
) -> tuple[float, float, float]:
    """One click on an arrow, then Tab, then (``pause_s`` later) a click on the Plan tab
    (and back, not timed): (click → repaint, Tab → saved and repainted, click → Plan tab
    shown)."""
    from Xlib import XK

    box, diary_tab, plan_tab = window
    x = box.x + box.width - 6  # the arrows sit at the right end of the box
    y = box.y + (box.height // 4 if up else 3 * box.height // 4)
    timer.focus_window_at(x, y)
    timer.wait_quiet(screen, 0.4)
    start = timer.click(x, y)
    click = timer.first_damage(screen, start)
    # Qt repaints a clicked spin box once more ~0.1 s later (its arrow's pressed state);
    # Tab after that, and before the 350 ms pause after which the rating saves by itself.
    time.sleep(0.15)
    start = timer.key(XK.XK_Tab)
    saved = timer.last_damage(screen, start)
    time.sleep(pause_s)
    start = timer.click(*plan_tab)
    plan = timer.last_damage(screen, start)
    timer.click(*diary_tab)  # back
    return click, saved, plan


def measure(runs: int = 9) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as folder, xvfb() as name:
        screen = Region(0, 0, 1920, 1080)
        for kind, label in (("diary1-tab", "1 y"), ("diary10-tab", "10 y")):
            data = _prepare(kind, Path(folder))
            app, *app_box = _start(name, [str(data)])
            bare, *bare_box = _start(name, ["--bare"])
            timer = InputTimer(name)
            try:
                ours: list[tuple[float, ...]] = []
                theirs: list[tuple[float, ...]] = []
                _edit(timer, app_box, True, screen)  # warm-up: first save of the day
                _edit(timer, bare_box, True, screen)
                for i in range(runs):
                    up = i % 2 == 1  # down, up, down...: the rating moves and comes back
                    theirs.append(_edit(timer, bare_box, up, screen))
                    ours.append(_edit(timer, app_box, up, screen))
                    # The same edit, the Plan tab clicked PAUSE_S later, as a person does
                    # (the hidden chart is redrawn once edits pause for 1.5 s).
                    theirs[-1] += (_edit(timer, bare_box, not up, screen, PAUSE_S)[2],)
                    ours[-1] += (_edit(timer, app_box, not up, screen, PAUSE_S)[2],)
                    time.sleep(0.05)
            finally:
                timer.close()
                _end(app)
                _end(bare)
            rows = (
                (0, "click on a symptom's spin arrow → repaint"),
                (1, "Tab out of it → saved, list row + chart repainted"),
                (2, "then at once a click on the Plan tab → shown"),
                (3, f"then {PAUSE_S:g} s later a click on the Plan tab → shown"),
            )
            for index, what in rows:
                value = statistics.median(r[index] for r in ours) * 1000
                base = statistics.median(r[index] for r in theirs) * 1000
                results.append(
                    Result(
                        f"diary edit, {label}: {what}",
                        value,
                        "ms",
                        "bare QSpinBox window",
                        base,
                        "<= 30 ms",
                        value <= 30,
                    )
                )
    return results


if __name__ == "__main__":
    from benchmarks.common import format_table

    print(format_table(measure()))
