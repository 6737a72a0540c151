"""The Diary tab driven as a person does."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from taperdesk.store import diary as store
from taperdesk.ui import diary_dialogs
from taperdesk.ui.diary_dialogs import AbovePlanAnswer
from taperdesk.ui.diary_tab import DiaryTab


def make_tab(qtbot, app_state) -> DiaryTab:
    tab = DiaryTab(app_state)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)  # the window's size: the chart fits its lines to its pixels
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_log_today_with_keyboard_then_undo_redo(qtbot, app_state) -> None:
    tab = make_tab(qtbot, app_state)
    today = dt.date.today()
    dose = tab.form.dose_rows[0].edit
    qtbot.keyClicks(dose, "0,5")
    qtbot.keyClick(dose, Qt.Key.Key_Return)
    saved = store.load_entry(app_state.database, today)
    assert saved is not None and saved.doses[0].dose_mg == 0.5
    box = next(iter(tab.form.rating_boxes.values()))
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "7")
    qtbot.waitUntil(lambda: bool(store.load_entry(app_state.database, today).ratings))  # pause
    assert next(iter(store.load_entry(app_state.database, today).ratings.values())) == 7
    tab.undo_action.trigger()
    assert store.load_entry(app_state.database, today).ratings == {}
    tab.undo_action.trigger()
    assert store.load_entry(app_state.database, today) is None
    tab.redo_action.trigger()
    assert store.load_entry(app_state.database, today).doses[0].dose_mg == 0.5


def test_bad_dose_shows_message_next_to_field_and_is_not_saved(qtbot, app_state) -> None:
    tab = make_tab(qtbot, app_state)
    row = tab.form.dose_rows[0]
    qtbot.keyClicks(row.edit, "-3")
    qtbot.keyClick(row.edit, Qt.Key.Key_Return)
    assert not row.error.isHidden() and "negative" in row.error.text()
    assert store.load_entry(app_state.database, dt.date.today()) is None


def test_notes_are_saved_after_a_pause(qtbot, app_state) -> None:
    tab = make_tab(qtbot, app_state)
    qtbot.keyClicks(tab.form.notes_edit, "calm morning")
    qtbot.waitUntil(lambda: store.load_entry(app_state.database, dt.date.today()) is not None)
    assert store.load_entry(app_state.database, dt.date.today()).notes == "calm morning"
    assert tab.undo_stack.count() == 1  # typing is one undo step


def test_above_plan_asks_for_a_reason(qtbot, app_state, monkeypatch) -> None:
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.ui.diary_form import DoseSlot

    tab = make_tab(qtbot, app_state)
    asked = []
    monkeypatch.setattr(diary_dialogs, "ask_above_plan",
                        lambda parent, msg, reason="": asked.append(msg) or AbovePlanAnswer("bad night"))  # fmt: skip
    monkeypatch.setattr(tab, "_slots", lambda: [DoseSlot("morning", "clonazepam", 0.5)])
    tab.reload()
    qtbot.keyClicks(tab.form.dose_rows[0].edit, "0.75")
    qtbot.keyClick(tab.form.dose_rows[0].edit, Qt.Key.Key_Return)
    assert asked and "kindling" in asked[0]
    saved = store.load_entry(app_state.database, dt.date.today())
    assert saved.deviation_reason == "bad night" and saved.doses[0].planned_mg == 0.5
    assert isinstance(saved, DiaryEntry) and isinstance(saved.doses[0], DoseTaken)


def test_browse_list_shows_missing_days_and_chart_has_data(qtbot, app_state) -> None:
    from support.diary_samples import entry

    day = dt.date.today() - dt.timedelta(days=400)
    with app_state.database.transaction() as connection:
        for i in range(365):
            if i % 10 != 3:
                store.write_entry(
                    connection, entry(day + dt.timedelta(days=i), ratings={1: i % 11})
                )
    tab = make_tab(qtbot, app_state)
    qtbot.waitUntil(lambda: tab.chart is not None)  # drawn once the tab is on screen
    lines = tab.chart.lines_data()
    x, y = lines["Anxiety (daily)"]
    assert len(x) == 365 - 37 and list(y[:3]) == [0.0, 1.0, 2.0]
    assert "Anxiety (7-day average)" in lines and len(lines["dose taken (mg)"][0]) == 328
    assert any("not logged" in t for t in tab.browser.list_texts())
    tab.chart.set_range(28)
    left, right = tab.chart.ax.get_xlim()
    assert round(right - left) == 28


def test_record_and_hold_on_an_old_day_holds_from_today(qtbot, app_state, monkeypatch) -> None:
    from support.printing_samples import sample_plan

    from taperdesk.store.plans import load_active_plan, save_new_plan

    today = dt.date.today()
    save_new_plan(
        app_state.database, sample_plan(start_date=today - dt.timedelta(days=30), holds=()), "T"
    )
    app_state.plan_changed.emit()
    monkeypatch.setattr(
        diary_dialogs, "ask_above_plan", lambda *_a, **_k: AbovePlanAnswer("bad night", True)
    )
    tab = make_tab(qtbot, app_state)
    tab.go_to(today - dt.timedelta(days=9))
    row = tab.form.dose_rows[0]
    row.edit.setFocus()
    row.edit.selectAll()
    qtbot.keyClicks(row.edit, "0.9")
    qtbot.keyClick(row.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: load_active_plan(app_state.database).open_hold is not None)
    assert load_active_plan(app_state.database).open_hold.start == today
    before = len(load_active_plan(app_state.database).holds)
    tab.hold()  # already holding: nothing is added
    assert len(load_active_plan(app_state.database).holds) == before


def test_tab_goes_from_the_last_symptom_to_the_rest_of_the_day(qtbot, app_state) -> None:
    tab = make_tab(qtbot, app_state)
    boxes = list(tab.form.rating_boxes.values())
    assert boxes
    boxes[-1].setFocus()
    qtbot.waitUntil(boxes[-1].hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert tab.form.wellbeing_box.isAncestorOf(QApplication.focusWidget()) or (
        QApplication.focusWidget() is tab.form.wellbeing_box
    )


def test_a_crossover_day_is_never_one_sum_of_two_drugs(qtbot, app_state) -> None:
    """Lorazepam 1 mg + diazepam 10 mg is not '11 mg': the list names both, the chart
    draws their diazepam-equivalent total (20 mg)."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken

    day = dt.date.today() - dt.timedelta(days=2)
    store.save_entry(
        app_state.database,
        DiaryEntry(
            day, (DoseTaken("morning", "lorazepam", 1.0), DoseTaken("night", "diazepam", 10.0))
        ),
    )
    tab = make_tab(qtbot, app_state)
    texts = [tab.browser.list.item(i).text() for i in range(tab.browser.list.count())]
    assert any("10 mg diazepam + 1 mg lorazepam" in t for t in texts), texts
    assert not any("11 mg" in t for t in texts)
    chart = tab.build_chart()
    assert chart.dose_unit == "diazepam eq."
    assert list(chart._taken[1]) == [20.0]
    assert "dose taken (diazepam eq.)" in chart.legend_labels()


def test_cancel_keeps_an_updose_unsaved_and_says_so_and_the_banner_keeps_decimals(
    qtbot, app_state, monkeypatch
) -> None:
    """Issue 16 point 3: the dialog said "It is recorded as taken" but Cancel discarded the
    dose; the banner then read "0. Recorded with your reason." (cut at a decimal point)."""
    from taperdesk.core.diary import KINDLING_CAUTION
    from taperdesk.ui.diary_form import DoseSlot

    tab = make_tab(qtbot, app_state)
    monkeypatch.setattr(tab, "_slots", lambda: [DoseSlot("morning", "clonazepam", 0.497)])
    tab.reload()
    assert "recorded as taken" not in KINDLING_CAUTION
    monkeypatch.setattr(diary_dialogs, "ask_above_plan", lambda *_a, **_k: AbovePlanAnswer(None))
    qtbot.keyClicks(tab.form.dose_rows[0].edit, "0.75")
    qtbot.keyClick(tab.form.dose_rows[0].edit, Qt.Key.Key_Return)
    assert store.load_entry(app_state.database, dt.date.today()) is None  # nothing saved
    assert tab.form.dose_rows[0].edit.text() == "0.75"  # the dose is still there
    assert tab.status_label.text() == "Not saved"
    assert tab.form.deviation_label.text().startswith("Not saved: a dose above the plan")
    assert "recorded as taken" not in tab.form.deviation_label.text()

    monkeypatch.setattr(diary_dialogs, "ask_above_plan",
                        lambda *_a, **_k: AbovePlanAnswer("bad night"))  # fmt: skip
    qtbot.wait(400)  # a moment later, Return again: asked again
    qtbot.keyClick(tab.form.dose_rows[0].edit, Qt.Key.Key_Return)
    assert store.load_entry(app_state.database, dt.date.today()).deviation_reason == "bad night"
    assert tab.form.deviation_label.text() == (
        "0.253 mg above the plan (0.497 mg). Recorded with your reason."
    )


def test_the_chart_range_is_remembered_and_a_symptoms_only_day_is_no_dose(qtbot, app_state):
    """Issue 16 point 6: the range choice was forgotten; a day with only symptoms logged
    was listed as "… · 0 mg" (read as a dose taken)."""
    from taperdesk.core.diary import DiaryEntry

    store.save_entry(app_state.database, DiaryEntry(dt.date.today(), (), {1: 3}))
    tab = make_tab(qtbot, app_state)
    qtbot.waitUntil(lambda: tab.chart is not None)
    assert any("no dose logged" in t for t in tab.browser.list_texts())
    assert not any(t.endswith("0 mg") for t in tab.browser.list_texts())
    qtbot.mouseClick(tab.chart.range_buttons["1 year"], Qt.MouseButton.LeftButton)
    again = make_tab(qtbot, app_state)
    qtbot.waitUntil(lambda: again.chart is not None)
    assert again.chart.range_days == 365 and again.chart.range_buttons["1 year"].isChecked()


def count_rebuilds(monkeypatch) -> list[str]:
    """Record what a save reads or rebuilds: the whole series or one day's, the list, the
    calendar (the list and calendar are not rebuilt while this counts)."""
    from taperdesk.ui import diary_browse

    calls: list[str] = []
    real_series = store.diary_series

    def counted_series(database, factors=None, only_day=None):
        calls.append("whole series" if only_day is None else "one day")
        return real_series(database, factors, only_day)

    monkeypatch.setattr(store, "diary_series", counted_series)
    monkeypatch.setattr(store, "entry_summaries", lambda *_a, **_k: calls.append("list") or [])
    monkeypatch.setattr(diary_browse.DiaryBrowser, "_mark_calendar",
                        lambda *_a: calls.append("calendar"))  # fmt: skip
    return calls


def test_a_save_at_ten_years_touches_its_own_day_only(qtbot, app_state, monkeypatch) -> None:
    """Issue 18: every diary edit rebuilt the 3,650-row list, the calendar and the whole
    series. A save of a day already logged now updates that row and that day's values."""
    from test_diary_chart import seed

    seed(app_state.database, 3650, symptoms=5)
    tab = make_tab(qtbot, app_state)
    qtbot.waitUntil(lambda: tab.chart is not None)
    rows = tab.browser.list.count()
    calls = count_rebuilds(monkeypatch)
    box = next(iter(tab.form.rating_boxes.values()))
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_7)
    tab.save_pending()  # as leaving the box does
    assert calls == ["one day"]  # no list, no calendar, no whole series
    assert tab.browser.list.count() == rows
    days, values = tab.chart.series.ratings[next(iter(tab.form.rating_boxes))]
    assert days[-1] == dt.date.today().toordinal() and values[-1] == 7


def test_the_first_save_of_a_new_day_at_ten_years_adds_its_own_day_only(
    qtbot, app_state, monkeypatch
) -> None:
    """Issue 18: a day's first save (every day, today's) rebuilt the 3,650-row list, the
    calendar and the whole series. It now adds its row, its calendar cell and its values;
    what is shown is what a full rebuild shows."""
    import numpy as np
    from test_diary_chart import seed

    from taperdesk.ui import diary_browse

    today = dt.date.today()
    seed(app_state.database, 3650, symptoms=5)
    store.restore_day(app_state.database, today, None)
    store.restore_day(app_state.database, today - dt.timedelta(days=1), None)  # a gap too
    tab = make_tab(qtbot, app_state)
    qtbot.waitUntil(lambda: tab.chart is not None)
    assert tab.day == today and tab.saved is None
    real_summaries = store.entry_summaries
    real_mark = diary_browse.DiaryBrowser._mark_calendar
    calls = count_rebuilds(monkeypatch)
    box = next(iter(tab.form.rating_boxes.values()))
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_4)
    tab.save_pending()
    assert calls == ["one day"]  # no list, no calendar, no whole series
    assert store.load_entry(app_state.database, today) is not None
    shown = tab.browser.list_texts()
    assert "not logged" in shown[1] and "(1 day)" in shown[1]  # yesterday, below today
    series = tab.chart.series
    ratings = {k: (d.copy(), v.copy()) for k, (d, v) in series.ratings.items()}
    columns = {n: getattr(series, n).copy() for n in ("days", "taken_mg", "dose_count")}
    partial = tab._partial_mask.copy()
    cell = tab.browser.calendar.dateTextFormat(diary_browse.qdate(today))
    monkeypatch.setattr(store, "entry_summaries", real_summaries)
    monkeypatch.setattr(diary_browse.DiaryBrowser, "_mark_calendar", real_mark)
    tab.browser.reload(app_state.database, today)  # what a full rebuild shows
    assert tab.browser.list_texts() == shown
    rebuilt = tab.browser.calendar.dateTextFormat(diary_browse.qdate(today))
    assert (cell.fontWeight(), cell.background()) == (rebuilt.fontWeight(), rebuilt.background())
    tab._refresh_chart()
    for name, column in columns.items():
        assert np.array_equal(getattr(tab.chart.series, name), column, equal_nan=True), name
    assert np.array_equal(tab._partial_mask, partial)
    assert set(tab.chart.series.ratings) == set(ratings)
    for symptom_id, (days, values) in tab.chart.series.ratings.items():
        assert np.array_equal(days, ratings[symptom_id][0])
        assert np.array_equal(values, ratings[symptom_id][1])


def test_the_whole_day_is_in_reach_of_the_keyboard(qtbot, app_state) -> None:
    """Found by review: Tab went from the last symptom to wellbeing and then to the chart,
    skipping sleep, the day type and the notes; Alt+W and Alt+S did nothing and the next
    digit changed a symptom."""
    tab = make_tab(qtbot, app_state)
    tab.activateWindow()
    qtbot.waitActive(tab)
    form = tab.form
    boxes = list(form.rating_boxes.values())
    boxes[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is boxes[0])
    reached = []
    for _ in range(len(boxes) + 3):
        here = QApplication.focusWidget()
        assert here is not None, reached
        qtbot.keyClick(here, Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached[len(boxes) - 1] is form.wellbeing_box
    assert reached[len(boxes)] is form.sleep_edit
    assert reached[len(boxes) + 1] is form.marker_buttons["neutral"]
    assert reached[len(boxes) + 2] is form.notes_edit
    boxes[0].setFocus()
    qtbot.keyClick(boxes[0], Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is form.wellbeing_box
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is form.sleep_edit


def test_a_held_spin_arrow_saves_once_and_nothing_waits_unsaved(qtbot, app_state) -> None:
    """Issue 18: holding a spin arrow saved (and froze) at every step. Ratings are saved
    once the value rests, and at once when the box is left or the tab hidden."""
    saves: list[str] = []
    tab = make_tab(qtbot, app_state)
    real = tab.save_now
    tab.save_now = lambda field_name="entry": saves.append(field_name) or real(field_name)
    box = next(iter(tab.form.rating_boxes.values()))
    box.setFocus()
    for _ in range(6):  # six steps of a held arrow
        qtbot.keyClick(box, Qt.Key.Key_Up)
    assert saves == []
    qtbot.waitUntil(lambda: saves == ["rating"])
    assert next(iter(store.load_entry(app_state.database, dt.date.today()).ratings.values())) == 5
    qtbot.keyClick(box, Qt.Key.Key_Up)
    tab.hide()  # another tab, or closing the window: saved now, not lost
    assert next(iter(store.load_entry(app_state.database, dt.date.today()).ratings.values())) == 6


def test_an_empty_dose_box_never_looks_filled_in(qtbot, app_state, monkeypatch) -> None:
    """Found by review: the grey planned dose "0.45" in an empty box read as logged."""
    from taperdesk.ui.diary_form import DoseSlot

    tab = make_tab(qtbot, app_state)
    monkeypatch.setattr(tab, "_slots", lambda: [DoseSlot("morning", "clonazepam", 0.45)])
    tab.reload()
    edit = tab.form.dose_rows[0].edit
    assert edit.text() == "" and edit.placeholderText() == "not logged"


def test_a_days_save_that_brings_a_second_drug_charts_every_day_in_equivalents(
    qtbot, app_state
) -> None:
    """Found while making diary saves touch their own day only: the day a second drug is
    first logged (a crossover), the chart's doses become diazepam-equivalent totals. The
    one-day update put that day in equivalents beside mg on every other day, under the
    label "mg". The chart now shows what a full rebuild shows."""
    import numpy as np
    from test_diary_chart import seed

    from taperdesk.core.diary import DiaryEntry, DoseTaken

    today = dt.date.today()
    seed(app_state.database, 60, symptoms=2)
    tab = make_tab(qtbot, app_state)
    qtbot.waitUntil(lambda: tab.chart is not None)
    assert tab.chart.dose_unit == "mg"
    store.restore_day(app_state.database, today, DiaryEntry(today, (
        DoseTaken("morning", "clonazepam", 0.5, 0.5, "08:00"),
        DoseTaken("night", "diazepam", 5.0, 5.0, "21:00")), {1: 3}))  # fmt: skip
    if not tab._refresh_chart_day(today):  # as a save from the form does (write_day)
        tab._refresh_chart()
    shown = tab.chart.series.taken_mg.copy(), tab.chart.dose_unit
    tab._refresh_chart()  # a full rebuild
    assert shown[1] == tab.chart.dose_unit == "diazepam eq."
    assert np.allclose(shown[0], tab.chart.series.taken_mg, equal_nan=True)
    assert tab.chart.series.taken_mg[-1] == 15.0  # 0.5 mg clonazepam = 10 mg diazepam


def test_the_lists_day_names_are_strftimes() -> None:
    """The diary list writes its days from names looked up once (issue 18: strftime for
    every row of ten years): the same text as strftime, every day of a leap year."""
    from taperdesk.ui.diary_browse import _day_text

    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        assert _day_text(day) == day.strftime("%a %d %b %Y")
        day += dt.timedelta(days=1)


def test_the_chart_is_drawn_once_when_the_tab_is_first_shown(qtbot, app_state, monkeypatch) -> None:
    """Issue 18: the first showing of the Diary tab drew its chart at a default size, then
    again when the layout gave it its place (~125 ms at ten years, wasted)."""
    from test_diary_chart import seed

    from taperdesk.ui import diary_chart

    seed(app_state.database, 400, symptoms=3)
    draws: list[tuple[int, int]] = []
    real_init = diary_chart.DiaryChart.__init__

    def counting_init(chart, *args, **kwargs) -> None:
        real_init(chart, *args, **kwargs)
        chart.canvas.mpl_connect(
            "draw_event", lambda _e: draws.append(chart.canvas.get_width_height())
        )

    monkeypatch.setattr(diary_chart.DiaryChart, "__init__", counting_init)
    tab = make_tab(qtbot, app_state)
    qtbot.waitUntil(lambda: tab.chart is not None and bool(draws))
    qtbot.wait(300)
    assert draws == [tab.chart.canvas.get_width_height()]


def test_a_dose_above_the_plan_is_asked_about_once(qtbot, app_state, monkeypatch) -> None:
    """Found by review: Tab out of a dose above the plan opened two "More than planned"
    dialogs (the first one's opening took the focus from the dose box, which saved, and
    asked, again); answering both crashed the app."""
    from taperdesk.ui.diary_form import DoseSlot

    tab = make_tab(qtbot, app_state)
    asked: list[str] = []

    def ask(parent, message, reason=""):
        asked.append(message)
        tab.save_now("doses")  # what the box's "editing finished" does under the dialog
        return AbovePlanAnswer("bad night")

    monkeypatch.setattr(diary_dialogs, "ask_above_plan", ask)
    monkeypatch.setattr(tab, "_slots", lambda: [DoseSlot("morning", "clonazepam", 0.5)])
    tab.reload()
    qtbot.keyClicks(tab.form.dose_rows[0].edit, "0.75")
    assert tab.save_now("doses")
    assert len(asked) == 1
    saved = store.load_entry(app_state.database, dt.date.today())
    assert saved.doses[0].dose_mg == 0.75 and saved.deviation_reason == "bad night"


def test_a_save_keeps_every_digit_and_the_plan_of_doses_not_changed(
    qtbot, app_state, monkeypatch
) -> None:
    """Found by review: a dose saved as 0.03125 mg was shown as 0.0312 and saved so at the
    day's next save (a symptom's rating is enough), and the planned amount of a dose whose
    day has no plan now was cleared. A dose not changed keeps every digit, against the plan
    shown beside it, or the plan it was saved with where none is shown."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.ui.diary_form import DoseSlot

    today = dt.date.today()
    store.save_entry(app_state.database, DiaryEntry(today, (
        DoseTaken("morning", "clonazepam", 0.03125, 0.03125, "08:00"),
        DoseTaken("night", "clonazepam", 0.00375, 0.004, "22:00")), {1: 2}))  # fmt: skip
    tab = make_tab(qtbot, app_state)
    monkeypatch.setattr(tab, "_slots", lambda: [DoseSlot("morning", "clonazepam", 0.5),
                                                DoseSlot("night", "clonazepam", None)])  # fmt: skip
    tab.reload()
    assert [r.edit.text() for r in tab.form.dose_rows] == ["0.03125", "0.00375"]
    box = tab.form.rating_boxes[1]
    box.setValue(3)
    tab.save_pending()
    saved = store.load_entry(app_state.database, today)
    assert saved.ratings[1] == 3
    assert [(d.dose_mg, d.planned_mg) for d in saved.doses] == [(0.03125, 0.5),
                                                                 (0.00375, 0.004)]  # fmt: skip
    tab.form.dose_rows[1].edit.setText("0.0035")  # changed: saved as typed
    tab.save_now("doses")
    saved = store.load_entry(app_state.database, today)
    assert [(d.dose_mg, d.planned_mg) for d in saved.doses] == [(0.03125, 0.5),
                                                                 (0.0035, None)]  # fmt: skip


def test_the_symptoms_ticked_in_the_chart_stay_after_an_undo(qtbot, app_state) -> None:
    """Found by review: a symptom ticked in the chart's menu vanished from the chart (line,
    legend, tick) at the next undo, which refreshed the chart with the saved choice."""
    from test_diary_chart import seed

    seed(app_state.database, 60, symptoms=5)
    tab = make_tab(qtbot, app_state)
    qtbot.waitUntil(lambda: tab.chart is not None)
    names = {s.id: s.name for s in tab.chart.symptoms}
    extra = next(i for i in names if i not in tab.chart.chosen)
    action = next(a for a in tab.chart.symptom_menu.actions() if a.text() == names[extra])
    action.trigger()  # ticked
    assert extra in tab.chart.chosen
    box = next(iter(tab.form.rating_boxes.values()))
    box.setValue((box.value() + 1) % 10)
    tab.save_pending()
    tab.undo_stack.undo()
    assert extra in tab.chart.chosen
    assert f"{names[extra]} (7-day average)" in tab.chart.legend_labels()
    ticked = [a.text() for a in tab.chart.symptom_menu.actions() if a.isChecked()]
    assert names[extra] in ticked


def test_a_dose_back_within_the_plan_drops_the_reason_for_a_dose_above_it(
    qtbot, app_state, monkeypatch
) -> None:
    """Found by review: after a dose above the plan was brought back to or below it, its
    reason ("bad night") stayed saved beside "6 mg less", and was offered again."""
    from taperdesk.ui.diary_form import DoseSlot

    tab = make_tab(qtbot, app_state)
    monkeypatch.setattr(diary_dialogs, "ask_above_plan",
                        lambda parent, msg, reason="": AbovePlanAnswer("bad night"))  # fmt: skip
    monkeypatch.setattr(tab, "_slots", lambda: [DoseSlot("morning", "clonazepam", 0.5)])
    tab.reload()
    tab.form.dose_rows[0].edit.setText("0.75")
    assert tab.save_now("doses")
    today = dt.date.today()
    assert store.load_entry(app_state.database, today).deviation_reason == "bad night"
    assert tab.form.reason_edit.text() == "bad night"  # shown with the day
    tab.form.dose_rows[0].edit.setText("0.4")  # the form was rebuilt with the saved day
    assert tab.save_now("doses")
    saved = store.load_entry(app_state.database, today)
    assert saved.doses[0].dose_mg == 0.4 and saved.deviation_reason == ""
    assert tab.form.reason_edit.text() == ""
