"""Diary chart redraw and diary save, each against a bare baseline in the same run.

Chart: ten years of daily entries x 15 symptoms, all 15 shown, in three views.
Drawn whole: what a change of range does (the lines refitted to the view, then
``canvas.draw()``), and a reload of the series from the store. After a day's
edit: ``DiaryChart.set_data`` with that day's values changed, which draws the
lines over the saved picture of the rest (the Agg render only: Qt's paint of the
finished image is not included, for either side). The baseline, each time: a
``Figure`` kept between redraws, its lines given the very points the chart draws
in that view with ``set_data``, drawn in the same limits (``canvas.draw()``).

Save: ``taperdesk.store.diary.save_entry`` of a day with 2 doses, 15 ratings,
sleep, wellbeing and a note (one committed transaction, WAL, synchronous=FULL,
real file in a temporary folder), against a bare sqlite3 insert of one row and
commit with the same pragmas in the same folder. Both are interleaved.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import tempfile
from pathlib import Path

from benchmarks.common import Result, interleaved_medians

END = dt.date(2026, 6, 30)
YEARS = 10
SYMPTOMS = 15
CHART_SIZE = (1000, 520)  # pixels of the chart widget (canvas a little smaller)


def ten_year_entries(
    years: int = YEARS,
    symptoms: int = SYMPTOMS,
    end: dt.date = END,
    drug_key: str = "clonazepam",
    start_mg: float = 2.0,
    labels: tuple[str, ...] = ("morning", "night"),
):
    """A plausible diary: a slow taper from ``start_mg`` a day of ``drug_key`` in equal doses
    at ``labels``, ratings that drift with some noise, windows and waves in runs of days, a
    day missed now and then."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken

    rng = random.Random(8)
    days = 365 * years
    level = [5.0] * symptoms
    marker = "neutral"
    for i in range(days):
        if rng.random() < 0.04:
            continue  # not logged
        day = end - dt.timedelta(days=days - 1 - i)
        planned = round(start_mg * 0.97 ** (i // 14), 3)
        taken = planned if rng.random() > 0.05 else round(planned * 1.1, 3)
        level = [min(10.0, max(0.0, v + rng.gauss(0, 0.6))) for v in level]
        if rng.random() < 0.15:
            marker = rng.choice(("neutral", "neutral", "window", "wave"))
        yield DiaryEntry(
            day,
            tuple(
                DoseTaken(
                    label,
                    drug_key,
                    taken / len(labels),
                    planned / len(labels),
                    f"{8 + 14 * n // max(len(labels) - 1, 1):02d}:00",
                )
                for n, label in enumerate(labels)
            ),
            {s + 1: round(min(10, max(0, v + rng.gauss(0, 1.2)))) for s, v in enumerate(level)},
            wellbeing=rng.randint(2, 8),
            sleep_hours=round(rng.uniform(4, 9), 1),
            day_marker=marker,
            notes="slept badly, walked in the afternoon" if i % 9 == 0 else "",
        )


def seed_diary(database, years: int = YEARS, end: dt.date = END, **dose) -> int:
    """Write ten years of entries (up to ``end``) through the store, in one transaction;
    ``dose``: the drug, start and dosing times of :func:`ten_year_entries`."""
    from taperdesk.store.diary import write_entry

    count = 0
    with database.transaction() as connection:
        for entry in ten_year_entries(years, end=end, **dose):
            write_entry(connection, entry)
            count += 1
    return count


def _chart_results(folder: Path, runs: int) -> list[Result]:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure
    from PySide6.QtWidgets import QApplication

    from taperdesk.store import diary as diary_store
    from taperdesk.store import symptoms as symptom_store
    from taperdesk.store.opening import open_database
    from taperdesk.ui.diary_chart import DiaryChart

    app = QApplication.instance() or QApplication([])
    database = open_database(folder / "chart.sqlite3")
    seed_diary(database)
    symptoms = symptom_store.list_symptoms(database)
    chosen = [s.id for s in symptoms][:SYMPTOMS]

    chart = DiaryChart()
    chart.resize(*CHART_SIZE)
    chart.show()
    app.processEvents()

    series = diary_store.diary_series(database)
    # The fair baseline (issue 18): matplotlib with persistent lines, updated with
    # set_data and drawn in the same view, as its "embedding in Qt" example does. Each
    # line gets the very points the chart draws in that view, with its style (width,
    # markers, step drawing); the axes get the chart's limits. What is left is the chart's
    # own extra: window/wave strips, grid, tick formatting, its two-axis layout.
    figure = Figure(figsize=(6, 3.2))
    canvas = FigureCanvasQTAgg(figure)
    canvas.resize(chart.canvas.size())
    canvas.show()
    bare_ax = figure.add_subplot()
    bare_dose_ax = bare_ax.twinx()
    bare_lines: list[tuple[object, object]] = []  # (bare line, the chart's line)
    app.processEvents()

    def copy_view() -> None:
        """Give the baseline the chart's current lines and limits (not timed)."""
        for line in list(bare_ax.lines) + list(bare_dose_ax.lines):
            line.remove()
        bare_lines.clear()
        for source_ax, target_ax in ((chart.ax, bare_ax), (chart.dose_ax, bare_dose_ax)):
            for line in source_ax.lines:
                (bare,) = target_ax.plot(
                    [], [], linewidth=line.get_linewidth(), marker=line.get_marker(),
                    markersize=line.get_markersize(), drawstyle=line.get_drawstyle(),
                    alpha=line.get_alpha(), color=line.get_color(),
                    linestyle=line.get_linestyle(),
                )  # fmt: skip
                bare_lines.append((bare, line))
            target_ax.set_xlim(source_ax.get_xlim())
            target_ax.set_ylim(source_ax.get_ylim())

    def bare() -> None:
        for bare_line, line in bare_lines:
            bare_line.set_data(line.get_xdata(), line.get_ydata())
        canvas.draw()

    def whole(read_store: bool = False) -> None:
        # The chart drawn whole: what a change of range does (the lines refitted to the
        # view, then every artist drawn), or a reload of the series (an import).
        chart.layer.invalidate()  # the saved background is not used
        if read_store:
            chart.set_data(diary_store.diary_series(database), symptoms, chosen)
        else:
            chart._fit_view()
        chart.canvas.draw()

    edited = diary_store.diary_series(database)
    _days, ratings = edited.ratings[chosen[0]]

    def one_day_edited() -> None:
        # What the Diary tab does after a save (its day's values are already in the
        # series): the lines refitted and drawn over the saved background, no full draw.
        ratings[-1] = 10 - ratings[-1]
        chart.set_data(edited, symptoms, chosen)
        assert chart.layer.last_redraw == "blit"

    results = []
    for label, days in (("3 months (the default)", 91), ("1 year", 365), ("All", None)):
        chart.set_range(days)
        chart.set_data(series, symptoms, chosen)
        app.processEvents()
        copy_view()
        results.append(
            _against_bare(
                f"diary chart drawn whole (a change of range), 10 y x 15 symptoms, range {label}",
                *interleaved_medians(whole, bare, runs),
            )
        )
    chart.set_range(91)
    app.processEvents()
    copy_view()
    results.append(
        _against_bare(
            "diary chart reloaded from the store and drawn whole, range 3 months",
            *interleaved_medians(lambda: whole(read_store=True), bare, runs),
        )
    )
    chart.set_data(edited, symptoms, chosen)
    chart.canvas.draw()  # the background the edits are drawn over
    app.processEvents()
    copy_view()
    results.append(
        _against_bare(
            "diary chart after a day's edit (lines over the saved background), 3 months",
            *interleaved_medians(one_day_edited, bare, runs),
        )
    )
    chart.close()
    canvas.close()
    database.close()
    return results


def _against_bare(name: str, ours_s: float, base_s: float) -> Result:
    """A diary chart row: TaperDesk's figure against matplotlib's persistent lines."""
    return Result(
        name,
        ours_s * 1000,
        "ms",
        "matplotlib, persistent lines, same points and view",
        base_s * 1000,
        "<= 1.2x",
        ours_s / base_s <= 1.2,
    )


def _save_results(folder: Path, runs: int) -> list[Result]:
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.store.diary import save_entry
    from taperdesk.store.opening import open_database

    database = open_database(folder / "save.sqlite3")
    seed_diary(database, years=1)  # a diary in use, not an empty file
    mode = database.connection.execute("PRAGMA journal_mode").fetchone()[0]
    sync = database.connection.execute("PRAGMA synchronous").fetchone()[0]
    assert (mode, sync) == ("wal", 2), (mode, sync)  # WAL, FULL
    bare = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = FULL")
    bare.execute(
        "CREATE TABLE entries (id INTEGER PRIMARY KEY, entry_date TEXT UNIQUE, notes TEXT)"
    )
    bare.executescript(
        "CREATE TABLE days (id INTEGER PRIMARY KEY, entry_date TEXT UNIQUE, wellbeing INTEGER, "
        "sleep_hours REAL, day_marker TEXT, notes TEXT, updated_at TEXT);"
        "CREATE TABLE doses (entry_id INTEGER, label TEXT, drug TEXT, mg REAL, planned REAL, "
        "time TEXT, PRIMARY KEY (entry_id, label, drug)) WITHOUT ROWID;"
        "CREATE TABLE ratings (entry_id INTEGER, symptom_id INTEGER, severity INTEGER, "
        "PRIMARY KEY (entry_id, symptom_id)) WITHOUT ROWID;"
    )
    counter = iter(range(1, 10**6))

    def entry(day: dt.date, n: int) -> DiaryEntry:
        return DiaryEntry(
            day,
            (
                DoseTaken("morning", "clonazepam", 0.25, 0.25, "08:00"),
                DoseTaken("night", "clonazepam", 0.25, 0.25, "22:00"),
            ),
            {s: (n * (s == 3) + s) % 11 for s in range(1, SYMPTOMS + 1)},
            wellbeing=6,
            sleep_hours=7.5,
            day_marker="window",
            notes="calm morning, short walk",
        )

    def new_day() -> None:
        n = next(counter)
        save_entry(database, entry(END + dt.timedelta(days=n), n))

    def resave() -> None:  # autosave: the same day again, one rating changed
        save_entry(database, entry(END, next(counter)))

    def baseline() -> None:
        n = next(counter)
        bare.execute("BEGIN IMMEDIATE")
        bare.execute(
            "INSERT INTO entries (entry_date, notes) VALUES (?, ?)",
            ((END + dt.timedelta(days=n)).isoformat(), "calm morning, short walk"),
        )
        bare.execute("COMMIT")

    def same_rows_baseline() -> None:
        """Plain sqlite3 writing the same 18 rows of a new day: no checks, no API."""
        n = next(counter)
        day = entry(END + dt.timedelta(days=n), n)
        bare.execute("BEGIN IMMEDIATE")
        entry_id = bare.execute(
            "INSERT INTO days (entry_date, wellbeing, sleep_hours, day_marker, notes, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (day.entry_date.isoformat(), 6, 7.5, "window", day.notes, "now"),
        ).lastrowid
        bare.executemany(
            "INSERT INTO doses VALUES (?, ?, ?, ?, ?, ?)",
            [(entry_id, d.label, d.drug_key, d.dose_mg, d.planned_mg, d.taken_time)
             for d in day.doses],
        )  # fmt: skip
        bare.executemany(
            "INSERT INTO ratings VALUES (?, ?, ?)",
            [(entry_id, s, v) for s, v in day.ratings.items()],
        )
        bare.execute("COMMIT")

    results = []
    for label, ours, base_function, base_name in (
        ("new day", new_day, baseline, "bare sqlite3 insert+commit"),
        ("autosave of the same day", resave, baseline, "bare sqlite3 insert+commit"),
        ("new day", new_day, same_rows_baseline, "bare sqlite3, same 18 rows"),
    ):
        mine, base = interleaved_medians(ours, base_function, runs)
        results.append(
            Result(
                f"diary save, {label} (2 doses, 15 ratings; WAL, sync FULL)",
                mine * 1000,
                "ms",
                base_name,
                base * 1000,
                "<= 1.5x",
                mine / base <= 1.5,
            )
        )
    database.close()
    bare.close()
    return results


def measure(runs: int = 9, save_runs: int = 61) -> list[Result]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="taperdesk-bench-") as name:
        folder = Path(name)
        results = _chart_results(folder, runs)
        results += _save_results(folder, save_runs)
    return results


if __name__ == "__main__":
    from benchmarks.common import format_table

    print(format_table(measure()))
