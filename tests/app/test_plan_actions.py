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
    assert "(now step 1 of" in " ".join(lines)
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
