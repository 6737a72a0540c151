"""Plans, revisions and holds round-trip through a real SQLite file."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from taperdesk.core.plan import (
    Crossover,
    CutOrder,
    DosingTime,
    Hold,
    ReductionModel,
    TaperPlan,
    TaperStyle,
    replan_from_actual,
)
from taperdesk.store import plans
from taperdesk.store.database import Database
from taperdesk.store.errors import StoreError
from taperdesk.store.opening import open_user_database

START = dt.date(2027, 1, 4)


def clonazepam_plan() -> TaperPlan:
    return TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5, "21:00")),
        start_date=START,
        reduction=ReductionModel.percent(10),
    )


def full_plan() -> TaperPlan:
    return TaperPlan(
        drug_key="lorazepam",
        dosing_times=(
            DosingTime("morning", 1.0),
            DosingTime("noon", 0.5, "12:30"),
            DosingTime("night", 1.0),
        ),
        start_date=START,
        reduction=ReductionModel.fixed_mg(0.5),
        interval_days=21,
        style=TaperStyle.DAILY_MICRO,
        cut_order=CutOrder(("night", "morning")),
        rounding_mg=0.05,
        final_dose_mg=0.5,
        holds=(Hold(dt.date(2027, 3, 1), dt.date(2027, 3, 10)),),
        crossover=Crossover("diazepam", ("night", "noon", "morning"), 10),
        equivalence_overrides=(("lorazepam", 2.0), ("diazepam", 10.0)),
    )


def test_no_plan_at_first(database: Database) -> None:
    assert plans.load_active_plan(database) is None
    assert plans.load_active_plan_record(database) is None


def test_every_field_round_trips(database: Database) -> None:
    plan = full_plan()
    plan_id = plans.save_new_plan(database, plan, "Lorazepam taper")
    loaded = plans.load_active_plan(database)
    assert loaded == plan
    record = plans.load_active_plan_record(database)
    assert record is not None
    assert (record.plan_id, record.name, record.revision) == (plan_id, "Lorazepam taper", 1)
    assert [r.reason for r in record.revisions] == ["Created"]


def test_new_plan_deactivates_the_old_one_in_one_go(database: Database) -> None:
    first = plans.save_new_plan(database, clonazepam_plan(), "First")
    second = plans.save_new_plan(database, full_plan(), "Second")
    rows = database.query("SELECT id, is_active FROM plans ORDER BY id")
    assert [(r["id"], r["is_active"]) for r in rows] == [(first, 0), (second, 1)]
    assert plans.active_plan_id(database) == second


def test_revisions_are_kept_and_the_newest_is_active(database: Database) -> None:
    plan_id = plans.save_new_plan(database, clonazepam_plan(), "Clonazepam")
    replanned = replan_from_actual(
        clonazepam_plan(), dt.date(2027, 2, 1), {"morning": 0.45, "night": 0.4}
    )
    assert plans.save_revision(database, plan_id, replanned, "Re-planned from actual") == 2
    revisions = plans.load_revisions(database, plan_id)
    assert [r.revision for r in revisions] == [1, 2]
    assert revisions[0].plan == clonazepam_plan()
    latest = plans.load_active_plan(database)
    assert latest == replanned
    assert latest is not None and latest.original_start_dose_mg == 1.0


def test_hold_from_today_and_resume(database: Database) -> None:
    plan_id = plans.save_new_plan(database, clonazepam_plan(), "Clonazepam")
    plans.add_hold(database, plan_id, dt.date(2027, 2, 1))
    plans.add_hold(database, plan_id, dt.date(2027, 2, 3))  # already holding: no second one
    plan = plans.load_active_plan(database)
    assert plan is not None and plan.holds == (Hold(dt.date(2027, 2, 1), None),)
    plans.end_open_hold(database, plan_id, dt.date(2027, 2, 8))
    plan = plans.load_active_plan(database)
    assert plan is not None and plan.holds == (Hold(dt.date(2027, 2, 1), dt.date(2027, 2, 7)),)


def test_resume_on_the_same_day_removes_the_hold(database: Database) -> None:
    plan_id = plans.save_new_plan(database, clonazepam_plan(), "Clonazepam")
    plans.add_hold(database, plan_id, dt.date(2027, 2, 1))
    plans.end_open_hold(database, plan_id, dt.date(2027, 2, 1))
    assert database.query("SELECT count(*) FROM plan_holds")[0][0] == 0


def test_holds_apply_to_every_revision(database: Database) -> None:
    plan_id = plans.save_new_plan(database, clonazepam_plan(), "Clonazepam")
    plans.save_revision(database, plan_id, clonazepam_plan(), "Edited")
    plans.add_hold(database, plan_id, dt.date(2027, 3, 1), dt.date(2027, 3, 5))
    assert all(r.plan.holds for r in plans.load_revisions(database, plan_id))


def test_archive_and_delete(database: Database) -> None:
    plan_id = plans.save_new_plan(database, clonazepam_plan(), "Clonazepam")
    plans.add_hold(database, plan_id, dt.date(2027, 2, 1))
    plans.archive_plan(database, plan_id)
    assert plans.load_active_plan(database) is None
    plans.delete_plan(database, plan_id)
    for table in ("plans", "plan_revisions", "plan_dosing_times", "plan_holds"):
        assert database.query(f"SELECT count(*) FROM {table}")[0][0] == 0


def test_survives_reopening_the_file(isolated_data_dir) -> None:
    db = open_user_database(isolated_data_dir)
    plans.save_new_plan(db, full_plan(), "Lorazepam taper")
    db.close()
    again = open_user_database(isolated_data_dir)
    try:
        assert plans.load_active_plan(again) == full_plan()
    finally:
        again.close()


def test_a_failed_write_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        plans.save_new_plan(database, clonazepam_plan(), "   ")  # CHECK on the name
    assert database.query("SELECT count(*) FROM plans")[0][0] == 0
    assert database.query("SELECT count(*) FROM plan_revisions")[0][0] == 0


def test_a_read_only_file_is_a_known_error(database: Database) -> None:
    database.connection.execute("PRAGMA query_only = ON")
    try:
        with pytest.raises(StoreError):
            plans.save_new_plan(database, clonazepam_plan(), "Clonazepam")
    finally:
        database.connection.execute("PRAGMA query_only = OFF")


def test_revision_of_a_missing_plan(database: Database) -> None:
    with pytest.raises(KeyError):
        plans.save_revision(database, 99, clonazepam_plan(), "Edited")


def test_active_schedule_uses_the_users_catalogue(database) -> None:
    import datetime as dt

    from taperdesk.app.lived_plan import active_plan
    from taperdesk.core.drugs import custom_drug
    from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan
    from taperdesk.store.drugs import custom_drug_key, save_custom_drug
    from taperdesk.store.plans import save_new_plan

    assert active_plan(database) is None
    key = custom_drug_key("Etizolam")
    save_custom_drug(database, custom_drug(key, "Etizolam", 1.0))
    plan = TaperPlan(
        key, (DosingTime("daily", 1.0),), dt.date(2027, 1, 4), ReductionModel.percent(10)
    )
    save_new_plan(database, plan, "Etizolam taper")
    active = active_plan(database, dt.date(2027, 1, 4))
    assert active is not None and active.plan == plan
    first = active.on(dt.date(2027, 1, 4))
    assert first is not None and first.taper.total_mg == 0.9
    assert first.total_diazepam_eq_mg == 9.0
