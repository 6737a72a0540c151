"""Charts for print, as SVG (vectors): the plan, doses taken vs planned, symptoms.

Each function builds a matplotlib ``Figure`` (never pyplot, no global rcParams
changes) and returns SVG bytes that :meth:`Canvas.svg` paints with Qt's SVG
renderer, so lines stay sharp at any zoom. Styles are black and grey with
different dash patterns and markers, so every series reads in black and white.
The figures are built by ``*_figure`` functions that tests can inspect by data.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from taperdesk.core.schedule import Schedule
    from taperdesk.printing.sources import DiaryDay

#: Line styles for several series in black and white: (colour, dashes, marker).
SERIES_STYLES: tuple[tuple[str, str, str], ...] = (
    ("black", "-", "o"),
    ("#555555", "--", "s"),
    ("black", ":", "^"),
    ("#777777", "-.", "D"),
    ("black", (0, (5, 1, 1, 1)), "v"),  # type: ignore[arg-type]
    ("#444444", (0, (1, 1)), "x"),  # type: ignore[arg-type]
)
_RC = {
    "font.family": ["DejaVu Sans"],
    "font.size": 7.5,
    "axes.linewidth": 0.6,
    "axes.edgecolor": "#333333",
    "xtick.major.width": 0.5,
    "ytick.major.width": 0.5,
}


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Ranges up to this many days get a tick every day, 2 days, week or fortnight ("5 Nov");
#: longer ones a tick every month or more ("Nov").
_DAY_TICKS_MAX_DAYS = 120


def _new_figure(width_pt: float, height_pt: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width_pt / 72, height_pt / 72), dpi=72, layout="constrained")


def _style(ax) -> None:
    ax.grid(True, color="#cccccc", linewidth=0.4)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Ranges up to this many days get a tick per day, week or fortnight ("5 Nov"); longer
#: ranges a tick per month or more ("Nov", "Jan 2027").
_DAY_TICKS_MAX_DAYS = 120


def _date_ticks(first: dt.date, last: dt.date) -> tuple[list[dt.date], bool]:
    """Days to put a tick on, all within ``first``..``last``, and whether they are month
    ticks (long ranges) rather than day ticks."""
    days = (last - first).days + 1
    if days <= _DAY_TICKS_MAX_DAYS:
        step = next(n for n in (1, 2, 7, 14, 21, 28) if days / n <= 9)
        start = first
        if step >= 7:  # on Mondays
            start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        ticks = [start + dt.timedelta(days=n) for n in range(0, days, step)]
        return [t for t in ticks if t <= last], False
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    interval = next(n for n in (1, 2, 3, 4, 6, 12, 24) if months / n <= 9)
    ticks = []
    index = first.year * 12 + first.month - 1 + (first.day > 1)  # the first 1st in range
    while (day := dt.date(index // 12, index % 12 + 1, 1)) <= last:
        if (index % 12) % interval == 0:
            ticks.append(day)
        index += 1
    return ticks, True


def _date_axis(ax, first: dt.date, last: dt.date) -> None:
    """Date ticks that stay inside ``first``..``last`` and name their own month.

    Matplotlib's concise formatter wrote the month of its last *computed* tick, which
    may lie beyond the range, in an offset label ("2026-Dec" under a November range),
    and a one-day range fell back to a scale of years. Here every tick is a day of the
    range labelled in full ("5 Nov"; on long ranges "Nov"), with the year on the first
    tick and where a year begins, and there is no offset label.
    """
    from matplotlib.dates import date2num
    from matplotlib.ticker import FixedLocator, FuncFormatter

    ticks, months = _date_ticks(first, last)
    by_value = {float(date2num(t)): t for t in ticks}
    labels = {}
    for n, day in enumerate(ticks):
        text = _MONTHS[day.month - 1] if months else f"{day.day} {_MONTHS[day.month - 1]}"
        if n == 0 or day.year != ticks[n - 1].year:
            text += f" {day.year}"
        labels[day] = text
    ax.xaxis.set_major_locator(FixedLocator(list(by_value)))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos=None: labels.get(by_value.get(float(value)), ""))
    )
    # Half a day either side: the first and last days are drawn whole, and a one-day
    # range has a width.
    ax.set_xlim(date2num(first) - 0.5, date2num(last) + 0.5)


def to_svg(figure: Figure) -> bytes:
    """The figure as SVG bytes (uses matplotlib's SVG backend, not Agg)."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "taperdesk"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def plan_figure(schedule: Schedule, width_pt: float, height_pt: float) -> Figure:
    """Daily dose (mg of each drug) over the plan, with held days hatched.

    During a crossover the diazepam-equivalent total of both drugs is drawn bold on a
    right-hand axis of its own: the new drug's mg rise while the dose does not.
    """
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure = _new_figure(width_pt, height_pt)
        ax = figure.add_subplot()
        _style(ax)
        if len(schedule.drug_keys) > 1:
            eq_by_day: dict[dt.date, float] = {}
            for row in schedule.rows:
                eq_by_day[row.day] = eq_by_day.get(row.day, 0.0) + row.diazepam_eq_mg
            eq_ax = ax.twinx()
            days = sorted(eq_by_day)
            eq_ax.step(
                days, [eq_by_day[d] for d in days], where="post", color="black",
                linewidth=2.2, label="diazepam eq., both drugs",
            )  # fmt: skip
            eq_ax.set_ylabel("diazepam eq. (mg)")
            eq_ax.legend(loc="upper center", fontsize=6.5, frameon=False)
            # The right axis reads the left one in diazepam equivalents of the drug tapered.
            taper = next(r for r in schedule.rows if r.drug_key == schedule.drug_keys[-1])
            ratio = taper.diazepam_eq_mg / taper.total_mg if taper.total_mg else 1.0
            top = max(max(r.total_mg for r in schedule.rows), max(eq_by_day.values()) / ratio)
            ax.set_ylim(0, top * 1.08)
            eq_ax.set_ylim(0, top * 1.08 * ratio)
        for n, key in enumerate(schedule.drug_keys):
            rows = list(schedule.rows_for_drug(key))
            colour, dashes, _marker = SERIES_STYLES[n % len(SERIES_STYLES)]
            ax.step(
                [r.day for r in rows],
                [r.total_mg for r in rows],
                where="post",
                color=colour,
                linestyle=dashes,
                linewidth=1.2,
                label=key.capitalize(),
            )
        spans = _hold_spans([r.day for r in schedule.rows if r.hold])
        if spans:
            _hatch_spans(ax, spans, schedule.summary.start_date, schedule.summary.end_date)
        ax.set_ylabel("mg a day")
        if len(schedule.drug_keys) == 1:
            ax.set_ylim(bottom=0)
        _date_axis(ax, schedule.summary.start_date, schedule.summary.end_date)
        _dedupe_legend(ax)
    return figure


def doses_figure(
    days: Sequence[dt.date],
    planned_mg: Sequence[float | None],
    taken_mg: Sequence[float | None],
    width_pt: float,
    height_pt: float,
    unit: str = "mg a day",
) -> Figure:
    """Planned daily dose (grey steps) and dose taken (black dots) over the report range."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure = _new_figure(width_pt, height_pt)
        ax = figure.add_subplot()
        _style(ax)
        plan_days = [d for d, v in zip(days, planned_mg, strict=True) if v is not None]
        plan_values = [v for v in planned_mg if v is not None]
        if len(plan_days) == 1:  # a one-day range: a step of one point draws nothing
            from matplotlib.dates import date2num

            middle = date2num(plan_days[0])
            plan_days = [middle - 0.5, middle + 0.5]  # type: ignore[list-item]
            plan_values = plan_values * 2
        ax.step(
            plan_days,
            plan_values,
            where="mid",
            color="#666666",
            linewidth=1.2,
            linestyle="--",
            label="planned",
        )
        taken_days = [d for d, v in zip(days, taken_mg, strict=True) if v is not None]
        taken_values = [v for v in taken_mg if v is not None]
        ax.plot(
            taken_days,
            taken_values,
            linestyle="none",
            marker="o",
            markersize=2.6,
            color="black",
            label="taken",
        )
        ax.set_ylabel(unit)
        # Headroom above the highest dose, where the legend goes: a flat dose over a short
        # report range ran right under the legend.
        highest = max([*plan_values, *taken_values], default=0) or 1
        ax.set_ylim(0, highest * 1.35)
        _date_axis(ax, days[0], days[-1])
        ax.legend(loc="upper right", fontsize=6.5, frameon=False, ncol=2)
    return figure


def weekly_average(points: Sequence[tuple[dt.date, int]]) -> list[tuple[dt.date, float]]:
    """For each rated day, the mean of the ratings in the 7 days ending that day."""
    averaged = []
    for day, _rating in points:
        window = [r for d, r in points if 0 <= (day - d).days < 7]
        averaged.append((day, sum(window) / len(window)))
    return averaged


#: The daily ratings under the 7-day means: thin and light, so the means lead (and a
#: black-and-white copy keeps only the means).
DAILY_STYLE = {"color": "#b4b4b4", "linewidth": 0.5, "marker": ".", "markersize": 1.6}
MEAN_LINEWIDTH = 1.8


def symptoms_figure(
    diary: Sequence[DiaryDay],
    symptoms: Sequence[str],
    first: dt.date,
    last: dt.date,
    width_pt: float,
    height_pt: float,
) -> Figure:
    """Each symptom's 7-day mean rating (0-10) bold, one line style per symptom, over
    its daily ratings drawn faint.

    Five daily lines tangle into a thicket; the means show the trend, the faint days
    under them how much each day varied. The legend (the means) sits under the axes,
    so the date axis lines up with the dose chart's above it.
    """
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure = _new_figure(width_pt, height_pt)
        ax = figure.add_subplot()
        _style(ax)
        means = []
        for n, name in enumerate(symptoms):
            points = [(d.day, d.ratings[name]) for d in diary if name in d.ratings]
            if not points:
                continue
            days = [p[0] for p in points]
            ax.plot(days, [p[1] for p in points], label=f"_{name}, each day", **DAILY_STYLE)
            colour, dashes, marker = SERIES_STYLES[n % len(SERIES_STYLES)]
            (line,) = ax.plot(
                days,
                [p[1] for p in weekly_average(points)],
                color=colour,
                linestyle=dashes,
                marker=marker,
                markersize=2.6,
                markevery=max(1, len(points) // 10),
                linewidth=MEAN_LINEWIDTH,
                label=name,
            )
            means.append(line)
        ax.set_ylim(0, 10.4)
        ax.set_yticks(range(0, 11, 2))
        ax.set_ylabel("rating 0-10")
        _date_axis(ax, first, last)
        if means:
            figure.legend(
                handles=means,
                loc="outside lower center",
                ncol=min(len(means), 6),
                fontsize=6.5,
                frameon=False,
            )
    return figure


def _hold_spans(days: Sequence[dt.date]) -> list[tuple[dt.date, dt.date]]:
    spans: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if spans and (day - spans[-1][1]).days == 1:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def _hatch_spans(
    ax, spans: Sequence[tuple[dt.date, dt.date]], first: dt.date, last: dt.date
) -> None:
    """Held days hatched with plain diagonal line segments, clipped to each span.

    matplotlib's ``hatch=`` becomes an SVG pattern, which Qt's SVG renderer paints into
    the PDF as two 1200 x 1200 images (a plan overview of 620 KB instead of ~35 KB);
    segments stay vectors, and sharp on any printer.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.dates import date2num
    from matplotlib.lines import Line2D

    left, right = date2num(first), date2num(last + dt.timedelta(days=1))
    spacing = max((right - left) / 110, 0.5)  # days between lines, about 110 across
    rise = spacing * 4  # x travelled from the bottom of the axes to the top
    segments = []
    for start, end in spans:
        x0, x1 = date2num(start), date2num(end + dt.timedelta(days=1))
        offset = x0 - rise
        while offset < x1:
            # the line (offset + rise * t, t), 0 <= t <= 1, cut to x0 <= x <= x1
            t0 = max(0.0, (x0 - offset) / rise)
            t1 = min(1.0, (x1 - offset) / rise)
            if t1 > t0:
                segments.append([(offset + rise * t0, t0), (offset + rise * t1, t1)])
            offset += spacing
        for x in (x0, x1):
            segments.append([(x, 0.0), (x, 1.0)])
    ax.add_collection(
        LineCollection(segments, colors="#666666", linewidths=0.45,
                       transform=ax.get_xaxis_transform(), zorder=0.5)
    )  # fmt: skip
    ax.add_line(Line2D([], [], color="#666666", linewidth=0.45, label="held (hatched)"))


def _dedupe_legend(ax) -> None:
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    if unique:
        ax.legend(unique.values(), unique.keys(), loc="upper right", fontsize=6.5, frameon=False)
