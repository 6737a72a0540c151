"""The diary chart by its data: range cut, decimation, averages, dose steps, ticks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from taperdesk.core.diary import DiaryEntry, DoseTaken, rolling_mean
from taperdesk.store import diary as store
from taperdesk.store import symptoms as symptom_store
from taperdesk.ui.diary_chart import (
    WHOLE_SERIES_POINTS,
    DiaryChart,
    calendar_mean,
    date_ticks,
)

EPOCH = dt.date(1970, 1, 1).toordinal()
TODAY = dt.date.today()


def seed(database, days: int, symptoms: int = 15) -> list[DiaryEntry]:
    """``days`` days ending today; every 13th day missing; dose steps down every 30 days."""
    entries = []
    with database.transaction() as connection:
        for i in range(days):
            if i % 13 == 6:
                continue
            day = TODAY - dt.timedelta(days=days - 1 - i)
            mg = round(1.0 - 0.005 * (i // 30), 3)
            entry = DiaryEntry(
                day,
                (DoseTaken("morning", "clonazepam", mg, mg, "08:00"),),
                {s: (i * 7 + s * 3) % 11 for s in range(1, symptoms + 1)},
                day_marker=("neutral", "window", "neutral", "wave")[i // 5 % 4],
            )
            store.write_entry(connection, entry)
            entries.append(entry)
    return entries


def make_chart(qtbot, database, chosen=(1, 2, 3), width: int = 800) -> DiaryChart:
    chart = DiaryChart()
    qtbot.addWidget(chart)
    chart.resize(width, 420)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data(
        store.diary_series(database), symptom_store.list_symptoms(database), list(chosen)
    )
    return chart


def test_ten_years_four_weeks_lines_hold_exactly_the_visible_days(qtbot, database) -> None:
    entries = seed(database, 3650)
    chart = make_chart(qtbot, database)
    chart.set_range(28)
    left, right = chart.ax.get_xlim()
    assert round(right - left) == 28
    margin = 28 * 0.1 + 7
    expected = [
        e.entry_date.toordinal()
        for e in entries
        if left - margin <= e.entry_date.toordinal() - EPOCH <= right + margin
    ]
    x, y = chart.lines_data()["Anxiety (daily)"]
    assert list(x) == expected
    by_day = {e.entry_date.toordinal(): e.ratings[1] for e in entries}
    assert list(y) == [by_day[d] for d in expected]
    x_avg, _ = chart.lines_data()["Anxiety (7-day average)"]
    assert list(x_avg) == expected


def test_ten_years_all_is_reduced_to_about_the_pixel_width(qtbot, database) -> None:
    seed(database, 3650)
    chart = make_chart(qtbot, database, chosen=range(1, 16))
    chart.set_range(None)
    pixels = chart.ax.bbox.width
    lines = chart.lines_data()
    assert len(lines) == 33  # 15 x (daily, average), dose taken, planned, partly logged
    for name, (x, _) in lines.items():
        assert len(x) <= pixels, name
    # the 7-day average keeps its shape: bucket means stay within the raw averages' range
    days, values = store.diary_series(database).ratings[1]
    full = calendar_mean(days - EPOCH, values, 7)
    _, shown = lines["Anxiety (7-day average)"]
    assert np.nanmin(full) <= shown.min() and shown.max() <= np.nanmax(full)


def test_dose_steps_are_the_same_drawing_with_fewer_points(qtbot, database) -> None:
    entries = seed(database, 3650)
    chart = make_chart(qtbot, database)
    chart.set_range(365)
    x, y = chart.lines_data()["dose taken (mg)"]
    assert len(x) < 40  # a change every 30 days, not 365 points
    left, right = (v + EPOCH for v in chart.ax.get_xlim())
    for e in entries:
        day = e.entry_date.toordinal()
        if left <= day <= right:
            # steps-post: the value on a day is the last point at or before it
            assert y[np.searchsorted(x, day, side="right") - 1] == e.doses[0].dose_mg
    top = chart.dose_ax.get_ylim()[1]
    assert max(y) <= top < max(y) * 1.2  # scaled to what is shown
    assert chart.dose_ax.get_ylim()[0] < 0 < min(y)


def test_seeded_year_all_shows_correct_weekly_means(qtbot, database) -> None:
    entries = seed(database, 365)
    assert len(entries) < WHOLE_SERIES_POINTS
    chart = make_chart(qtbot, database, width=600)
    chart.set_range(None)
    x, y = chart.lines_data()["Anxiety (daily)"]
    first = entries[0].entry_date.toordinal()
    for week in (0, 10, 51):
        rated = [
            e.ratings[1]
            for e in entries
            if week * 7 <= e.entry_date.toordinal() - first < week * 7 + 7
        ]
        i = list(x).index(first + week * 7 + 3)
        assert y[i] == pytest.approx(sum(rated) / len(rated))


def test_zoom_with_the_toolbar_refits_the_lines(qtbot, database) -> None:
    seed(database, 3650)
    chart = make_chart(qtbot, database)
    chart.set_range(None)
    middle = TODAY.toordinal() - EPOCH - 2000
    chart.ax.set_xlim(middle, middle + 20)  # what zoom and pan do
    x, _ = chart.lines_data()["Anxiety (daily)"]
    assert x.min() >= middle + EPOCH - 10 and x.max() <= middle + 20 + EPOCH + 10
    assert np.all(np.diff(x) >= 1)  # daily points again


def test_choosing_symptoms_changes_lines_and_legend(qtbot, database) -> None:
    seed(database, 100)
    chart = make_chart(qtbot, database, chosen=(1,))
    chart.choose_symptom(2, True)
    assert "Insomnia (7-day average)" in chart.lines_data()
    assert chart.legend_labels()[:2] == ["Anxiety (7-day average)", "Insomnia (7-day average)"]
    assert "Insomnia" in chart.legend.text() and "wave&nbsp;days" in chart.legend.text()
    chart.choose_symptom(1, False)
    assert "Anxiety (daily)" not in chart.lines_data()


def test_window_and_wave_days_are_marked_per_day(qtbot, database) -> None:
    entries = seed(database, 60)
    chart = make_chart(qtbot, database)
    windows = [e.entry_date.toordinal() - EPOCH for e in entries if e.day_marker == "window"]
    strip = chart._strips[1]
    left, right = strip.get_extent()[:2]
    image = strip.get_array()
    assert (left, right) == (windows[0], windows[-1] + 1)
    marked = [left + i for i in np.flatnonzero(image[0, :, 3] > 0)]
    assert marked == windows


@given(
    st.lists(
        st.tuples(st.integers(1, 20), st.one_of(st.none(), st.integers(0, 10))),
        min_size=1,
        max_size=60,
    )
)
def test_calendar_mean_is_the_core_rolling_mean(steps) -> None:
    days, values, day = [], [], 700000
    for gap, value in steps:
        day += gap
        days.append(day)
        values.append(value)
    expected = rolling_mean(days, values)
    got = calendar_mean(
        np.array(days, dtype=float),
        np.array([np.nan if v is None else v for v in values], dtype=float),
        7,
    )
    assert [None if np.isnan(g) else g for g in got] == pytest.approx(expected)


@pytest.mark.parametrize("span", [28, 91, 365, 3650, 36500])
def test_date_ticks_fit_and_sit_on_round_dates(span) -> None:
    right = TODAY.toordinal() - EPOCH
    ticks, fmt = date_ticks(right - span, right, 10)
    assert 2 <= len(ticks) <= 10
    dates = [dt.date.fromordinal(int(t) + EPOCH) for t in ticks]
    if span <= 100:
        assert all(d.weekday() == 0 for d in dates) and fmt == "%d %b"
    else:
        assert all(d.day == 1 for d in dates)


def test_a_period_without_entries_says_so(qtbot, database) -> None:
    seed(database, 400)
    with database.transaction() as connection:
        connection.execute("DELETE FROM diary_entries WHERE entry_date > ?", ("1971-01-01",))
        store.write_entry(connection, DiaryEntry(TODAY - dt.timedelta(days=100), (), {1: 3}))
    chart = make_chart(qtbot, database)
    chart.set_range(28)
    assert chart.empty_note.get_visible()
    chart.set_range(None)
    assert not chart.empty_note.get_visible()


def test_review_findings_on_the_diary_chart(qtbot, database) -> None:
    """Issue 16 point 6: a single logged day drew nothing; a new diary sat against the right
    edge of three empty months; the dose was drawn in the palette's blue, next to a symptom's
    sky blue; a half-logged day was a 50% drop in dose."""
    from matplotlib.colors import to_hex

    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.ui.diary_chart import SYMPTOM_COLOURS

    today = dt.date.today()
    store.save_entry(database, DiaryEntry(today - dt.timedelta(days=1),
                                          (DoseTaken("morning", "clonazepam", 0.5, 0.5),
                                           DoseTaken("night", "clonazepam", 0.5, 0.5)),
                                          {1: 4}))  # fmt: skip
    store.save_entry(database, DiaryEntry(today, (DoseTaken("morning", "clonazepam", 0.5, 0.5),),
                                          {}))  # fmt: skip
    chart = make_chart(qtbot, database, chosen=[1])
    series = store.diary_series(database)
    partial = series.dose_count < 2  # the plan had two doses a day
    chart.set_data(series, chart.symptoms, [1], partly_logged=partial)
    raw, _avg = chart._symptom_lines[1]
    assert raw.get_marker() == "o" and len(raw.get_xdata()) == 1  # one day, one dot
    _x, y = chart.lines_data()["dose taken (mg)"]
    assert list(y) == [1.0]  # the whole day only: no drop to 0.5
    assert list(chart.partial_line.get_ydata()) == [0.5]
    assert chart.partial_line.get_markerfacecolor() == "none"
    left, right = chart.ax.get_xlim()
    assert right - left <= 8  # not 91 days with two at the right edge
    dose_colour = to_hex(chart.taken_line.get_color())
    assert dose_colour not in {c.lower() for c in SYMPTOM_COLOURS}
    assert chart.taken_line.get_drawstyle() == "steps-post"


def _pixels(chart: DiaryChart) -> np.ndarray:
    return np.asarray(chart.canvas.buffer_rgba()).copy()


def _drawn(qtbot, chart: DiaryChart) -> None:
    """The chart drawn whole, as Qt does when idle (no draw left pending)."""
    chart.canvas.draw_idle()
    qtbot.waitUntil(lambda: not chart.canvas._draw_pending)


def test_a_diary_edit_repaints_only_the_lines_and_looks_like_a_full_redraw(qtbot, database) -> None:
    """Issue 18: each diary edit redrew the whole chart (~65 ms at ten years, 80% of it
    ticks and text). When only the lines' data changed, they are drawn over a saved
    picture of the rest; the result is the very picture a full redraw makes."""
    seed(database, 3650, symptoms=3)
    chart = make_chart(qtbot, database)
    _drawn(qtbot, chart)
    series = store.diary_series(database)
    series.ratings[1][1][-1] = 10 - series.ratings[1][1][-1]  # today's rating changed
    series.taken_mg[-1] = 0.4  # and today's dose
    draws: list[str] = []
    chart.canvas.mpl_connect("draw_event", lambda _e: draws.append("full"))
    chart.set_data(series, symptom_store.list_symptoms(database), [1, 2, 3])
    assert chart.layer.last_redraw == "blit" and draws == []
    blitted = _pixels(chart)
    chart.canvas.draw()
    assert draws == ["full"]
    assert np.array_equal(blitted, _pixels(chart))
    assert chart.lines_data()["dose taken (mg)"][1][-1] == 0.4


def test_what_changes_the_background_draws_the_whole_chart(qtbot, database) -> None:
    """The saved picture holds the ticks, the dose axis, the window/wave strips and the
    empty-period note: when any of those change, the chart is drawn whole."""
    seed(database, 400, symptoms=3)
    chart = make_chart(qtbot, database)
    symptoms = symptom_store.list_symptoms(database)

    def redraw_after(change) -> str:
        _drawn(qtbot, chart)
        series = store.diary_series(database)
        change(series)
        chart.set_data(series, symptoms, [1, 2, 3])
        return chart.layer.last_redraw

    assert redraw_after(lambda s: None) == "blit"

    def higher_dose(series) -> None:
        series.taken_mg[-1] = 5.0  # above every dose shown: the dose axis grows

    assert redraw_after(higher_dose) == "full"

    def window_today(series) -> None:
        series.markers[-1] = 2 if series.markers[-1] != 2 else 1

    assert redraw_after(window_today) == "full"
    assert redraw_after(lambda s: None) == "full"  # the day's marker as saved again
    assert redraw_after(lambda s: None) == "blit"
    chart.set_range(28)
    assert chart.layer.last_redraw == "full"
    assert redraw_after(lambda s: None) == "blit"


def test_an_edit_keeps_a_zoomed_view_and_a_range_button_resets_it(qtbot, database) -> None:
    """Found by review: after a toolbar zoom, a diary edit put the dates back to the range
    while the severity axis stayed zoomed (a rating of 0 or 10 cut off, the 0 mg line at
    severity 2). An edit now keeps the zoomed view whole; a range button resets it."""
    seed(database, 400, symptoms=3)
    chart = make_chart(qtbot, database)
    symptoms = symptom_store.list_symptoms(database)
    left, _right = chart.ax.get_xlim()
    chart.ax.set_xlim(left + 20, left + 40)  # as the toolbar's zoom rectangle does
    chart.ax.set_ylim(2.0, 8.0)
    chart.set_data(store.diary_series(database), symptoms, [1, 2, 3])
    assert chart.ax.get_xlim() == (left + 20, left + 40)
    assert chart.ax.get_ylim() == (2.0, 8.0)
    x, _y = chart.lines_data()["Anxiety (daily)"]
    assert x.min() - EPOCH <= left + 20 and x.max() - EPOCH >= left + 40  # refitted to it
    chart.set_range(91)
    assert chart.ax.get_ylim() == (-0.5, 10.6)
    assert round(chart.ax.get_xlim()[1] - chart.ax.get_xlim()[0]) == 91
    chart.set_data(store.diary_series(database), symptoms, [1, 2, 3])
    assert round(chart.ax.get_xlim()[1] - chart.ax.get_xlim()[0]) == 91


def test_a_symptom_keeps_its_colour_when_others_are_ticked(qtbot, database) -> None:
    """Found by review: colours went by place in the chosen list, so ticking or unticking
    one symptom recoloured the others."""
    seed(database, 60, symptoms=5)
    chart = make_chart(qtbot, database, chosen=(1, 2, 3))

    def colours() -> dict[int, str]:
        return {sid: avg.get_color() for sid, (_raw, avg) in chart._symptom_lines.items()}

    before = colours()
    chart.choose_symptom(1, False)
    chart.choose_symptom(5, True)
    after = colours()
    assert after[2] == before[2] and after[3] == before[3]
    assert after[5] not in (after[2], after[3])
    chart.choose_symptom(1, True)
    assert colours()[2] == before[2] and len(set(colours().values())) == 4


def test_an_edit_in_a_zoomed_view_keeps_the_dose_axis_too(qtbot, database) -> None:
    """Second review: after a zoom, an edit kept the dates and the severity axis but reset
    the dose axis, so the dose line moved against the symptom lines."""
    seed(database, 400, symptoms=3)
    chart = make_chart(qtbot, database)
    left, _right = chart.ax.get_xlim()
    chart.ax.set_xlim(left + 20, left + 40)  # the zoom rectangle: dates, then each y axis
    chart.ax.set_ylim(2.0, 8.0)
    chart.dose_ax.set_ylim(0.5, 0.9)
    chart.set_data(store.diary_series(database), symptom_store.list_symptoms(database), [1, 2, 3])
    assert chart.dose_ax.get_ylim() == (0.5, 0.9)
    assert chart.ax.get_ylim() == (2.0, 8.0)
