"""Symptoms against dose over time (embedded matplotlib, no pyplot).

Import this module lazily: it pulls in matplotlib. The figure is built once;
new data goes in with ``set_data`` and ``draw_idle``; the range buttons only
change the x limits. When a range holds more days than the axes has pixels,
the thin raw lines show weekly means instead (the bold 7-day averages are
already smooth), so ten years of 15 symptoms redraw quickly.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from taperdesk.core.diary import Symptom, rolling_mean
from taperdesk.store.diary import DiarySeries

RANGES: tuple[tuple[str, int | None], ...] = (
    ("4 weeks", 28),
    ("3 months", 91),
    ("1 year", 365),
    ("All", None),
)
#: Colour-blind-friendly cycle that reads on light and dark backgrounds (Okabe-Ito).
SYMPTOM_COLOURS = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
)  # fmt: skip
WINDOW_COLOUR = "#2e9d5a"
WAVE_COLOUR = "#d0453a"
#: matplotlib's date numbers count days from 1970-01-01; ours are date ordinals.
_EPOCH = dt.date(1970, 1, 1).toordinal()
MAX_SYMPTOMS_SHOWN = 15


class _Toolbar(NavigationToolbar2QT):
    """matplotlib's toolbar; its icons read a Qt attribute PySide6 6.12 marks deprecated."""

    def _icon(self, name: str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return super()._icon(name)


def _hex(colour: object) -> str:
    return colour.name()  # type: ignore[attr-defined]


class DiaryChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: DiarySeries | None = None
        self.symptoms: list[Symptom] = []
        self.chosen: list[int] = []
        self.range_days: int | None = 91
        self.figure = Figure(figsize=(6, 3.2), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumHeight(220)
        self.toolbar = _Toolbar(self.canvas, self)
        self.toolbar.setIconSize(self.toolbar.iconSize() * 0.8)
        self.ax = self.figure.add_subplot()
        self.dose_ax = self.ax.twinx()
        self._symptom_lines: dict[int, tuple[Line2D, Line2D]] = {}
        self._weekly: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._daily: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._average: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._spans: list[object] = []
        (self.taken_line,) = self.dose_ax.plot(
            [], [], drawstyle="steps-post", linewidth=2.0, label="dose taken (mg)"
        )
        (self.planned_line,) = self.dose_ax.plot(
            [], [], drawstyle="steps-post", linewidth=1.2, linestyle="--", label="planned (mg)"
        )
        self.ax.set_ylim(-0.3, 10.5)
        self.ax.set_ylabel("severity 0-10")
        self.dose_ax.set_ylabel("mg")
        self.ax.xaxis_date()
        self.ax.set_zorder(self.dose_ax.get_zorder() + 1)
        self.ax.patch.set_visible(False)

        controls = QHBoxLayout()
        self.range_group = QButtonGroup(self)
        self.range_buttons: dict[str, QPushButton] = {}
        for i, (text, days) in enumerate(RANGES):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setChecked(days == self.range_days)
            self.range_group.addButton(button, i)
            self.range_buttons[text] = button
            controls.addWidget(button)
        self.range_group.idClicked.connect(lambda i: self.set_range(RANGES[i][1]))
        controls.addStretch(1)
        self.symptom_button = QToolButton()
        self.symptom_button.setText("Symptoms shown ▾")
        self.symptom_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.symptom_menu = QMenu(self)
        self.symptom_button.setMenu(self.symptom_menu)
        controls.addWidget(self.symptom_button)
        controls.addWidget(self.toolbar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.canvas, 1)
        self.apply_palette()

    # -- colours -------------------------------------------------------------

    def apply_palette(self) -> None:
        palette = self.palette()
        window = _hex(palette.color(QPalette.ColorRole.Window))
        base = _hex(palette.color(QPalette.ColorRole.Base))
        text = _hex(palette.color(QPalette.ColorRole.WindowText))
        grid = _hex(palette.color(QPalette.ColorRole.Mid))
        self.figure.set_facecolor(window)
        self.dose_ax.set_facecolor(base)
        for axes in (self.ax, self.dose_ax):
            axes.tick_params(colors=text, labelcolor=text)
            axes.yaxis.label.set_color(text)
            for spine in axes.spines.values():
                spine.set_color(grid)
        self.ax.grid(True, color=grid, linewidth=0.5, alpha=0.6)
        self.taken_line.set_color(_hex(palette.color(QPalette.ColorRole.Highlight)))
        self.planned_line.set_color(text)
        self._text_colour = text

    # -- data ------------------------------------------------------------------

    def set_data(self, series: DiarySeries, symptoms: list[Symptom], chosen: list[int]) -> None:
        """Show new diary data; keeps the range. Lines are updated in place."""
        self.series = series
        self.symptoms = [s for s in symptoms if s.id in series.ratings or s.tracked]
        available = {s.id for s in self.symptoms}
        self.chosen = [i for i in chosen if i in available][:MAX_SYMPTOMS_SHOWN]
        self._rebuild_menu()
        x = series.days - _EPOCH
        has_dose = ~np.isnan(series.taken_mg)
        self.taken_line.set_data(x[has_dose], series.taken_mg[has_dose])
        has_plan = ~np.isnan(series.planned_mg)
        self.planned_line.set_data(x[has_plan], series.planned_mg[has_plan])
        self._set_symptom_lines()
        self._set_spans(x, series.markers)
        top = np.nanmax(np.concatenate((series.taken_mg, series.planned_mg, [0.0])))
        self.dose_ax.set_ylim(0, max(float(top) * 1.1, 0.1))
        self._apply_range()

    def _set_symptom_lines(self) -> None:
        series = self.series
        assert series is not None
        for symptom_id in list(self._symptom_lines):
            if symptom_id not in self.chosen:
                for line in self._symptom_lines.pop(symptom_id):
                    line.remove()
        names = {s.id: s.name for s in self.symptoms}
        self._daily.clear()
        self._weekly.clear()
        self._average.clear()
        for index, symptom_id in enumerate(self.chosen):
            days, values = series.ratings.get(symptom_id, (np.empty(0), np.empty(0)))
            x = days - _EPOCH
            average = np.array(
                [np.nan if v is None else v for v in rolling_mean(days.astype(int), values)],
                dtype=float,
            )
            self._daily[symptom_id] = (x, values)
            self._average[symptom_id] = (x, average)
            self._weekly[symptom_id] = _weekly_means(x, values)
            colour = SYMPTOM_COLOURS[index % len(SYMPTOM_COLOURS)]
            if symptom_id not in self._symptom_lines:
                (raw,) = self.ax.plot([], [], linewidth=0.7, alpha=0.45)
                (avg,) = self.ax.plot([], [], linewidth=2.2)
                self._symptom_lines[symptom_id] = (raw, avg)
            raw, avg = self._symptom_lines[symptom_id]
            name = names.get(symptom_id, f"symptom {symptom_id}")
            raw.set_label(f"_{name} (daily)")
            avg.set_label(f"{name} (7-day average)")
            raw.set_color(colour)
            avg.set_color(colour)
            raw.set_data(x, values)
            avg.set_data(x, average)
        self._update_legend()

    def _set_spans(self, x: np.ndarray, markers: np.ndarray) -> None:
        for span in self._spans:
            span.remove()  # type: ignore[attr-defined]
        self._spans = []
        transform = self.ax.get_xaxis_transform()
        for code, colour in ((1, WINDOW_COLOUR), (2, WAVE_COLOUR)):
            days = x[markers == code]
            if not len(days):
                continue
            # Runs of consecutive days become one bar each, all in ONE collection: a
            # patch per day would make a ten-year chart take seconds to draw.
            breaks = np.flatnonzero(np.diff(days) != 1) + 1
            starts = np.split(days, breaks)
            spans = [(float(run[0]), float(len(run))) for run in starts]
            self._spans.append(
                self.ax.broken_barh(
                    spans,
                    (0.965, 0.035) if code == 1 else (0.0, 0.035),
                    facecolors=colour,
                    alpha=0.7,
                    linewidth=0,
                    transform=transform,
                    label="window days" if code == 1 else "wave days",
                )
            )

    def _update_legend(self) -> None:
        handles = [h for h in self.ax.get_lines() if not h.get_label().startswith("_")]
        handles += [self.taken_line, self.planned_line]
        legend = self.ax.legend(
            handles=handles, loc="upper left", fontsize="small", framealpha=0.8, ncols=2
        )
        legend.get_frame().set_facecolor(_hex(self.palette().color(QPalette.ColorRole.Base)))
        for text in legend.get_texts():
            text.set_color(self._text_colour)

    def _rebuild_menu(self) -> None:
        self.symptom_menu.clear()
        for symptom in self.symptoms:
            action = self.symptom_menu.addAction(symptom.name)
            action.setCheckable(True)
            action.setChecked(symptom.id in self.chosen)
            action.toggled.connect(lambda on, sid=symptom.id: self.choose_symptom(sid, on))

    def choose_symptom(self, symptom_id: int, shown: bool) -> None:
        if self.series is None:
            return
        if shown and symptom_id not in self.chosen:
            self.chosen.append(symptom_id)
        elif not shown and symptom_id in self.chosen:
            self.chosen.remove(symptom_id)
        self._set_symptom_lines()
        self._apply_range()

    # -- range -----------------------------------------------------------------

    def set_range(self, days: int | None) -> None:
        """Show the last ``days`` days (None: everything); only the x limits change."""
        self.range_days = days
        for text, value in RANGES:
            self.range_buttons[text].setChecked(value == days)
        self._apply_range()

    def _apply_range(self) -> None:
        series = self.series
        if series is None or not len(series.days):
            today = dt.date.today().toordinal() - _EPOCH
            self.ax.set_xlim(today - (self.range_days or 28), today + 1)
            self.canvas.draw_idle()
            return
        last = max(float(series.days[-1]), dt.date.today().toordinal()) - _EPOCH + 1
        first = float(series.days[0]) - _EPOCH
        start = first if self.range_days is None else last - self.range_days
        self.ax.set_xlim(start, last)
        pixels = max(100, int(self.ax.bbox.width))
        # More days than pixels: weekly means for the thin lines, and every n-th
        # point of the (already smooth) 7-day average, so long ranges draw fast.
        weekly = (last - start) > pixels / 2
        stride = max(1, int(np.ceil((last - start) / pixels * 2)))
        for symptom_id, (raw, avg) in self._symptom_lines.items():
            source = self._weekly if weekly else self._daily
            raw.set_data(*source[symptom_id])
            x, y = self._average[symptom_id]
            avg.set_data(x[::stride], y[::stride])
        self.canvas.draw_idle()

    # -- for tests and reports -------------------------------------------------

    def lines_data(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Every visible line's label and x/y (x as date ordinals), for tests."""
        result = {}
        for line in [*self.ax.get_lines(), *self.dose_ax.get_lines()]:
            x, y = line.get_data()
            result[line.get_label().lstrip("_")] = (np.asarray(x) + _EPOCH, np.asarray(y))
        return result


def _weekly_means(x: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean per 7-day bin of the days that were rated (missing days skipped)."""
    if not len(x):
        return x, values
    bins = ((x - x[0]) // 7).astype(int)
    counts = np.bincount(bins)
    sums = np.bincount(bins, weights=values)
    keep = counts > 0
    centres = x[0] + np.arange(len(counts)) * 7 + 3
    return centres[keep], sums[keep] / counts[keep]
