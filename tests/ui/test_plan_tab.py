"""The Plan tab, driven as a person would: the form, the table, the chart, holds, exports."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from taperdesk.app import clock
from taperdesk.core import safety
from taperdesk.core.plan import Crossover, DosingTime, ReductionModel, TaperPlan
from taperdesk.store import plans
from taperdesk.store.settings import set_setting
from taperdesk.ui import dialogs, plan_files, plan_status
from taperdesk.ui.main_window import SAFETY_KEY, TAB_KEY, MainWindow
from taperdesk.ui.plan_form import PlanFormDialog
from taperdesk.ui.plan_replan import ReplanDialog

START = dt.date(2027, 1, 4)
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> list[dt.date]:
    """The plan views' clock, pinned to the start date (tests move it by editing the list)."""
    day = [START]
    monkeypatch.setattr(clock, "today", lambda: day[0])
    # Revisions are stamped by the same clock (a plan saved "today" has no days before it).
    monkeypatch.setattr(plans, "utc_now_text", lambda: f"{day[0].isoformat()}T12:00:00+00:00")
    return day


def two_dose_plan(**changes) -> TaperPlan:
    plan = TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5, "21:00")),
        start_date=START,
        reduction=ReductionModel.percent(10),
        rounding_mg=0.01,
    )
    return TaperPlan(**{**{f: getattr(plan, f) for f in plan.__slots__}, **changes})


def fill_form(monkeypatch, qtbot, fill) -> list[PlanFormDialog]:
    """Replace the form's exec() with a person typing into it and clicking OK. When the form
    comes back (the person said no to the change it showed), they press Cancel."""
    seen: list[PlanFormDialog] = []

    def fake_exec(dialog: PlanFormDialog) -> int:
        seen.append(dialog)
        if seen.count(dialog) > 1:
            dialog.setResult(QDialog.DialogCode.Rejected)
            return dialog.result()
        dialog.show()
        fill(dialog)
        qtbot.mouseClick(dialog.ok_button, LEFT)
        return dialog.result()

    monkeypatch.setattr(PlanFormDialog, "exec", fake_exec)
    return seen


def planned_line(tab, drug: str = "clonazepam"):
    return tab.chart.lines[f"planned:{drug}"]


def test_create_a_clonazepam_plan_through_the_form(main_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)  # today is a cut
    tab = main_window.plan_tab
    assert tab.stack.currentWidget() is tab.empty_state
    assert main_window.today_label.text() == plan_status.NO_PLAN_TEXT

    def fill(dialog: PlanFormDialog) -> None:
        assert not dialog.ok_button.isEnabled()  # no dose yet
        qtbot.keyClicks(dialog.total_edit, "1")
        assert dialog.ok_button.isEnabled()
        assert "2028" in dialog.preview.text()  # the live preview shows the end date

    fill_form(monkeypatch, qtbot, fill)
    with qtbot.waitSignal(main_window.state.plan_changed):
        qtbot.mouseClick(tab.empty_state.button, LEFT)

    assert tab.stack.currentIndex() == 1
    first = tab.model.rows[0].cells
    assert first[0].startswith("2027-01-04") and first[1] == "1" and first[2] == "0.9"
    assert first[4:7] == ("0.1", "10%", "10%")
    assert len(tab.model.rows) == tab.schedule.summary.step_count
    assert tab.model.rows[-1].cells[2] == "0"

    qtbot.waitUntil(lambda: tab.chart.is_built)
    xs, ys = planned_line(tab).get_data()
    assert xs[0] == START and ys[0] == pytest.approx(0.9) and ys[-1] == 0
    assert list(tab.chart.lines["today"].get_xdata()) == [START, START]

    db = main_window.state.database
    row = db.query("SELECT * FROM plan_revisions")[0]
    assert (row["drug_key"], row["reduction_model"], row["reduction_value"]) == (
        "clonazepam",
        "percent",
        10,
    )
    assert (row["interval_days"], row["style"], row["start_date"]) == (14, "hold", "2027-01-04")
    assert db.query("SELECT label, dose_mg FROM plan_dosing_times")[0][:] == ("daily", 1.0)
    assert db.query("SELECT name, is_active FROM plans")[0][:] == ("Clonazepam taper", 1)
    assert main_window.today_label.text() == (
        "Today: 0.9 mg clonazepam · step 1 of "
        f"{tab.schedule.summary.step_count} · next cut in 14 days: to 0.81 mg clonazepam a day "
        "(0.09 mg less)"
    )


def test_divided_doses_and_clock_times(main_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)  # today is a cut

    def fill(dialog: PlanFormDialog) -> None:
        dialog.split_combo.setCurrentIndex(1)
        morning, night = dialog.time_rows[0], dialog.time_rows[1]
        qtbot.keyClicks(morning.dose_edit, "0.5")
        qtbot.keyClicks(morning.clock_edit, "08:00")
        night.name_edit.clear()
        qtbot.keyClicks(night.name_edit, "night")
        qtbot.keyClicks(night.dose_edit, "0.5")
        dialog.order_combo.setCurrentIndex(1)
        qtbot.keyClicks(dialog.order_edit, "night, morning")

    fill_form(monkeypatch, qtbot, fill)
    main_window.plan_tab.new_plan()
    plan = plans.load_active_plan(main_window.state.database)
    assert plan is not None
    assert plan.dosing_times == (DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5))
    assert plan.cut_order.sequence == ("night", "morning")
    assert main_window.plan_tab.model.header[2:5] == ["morning (mg)", "night (mg)", "Total (mg)"]
    assert "(morning 0.5 mg, night 0.4 mg)" in main_window.today_label.text()


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("total_edit", "-1", "more than 0"),
        ("total_edit", "abc", "is not a number"),
        ("cut_edit", "80", "between 0.5% and 50%"),
        ("every_edit", "0", "whole number of days from 1 to 365"),
        ("round_edit", "5", "Rounding must be between"),
    ],
)
def test_invalid_input_shows_a_message_and_saves_nothing(
    main_window, qtbot, monkeypatch, field: str, text: str, message: str
) -> None:
    def fill(dialog: PlanFormDialog) -> None:
        qtbot.keyClicks(dialog.total_edit, "1")
        edit = getattr(dialog, field)
        edit.clear()
        qtbot.keyClicks(edit, text)
        shown = list(dialog.shown_errors.values())
        assert any(message in s for s in shown), shown
        assert message in dialog.message_line.text()  # in the reserved line, named
        assert not dialog.ok_button.isEnabled()

    seen = fill_form(monkeypatch, qtbot, fill)
    main_window.plan_tab.new_plan()
    assert seen and seen[0].result() == QDialog.DialogCode.Rejected
    assert main_window.state.database.query("SELECT count(*) FROM plans")[0][0] == 0
    assert main_window.plan_tab.stack.currentIndex() == 0


def test_edit_makes_revision_2_and_the_chart_keeps_revision_1(
    main_window, qtbot, monkeypatch
) -> None:
    db = main_window.state.database
    plans.save_new_plan(db, two_dose_plan(), "Clonazepam taper")
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab

    def fill(dialog: PlanFormDialog) -> None:
        assert dialog.time_rows[1].dose_edit.text() == "0.5"  # prefilled
        assert dialog.ok_button.text() == "Save as new revision"
        dialog.cut_edit.clear()
        qtbot.keyClicks(dialog.cut_edit, "5")
        # Today is the first cut: 10% gave 0.9 mg, 5% gives 0.95 mg, a rise to confirm.
        assert dialog.dose_rise_today() == (
            "0.45 mg clonazepam morning + 0.45 mg clonazepam night",
            "0.48 mg clonazepam morning + 0.47 mg clonazepam night",
        )
        assert "Today's dose goes up" in dialog.preview.text()

    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, *_a, **_k: asked.append(title) or True
    )
    fill_form(monkeypatch, qtbot, fill)
    qtbot.mouseClick(tab.edit_button, LEFT)
    assert asked == ["Today's dose goes up"]
    record = plans.load_active_plan_record(db)
    assert record is not None and [r.revision for r in record.revisions] == [1, 2]
    assert record.plan.reduction == ReductionModel.percent(5)
    assert "revision 2" in tab.title_label.text()
    qtbot.waitUntil(lambda: tab.chart.is_built)
    faint = tab.chart.lines["revision:1"]
    assert faint.get_alpha() < 0.5
    assert faint.get_ydata()[0] == pytest.approx(0.9)
    assert planned_line(tab).get_ydata()[0] == pytest.approx(0.95)


def test_an_edit_that_raises_todays_dose_is_not_saved_without_a_yes(
    main_window, qtbot, monkeypatch, fixed_today
) -> None:
    db = main_window.state.database
    plans.save_new_plan(db, two_dose_plan(), "Clonazepam taper")
    fixed_today[0] = START + dt.timedelta(days=30)  # two cuts in: 0.81 mg
    main_window.state.plan_changed.emit()

    def fill(dialog: PlanFormDialog) -> None:
        dialog.every_edit.clear()
        qtbot.keyClicks(dialog.every_edit, "28")  # from the start again: back to 0.9 mg

    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, *_a, **_k: asked.append(title) and False
    )
    seen = fill_form(monkeypatch, qtbot, fill)
    qtbot.mouseClick(main_window.plan_tab.edit_button, LEFT)
    assert seen and asked == ["Today's dose goes up"]
    record = plans.load_active_plan_record(db)
    assert [r.revision for r in record.revisions] == [1]
    # Saying no goes back to the same form with the edits kept (they were thrown away).
    assert len(seen) == 2 and seen[0] is seen[1] and seen[1].every_edit.text() == "28"


def test_hold_from_today_and_resume_move_the_rest_later(
    main_window, qtbot, monkeypatch, fixed_today
) -> None:
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)  # resume asks
    db = main_window.state.database
    plans.save_new_plan(db, two_dose_plan(), "Clonazepam taper")
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    step_2 = next(r for r in tab.model.rows if r.cells[1] == "2")
    assert step_2.cells[0].startswith("2027-01-18")

    fixed_today[0] = dt.date(2027, 1, 10)
    main_window.state.plan_changed.emit()
    qtbot.mouseClick(tab.today_panel.hold_button, LEFT)
    assert tab.today_panel.hold_button.text() == "Resume"
    assert "on hold" in main_window.today_label.text()
    # While holding, no cut is coming: the projection's "next cut in N days" is not shown.
    assert "no cut until you resume" in main_window.today_label.text()
    assert tab.today_panel.next_label.text() == "No cut until you resume"
    fixed_today[0] = dt.date(2027, 1, 15)  # five days later, still holding
    main_window.state.plan_changed.emit()
    qtbot.mouseClick(tab.today_panel.hold_button, LEFT)

    plan = plans.load_active_plan(db)
    assert plan is not None and plan.holds[0].start == dt.date(2027, 1, 10)
    assert plan.holds[0].end == dt.date(2027, 1, 14)
    kinds = [(r.kind, r.cells[0]) for r in tab.model.rows[:3]]
    assert kinds[1] == ("hold", "2027-01-10 – 2027-01-14")
    assert kinds[2][1].startswith("2027-01-23")  # step 2, five days later
    assert "Held 2027-01-10 – 2027-01-14" in tab.today_panel.holds_label.text()
    qtbot.waitUntil(lambda: tab.chart.is_built)
    assert len(tab.chart._spans) == 1


def test_replan_from_actual(main_window, qtbot, monkeypatch, fixed_today) -> None:
    db = main_window.state.database
    plans.save_new_plan(db, two_dose_plan(), "Clonazepam taper")
    fixed_today[0] = dt.date(2027, 1, 20)
    main_window.state.plan_changed.emit()

    def fake_exec(dialog: ReplanDialog) -> int:
        dialog.show()
        # Prefilled with what the plan said for today (no diary yet).
        assert dialog.dose_edits["morning"].text() == "0.41"
        dialog.dose_edits["night"].clear()
        qtbot.keyClicks(dialog.dose_edits["night"], "0.45")
        qtbot.mouseClick(dialog.ok_button, LEFT)
        return dialog.result()

    monkeypatch.setattr(ReplanDialog, "exec", fake_exec)
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, *_a, **_k: asked.append(title) or True
    )
    qtbot.mouseClick(main_window.plan_tab.replan_button, LEFT)
    assert asked  # the doses change: shown before saving
    record = plans.load_active_plan_record(db)
    assert record is not None and record.revision == 2
    assert record.revisions[-1].reason == "Re-planned from 2027-01-20"
    assert record.plan.start_date == dt.date(2027, 2, 3)
    assert record.plan.original_start_dose_mg == 1.0
    assert [t.dose_mg for t in record.plan.dosing_times] == [0.41, 0.45]
    # Until the new first cut the plan gives the doses re-planned from: a row of its own,
    # and the chart's line starts there (it had shown the old revision for those days).
    tab = main_window.plan_tab
    first = tab.model.rows[0].cells
    assert first[0] == "2027-01-20 – 2027-02-02" and first[1] == "–"
    assert "Before the first cut" in first[-1]
    qtbot.waitUntil(lambda: tab.chart.is_built)
    line = tab.chart.lines["planned:clonazepam"]
    assert line.get_xdata()[0] == dt.date(2027, 1, 20)
    assert line.get_ydata()[0] == pytest.approx(0.86)


def test_csv_calendar_and_clipboard_exports(main_window, qtbot, monkeypatch, tmp_path) -> None:
    db = main_window.state.database
    plans.save_new_plan(db, two_dose_plan(), "Clonazepam taper")
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    targets = iter([tmp_path / "plan.csv", tmp_path / "plan.ics"])
    monkeypatch.setattr(plan_files, "ask_save_path", lambda *args: next(targets))

    qtbot.mouseClick(tab.csv_button, LEFT)
    with (tmp_path / "plan.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["date"] == "2027-01-04" and rows[0]["dose_mg"] == "0.9"
    assert {"step", "drug", "diazepam_eq_mg", "hold", "morning_mg", "night_mg"} <= set(rows[0])
    assert len(rows) == len(tab.schedule.rows)

    qtbot.mouseClick(tab.ics_button, LEFT)
    raw = (tmp_path / "plan.ics").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # every line ends in CRLF
    text = raw.decode("utf-8").replace("\r\n ", "")  # unfold
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    events = text.split("BEGIN:VEVENT")[1:]
    assert len(events) == tab.schedule.summary.cut_step_count
    assert "DTSTART;VALUE=DATE:20270104" in events[0]
    assert "SUMMARY:Taper step 1: 0.9 mg Clonazepam a day" in events[0]
    assert all("UID:" in e and "DTSTAMP:" in e for e in events)
    assert len({e.split("UID:")[1].split("\r\n")[0] for e in events}) == len(events)
    assert all(len(line.encode()) <= 75 for line in raw.decode().split("\r\n"))

    qtbot.mouseClick(tab.copy_button, LEFT)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].split("\t")[:3] == ["Dates", "Step", "morning (mg)"]
    assert len(copied) == len(tab.model.rows) + 1


def test_day_by_day_toggle(main_window, qtbot) -> None:
    plans.save_new_plan(main_window.state.database, two_dose_plan(), "Clonazepam taper")
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    qtbot.mouseClick(tab.day_toggle, LEFT)
    assert tab.model.rowCount() == len(tab.schedule.rows)
    assert tab.model.rows[1].cells[0] == "2027-01-05"


def test_everything_survives_a_restart(qtbot, app_state, fixed_today) -> None:
    set_setting(app_state.database, SAFETY_KEY, safety.NOTICE_VERSION)
    plan_id = plans.save_new_plan(app_state.database, two_dose_plan(), "Clonazepam taper")
    plans.save_revision(app_state.database, plan_id, two_dose_plan(interval_days=21), "Edited")
    plans.add_hold(app_state.database, plan_id, dt.date(2027, 1, 8))
    fixed_today[0] = dt.date(2027, 1, 9)
    set_setting(app_state.database, TAB_KEY, 2)  # the Diary tab was last open

    window = MainWindow(app_state)
    qtbot.addWidget(window)
    # The status bar knows today's dose without building the Plan tab.
    assert "plan" not in window._built_tabs
    assert window.today_label.text().startswith(
        "Today: 0.9 mg clonazepam (morning 0.45 mg, night 0.45 mg)"
    )
    assert "on hold" in window.today_label.text()
    window.show()
    window.tabs.setCurrentIndex(0)
    tab = window.plan_tab
    assert tab.lived is not None and tab.lived.current.number == 2
    assert tab.today_panel.hold_button.text() == "Resume"
    assert any(r.kind == "hold" for r in tab.model.rows)
    qtbot.waitUntil(lambda: tab.chart.is_built)
    assert "revision:1" in tab.chart.lines


def test_crossover_chart_has_two_drugs(main_window, qtbot) -> None:
    plan = two_dose_plan(crossover=Crossover("diazepam", ("night", "morning"), 7))
    plans.save_new_plan(main_window.state.database, plan, "Switch to diazepam")
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    qtbot.waitUntil(lambda: tab.chart.is_built)
    assert {"planned:clonazepam", "planned:diazepam", "eq"} <= set(tab.chart.lines)
    assert tab.model.header[2] == "Drug"
    assert tab.chart.lines["eq"].get_ydata()[0] == pytest.approx(20)


def test_a_store_error_is_shown_plainly(main_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)  # today is a cut
    from taperdesk.store.errors import DiskFull

    plans.save_new_plan(main_window.state.database, two_dose_plan(), "Clonazepam taper")
    main_window.state.plan_changed.emit()
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, error: shown.append(error))

    def full(*args, **kwargs):
        raise DiskFull()

    monkeypatch.setattr(plans, "add_hold", full)
    qtbot.mouseClick(main_window.plan_tab.today_panel.hold_button, LEFT)
    assert shown and isinstance(shown[0], DiskFull)


def test_file_new_plan_opens_the_form(main_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)  # today is a cut
    main_window.tabs.setCurrentIndex(2)
    seen = fill_form(monkeypatch, qtbot, lambda d: qtbot.keyClicks(d.total_edit, "2"))
    assert main_window.action_new_plan.isEnabled()
    main_window.action_new_plan.trigger()
    assert seen and main_window.tabs.currentIndex() == 0
    assert main_window.today_label.text().startswith("Today: 1.8 mg clonazepam")


def test_a_new_plan_form_waits_for_the_dose_before_showing_red(qtbot) -> None:
    from taperdesk.core.drugs import load_catalogue

    dialog = PlanFormDialog(load_catalogue(), today=dt.date(2027, 1, 4))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.shown_errors == {} and dialog.message_line.text() == ""  # nothing typed yet
    assert not dialog.ok_button.isEnabled()
    assert "Enter your current dose to see the plan" in dialog.preview.text()

    qtbot.keyClicks(dialog.total_edit, "1")
    assert dialog.ok_button.isEnabled()
    dialog.total_edit.selectAll()
    qtbot.keyClick(dialog.total_edit, Qt.Key.Key_Backspace)  # typed, then cleared
    assert dialog.shown_errors["doses"] == "Enter your current daily dose in mg."
    assert dialog.message_line.text() == "Daily dose: Enter your current daily dose in mg."

    dialog.split_combo.setCurrentIndex(1)  # a dose typed in a hidden row does not count
    qtbot.keyClicks(dialog.time_rows[0].dose_edit, "0.5")
    dialog.split_combo.setCurrentIndex(0)
    assert dialog.shown_errors["doses"] == "Enter your current daily dose in mg."


def test_a_message_never_moves_a_field_and_names_the_dose(qtbot) -> None:
    """Issue 16 point 2: typing the first dose showed "(empty) is not a number" above the
    rows and pushed them down; the next click landed in the wrong row. It named no dose."""
    from taperdesk.core.drugs import load_catalogue

    dialog = PlanFormDialog(load_catalogue(), today=dt.date(2027, 1, 4))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.split_combo.setCurrentIndex(1)
    names = [row.name_edit.text() for row in dialog.time_rows[:2]]
    assert names == ["morning", "night"]  # not "morning / afternoon"
    rows = [row.dose_edit for row in dialog.time_rows[:2]]
    before = [edit.mapTo(dialog, edit.rect().topLeft()) for edit in rows]
    qtbot.keyClicks(rows[0], "0.5")
    assert dialog.shown_errors["doses"] == "Dose for night: enter the night dose in mg, e.g. 0.5"
    assert "Dose for night" in dialog.message_line.text()
    assert "border" in rows[1].styleSheet() and rows[0].styleSheet() == ""
    after = [edit.mapTo(dialog, edit.rect().topLeft()) for edit in rows]
    assert after == before  # nothing moved under the pointer
    qtbot.keyClicks(rows[1], "0.5")
    assert dialog.shown_errors == {} and dialog.ok_button.isEnabled()


def test_replan_is_prefilled_from_the_diary_and_the_chart_shows_doses_taken(
    main_window, qtbot, fixed_today
) -> None:
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.store import diary

    db = main_window.state.database
    plans.save_new_plan(db, two_dose_plan(), "Clonazepam taper")
    day = START + dt.timedelta(days=3)
    diary.save_entry(
        db,
        DiaryEntry(
            day,
            (DoseTaken("morning", "clonazepam", 0.4, 0.45), DoseTaken("night", "clonazepam", 0.45)),
        ),
    )
    fixed_today[0] = day + dt.timedelta(days=1)
    main_window.state.diary_changed.emit(None)
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab

    # What the diary says, not what the plan said (0.45 + 0.45).
    def mg(day):
        return {label: d.dose_mg for label, d in tab._doses_for_day(day).items()}

    assert mg(day) == {"morning": 0.4, "night": 0.45}
    assert mg(day + dt.timedelta(days=1)) == {"morning": 0.45, "night": 0.45}
    qtbot.waitUntil(lambda: tab.chart.is_built)
    x, y = tab.chart.lines["taken"].get_data()
    assert len(x) == 1 and y[0] == pytest.approx(0.85)


def test_day_by_day_opens_at_today(main_window, qtbot, fixed_today) -> None:
    plans.save_new_plan(main_window.state.database, two_dose_plan(), "Clonazepam taper")
    fixed_today[0] = START + dt.timedelta(days=40)
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    tab.day_toggle.setChecked(True)
    selected = tab.table.selectionModel().selectedRows()
    assert selected and tab.model.rows[selected[0].row()].cells[0] == str(fixed_today[0])


def test_the_form_asks_before_saving_an_implausible_dose(main_window, qtbot, monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, *_a, **_k: asked.append(title) and False
    )
    seen = fill_form(monkeypatch, qtbot, lambda d: qtbot.keyClicks(d.total_edit, "100"))
    main_window.plan_tab.new_plan()
    assert asked == ["Is this dose right?"]
    assert seen and seen[0].result() != QDialog.DialogCode.Accepted
    assert main_window.state.database.query("SELECT count(*) FROM plans")[0][0] == 0


def test_hold_on_a_cut_day_shows_the_rise_and_cancel_keeps_the_plan(
    main_window, qtbot, monkeypatch, fixed_today
) -> None:
    """Found by review: 'Hold from today' on a cut day put yesterday's dose back (0.9 -> 1
    mg) with no confirmation. It now asks, carefully (Cancel is the default)."""
    db = main_window.state.database
    plans.save_new_plan(db, two_dose_plan(), "Clonazepam taper")  # today (START) is a cut
    main_window.state.plan_changed.emit()
    asked: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        dialogs,
        "confirm",
        lambda _p, title, *_a, careful=False, **_k: asked.append((title, careful)) and False,
    )
    qtbot.mouseClick(main_window.plan_tab.today_panel.hold_button, LEFT)
    assert asked == [("Today's dose goes up", True)]
    assert plans.load_active_plan(db).open_hold is None  # cancelled: nothing saved


def test_a_daily_micro_taper_on_a_liquid_rounds_to_the_syringe(
    main_window, qtbot, monkeypatch
) -> None:
    """Issue 14 point 7: with a liquid saved in the Titration tab, choosing Daily micro taper
    rounds to one graduation of the mix, with every digit (not 0.001 mg, not 6 decimals)."""
    from taperdesk.core.titration import MethodKind, MethodSettings, measurable_step_mg

    method = MethodSettings(MethodKind.LIQUID, tablet_mg=0.5, tablet_count=1, volume_ml=35)
    set_setting(main_window.state.database, "titration.method", method.to_dict())
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    tab = main_window.plan_tab

    def fill(dialog: PlanFormDialog) -> None:
        qtbot.keyClicks(dialog.total_edit, "1")
        assert dialog.rounding_combo.currentData() == "typed"
        dialog.style_combo.setCurrentIndex(dialog.style_combo.findData("daily"))
        assert dialog.rounding_combo.currentData() == "titration"
        assert dialog.round_edit.isReadOnly()

    fill_form(monkeypatch, qtbot, fill)
    with qtbot.waitSignal(main_window.state.plan_changed):
        qtbot.mouseClick(tab.empty_state.button, LEFT)
    saved = main_window.state.database.query("SELECT rounding_mg FROM plan_revisions")[0][0]
    assert saved == measurable_step_mg(method) == 0.5 / 35 * 0.1


def test_resume_asks_and_after_todays_doses_are_logged_continues_tomorrow(
    main_window, qtbot, monkeypatch, fixed_today
) -> None:
    """Issue 16 point 7: Resume was one click with no confirmation, and made today a cut day
    after today's doses were logged."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.store.diary import save_entry

    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, *_a, **_k: asked.append(title) or True
    )
    db = main_window.state.database
    plans.save_new_plan(db, two_dose_plan(), "Clonazepam taper")
    fixed_today[0] = dt.date(2027, 1, 10)
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    qtbot.mouseClick(tab.today_panel.hold_button, LEFT)  # hold
    fixed_today[0] = dt.date(2027, 1, 24)  # two weeks later; today would be a cut day
    save_entry(db, DiaryEntry(dt.date(2027, 1, 24),
                              (DoseTaken("morning", "clonazepam", 0.45, 0.45),
                               DoseTaken("night", "clonazepam", 0.45, 0.45)), {}))  # fmt: skip
    main_window.state.plan_changed.emit()
    asked.clear()
    qtbot.mouseClick(tab.today_panel.hold_button, LEFT)  # resume
    assert asked, "Resume saved without asking"
    plan = plans.load_active_plan(db)
    assert plan.holds[0].end == dt.date(2027, 1, 24)  # today stays held: it was logged


def test_a_diary_edit_redraws_the_doses_taken_only(main_window, qtbot, monkeypatch) -> None:
    """Issue 18: after every diary edit the whole Plan tab was rebuilt (table, warnings,
    schedule: 158 ms); a diary edit changes only the chart's doses taken."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.store.diary import save_entry

    plans.save_new_plan(main_window.state.database, two_dose_plan(), "Clonazepam taper")
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    rebuilt: list[bool] = []
    monkeypatch.setattr(tab.model, "set_plan", lambda *_a, **_k: rebuilt.append(True))
    save_entry(main_window.state.database, DiaryEntry(START, (
        DoseTaken("morning", "clonazepam", 0.45, 0.45),
        DoseTaken("night", "clonazepam", 0.45, 0.45)), {}))  # fmt: skip
    main_window.state.diary_changed.emit(None)
    assert rebuilt == []
    assert tab.chart.data.taken == ((START, 0.9),)


def test_the_plan_tab_after_a_diary_edit_draws_without_laying_out_again(
    main_window, qtbot, monkeypatch
) -> None:
    """Issue 18: the Plan tab shown after a diary edit redrew its chart with matplotlib's
    constrained layout (~60% of the redraw). With the same view and size the axes stay
    where that layout put them, and a layout made afresh puts them at the same place."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.store.diary import save_entry

    plans.save_new_plan(main_window.state.database, two_dose_plan(), "Clonazepam taper")
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    qtbot.waitUntil(lambda: tab.chart.is_built)
    chart = tab.chart
    chart.canvas.draw()  # the layout made for this view
    laid_out = [tuple(a.get_position().bounds) for a in (chart.axes, chart.eq_axes)]
    layouts: list[bool] = []
    real_draw = chart.canvas.draw
    monkeypatch.setattr(chart.canvas, "draw", lambda: layouts.append(
        chart.figure.get_layout_engine() is not None
        and type(chart.figure.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
    ) or real_draw())  # fmt: skip
    save_entry(main_window.state.database, DiaryEntry(START, (
        DoseTaken("morning", "clonazepam", 0.4, 0.45),
        DoseTaken("night", "clonazepam", 0.45, 0.45)), {}))  # fmt: skip
    main_window.state.diary_changed.emit(None)  # the tab is shown: redrawn at once
    assert layouts == [False]  # drawn, without the layout
    assert chart.lines["taken"].get_ydata()[0] == pytest.approx(0.85)
    assert [tuple(a.get_position().bounds) for a in (chart.axes, chart.eq_axes)] == laid_out
    monkeypatch.setattr(chart.canvas, "draw", real_draw)
    assert type(chart.figure.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
    real_draw()  # a fresh layout: the same places
    assert [tuple(a.get_position().bounds) for a in (chart.axes, chart.eq_axes)] == laid_out


def test_a_hidden_plan_chart_redraws_the_doses_taken_once_diary_edits_pause(
    main_window, qtbot, monkeypatch
) -> None:
    """Issue 18: the Plan tab shown after a diary edit redrew its chart then (~0.15 s at
    ten years). Once the edits pause, the hidden chart is redrawn; showing the tab then
    draws nothing more."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.store.diary import save_entry

    plans.save_new_plan(main_window.state.database, two_dose_plan(), "Clonazepam taper")
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    qtbot.waitUntil(lambda: tab.chart.is_built)
    main_window.tabs.setCurrentIndex(2)  # the Diary tab
    qtbot.waitUntil(lambda: not tab.isVisible())
    tab._taken_timer.setInterval(50)
    refreshed: list[bool] = []
    real_refresh = tab._refresh_taken
    monkeypatch.setattr(tab, "_refresh_taken", lambda: refreshed.append(True) or real_refresh())
    for mg in (0.4, 0.35):  # two edits in a row: one redraw
        save_entry(main_window.state.database, DiaryEntry(START, (
            DoseTaken("morning", "clonazepam", mg, 0.45),
            DoseTaken("night", "clonazepam", 0.45, 0.45)), {}))  # fmt: skip
        main_window.state.diary_changed.emit(None)
    assert refreshed == []
    qtbot.waitUntil(lambda: refreshed == [True])
    assert tab.chart.lines["taken"].get_ydata()[0] == pytest.approx(0.8)
    main_window.tabs.setCurrentIndex(0)
    qtbot.waitUntil(tab.isVisible)
    assert refreshed == [True]  # nothing left to redraw when the tab is shown


def test_a_diary_edit_redraws_only_the_doses_taken_and_looks_like_a_full_redraw(
    main_window, qtbot
) -> None:
    """Issue 18: a diary edit redrew the whole Plan chart (~60-120 ms at ten years, then
    ~140 ms when the tab was clicked at once). When only the doses taken change within the
    same limits, they and the legend are drawn over a saved picture of the rest: no full
    draw, and the very picture a full draw makes."""
    import numpy as np

    database = main_window.state.database
    plans.save_new_plan(database, two_dose_plan(), "Clonazepam taper")

    def log(day: dt.date, morning_mg: float) -> None:
        log_two_doses(database, day, morning_mg)

    log(START, 0.45)
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    qtbot.waitUntil(lambda: tab.chart.is_built and tab.chart.lines.get("taken") is not None)
    chart = tab.chart
    chart.canvas.draw_idle()
    qtbot.waitUntil(lambda: not chart.canvas._draw_pending)
    draws: list[bool] = []
    chart.canvas.mpl_connect("draw_event", lambda _e: draws.append(True))
    log(START + dt.timedelta(days=1), 0.4)
    main_window.state.diary_changed.emit(None)  # the tab is shown: redrawn at once
    assert chart.layer.last_redraw == "blit" and draws == []
    assert [d for d, _ in chart.data.taken] == [START, START + dt.timedelta(days=1)]
    assert list(chart.lines["taken"].get_ydata()) == pytest.approx([0.9, 0.85])
    blitted = np.asarray(chart.canvas.buffer_rgba()).copy()
    chart._draw_as_laid_out()  # the whole chart, in the same places
    assert draws == [True]
    assert np.array_equal(blitted, np.asarray(chart.canvas.buffer_rgba()))
    log(START + dt.timedelta(days=2), 2.0)  # above the plan: the axis grows
    main_window.state.diary_changed.emit(None)
    qtbot.waitUntil(lambda: len(draws) == 2)  # drawn whole, with the taller axis
    assert chart.axes.get_ylim()[1] > 2.45


def test_doses_taken_move_to_the_diazepam_axis_when_they_become_equivalents(
    main_window, qtbot
) -> None:
    """Found while making the doses taken redraw alone: once drawn in mg on the left axis,
    the doses taken stayed there when they became diazepam equivalents (a crossover's
    second drug logged), so 10 mg diazepam eq. read as 10 mg of the drug tapered."""
    from dataclasses import replace

    plans.save_new_plan(main_window.state.database, two_dose_plan(), "Clonazepam taper")
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    qtbot.waitUntil(lambda: tab.chart.is_built and tab.chart.data is not None)
    chart = tab.chart
    chart.set_data(replace(chart.data, taken=((START, 0.9),), taken_in_eq=False))
    assert chart.lines["taken"].axes is chart.axes
    chart.set_data(replace(chart.data, taken=((START, 18.0),), taken_in_eq=True))
    assert chart.lines["taken"].axes is chart.eq_axes
    assert [line for line in chart.axes.get_lines() if line.get_label().startswith("Taken")] == []
    chart.set_data(replace(chart.data, taken=((START, 0.9),), taken_in_eq=False))
    assert chart.lines["taken"].axes is chart.axes


def test_after_a_days_save_the_plan_chart_reads_that_day_alone(
    main_window, qtbot, monkeypatch
) -> None:
    """Issue 18: after every diary save the Plan chart read the whole diary's doses again
    (~15 ms at ten years, when the tab was clicked at once). It reads the day saved, and
    shows what a full read shows; an import (any day) still reads everything."""
    from taperdesk.app import taken as taken_doses

    database = main_window.state.database
    plans.save_new_plan(database, two_dose_plan(), "Clonazepam taper")

    def log(day: dt.date, morning_mg: float) -> None:
        log_two_doses(database, day, morning_mg)

    for n in range(5):
        log(START + dt.timedelta(days=n), 0.45)
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    qtbot.waitUntil(lambda: tab.chart.is_built and len(tab.chart.data.taken) == 5)
    asked: list[object] = []
    real = taken_doses.taken_for_chart
    monkeypatch.setattr(taken_doses, "taken_for_chart",
                        lambda db, lived, days=None: asked.append(days) or real(db, lived, days))  # fmt: skip
    day = START + dt.timedelta(days=2)
    log(day, 0.4)
    main_window.state.diary_changed.emit((day,))
    assert asked == [{day}]
    assert tab.chart.data.taken == tuple(sorted(real(database, tab.lived)[0].items()))
    assert dict(tab.chart.data.taken)[day] == pytest.approx(0.85)
    main_window.state.diary_changed.emit(None)  # an import: any day
    assert asked == [{day}, None]


def log_two_doses(database, day: dt.date, morning_mg: float) -> None:
    """The diary's day: ``morning_mg`` in the morning and 0.45 mg at night (0.45 each
    planned)."""
    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.store.diary import save_entry

    save_entry(database, DiaryEntry(day, (
        DoseTaken("morning", "clonazepam", morning_mg, 0.45),
        DoseTaken("night", "clonazepam", 0.45, 0.45)), {}))  # fmt: skip
