"""The plan chart: planned dose over time, embedded as in matplotlib's "embedding in Qt".

``Figure`` + ``FigureCanvasQTAgg`` + ``NavigationToolbar2QT``, no pyplot and no
global rcParams. matplotlib is imported only when :meth:`PlanChart.ensure_built`
first runs (the tab calls it once the chart is visible), so start-up does not
pay for it. Lines are updated with ``set_data`` and ``draw_idle``. Colours come
from the Qt palette so dark mode works. The doses taken and the legend are drawn
over a saved picture of the rest (:class:`~taperdesk.ui.chart_layer.DataLayer`):
a diary edit that changes only the doses taken, within the same limits, repaints
only them.

For tests, :attr:`PlanChart.lines` maps a name to its ``Line2D``
("planned:<drug>", "eq", "revision:<n>", "taken", "today").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from taperdesk.app.lived_plan import LivedPlan
from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.plan import TaperStyle
from taperdesk.core.schedule import Schedule

#: A second colour for the drug being switched from (readable on light and dark).
SECOND_DRUG_COLOUR = "#d9822b"


@dataclass(frozen=True, slots=True)
class EarlierRevision:
    """An earlier revision as drawn: in mg of the drug being tapered now, or in diazepam
    equivalents (on the right axis) when it tapered another drug."""

    number: int
    days: tuple[dt.date, ...]
    values: tuple[float, ...]
    in_diazepam_eq: bool

    @property
    def label(self) -> str:
        return f"Revision {self.number}" + (" (diazepam eq.)" if self.in_diazepam_eq else "")


def earlier_revisions(lived: LivedPlan) -> tuple[EarlierRevision, ...]:
    """Every earlier revision that can be worked out, each in the units it can be
    compared in: mg when it tapers the same drug as the newest, else diazepam eq."""
    taper_key = lived.plan.taper_drug_key
    out = []
    for revision in lived.revisions[:-1]:
        schedule = lived.schedule_of(revision)
        if schedule is None:
            continue
        same = all(key == taper_key for key in schedule.drug_keys)
        by_day: dict[dt.date, float] = {}
        for row in schedule.rows:
            value = row.total_mg if same else row.diazepam_eq_mg
            by_day[row.day] = by_day.get(row.day, 0.0) + value
        days = tuple(sorted(by_day))
        out.append(EarlierRevision(revision.number, days, tuple(by_day[d] for d in days), not same))
    return tuple(out)


@dataclass(frozen=True)
class ChartData:
    schedule: Schedule
    catalogue: DrugCatalogue
    today: dt.date
    #: Earlier revisions, or a function giving them: their schedules are built only when
    #: the chart is drawn (after the window's first paint), not when the tab loads.
    earlier: tuple[EarlierRevision, ...] | Callable[[], tuple[EarlierRevision, ...]] = ()
    taken: tuple[tuple[dt.date, float], ...] = ()
    #: ``taken`` is the diazepam-equivalent total of every drug (drawn on the right axis).
    taken_in_eq: bool = False
    #: The plan's holds, first and last day (an open one until today), whatever revision.
    holds: tuple[tuple[dt.date, dt.date], ...] = ()
    #: The newest revision's starting doses before its first cut: (first day, drug, mg).
    lead_in: tuple[dt.date, str, float] | None = None


class PlanChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Small enough for the whole Plan page to fit the smallest window (1000 x 600).
        self.setMinimumHeight(180)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel("The chart appears here.")
        self._layout.addWidget(self.placeholder)
        self.canvas: Any = None
        self.toolbar: Any = None
        self.figure: Any = None
        self.axes: Any = None
        self.eq_axes: Any = None
        self.lines: dict[str, Any] = {}
        self._spans: list[Any] = []
        self._data: ChartData | None = None
        self._laid_out_for: tuple[object, ...] | None = None
        self._layout_paused = False

    @property
    def is_built(self) -> bool:
        return self.canvas is not None

    def ensure_built(self) -> None:
        """Import matplotlib and create the figure (once)."""
        if self.canvas is not None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        from taperdesk.ui.chart_toolbar import ChartToolbar

        self.figure = Figure(figsize=(8, 3), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.toolbar = ChartToolbar(self.canvas, self)
        self.axes = self.figure.add_subplot()
        self.eq_axes = self.axes.twinx()
        self.canvas.mpl_connect("draw_event", self._remember_layout)
        from taperdesk.ui.chart_layer import DataLayer

        self.layer = DataLayer(self.canvas, self._over_background, self._layout_key)
        self.placeholder.hide()
        self._layout.addWidget(self.toolbar)
        self._layout.addWidget(self.canvas, 1)
        self._apply_palette()
        if self._data is not None:
            self._draw(self._data)

    @property
    def data(self) -> ChartData | None:
        """What the chart shows (drawn or waiting to be)."""
        return self._data

    def set_data(self, data: ChartData | None) -> None:
        before, self._data = self._data, data
        drawable = self.canvas is not None and data is not None
        if drawable and not self._only_taken_changed(before, data):
            self._draw(data)

    def _only_taken_changed(self, before: ChartData | None, data: ChartData) -> bool:
        """Show ``data`` by redrawing the doses taken alone when nothing else differs from
        what is drawn (a diary edit): the same plan, revisions, holds, axes and limits;
        by drawing nothing when nothing differs. False when the whole chart must be drawn."""
        if (
            before is not None
            and not callable(before.earlier)
            and replace(data, earlier=before.earlier) == before
        ):
            self._data = before  # nothing changed (a diary edit of a rating): nothing to draw
            return True
        taken = self.lines.get("taken")
        if (
            before is None
            or callable(before.earlier)
            or taken is None
            or not before.taken
            or not data.taken
            or data.taken_in_eq != before.taken_in_eq
            or replace(data, taken=before.taken, earlier=before.earlier) != before
            or _top(data) != _top(before)
        ):
            return False
        self._data = replace(data, earlier=before.earlier)
        taken.set_data([d for d, _ in data.taken], [mg for _, mg in data.taken])
        self.layer.redraw()
        return True

    def _over_background(self) -> list[Any]:
        """Drawn over the saved picture, in this order: the doses taken, then the legend."""
        legend = self.axes.get_legend() if self.axes is not None else None
        return [a for a in (self.lines.get("taken"), legend) if a is not None]

    # -- drawing -------------------------------------------------------------

    def _colours(self) -> dict[str, str]:
        palette = self.palette()
        return {
            "background": palette.color(QPalette.ColorRole.Base).name(),
            "window": palette.color(QPalette.ColorRole.Window).name(),
            "text": palette.color(QPalette.ColorRole.WindowText).name(),
            "main": palette.color(QPalette.ColorRole.Highlight).name(),
            "mid": palette.color(QPalette.ColorRole.Mid).name(),
        }

    def _apply_palette(self) -> None:
        c = self._colours()
        self.figure.set_facecolor(c["window"])
        for axes in (self.axes, self.eq_axes):
            axes.set_facecolor(c["background"])
            axes.tick_params(colors=c["text"], labelsize=9)
            for spine in axes.spines.values():
                spine.set_color(c["mid"])
            axes.xaxis.label.set_color(c["text"])
            axes.yaxis.label.set_color(c["text"])
        self.eq_axes.patch.set_visible(False)
        self.axes.grid(True, color=c["mid"], alpha=0.3, linewidth=0.6)

    def _line(self, name: str, axes: Any, **style: Any) -> Any:
        line = self.lines.get(name)
        if line is None:
            (line,) = axes.plot([], [], **style)
            self.lines[name] = line
        else:
            line.set(**{k: v for k, v in style.items() if k != "drawstyle"})
        return line

    def _drop(self, keep: set[str]) -> None:
        for name in [n for n in self.lines if n not in keep]:
            self.lines.pop(name).remove()

    def _draw(self, data: ChartData) -> None:
        if callable(data.earlier):
            data = replace(data, earlier=data.earlier())
            self._data = data
        c = self._colours()
        schedule, catalogue = data.schedule, data.catalogue
        steps = "steps-post" if schedule.plan.style is TaperStyle.CUT_AND_HOLD else "default"
        keep: set[str] = set()
        ax, eq_ax = self.axes, self.eq_axes
        taper_key = schedule.drug_keys[-1]

        for n, earlier in enumerate(data.earlier):
            name = f"revision:{earlier.number}"
            line = self._line(
                name,
                eq_ax if earlier.in_diazepam_eq else ax,
                color=c["text"],
                alpha=0.2 + 0.25 * (n + 1) / len(data.earlier),
                linewidth=1.2,
                linestyle=(0, (3, 2)) if earlier.in_diazepam_eq else "-",
                drawstyle=steps,
                label=earlier.label,
            )
            line.set_data(list(earlier.days), list(earlier.values))
            keep.add(name)

        several = len(schedule.drug_keys) > 1
        for key in schedule.drug_keys:
            name = f"planned:{key}"
            colour = c["main"] if key == taper_key else SECOND_DRUG_COLOUR
            label = f"{catalogue.get(key).name} (mg)"
            # During a crossover the diazepam-equivalent total is the line to follow: the
            # new drug's mg rise while the dose does not, so each drug's mg is drawn thin.
            line = self._line(
                name, ax, color=colour, linewidth=1.3 if several else 2.2, drawstyle=steps,
                label=label,
            )  # fmt: skip
            xs, ys = _series(schedule, key)
            if data.lead_in is not None and data.lead_in[1] == key:  # days before the 1st cut
                xs, ys = [data.lead_in[0], *xs], [data.lead_in[2], *ys]
            line.set_data(xs, ys)
            keep.add(name)

        eq_days = sorted({r.day for r in schedule.rows})
        if len(schedule.drug_keys) > 1:
            # Two drugs: their diazepam-equivalent total is a line of its own.
            eq_by_day: dict[dt.date, float] = {}
            for row in schedule.rows:
                eq_by_day[row.day] = eq_by_day.get(row.day, 0.0) + row.diazepam_eq_mg
            eq = self._line(
                "eq",
                eq_ax,
                color=c["text"],
                alpha=0.9,
                linewidth=2.4,
                drawstyle=steps,
                label="Diazepam equivalent, both drugs (mg)",
            )
            eq.set_data(eq_days, [eq_by_day[d] for d in eq_days])
            keep.add("eq")

        if data.taken:
            taken_axes = eq_ax if data.taken_in_eq else ax
            if "taken" in self.lines and self.lines["taken"].axes is not taken_axes:
                self.lines.pop("taken").remove()  # a crossover began: eq., right axis
            taken = self._line(
                "taken",
                taken_axes,
                color=c["text"],  # hollow dots in the text colour: apart from the plan line
                marker="o",
                markersize=3.2,
                markerfacecolor="none",
                markeredgewidth=0.8,
                linestyle="none",
                label="Taken (diary, diazepam eq.)" if data.taken_in_eq else "Taken (diary)",
                zorder=3,
                animated=True,  # redrawn alone after a diary edit (DataLayer)
            )
            taken.set_data([d for d, _ in data.taken], [mg for _, mg in data.taken])
            keep.add("taken")

        firsts = [e.days[0] for e in data.earlier if e.days]
        if data.lead_in is not None:
            firsts.append(data.lead_in[0])
        start = min([eq_days[0], *firsts]) if eq_days else None
        taper_drug = catalogue.with_overrides(schedule.plan.overrides).get(taper_key)
        top = _top(data)
        today = self._line("today", ax, color=c["text"], linewidth=1, linestyle=":", label="Today")
        today.set_data([data.today, data.today], [0, top * 1.08])
        keep.add("today")
        self._drop(keep)

        for span in self._spans:
            span.remove()
        self._spans = [
            ax.axvspan(
                run[0],
                run[1] + dt.timedelta(days=1),
                color=c["mid"],
                alpha=0.22,
                linewidth=0,
                label="Hold" if i == 0 else "_nolegend_",
            )
            for i, run in enumerate(data.holds)
        ]

        if start is not None:
            end = eq_days[-1] + dt.timedelta(days=7)
            ax.set_xlim(start - dt.timedelta(days=3), end)
        ax.set_ylim(0, top * 1.1)
        # The right axis is the left one read in diazepam equivalents of the drug tapered
        # now (the line of both drugs' total, and earlier revisions of another drug).
        eq_ax.set_ylim(0, top * 1.1 * 10 / taper_drug.mg_per_diazepam_10)
        # Short labels: a long one is clipped when the chart is short (the legend names
        # each drug, and says which lines are in diazepam equivalents).
        ax.set_ylabel("mg a day")
        eq_ax.set_ylabel("diazepam eq.")
        handles, labels = ax.get_legend_handles_labels()
        handles2, labels2 = eq_ax.get_legend_handles_labels()
        legend = ax.legend(
            handles + handles2, labels + labels2, loc="upper right", fontsize=8, frameon=True
        )
        legend.set_animated(True)  # over the doses taken, which are drawn after the rest
        legend.get_frame().set_facecolor(c["background"])
        legend.get_frame().set_edgecolor(c["mid"])
        for text in legend.get_texts():
            text.set_color(c["text"])
        self._format_dates()
        if self._laid_out_for is not None and self._laid_out_for == self._layout_key():
            self._draw_as_laid_out()
        else:
            self.canvas.draw_idle()

    # The constrained layout is ~60% of a redraw (~0.2 s after a diary edit at ten years):
    # it places the axes by their tick and axis labels. When the view and the canvas are
    # those of the last layout (only the doses taken changed, within the same limits), the
    # labels are the same and so are the places: draw once without it.

    def _layout_key(self) -> tuple[object, ...]:
        return (
            tuple(self.axes.get_xlim()),
            tuple(self.axes.get_ylim()),
            tuple(self.eq_axes.get_ylim()),
            self.canvas.get_width_height(),
            self.figure.dpi,
        )

    def _remember_layout(self, _event: object) -> None:
        if not self._layout_paused:
            self._laid_out_for = self._layout_key()

    def _draw_as_laid_out(self) -> None:
        self._layout_paused = True
        self.figure.set_layout_engine("none")
        try:
            self.canvas.draw()
        finally:
            self.figure.set_layout_engine("constrained")
            self._layout_paused = False

    def _format_dates(self) -> None:
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        locator = AutoDateLocator(maxticks=10)
        self.axes.xaxis.set_major_locator(locator)
        self.axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _top(data: ChartData) -> float:
    """The highest dose the left axis must show (its limit is 1.1 times this). The axes
    fit the newest plan and the doses taken: an earlier revision (another drug, a higher
    start) may run off the top, but never flattens the plan in force."""
    schedule = data.schedule
    taper_drug = data.catalogue.with_overrides(schedule.plan.overrides).get(schedule.drug_keys[-1])
    top = max((r.total_mg for r in schedule.rows), default=1.0)
    to_mg = taper_drug.mg_per_diazepam_10 / 10
    to_left = to_mg if data.taken_in_eq else 1.0
    top = max(top, max((v * to_left for _d, v in data.taken), default=0.0)) or 1.0
    earlier = data.earlier if not callable(data.earlier) else ()
    earlier_top = max(
        (max(e.values) * (to_mg if e.in_diazepam_eq else 1.0) for e in earlier if e.values),
        default=0.0,
    )
    return max(top, min(earlier_top, 1.5 * top))  # room for earlier revisions, up to a point


def _series(schedule: Schedule, drug_key: str) -> tuple[list[dt.date], list[float]]:
    rows = [r for r in schedule.rows if r.drug_key == drug_key]
    return [r.day for r in rows], [r.total_mg for r in rows]
