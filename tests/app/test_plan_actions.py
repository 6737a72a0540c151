"""Plan actions say what changes before saving, drops beyond the plan's pace as loudly as
rises (issue: one wheel notch over "First cut on", then Save, cut today's dose by 94%)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from taperdesk.app import plan_actions
from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan, TaperStyle
from taperdesk.store import plans as plan_store

TODAY = dt.date.today()


def micro_taper() -> TaperPlan:
    return TaperPlan(
        "clonazepam",
        (DosingTime("morning", 0.5), DosingTime("night", 0.5)),
        TODAY,
        ReductionModel.percent(10),
        style=TaperStyle.DAILY_MICRO,
    )


def test_a_first_cut_a_year_earlier_is_a_drop_beyond_the_plans_pace(database) -> None:
    plan = micro_taper()
    plan_store.save_new_plan(database, plan, "T")
    slipped = replace(plan, start_date=plan.start_date.replace(year=plan.start_date.year - 1))
    change = plan_actions.preview_edit(database, slipped, today=TODAY)
    today = change.days[0]
    assert today.before.taper.total_mg == 0.994
    assert today.after.taper.total_mg < 0.1  # the 94% cut of the report
    assert change.today_drops_beyond_pace and change.needs_confirmation
    lines = change.lines(change.before.catalogue)
    assert lines[0].startswith("Today")
    assert any(line.startswith("Today you would be at step") for line in lines)
    assert "(now at step 1 of" in " ".join(lines)
    # A change inside the plan's pace is shown but not flagged as a drop.
    slower = replace(plan, reduction=ReductionModel.percent(12))
    assert not plan_actions.preview_edit(database, slower, today=TODAY).today_drops_beyond_pace


def test_nothing_is_saved_until_save_and_a_preview_saves_once(database) -> None:
    plan = micro_taper()
    plan_store.save_new_plan(database, plan, "T")
    change = plan_actions.preview_edit(database, replace(plan, interval_days=21), today=TODAY)
    assert len(plan_store.load_active_plan_record(database).revisions) == 1
    change.save()
    assert len(plan_store.load_active_plan_record(database).revisions) == 2


def test_the_form_shows_the_drop_in_red_before_saving(qtbot, database) -> None:
    from taperdesk.app.lived_plan import active_plan
    from taperdesk.store.drugs import load_user_catalogue
    from taperdesk.ui.plan_form import PlanFormDialog

    plan = micro_taper()
    plan_store.save_new_plan(database, plan, "T")
    lived = active_plan(database, TODAY)
    dialog = PlanFormDialog(load_user_catalogue(database), plan, "T", None, TODAY, None, lived)
    qtbot.addWidget(dialog)
    dialog.start_edit.setDate(dialog.start_edit.date().addYears(-1))
    assert dialog.dose_drop_today() is not None
    assert "drops more than one cut" in dialog.preview.text()


def test_a_first_plan_cutting_today_is_shown_before_saving(database) -> None:
    """Found by review: 1 mg -> 0.5 mg from today was saved with no before/after."""
    plan = TaperPlan(
        "clonazepam",
        (DosingTime("daily", 1.0),),
        TODAY,
        ReductionModel.percent(50),
        interval_days=7,
    )
    change = plan_actions.preview_new_plan(database, plan, "First")
    assert change.first_cut_today and change.needs_confirmation
    assert change.lines(change.after.catalogue)[0].startswith(
        "Today is the first cut: from the 1 mg"
    )
    later = replace(plan, start_date=TODAY + dt.timedelta(days=7))
    assert not plan_actions.preview_new_plan(database, later, "First").needs_confirmation


def test_a_first_plan_dated_in_the_past_says_how_far_below_the_start_today_is(
    database,
) -> None:
    """Found by review: a first cut dated two weeks back asked for 1 mg -> 0.81 mg today
    (two cuts at once) with "No warnings"."""
    plan = TaperPlan(
        "clonazepam",
        (DosingTime("morning", 0.5), DosingTime("night", 0.5)),
        TODAY - dt.timedelta(days=14),
        ReductionModel.percent(10),
        rounding_mg=0.005,
    )
    change = plan_actions.preview_new_plan(database, plan, "First", today=TODAY)
    assert change.needs_confirmation and change.today_drops_beyond_pace
    assert round(change.behind_start, 3) == 0.19  # 1 mg -> 0.81 mg
    first = change.lines(change.after.catalogue)[0]
    assert "in the past" in first and "19% below the 1 mg clonazepam" in first
    same_week = replace(plan, start_date=TODAY)
    assert plan_actions.preview_new_plan(database, same_week, "First").behind_start == 0


def test_an_import_names_a_changed_equivalence_and_its_rise(database) -> None:
    """Found by review: an imported ratio raised diazepam 4x, shown as plain text with no
    cause."""
    from taperdesk.core.plan import Crossover
    from taperdesk.store.data_io import export_data

    plan = TaperPlan(
        "clonazepam",
        (DosingTime("daily", 1.0),),
        TODAY - dt.timedelta(days=1),
        ReductionModel.percent(10),
        crossover=Crossover("diazepam", (), 30),
    )
    plan_store.save_new_plan(database, plan, "Switch")
    doc = export_data(database)
    doc["tables"]["user_drugs"] = [
        {"drug_key": "clonazepam", "is_custom": 0, "eq_mg_per_diazepam_10": 0.25,
         "updated_at": "2026-12-01T00:00:00+00:00"}
    ]  # fmt: skip
    found = plan_actions.preview_import(database, doc, source="test.json", today=TODAY)
    assert found.needs_confirmation and found.change.today_rises
    assert found.lines()[0].startswith("The file changes how clonazepam converts: 0.5 mg → 0.25")


def test_a_dangerous_confirmation_defaults_to_cancel(qtbot, monkeypatch) -> None:
    """Return on a -93% confirmation saved it (found by review): careful boxes default to
    Cancel."""
    from PySide6.QtWidgets import QMessageBox

    from taperdesk.ui import dialogs

    defaults: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        defaults.append(box.defaultButton().text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert not dialogs.confirm(None, "t", "x", yes="Save", careful=True)
    assert not dialogs.confirm(None, "t", "x", yes="Save")
    assert defaults[0] != "Save" and defaults[1] == "Save"
