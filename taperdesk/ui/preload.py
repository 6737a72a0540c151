"""What the charts and the other tabs need, loaded in idle time after the first paint.

matplotlib (with numpy) takes ~0.7 s to import and its first text drawn loads the
font list and a font: paid when the first chart is drawn, the Titration or Diary
tab's first visit was ~0.7 s slower than a later one. After the window's first
paint, :class:`IdlePreload` imports those modules one at a time, each from a
zero timer, so input and paints are handled between the steps (a thread would
hold the GIL through most of an import and slow the window as much). Nothing is
shown or changed: modules are imported and one figure is drawn off screen.

A chart that is wanted sooner (the Plan tab's, at start) asks :func:`when_loaded`:
its modules move to the front of the queue and the chart is built once they are in.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

#: Everything a chart needs, in import order (a step takes up to ~0.3 s on a cold start:
#: numpy, matplotlib's package; the others less).
CHART_MODULES: tuple[str, ...] = (
    "numpy",
    # matplotlib's own dependencies first, so its package import is a smaller step
    "pyparsing",
    "PIL.Image",
    "dateutil.parser",
    "matplotlib",
    "matplotlib.artist",
    "matplotlib.font_manager",
    "matplotlib.text",
    "matplotlib.lines",
    "matplotlib.patches",
    "matplotlib.collections",
    "matplotlib.image",
    "matplotlib.axis",
    "matplotlib.axes",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_qtagg",
    "matplotlib.dates",
    "taperdesk.ui.chart_toolbar",
)

#: The other tabs' modules (their charts' too), after the chart's.
TAB_MODULES: tuple[str, ...] = (
    "taperdesk.ui.diary_chart",
    "taperdesk.ui.diary_tab",
    "taperdesk.ui.titration_tab",
)

#: Not a module: draw a small figure off screen (font list and font file loaded).
FONT_WARM_UP = "<draw text once>"

_running: IdlePreload | None = None


def _warm_up_fonts() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1), dpi=50)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title("0.25 mg")
    figure.canvas.draw()


class IdlePreload(QObject):
    """Runs its steps one per event-loop turn; :attr:`timings` says what each took (s)."""

    def __init__(
        self,
        steps: tuple[str, ...] = (*CHART_MODULES, FONT_WARM_UP, *TAB_MODULES),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._steps = list(steps)
        self._waiting: list[tuple[frozenset[str], Callable[[], object]]] = []
        self.done: set[str] = set()
        self.timings: dict[str, float] = {}

    def start(self) -> None:
        global _running
        _running = self
        QTimer.singleShot(0, self, self._next)

    @property
    def finished(self) -> bool:
        return not self._steps

    def when_loaded(self, modules: tuple[str, ...], callback: Callable[[], object]) -> None:
        """Run ``callback`` once ``modules`` are imported (moved to the queue's front)."""
        missing = [m for m in modules if m not in self.done]
        if not missing:
            callback()
            return
        self._steps = missing + [s for s in self._steps if s not in missing]
        self._waiting.append((frozenset(missing), callback))

    def _next(self) -> None:
        global _running
        if self._steps:
            step = self._steps.pop(0)
            start = time.perf_counter()
            try:
                if step == FONT_WARM_UP:
                    _warm_up_fonts()
                else:
                    importlib.import_module(step)
            except Exception:  # only a head start: the real use will say what is wrong
                pass
            self.timings[step] = time.perf_counter() - start
            self.done.add(step)
        ready = [w for w in self._waiting if w[0] <= self.done]
        self._waiting = [w for w in self._waiting if not w[0] <= self.done]
        for _modules, callback in ready:
            callback()
        if self._steps and ready:
            # A chart was just built: its canvas draws from a zero timer and paints from a
            # posted event; the next step waits for both (it delayed the chart by its own
            # length, ~0.3 s for the font warm-up).
            QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self._next))
        elif self._steps:
            QTimer.singleShot(0, self, self._next)
        elif _running is self:
            _running = None


def when_loaded(modules: tuple[str, ...], callback: Callable[[], object]) -> None:
    """``callback`` after ``modules`` are imported: in turns of the running preload, or
    at once when none runs (tests, a tab built before the preload started)."""
    if _running is None:
        callback()
    else:
        _running.when_loaded(modules, callback)
