"""The seven defects of "One answer to 'what do I take on day D'", each as it was found.

Every test here failed on the code before the application layer: the Diary's
re-plan saved diazepam mg as clonazepam, the weekly sheet ignored an open hold,
micro-taper step rows gave one dose for the whole step, switch stages hid the
drug still taken, the chart mixed drugs across revisions, the report hid the old
drug during a crossover, and past diary days had no plan before the newest
revision.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from taperdesk.app.lived_plan import DayKind, active_plan, new_lived_plan
from taperdesk.core.diary import DiaryEntry, DoseTaken
from taperdesk.core.drugs import load_catalogue
from taperdesk.core.plan import (
    Crossover,
    DosingTime,
    ReductionModel,
    TaperPlan,
    TaperStyle,
)
from taperdesk.store import diary as diary_store
from taperdesk.store import plans as plan_store

TODAY = dt.date.today()


def clonazepam(**changes) -> TaperPlan:
    values = {
        "drug_key": "clonazepam",
        "dosing_times": (DosingTime("morning", 0.5), DosingTime("night", 0.5)),
        "start_date": TODAY,
        "reduction": ReductionModel.percent(10),
        "rounding_mg": 0.001,
    }
    values.update(changes)
    return TaperPlan(**values)  # type: ignore[arg-type]


def set_saved_on(database, revision: int, day: dt.date) -> None:
    """Pretend a revision was saved on ``day`` (the store stamps the real time)."""
    with database.transaction() as connection:
        connection.execute(
            "UPDATE plan_revisions SET created_at = ? WHERE revision = ?",
            (dt.datetime.combine(day, dt.time(12)).astimezone().isoformat(), revision),
        )


def save_three_dose_switch(database) -> None:
    """Lorazepam morning 1 + afternoon 0.5 + night 1 mg, switching to diazepam a dose a
    week (night, morning, afternoon), saved ten days ago: today morning and night are on
    diazepam, the afternoon is still lorazepam."""
    plan = TaperPlan(
        "lorazepam",
        (DosingTime("morning", 1.0), DosingTime("afternoon", 0.5), DosingTime("night", 1.0)),
        TODAY - dt.timedelta(days=10),
        ReductionModel.percent(10),
        crossover=Crossover("diazepam", ("night", "morning", "afternoon"), 7),
        rounding_mg=0.5,
    )
    plan_store.save_new_plan(database, plan, "Switch")
    set_saved_on(database, 1, TODAY - dt.timedelta(days=10))


# -- 1. Diary > Re-plan from actual after a crossover -------------------------------------


def test_diary_replan_after_a_crossover_saves_diazepam_as_diazepam(
    qtbot, app_state, monkeypatch
) -> None:
    from taperdesk.ui import dialogs
    from taperdesk.ui.diary_tab import DiaryTab

    database = app_state.database
    plan = clonazepam(
        dosing_times=(DosingTime("morning", 0.325), DosingTime("night", 0.3)),
        start_date=TODAY - dt.timedelta(days=20),
        crossover=Crossover("diazepam", ("night", "morning"), 7),
    )
    plan_store.save_new_plan(database, plan, "Switch")
    set_saved_on(database, 1, TODAY - dt.timedelta(days=20))
    for back in range(5):  # five days logged on diazepam 6.5 + 6 mg
        day = TODAY - dt.timedelta(days=back)
        diary_store.save_entry(
            database,
            DiaryEntry(
                day,
                (DoseTaken("morning", "diazepam", 6.5), DoseTaken("night", "diazepam", 6.0)),
            ),
        )
    app_state.plan_changed.emit()
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, *_a, **_k: asked.append(title) or True
    )
    tab = DiaryTab(app_state)
    qtbot.addWidget(tab)
    tab.go_to(TODAY)
    tab.replan()
    record = plan_store.load_active_plan_record(database)
    assert record is not None and [r.revision for r in record.revisions] == [1, 2]
    new = record.plan
    assert new.drug_key == "diazepam" and new.crossover is None
    assert [(t.label, t.dose_mg) for t in new.dosing_times] == [("morning", 6.5), ("night", 6.0)]
    lived = active_plan(database)
    assert lived is not None
    assert lived.on(TODAY).drugs[-1].drug_key == "diazepam"
    assert lived.on(TODAY).taper.total_mg == 12.5  # not ~250 mg diazepam-equivalent
    assert asked  # the change was shown, by drug, before it was saved


def test_a_replan_from_a_day_with_two_drugs_is_refused_plainly(database) -> None:
    from taperdesk.app import plan_actions
    from taperdesk.app.plan_actions import TakenDose

    plan = clonazepam(crossover=Crossover("diazepam", ("night", "morning"), 7))
    plan_store.save_new_plan(database, plan, "Switch")
    mixed = [TakenDose("morning", "clonazepam", 0.5), TakenDose("night", "diazepam", 10)]
    with pytest.raises(ValueError, match="more than one drug"):
        plan_actions.preview_replan(database, TODAY, mixed)


# -- 2. The weekly sheet and an open hold -------------------------------------------------


def test_the_weekly_sheet_keeps_an_open_hold(database) -> None:
    from taperdesk.printing.sources import load_inputs
    from taperdesk.printing.weekly_sheet import coming_monday, sheet_week

    plan_store.save_new_plan(database, clonazepam(start_date=TODAY - dt.timedelta(days=30)), "T")
    plan_id = plan_store.active_plan_id(database)
    plan_store.add_hold(database, plan_id, TODAY)  # Diary > updose > "Record and hold"
    week = sheet_week(load_inputs(database, today=TODAY), coming_monday(TODAY))
    assert not any(day.cut for day in week.days)  # no "▼ CUT" while holding
    assert all(day.hold for day in week.days)
    held = {day.doses[0].total_mg for day in week.days}
    assert held == {active_plan(database, TODAY).on(TODAY).taper.doses_mg[0]}
    assert week.step_text.startswith(f"On hold from {TODAY.day}")
    assert "same dose until you resume" in week.step_text


def test_the_overview_and_report_say_the_plan_is_on_hold(database, tmp_path) -> None:
    from support.printing_samples import pdf_pages

    from taperdesk.printing.document import PageSize, write_pdf
    from taperdesk.printing.plan_overview import PlanOverviewDocument
    from taperdesk.printing.prescriber_report import PrescriberReportDocument
    from taperdesk.printing.sources import load_inputs

    plan_store.save_new_plan(database, clonazepam(start_date=TODAY - dt.timedelta(days=30)), "T")
    plan_store.add_hold(database, plan_store.active_plan_id(database), TODAY)
    inputs = load_inputs(database, today=TODAY)
    overview, report = tmp_path / "o.pdf", tmp_path / "r.pdf"
    write_pdf(PlanOverviewDocument(inputs), overview, PageSize.A4)
    first = TODAY - dt.timedelta(days=10)
    write_pdf(PrescriberReportDocument(inputs, (), first, TODAY), report, PageSize.A4)
    assert "the same dose until you resume" in pdf_pages(overview)[0][0]
    assert "same dose until the person resumes" in pdf_pages(report)[0][0]


# -- 3. Daily micro taper: step rows say what really happens ------------------------------


def micro_taper():
    plan = clonazepam(
        dosing_times=(DosingTime("morning", 0.5), DosingTime("night", 0.5)),
        style=TaperStyle.DAILY_MICRO,
        start_date=dt.date(2026, 12, 1),
    )
    return new_lived_plan(plan, load_catalogue(), dt.date(2026, 12, 1))


def test_micro_taper_step_rows_give_the_first_and_last_day() -> None:
    from taperdesk.app.plan_steps import step_lines

    lived = micro_taper()
    first = step_lines(lived)[0]
    assert first.first.taper.total_mg == lived.on(dt.date(2026, 12, 1)).taper.total_mg
    assert first.first.taper.total_mg == 0.994  # as the Today panel says
    assert first.last.taper.total_mg == 0.9
    assert first.changes_within


def test_micro_taper_rows_in_the_plan_table_overview_and_cli(qtbot, tmp_path) -> None:
    from support.printing_samples import pdf_pages

    from taperdesk.commands.schedule import write_table
    from taperdesk.printing.document import PageSize, write_pdf
    from taperdesk.printing.plan_overview import PlanOverviewDocument
    from taperdesk.printing.sources import PrintInputs
    from taperdesk.ui.plan_table import ScheduleTableModel

    lived = micro_taper()
    first_mg = lived.on(dt.date(2026, 12, 1)).taper.total_mg
    shown = f"{first_mg:g} → 0.9"
    model = ScheduleTableModel()
    model.set_plan(lived)
    assert shown in model.rows[0].cells
    out = io.StringIO()
    write_table(lived, out)
    assert shown in out.getvalue()
    path = tmp_path / "overview.pdf"
    write_pdf(PlanOverviewDocument(PrintInputs(lived)), path, PageSize.A4)
    text = " ".join(page[0] for page in pdf_pages(path))
    assert f"{shown} mg" in text
    # Day by day: each day's own cut, not the step's 0.1 mg.
    model.set_plan(lived, day_by_day=True)
    column = model.header.index("Cut (mg)")
    cuts = [float(r.cells[column]) for r in model.rows[1:14] if r.cells[column]]
    assert cuts and max(cuts) < 0.02


# -- 4. Switch stages name every drug taken -----------------------------------------------


def test_switch_stage_rows_name_the_drug_still_taken(qtbot, tmp_path) -> None:
    from taperdesk.commands.schedule import write_table
    from taperdesk.ui.plan_table import ScheduleTableModel

    plan = TaperPlan(
        "lorazepam",
        (DosingTime("morning", 1.0), DosingTime("night", 1.0)),
        dt.date(2027, 1, 4),
        ReductionModel.percent(10),
        crossover=Crossover("diazepam", ("night", "morning"), 7),
        rounding_mg=0.5,
        final_dose_mg=2.0,  # whole 0.5 mg steps below 2 mg would be cuts of 25% and more
    )
    lived = new_lived_plan(plan, load_catalogue(), dt.date(2027, 1, 4))
    expected = "Lorazepam 1 mg morning + Diazepam 10 mg night"
    out = io.StringIO()
    write_table(lived, out)
    step_1 = next(line for line in out.getvalue().splitlines() if line.startswith("1 "))
    assert expected in step_1 and "eq 20" in step_1
    model = ScheduleTableModel()
    model.set_plan(lived)
    cells = model.rows[0].cells
    assert "Lorazepam + Diazepam" in cells
    morning, night = model.header.index("morning (mg)"), model.header.index("night (mg)")
    assert (cells[morning], cells[night]) == ("1 lorazepam", "10 diazepam")
    assert lived.on(dt.date(2027, 1, 4)).kind is DayKind.SWITCH


# -- 5. The plan chart and revisions of another drug --------------------------------------


def test_the_chart_draws_a_revision_of_another_drug_in_diazepam_eq(
    qtbot, main_window, monkeypatch
) -> None:
    from taperdesk.ui import dialogs

    database = main_window.state.database
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    crossed = clonazepam(crossover=Crossover("diazepam", (), 7))
    plan_store.save_new_plan(database, crossed, "T")  # tick crossover, save
    plan_id = plan_store.active_plan_id(database)
    plan_store.save_revision(database, plan_id, clonazepam(), "Edited")  # untick, save
    main_window.state.plan_changed.emit()
    tab = main_window.plan_tab
    qtbot.waitUntil(lambda: tab.chart.is_built)
    chart = tab.chart
    old = chart.lines["revision:1"]
    assert old.axes is chart.eq_axes  # diazepam eq., on the axis that says so
    assert max(old.get_ydata()) == pytest.approx(20)
    assert chart.axes.get_ylim()[1] < 2  # the 1 mg plan is not flattened to the floor
    _handles, labels = chart.axes.get_legend_handles_labels()
    labels += chart.eq_axes.get_legend_handles_labels()[1]
    assert labels.count("Revision 1 (diazepam eq.)") == 1
    assert "diazepam eq." in chart.eq_axes.get_ylabel()


# -- 6. The report during a crossover -----------------------------------------------------


def test_the_report_during_a_crossover_shows_each_drug_and_the_eq_total(database) -> None:
    from taperdesk.printing.prescriber_report import PrescriberReportDocument
    from taperdesk.printing.sources import load_diary, load_inputs

    start = dt.date(2026, 10, 14)
    plan = clonazepam(start_date=start, crossover=Crossover("diazepam", ("night", "morning"), 7))
    plan_store.save_new_plan(database, plan, "Switch")
    set_saved_on(database, 1, start)
    day = dt.date(2026, 10, 21)  # the second stage: morning clonazepam, night diazepam?
    lived = active_plan(database, day)
    planned = lived.on(dt.date(2026, 10, 15))
    assert {d.drug_key for d in planned.taken_drugs} == {"clonazepam", "diazepam"}
    diary_store.save_entry(
        database,
        DiaryEntry(
            dt.date(2026, 10, 15),
            (DoseTaken("morning", "clonazepam", 0.5), DoseTaken("night", "diazepam", 10.0)),
        ),
    )
    inputs = load_inputs(database, today=day)
    first, last = start, start + dt.timedelta(days=20)
    diary = load_diary(database, first, last, plan.taper_drug_key)
    report = PrescriberReportDocument(inputs, diary, first, last)
    assert report.several_drugs
    assert report._planned_text(planned) == "0.5 mg clonazepam + 10 mg diazepam"
    entry = next(e for e in diary if e.day == dt.date(2026, 10, 15))
    assert report._taken_text(entry) == "0.5 mg clonazepam + 10 mg diazepam"
    days = [first + dt.timedelta(days=i) for i in range(14)]
    planned_eq, taken_eq, heading = report._chart_values(days)
    assert "diazepam equivalents" in heading
    assert set(planned_eq) == {20}  # flat across the switch, not 10 -> 20
    assert taken_eq[1] == pytest.approx(20)
    assert dt.date(2026, 10, 15) not in report.stats.deviations


# -- 7. Past diary days are compared with the revision of that day -------------------------


def test_a_past_day_is_compared_with_the_revision_that_applied_then(qtbot, app_state) -> None:
    from taperdesk.ui.diary_tab import DiaryTab

    database = app_state.database
    start = TODAY - dt.timedelta(days=40)
    plan_store.save_new_plan(database, clonazepam(start_date=start), "T")
    set_saved_on(database, 1, start)
    plan_id = plan_store.active_plan_id(database)
    replanned = clonazepam(
        dosing_times=(DosingTime("morning", 0.4), DosingTime("night", 0.4)),
        start_date=TODAY + dt.timedelta(days=4),
    )
    plan_store.save_revision(database, plan_id, replanned, "Re-planned")
    set_saved_on(database, 2, TODAY - dt.timedelta(days=10))
    lived = active_plan(database)
    past = TODAY - dt.timedelta(days=20)  # revision 1 applied: 0.9 mg a day after one cut
    assert lived.on(past).revision == 1
    assert lived.on(past).taper.total_mg == 0.81
    assert lived.on(TODAY).revision == 2 and lived.on(TODAY).taper.total_mg == 0.8
    tab = DiaryTab(app_state)
    qtbot.addWidget(tab)
    tab.go_to(past)
    assert [row.slot.planned_mg for row in tab.form.dose_rows] == [0.405, 0.405]


# -- Found by review: a revision that splits the dose differently ---------------------------


def test_a_revision_with_other_dosing_times_keeps_every_column_right(database, qtbot) -> None:
    """Revision 1 morning + night, revision 2 morning + afternoon + night: the day table,
    CSV, JSON, weekly sheet and pharmacy supply put each dose under its own dosing time
    (the day table crashed the window, the CSV shifted night into afternoon)."""
    import csv
    import json

    from taperdesk.app import exports
    from taperdesk.printing.pharmacy_request import supply_doses
    from taperdesk.printing.sources import load_inputs
    from taperdesk.printing.weekly_sheet import sheet_week, week_start
    from taperdesk.ui.plan_table import ScheduleTableModel

    start = TODAY - dt.timedelta(days=30)
    plan_store.save_new_plan(database, clonazepam(start_date=start, rounding_mg=0.0625), "T")
    set_saved_on(database, 1, start)
    three = clonazepam(
        dosing_times=(
            DosingTime("morning", 0.25),
            DosingTime("afternoon", 0.25),
            DosingTime("night", 0.3125),
        ),
        start_date=TODAY + dt.timedelta(days=7),
        rounding_mg=0.0625,
    )
    plan_store.save_revision(database, plan_store.active_plan_id(database), three, "Edited")
    set_saved_on(database, 2, TODAY - dt.timedelta(days=2))
    lived = active_plan(database)
    old_day = start + dt.timedelta(days=1)
    model = ScheduleTableModel()
    model.set_plan(lived, day_by_day=True)
    row = next(r for r in model.rows if r.cells[0] == str(old_day)).cells
    header = model.header
    assert lived.on(old_day).doses_by_label() == {"morning": 0.5, "night": 0.4375}
    assert row[header.index("morning (mg)")] == "0.5"
    assert row[header.index("afternoon (mg)")] == "–"
    assert row[header.index("night (mg)")] == "0.4375"
    assert row[header.index("Total (mg)")] == "0.9375"
    for column in range(len(header)):  # every cell can be shown (it crashed here)
        model.data(model.index(0, column))
    out = io.StringIO()
    exports.write_csv(lived, out)
    rows = {r["date"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows[str(old_day)]["afternoon_mg"], rows[str(old_day)]["night_mg"]) == ("", "0.4375")
    assert rows[str(TODAY)]["afternoon_mg"] == "0.25"
    data = json.loads(json.dumps(exports.schedule_to_dict(lived)))
    old_row = next(r for r in data["rows"] if r["date"] == str(old_day))
    assert old_row["doses_mg"] == {"morning": 0.5, "night": 0.4375}
    inputs = load_inputs(database)
    week = sheet_week(inputs, week_start(TODAY - dt.timedelta(days=3)))
    assert [h.split(" · ")[0] for h in week.labels] == ["Morning", "Afternoon", "Night"]
    assert supply_doses(inputs, old_day, 1) == ((0.5, 0.0, 0.4375),)


def test_replan_in_the_middle_of_a_switch_names_each_drug_and_is_refused(
    qtbot, main_window, monkeypatch
) -> None:
    """Morning diazepam, afternoon still lorazepam 0.5 mg, night diazepam: the dialog filled
    0 mg for the afternoon and saving dropped the lorazepam (-20% eq.) without a word
    about the drug (found by review)."""
    from taperdesk.ui import dialogs
    from taperdesk.ui.plan_replan import ReplanDialog

    database = main_window.state.database
    save_three_dose_switch(database)
    main_window.state.plan_changed.emit()
    seen: dict[str, str] = {}

    def fake_exec(dialog: ReplanDialog) -> int:
        seen.update({lb: dialog.dose_labels[lb].text() for lb in dialog.dose_edits})
        seen["afternoon mg"] = dialog.dose_edits["afternoon"].text()
        dialog._accept()
        return dialog.result()

    errors: list[str] = []
    monkeypatch.setattr(ReplanDialog, "exec", fake_exec)
    monkeypatch.setattr(dialogs, "show_error", lambda _p, error: errors.append(str(error)))
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    main_window.plan_tab.replan()
    assert seen["afternoon"] == "Afternoon (mg of lorazepam)"
    assert seen["afternoon mg"] == "0.5"
    assert seen["night"] == "Night (mg of diazepam)"
    assert errors and "more than one drug" in errors[0]
    record = plan_store.load_active_plan_record(database)
    assert [r.revision for r in record.revisions] == [1]  # nothing saved


def test_step_numbers_agree_during_and_after_a_crossover() -> None:
    """The status line said 'step 1 of 28' where the table, sheet and overview said step 4
    of 31 (found by review): switch stages count everywhere."""
    from taperdesk.printing.sources import PrintInputs
    from taperdesk.printing.weekly_sheet import sheet_week, week_start
    from taperdesk.ui.plan_status import describe_today

    plan = clonazepam(crossover=Crossover("diazepam", ("night", "morning"), 7), start_date=TODAY)
    day = TODAY + dt.timedelta(days=17)  # the first cut after two switch stages
    lived = new_lived_plan(plan, load_catalogue(), day)
    planned = lived.on(day)
    total = lived.schedule.summary.step_count
    assert planned.step_number == 3
    assert describe_today(lived, day).step == f"step 3 of {total}"
    week = sheet_week(PrintInputs(lived), week_start(day))
    assert f"of {total}" in week.step_text and "3" in week.step_text


def test_titration_names_the_old_drug_still_taken_during_a_switch(database) -> None:
    from taperdesk.app.titration_days import planned_dose_for

    save_three_dose_switch(database)
    day = planned_dose_for(database, TODAY)
    assert day.drug_key == "diazepam" and day.total_mg == 20
    assert day.other_doses == (("lorazepam", "afternoon", 0.5),)


def test_diary_hints_and_deviations_keep_every_digit_and_each_drug(qapp) -> None:
    """'plan 0.438 mg' for a 0.4375 mg dose (no 0.0625 mg step gives 0.438), and a switch
    day's doses summed across drugs (found by review)."""
    from taperdesk.core.diary import DeviationKind, classify_deviation
    from taperdesk.ui.diary_form import DoseRow, DoseSlot

    row = DoseRow(DoseSlot("morning", "clonazepam", 0.4375), ["clonazepam"])
    assert row.plan_label.text().endswith("plan 0.4375 mg")
    assert row.edit.placeholderText() == "not logged"
    swapped = classify_deviation(
        (
            DoseTaken("morning", "lorazepam", 0.0, planned_mg=1.0),
            DoseTaken("morning", "diazepam", 10.0, planned_mg=0.0),
        )
    )
    assert swapped.kind is DeviationKind.ABOVE_PLAN
    assert swapped.message.startswith("10 mg of diazepam above the plan (0 mg)")


def test_papers_state_the_last_dose_really_taken_and_the_revisions_of_the_range(database):
    """'FINAL DOSE 0.0406 mg' where the plan stops from 0.0625 mg, and a report that
    described only the newest revision (found by review)."""
    from taperdesk.app.plan_steps import last_dose_mg
    from taperdesk.printing.plan_overview import plan_summary_lines
    from taperdesk.printing.prescriber_report import PrescriberReportDocument
    from taperdesk.printing.sources import load_inputs

    start = TODAY - dt.timedelta(days=40)
    plan = clonazepam(start_date=start, rounding_mg=0.0625)
    plan_store.save_new_plan(database, plan, "T")
    set_saved_on(database, 1, start)
    plan_store.save_revision(
        database, plan_store.active_plan_id(database), clonazepam(rounding_mg=0.0625), "Edited"
    )
    set_saved_on(database, 2, TODAY - dt.timedelta(days=5))
    inputs = load_inputs(database)
    last = last_dose_mg(inputs.lived)
    assert last == 0.0625 and inputs.schedule.summary.final_dose_mg < last
    final = dict(plan_summary_lines(inputs))["Final dose"]
    assert final.startswith("0.0625 mg a day before stopping")
    report = PrescriberReportDocument(inputs, (), start, TODAY)
    changes = dict(report._summary_pairs())["Plan changes"]
    assert "revision 1 until" in changes and "revision 2 from" in changes


def test_the_diary_names_each_drug_during_a_switch(qtbot, app_state) -> None:
    """During a crossover every dose box says which drug it records (found by review: the
    rows read 'morning … plan 10 mg' with no drug, and typing saved the plan's drug)."""
    from taperdesk.ui.diary_tab import DiaryTab

    database = app_state.database
    plan = clonazepam(
        start_date=TODAY - dt.timedelta(days=3), crossover=Crossover("diazepam", ("night",), 7)
    )
    plan_store.save_new_plan(database, plan, "Switch")
    set_saved_on(database, 1, TODAY - dt.timedelta(days=3))
    tab = DiaryTab(app_state)
    qtbot.addWidget(tab)
    tab.go_to(TODAY)
    names = [row.name.text() for row in tab.form.dose_rows]
    assert names == ["morning · clonazepam", "night · diazepam"]


def test_a_sheet_of_an_older_week_describes_the_revision_then_in_force(database) -> None:
    """Found by review: a sheet of a week of revision 1 printed revision 2's reduction and
    mixed the two revisions' step numbers."""
    from taperdesk.printing.sources import load_inputs
    from taperdesk.printing.weekly_sheet import sheet_week, week_start

    start = TODAY - dt.timedelta(days=60)
    plan_store.save_new_plan(database, clonazepam(start_date=start), "T")
    set_saved_on(database, 1, start)
    slower = clonazepam(reduction=ReductionModel.percent(5), start_date=TODAY)
    plan_store.save_revision(database, plan_store.active_plan_id(database), slower, "Edited")
    revised = TODAY - dt.timedelta(days=10)
    set_saved_on(database, 2, revised)
    inputs = load_inputs(database)
    old_week = sheet_week(inputs, week_start(start + dt.timedelta(days=14)))
    assert old_week.rate_text.startswith("10% of the current dose")
    both = sheet_week(inputs, week_start(revised))
    if week_start(revised) != revised:  # the week holds days of both revisions
        assert "plan revised" in both.step_text
    assert both.rate_text.startswith("5% of the current dose")


def test_titrate_daily_during_a_switch_names_the_drug_and_the_other_doses(tmp_path) -> None:
    """Found by review: 'titrate daily' printed '20 mg' with no drug and left out the
    lorazepam still taken in the afternoon."""
    import subprocess
    import sys

    from taperdesk.store.opening import open_user_database

    database = open_user_database(tmp_path)
    save_three_dose_switch(database)
    database.close()
    result = subprocess.run(
        [sys.executable, "-m", "taperdesk", "--data-dir", str(tmp_path), "titrate", "daily",
         "--days", "3", "--tablet-mg", "10", "--tablets", "1", "--volume-ml", "10"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Mix of diazepam:")
    assert "not measured here: 0.5 mg lorazepam afternoon." in result.stdout


def test_the_pharmacy_calendar_names_the_old_drug_where_no_capsule_is_taken(database) -> None:
    from taperdesk.printing.pharmacy_request import other_drug_doses
    from taperdesk.printing.sources import load_inputs

    save_three_dose_switch(database)
    others = other_drug_doses(load_inputs(database), TODAY, 1)
    assert others == (("", "0.5 mg lorazepam", ""),)


def test_a_plan_row_no_plan_can_be_made_of_is_a_plain_sentence(database) -> None:
    """A damaged revision (here: no dosing times) reads as PlanUnreadable, which every
    surface turns into a sentence; it must never reach the window as a traceback."""
    from taperdesk.app.lived_plan import PlanUnreadable
    from taperdesk.errors import KnownError

    plan_store.save_new_plan(database, clonazepam(), "T")
    with database.transaction() as connection:
        connection.execute("DELETE FROM plan_dosing_times")
    with pytest.raises(PlanUnreadable) as found:
        active_plan(database)
    assert isinstance(found.value, KnownError) and "could not be read" in found.value.message


def test_the_report_reads_the_plans_days_once_not_per_row(monkeypatch) -> None:
    """Every row of the report asked whether several drugs were in range, and walked every
    day of the range to answer (a year's report took seconds)."""
    from taperdesk.app.lived_plan import LivedPlan
    from taperdesk.printing.document import Canvas  # noqa: F401 - Qt printing is loaded
    from taperdesk.printing.prescriber_report import PrescriberReportDocument
    from taperdesk.printing.sources import DiaryDay, inputs_for_plan

    first = dt.date(2026, 1, 1)
    inputs = inputs_for_plan(clonazepam(start_date=first), today=first)
    diary = [
        DiaryDay(first + dt.timedelta(days=i), {"morning": 0.5}, notes="n",
                 taken_by_drug={"clonazepam": {"morning": 0.5}})
        for i in range(60)
    ]  # fmt: skip
    calls: list[int] = []
    original = LivedPlan.days
    monkeypatch.setattr(
        LivedPlan, "days", lambda self, a, b: calls.append(1) or original(self, a, b)
    )
    report = PrescriberReportDocument(inputs, diary, first, first + dt.timedelta(days=59))
    texts = [report._taken_text(e) for e in diary] + [report._planned_text(None) for _ in diary]
    assert len(texts) == 120 and len(calls) <= 1
