"""Symptoms against dose over time (embedded matplotlib, no pyplot).

Import this module lazily: it pulls in matplotlib. The figure and its lines are
built once; new data goes in with ``set_data`` and ``draw_idle``. Whenever the
x limits change (range buttons, toolbar zoom and pan) the lines are refitted to
the view, so a redraw costs about the same for four weeks or ten years:

- a series longer than :data:`WHOLE_SERIES_POINTS` is cut to the visible days
  (plus a margin) and its 7-day average is reduced to one mean per two-pixel
  bucket; the dose step lines keep only the days where the dose changes (the
  drawn steps are identical);
- when a range holds more days than the axes has pixels / 2, the thin raw
  lines show weekly means (daily wiggles would only be noise at that scale);
- window/wave days are two one-row images, whatever their number;
- margins, date ticks and the dose axis limits are set here, once per view,
  instead of by constrained layout, date auto-location and autoscaling on
  every draw; the legend is a Qt label under the canvas, not text drawn by Agg;
- the lines are drawn over a saved picture of the axes, ticks and strips
  (:class:`~taperdesk.ui.chart_layer.DataLayer`): a diary edit, which changes
  a line or two and not the view, repaints only the lines.
"""

from __future__ import annotations

import datetime as dt
import html

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FormatStrFormatter
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from taperdesk.core.diary import Symptom
from taperdesk.store.diary import DiarySeries
from taperdesk.ui.chart_layer import DataLayer
from taperdesk.ui.chart_toolbar import ChartToolbar

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
#: Series up to this many days are handed to matplotlib whole (it clips them
#: cheaply); longer ones are cut to the view and reduced to about the pixel width.
WHOLE_SERIES_POINTS = 2000
#: Days of the 7-day average.
AVERAGE_DAYS = 7
#: Fixed margins around the axes, in inches (room for tick labels and axis labels).
_MARGINS_IN = {"left": 0.62, "right": 0.74, "top": 0.12, "bottom": 0.32}
#: Minimum room per date label, in pixels.
_TICK_SPACING_PX = 78


def _hex(colour: object) -> str:
    return colour.name()  # type: ignore[attr-defined]


class DiaryChart(QWidget):
    #: The person chose a range: its days (0: all), to be remembered.
    range_chosen = Signal(int)
    #: The person ticked or unticked a symptom: the ids now drawn, to be remembered.
    symptoms_chosen = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: DiarySeries | None = None
        self.symptoms: list[Symptom] = []
        self.chosen: list[int] = []
        self.range_days: int | None = 91
        self.figure = Figure(figsize=(6, 3.2))
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumHeight(220)
        self.toolbar = ChartToolbar(self.canvas, self)
        self.ax = self.figure.add_subplot()
        self.dose_ax = self.ax.twinx()
        self._symptom_lines: dict[int, tuple[Line2D, Line2D]] = {}
        self._colour_of: dict[int, str] = {}
        self._weekly: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._daily: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._average: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._taken: tuple[np.ndarray, np.ndarray] = (np.empty(0), np.empty(0))
        self._planned: tuple[np.ndarray, np.ndarray] = (np.empty(0), np.empty(0))
        self._fitting = False
        self.dose_unit = "mg"
        # The dose in a style no symptom uses: a step line in the text colour (black on a
        # light palette, white on a dark one) with a dot a day; symptoms are Okabe-Ito
        # colours, plain lines. (It was the palette's blue, next to Insomnia's.)
        (self.taken_line,) = self.dose_ax.plot(
            [], [], drawstyle="steps-post", linewidth=2.0, label="dose taken (mg)",
            markersize=4, animated=True,
        )  # fmt: skip
        (self.planned_line,) = self.dose_ax.plot(
            [], [], drawstyle="steps-post", linewidth=1.2, linestyle="--", label="planned (mg)",
            zorder=1,  # under the dose taken, which usually lies on it
            animated=True,
        )  # fmt: skip
        self.taken_line.set_zorder(3)
        # A day that logged only some of its doses: a hollow dot, not a 50% drop.
        (self.partial_line,) = self.dose_ax.plot(
            [], [], linestyle="none", marker="o", markersize=6, markerfacecolor="none",
            label="partly logged (mg)", animated=True,
        )  # fmt: skip
        self._partial: tuple[np.ndarray, np.ndarray] = (np.empty(0), np.empty(0))
        # Window days along the top edge, wave days along the bottom, as one-row images.
        self._strips = {}
        for code, (low, high) in ((1, (0.965, 1.0)), (2, (0.0, 0.035))):
            self._strips[code] = self.ax.imshow(
                np.zeros((1, 1, 4)),
                extent=(0, 1, low, high),
                aspect="auto",
                interpolation="antialiased",
                transform=self.ax.get_xaxis_transform(),
                zorder=0.5,
                visible=False,
            )
        self.empty_note = self.ax.text(
            0.5,
            0.5,
            "No diary entries in this period",
            transform=self.ax.transAxes,
            ha="center",
            va="center",
            fontsize="medium",
            visible=False,
        )
        for axes in (self.ax, self.dose_ax):
            axes.set_autoscale_on(False)
            axes.tick_params(labelsize="small")
        self.ax.set_ylim(-0.5, 10.6)
        self.ax.set_yticks(range(0, 11, 2))
        self.ax.set_ylabel("severity 0-10", fontsize="small")
        self.dose_ax.set_ylabel("mg", fontsize="small")
        self.dose_ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))  # 0.001, not 0.0010
        self.ax.set_zorder(self.dose_ax.get_zorder() + 1)
        self.ax.patch.set_visible(False)
        self._date_format = DateFormatter("%d %b")
        self.ax.xaxis.set_major_formatter(self._date_format)
        self.ax.callbacks.connect("xlim_changed", lambda _ax: self._fit_view())
        self.layer = DataLayer(self.canvas, self._data_lines, self._view_key)
        #: The dates the chosen range showed last (a toolbar zoom or pan moves away).
        self._range_view: tuple[float, float] | None = None
        self._menu_for: tuple[object, ...] | None = None
        self._strip_days: dict[int, np.ndarray] = {}
        self.canvas.mpl_connect("resize_event", lambda _event: self._place_axes())

        controls = QHBoxLayout()
        self.range_group = QButtonGroup(self)
        self.range_buttons: dict[str, QPushButton] = {}
        for i, (text, days) in enumerate(RANGES):
            button = QPushButton(text)
            # Narrower than a push button's usual 80 px when the window is small.
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(text) + 20)
            button.setCheckable(True)
            button.setChecked(days == self.range_days)
            self.range_group.addButton(button, i)
            self.range_buttons[text] = button
            controls.addWidget(button)
        self.range_group.idClicked.connect(self._range_clicked)
        controls.addStretch(1)
        self.symptom_button = QToolButton()
        self.symptom_button.setText("Symptoms ▾")
        self.symptom_button.setToolTip("Choose the symptoms the chart shows")
        self.symptom_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.symptom_menu = QMenu(self)
        self.symptom_button.setMenu(self.symptom_menu)
        controls.addWidget(self.symptom_button)
        controls.addWidget(self.toolbar)
        # The legend is Qt text under the canvas: drawing 17 legend entries with
        # Agg on every redraw cost as much as all the lines together.
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setContentsMargins(6, 0, 6, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.legend)
        self.apply_palette()
        self._place_axes()

    # -- colours and layout ------------------------------------------------------

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
        self.empty_note.set_color(grid)
        self.taken_line.set_color(text)
        self.partial_line.set_color(text)
        self.planned_line.set_color(grid)
        self._text_colour = text
        self._update_legend()
        if hasattr(self, "layer"):
            self.layer.invalidate()

    def _place_axes(self) -> None:
        """Fixed margins in inches: constrained layout cost ~120 ms on every draw."""
        width, height = self.figure.get_size_inches()
        if width <= 1.5 or height <= 0.6:
            return
        m = _MARGINS_IN
        box = (
            m["left"] / width,
            m["bottom"] / height,
            1 - m["right"] / width,
            1 - m["top"] / height,
        )
        for axes in (self.ax, self.dose_ax):
            axes.set_position((box[0], box[1], box[2] - box[0], box[3] - box[1]))
        self._fit_view()

    # -- data ------------------------------------------------------------------

    def set_data(
        self,
        series: DiarySeries,
        symptoms: list[Symptom],
        chosen: list[int],
        dose_unit: str = "mg",
        partly_logged: np.ndarray | None = None,
    ) -> None:
        """Show new diary data; keeps the range. Lines are updated in place.

        ``dose_unit`` is "mg", or "diazepam eq." when the doses are the diazepam-equivalent
        total of more than one drug."""
        self.series = series
        if dose_unit != self.dose_unit:
            self.dose_unit = dose_unit
            self.dose_ax.set_ylabel(dose_unit, fontsize="small")
            self._update_legend()
            self.layer.invalidate()
        self.symptoms = [s for s in symptoms if s.id in series.ratings or s.tracked]
        available = {s.id for s in self.symptoms}
        self.chosen = [i for i in chosen if i in available][:MAX_SYMPTOMS_SHOWN]
        self._rebuild_menu()
        x = series.days - _EPOCH
        has_dose = ~np.isnan(series.taken_mg)
        partial = (
            partly_logged
            if partly_logged is not None and len(partly_logged) == len(x)
            else np.zeros(len(x), dtype=bool)
        )
        whole = has_dose & ~partial
        self._taken = (x[whole], series.taken_mg[whole])
        # A dot only where a line cannot be seen: a single logged day.
        self.taken_line.set_marker("o" if len(self._taken[0]) == 1 else "None")
        self._partial = (x[has_dose & partial], series.taken_mg[has_dose & partial])
        self.partial_line.set_data(*self._partial)
        has_plan = ~np.isnan(series.planned_mg)
        self._planned = (x[has_plan], series.planned_mg[has_plan])
        self._set_symptom_lines()
        self._set_strips(x, series.markers)
        self._apply_range(keep_zoom=True)

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
        colours = self._colours_of_chosen()
        for symptom_id in self.chosen:
            days, values = series.ratings.get(symptom_id, (np.empty(0), np.empty(0)))
            x = days - _EPOCH
            self._daily[symptom_id] = (x, values)
            self._average[symptom_id] = (x, calendar_mean(x, values, AVERAGE_DAYS))
            self._weekly[symptom_id] = weekly_means(x, values)
            colour = colours[symptom_id]
            if symptom_id not in self._symptom_lines:
                # a dot a day: a single logged day is drawn too (a line of one point is not)
                (raw,) = self.ax.plot([], [], linewidth=0.7, alpha=0.45, marker="o",
                                      markersize=2.5, animated=True)  # fmt: skip
                (avg,) = self.ax.plot([], [], linewidth=2.2, animated=True)
                self._symptom_lines[symptom_id] = (raw, avg)
            raw, avg = self._symptom_lines[symptom_id]
            name = names.get(symptom_id, f"symptom {symptom_id}")
            raw.set_label(f"_{name} (daily)")
            avg.set_label(f"{name} (7-day average)")
            raw.set_color(colour)
            avg.set_color(colour)
            # A diary of a few days: the averages are dots one can see, not pale specks.
            avg.set_marker("o" if len(x) <= 3 else "None")
            avg.set_markersize(6)
        self._update_legend()

    def _colours_of_chosen(self) -> dict[int, str]:
        """Each chosen symptom keeps the colour it had; one ticked gets a colour no other
        shown one has (colours went by place in the list, so ticking one recoloured the
        others: Headaches yellow, then blue; found by review)."""
        colours: dict[int, str] = {}
        for symptom_id in self.chosen:
            colour = self._colour_of.get(symptom_id)
            if colour is not None and colour not in colours.values():
                colours[symptom_id] = colour
        for symptom_id in self.chosen:
            if symptom_id not in colours:
                free = [c for c in SYMPTOM_COLOURS if c not in colours.values()]
                colours[symptom_id] = free[0] if free else SYMPTOM_COLOURS[len(colours) % 8]
        self._colour_of.update(colours)
        return colours

    def _set_strips(self, x: np.ndarray, markers: np.ndarray) -> None:
        """Window and wave days as one-pixel-high images, one column per calendar day."""
        for code, colour in ((1, WINDOW_COLOUR), (2, WAVE_COLOUR)):
            strip = self._strips[code]
            days = x[markers == code]
            before = self._strip_days.get(code)
            if before is not None and np.array_equal(before, days):
                continue  # a diary edit seldom changes them: the saved background stands
            self._strip_days[code] = days
            self.layer.invalidate()
            if not len(days):
                strip.set_visible(False)
                continue
            first = float(days[0])
            columns = int(days[-1] - first) + 1
            image = np.zeros((1, columns, 4))
            image[0, (days - first).astype(int)] = (*_rgb(colour), 0.75)
            strip.set_data(image)
            low, high = strip.get_extent()[2:]
            strip.set_extent((first, first + columns, low, high))
            strip.set_visible(True)

    def _update_legend(self) -> None:
        if not hasattr(self, "legend"):
            return
        names = {s.id: s.name for s in self.symptoms}
        items = [
            _legend_item(_line_colour(avg), "━━", names.get(sid, f"symptom {sid}"))
            for sid, (_raw, avg) in self._symptom_lines.items()
        ]
        items += [
            _legend_item(_line_colour(self.taken_line), "━━", f"dose taken ({self.dose_unit})"),
            _legend_item(_line_colour(self.planned_line), "╌╌", f"planned ({self.dose_unit})"),
            _legend_item(WINDOW_COLOUR, "▬", "window days"),
            _legend_item(WAVE_COLOUR, "▬", "wave days"),
        ]
        note = "bold: 7-day average · thin: daily ratings (weekly means over long ranges)"
        self.legend.setText(
            " &nbsp; ".join(items)
            + f"<br><span style='color:{self._text_colour}'><small>{note}</small></span>"
        )

    def legend_labels(self) -> list[str]:
        """The legend's entries in order (for tests)."""
        names = {s.id: s.name for s in self.symptoms}
        labels = [f"{names.get(sid, sid)} (7-day average)" for sid in self._symptom_lines]
        unit = self.dose_unit
        return [*labels, f"dose taken ({unit})", f"planned ({unit})", "window days", "wave days"]

    def _rebuild_menu(self) -> None:
        wanted = (tuple((s.id, s.name) for s in self.symptoms), tuple(self.chosen))
        if wanted == self._menu_for:
            return  # a diary edit: the same symptoms, the same choice
        self._menu_for = wanted
        self.symptom_menu.clear()
        for symptom in self.symptoms:
            action = self.symptom_menu.addAction(symptom.name)
            action.setCheckable(True)
            action.setChecked(symptom.id in self.chosen)
            action.toggled.connect(lambda on, sid=symptom.id: self._symptom_ticked(sid, on))

    def _symptom_ticked(self, symptom_id: int, shown: bool) -> None:
        self.choose_symptom(symptom_id, shown)
        self.symptoms_chosen.emit(list(self.chosen))

    def choose_symptom(self, symptom_id: int, shown: bool) -> None:
        if self.series is None:
            return
        if shown and symptom_id not in self.chosen:
            self.chosen.append(symptom_id)
        elif not shown and symptom_id in self.chosen:
            self.chosen.remove(symptom_id)
        self._menu_for = (self._menu_for or ((), ()))[0], tuple(self.chosen)  # as ticked
        self._set_symptom_lines()
        self._apply_range(keep_zoom=True)

    # -- range -----------------------------------------------------------------

    def _range_clicked(self, index: int) -> None:
        days = RANGES[index][1]
        self.set_range(days)
        self.range_chosen.emit(days or 0)

    def set_range(self, days: int | None) -> None:
        """Show the last ``days`` days (None: everything); the lines follow the view."""
        self.range_days = days
        for text, value in RANGES:
            self.range_buttons[text].setChecked(value == days)
        self._apply_range()

    def _apply_range(self, keep_zoom: bool = False) -> None:
        """Show the chosen range (the last ``range_days`` days). ``keep_zoom``: new data
        (a diary edit) keeps a view the person zoomed or panned with the toolbar; it put
        the dates back to the range and left the severity axis zoomed (found by review)."""
        zoomed = self._range_view is not None and tuple(self.ax.get_xlim()) != self._range_view
        if keep_zoom and zoomed:
            self._fit_view(keep_dose_axis=True)
            self.layer.redraw()
            return
        series = self.series
        today = dt.date.today().toordinal() - _EPOCH
        if series is None or not len(series.days):
            start, last = today - (self.range_days or 28), today + 1
        else:
            last = max(float(series.days[-1]) - _EPOCH, today) + 1
            first = float(series.days[0]) - _EPOCH
            start = first if self.range_days is None else last - self.range_days
            # A diary younger than the range starts at its first day (with a week's room),
            # not squeezed against the right edge of three empty months.
            start = max(start, min(first - 1, last - 7))
        self.ax.set_ylim(-0.5, 10.6)  # a zoom's severity range goes with it
        self._range_view = (float(start), float(last))
        if (start, last) == tuple(self.ax.get_xlim()):
            self._fit_view()  # new data, same view: xlim_changed does not fire
        else:
            self.ax.set_xlim(start, last)  # refits through xlim_changed
        self.layer.redraw()  # only the lines when the view stayed as it was

    def _data_lines(self) -> list[Line2D]:
        """The lines drawn over the saved background, in matplotlib's order: the dose axes
        first (planned, partly logged, taken, by zorder), then the symptoms above it."""
        dose = sorted((self.planned_line, self.partial_line, self.taken_line),
                      key=lambda line: line.get_zorder())  # fmt: skip
        return [*dose, *(line for pair in self._symptom_lines.values() for line in pair)]

    def _view_key(self) -> tuple[object, ...]:
        """What the background shows besides the view's limits: it is drawn again when
        any of these change (ticks, the note of an empty period)."""
        return (
            tuple(self.ax.get_xlim()),
            tuple(self.dose_ax.get_ylim()),
            tuple(self.ax.get_ylim()),
            tuple(getattr(self.ax.xaxis.get_major_locator(), "locs", ())),
            self._date_format.fmt,
            self.empty_note.get_visible(),
            self.dose_unit,
        )

    def _fit_view(self, keep_dose_axis: bool = False) -> None:
        """Give each line the points of the current view, at about the pixel width, and the
        dose axis the doses shown (``keep_dose_axis``: as it is, a zoom's; review)."""
        if self._fitting:
            return
        self._fitting = True
        try:
            left, right = self.ax.get_xlim()
            span = max(right - left, 1.0)
            pixels = max(100, int(self.ax.bbox.width))
            margin = span * 0.1 + AVERAGE_DAYS
            low, high = left - margin, right + margin
            weekly = span > pixels / 2
            for symptom_id, (raw, avg) in self._symptom_lines.items():
                daily = self._daily[symptom_id]
                source = self._weekly[symptom_id] if weekly else daily
                if len(daily[0]) > WHOLE_SERIES_POINTS:
                    raw.set_data(*_cut(*source, low, high))
                    avg.set_data(
                        *bucket_means(*_cut(*self._average[symptom_id], low, high), pixels // 2)
                    )
                else:
                    raw.set_data(*source)
                    avg.set_data(*self._average[symptom_id])
            top = 0.0
            for line, (x, y) in (
                (self.taken_line, self._taken),
                (self.planned_line, self._planned),
            ):
                if len(x) > WHOLE_SERIES_POINTS:
                    x, y = _dose_steps(*_cut(x, y, low, high, keep_before=True))
                    line.set_data(x, y)
                else:
                    line.set_data(x, y)
                shown = y[(x >= left - 1) & (x <= right)]
                if len(shown):
                    top = max(top, float(np.nanmax(shown)))
            top = top if top > 0 else 1.0
            if not keep_dose_axis:  # 0 sits just above the wave strip, on both axes
                self.dose_ax.set_ylim(-top * 0.05, top * 1.12)
            days = self.series.days - _EPOCH if self.series is not None else np.empty(0)
            in_view = np.count_nonzero((days >= left - 1) & (days <= right))
            self.empty_note.set_visible(not in_view)
            self._set_ticks(left, right, pixels)
        finally:
            self._fitting = False

    def _set_ticks(self, left: float, right: float, pixels: int) -> None:
        """Date ticks chosen once per view (AutoDateLocator reran on every draw)."""
        ticks, fmt = date_ticks(left, right, max(2, pixels // _TICK_SPACING_PX))
        self.ax.xaxis.set_major_locator(FixedLocator(ticks))
        self._date_format.fmt = fmt

    # -- for tests and reports -------------------------------------------------

    def lines_data(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Every visible line's label and x/y (x as date ordinals), for tests."""
        result = {}
        for line in [*self.ax.get_lines(), *self.dose_ax.get_lines()]:
            x, y = line.get_data()
            result[line.get_label().lstrip("_")] = (np.asarray(x) + _EPOCH, np.asarray(y))
        return result


# -- helpers (array shaping for drawing; no diary rules) ------------------------


def _rgb(colour: str) -> tuple[float, float, float]:
    value = int(colour.lstrip("#"), 16)
    return (value >> 16 & 255) / 255, (value >> 8 & 255) / 255, (value & 255) / 255


def _line_colour(line: Line2D) -> str:
    from matplotlib.colors import to_hex

    return to_hex(line.get_color())


def _legend_item(colour: str, swatch: str, text: str) -> str:
    words = "&nbsp;".join(html.escape(text).split())  # an entry never breaks across lines
    return f"<span style='color:{colour}'><b>{swatch}</b></span>&nbsp;{words}"


def _cut(
    x: np.ndarray, y: np.ndarray, low: float, high: float, keep_before: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The points with ``low <= x <= high`` (``x`` sorted); ``keep_before`` adds the
    last point before ``low`` so a step line starts at the left edge."""
    start = int(np.searchsorted(x, low, side="left"))
    stop = int(np.searchsorted(x, high, side="right"))
    if keep_before:
        start = max(start - 1, 0)
    return x[start:stop], y[start:stop]


def _dose_steps(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points where a ``steps-post`` line changes, plus the last: the same drawing."""
    if len(x) < 3:
        return x, y
    keep = np.empty(len(x), dtype=bool)
    keep[0] = keep[-1] = True
    keep[1:-1] = y[1:-1] != y[:-2]
    return x[keep], y[keep]


def calendar_mean(x: np.ndarray, values: np.ndarray, window_days: int) -> np.ndarray:
    """Mean of the rated days in the last ``window_days`` calendar days, at each rated day.

    The array form of :func:`taperdesk.core.diary.rolling_mean` (same window,
    missing days skipped, never filled in), for plotting ten years without a
    Python loop. ``x`` are increasing whole day numbers; NaN values are skipped.
    """
    if not len(x):
        return np.empty(0)
    offsets = (x - x[0]).astype(np.int64)
    rated = ~np.isnan(values)
    sums = np.zeros(offsets[-1] + 2)
    counts = np.zeros(offsets[-1] + 2)
    sums[offsets[rated] + 1] = values[rated]
    counts[offsets[rated] + 1] = 1
    sums = np.cumsum(sums)
    counts = np.cumsum(counts)
    before = np.maximum(offsets + 1 - window_days, 0)
    total = sums[offsets + 1] - sums[before]
    count = counts[offsets + 1] - counts[before]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def weekly_means(x: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean per 7-day bin (from the first day) of the days that were rated, at the bin's
    middle day (missing days skipped)."""
    if not len(x):
        return x, values
    bins = ((x - x[0]) // 7).astype(int)
    counts = np.bincount(bins)
    sums = np.bincount(bins, weights=values)
    keep = counts > 0
    centres = x[0] + np.arange(len(counts)) * 7 + 3
    return centres[keep], sums[keep] / counts[keep]


def bucket_means(x: np.ndarray, y: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``buckets`` points: the mean x and mean y of equal runs of points (NaN
    skipped). Used on the already smooth 7-day average, so the shape stays."""
    if len(x) <= buckets:
        return x, y
    index = np.arange(len(x)) * buckets // len(x)
    valid = ~np.isnan(y)
    counts = np.bincount(index[valid], minlength=buckets)
    sum_x = np.bincount(index[valid], weights=x[valid], minlength=buckets)
    sum_y = np.bincount(index[valid], weights=y[valid], minlength=buckets)
    keep = counts > 0
    return sum_x[keep] / counts[keep], sum_y[keep] / counts[keep]


#: (step in days, matplotlib date format), finest first; months and years are
#: placed on the 1st of the month / 1 January.
_TICK_STEPS: tuple[tuple[str, int, str], ...] = (
    ("day", 1, "%d %b"),
    ("day", 2, "%d %b"),
    ("week", 7, "%d %b"),
    ("week", 14, "%d %b"),
    ("month", 1, "%b %Y"),
    ("month", 2, "%b %Y"),
    ("month", 3, "%b %Y"),
    ("month", 6, "%b %Y"),
    ("year", 1, "%Y"),
    ("year", 2, "%Y"),
    ("year", 5, "%Y"),
    ("year", 10, "%Y"),
    ("year", 25, "%Y"),
)


def date_ticks(left: float, right: float, most: int) -> tuple[list[float], str]:
    """Tick positions (matplotlib date numbers) for ``[left, right]``, at most ``most``
    of them, on round dates (Mondays, 1st of the month, 1 January), and their format."""
    first = dt.date.fromordinal(int(np.ceil(left)) + _EPOCH)
    last = dt.date.fromordinal(int(np.floor(right)) + _EPOCH)
    span = (last - first).days
    for kind, step, fmt in _TICK_STEPS:
        if kind in ("day", "week") and span // step + 1 > most:
            continue
        if kind == "month" and (span / 30.4) // step + 1 > most:
            continue
        if kind == "year" and (span / 365.25) // step + 1 > most:
            continue
        ticks = list(_round_dates(first, last, kind, step))
        if len(ticks) <= most:
            return [d.toordinal() - _EPOCH for d in ticks], fmt
    return [first.toordinal() - _EPOCH], "%Y"


def _round_dates(first: dt.date, last: dt.date, kind: str, step: int):
    if kind == "day":
        day = first
        while day <= last:
            yield day
            day += dt.timedelta(days=step)
    elif kind == "week":
        day = first + dt.timedelta(days=-first.weekday() % 7)  # next Monday
        while day <= last:
            yield day
            day += dt.timedelta(days=step)
    elif kind == "month":
        month = first.year * 12 + first.month - 1
        month += -month % step
        while True:
            day = dt.date(month // 12, month % 12 + 1, 1)
            if day > last:
                return
            if day >= first:
                yield day
            month += step
    else:
        year = first.year + (-first.year % step)
        while year <= last.year:
            day = dt.date(year, 1, 1)
            if day >= first:
                yield day
            year += step
