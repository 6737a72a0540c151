"""Issue 17 item 5: the report's date axes name the months of the range.

A November range had the axis label "2026-Dec": matplotlib's concise formatter names the
month of its last computed tick, which may lie outside the range; and a one-day range
fell back to a scale of years (2025 … 2028). These tests failed before.
"""

from __future__ import annotations

import datetime as dt

import pytest

from taperdesk.printing import charts


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        (dt.date(2026, 11, 3), dt.date(2026, 11, 30)),
        (dt.date(2026, 11, 30), dt.date(2026, 11, 30)),
    ],
)
def test_a_november_range_is_labelled_november(first, last) -> None:
    """Item 5: a November range had the axis label "2026-Dec" (the concise formatter's
    offset names the month of its last computed tick, which may lie outside the range);
    a one-day range fell back to a scale of years."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    figure = charts.doses_figure(days, [0.5] * len(days), [0.5] * len(days), 500, 140)
    FigureCanvasAgg(figure).draw()
    axis = figure.axes[0].xaxis
    labels = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
    assert labels and all(label.split()[1] == "Nov" for label in labels)
    assert labels[0].endswith("2026") and axis.get_offset_text().get_text() == ""
    low, high = figure.axes[0].get_xlim()
    from matplotlib.dates import date2num

    assert all(low <= tick <= high for tick in axis.get_ticklocs())
    assert low < date2num(first) <= date2num(last) < high


def test_a_long_range_labels_months_and_years() -> None:
    first, last = dt.date(2026, 9, 7), dt.date(2027, 6, 30)
    ticks, months = charts._date_ticks(first, last)
    assert months and all(first <= t <= last and t.day == 1 for t in ticks)
    figure = charts.symptoms_figure([], [], first, last, 500, 140)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure).draw()
    labels = [t.get_text() for t in figure.axes[0].xaxis.get_ticklabels() if t.get_text()]
    assert labels[0] == "Nov 2026" and "Jan 2027" in labels and "Mar" in labels


def test_a_one_day_range_still_draws_the_planned_dose() -> None:
    day = dt.date(2026, 11, 30)
    figure = charts.doses_figure([day], [0.5], [0.45], 500, 140)
    planned, taken = figure.axes[0].get_lines()
    assert set(planned.get_ydata()) == {0.5} and len(set(planned.get_xdata())) == 2
    assert list(taken.get_ydata()) == [0.45]
