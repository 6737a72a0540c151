"""The titration tab's adapter to the plan store."""

from __future__ import annotations

import datetime as dt

from taperdesk.app import titration_days as titration_plan


def test_no_active_plan_gives_none(database) -> None:
    assert titration_plan.planned_dose_for(database, dt.date.today()) is None
    today = dt.date.today()
    assert titration_plan.planned_doses_between(database, today, today) is None


def test_a_saved_plan_gives_each_dosing_time(database) -> None:
    from support.printing_samples import sample_plan

    from taperdesk.store.plans import save_new_plan

    start = dt.date.today()
    save_new_plan(database, sample_plan(start_date=start, holds=()), "Taper")
    planned = titration_plan.planned_dose_for(database, start)
    assert planned is not None and planned.labels == ("morning", "night")
    assert planned.portions() == list(zip(planned.labels, planned.doses_mg, strict=True))
    assert abs(sum(planned.doses_mg) - planned.total_mg) < 1e-9


def test_until_the_first_cut_the_plan_gives_its_starting_doses(database) -> None:
    """After a re-plan (or a plan whose first cut is ahead) today is not 'no plan'."""
    from support.printing_samples import sample_plan

    from taperdesk.app.lived_plan import active_plan
    from taperdesk.store.plans import save_new_plan

    today = dt.date.today()
    plan = sample_plan(start_date=today + dt.timedelta(days=10), holds=())
    save_new_plan(database, plan, "Taper")
    planned = titration_plan.planned_dose_for(database, today)
    assert planned is not None and planned.doses_mg == (0.5, 0.5)
    day = active_plan(database).on(today)
    assert day is not None and [d.dose_mg for d in day.doses()] == [0.5, 0.5]
    # Not before the plan existed: a day last month had no plan.
    assert titration_plan.planned_dose_for(database, today - dt.timedelta(days=30)) is None
    assert active_plan(database).on(today - dt.timedelta(days=30)) is None


def test_a_day_logged_in_part_is_told_from_the_plan() -> None:
    """Issue 16 point 6 (the chart's hollow dot): a day that logged one of its two planned
    doses is partly logged; a day with both, or before the plan, is not."""
    import datetime as dt

    from taperdesk.app.lived_plan import new_lived_plan
    from taperdesk.app.taken import partly_logged
    from taperdesk.core.drugs import load_catalogue
    from taperdesk.core.plan_fields import validate_plan_fields

    catalogue = load_catalogue()
    start = dt.date(2026, 11, 1)
    plan, _errors = validate_plan_fields(
        {"drug": "clonazepam", "doses": "morning=0.5,night=0.5", "start": start.isoformat()},
        catalogue=catalogue,
    )
    lived = new_lived_plan(plan, catalogue, start)
    days = [start.toordinal() - 3, start.toordinal(), start.toordinal() + 1]
    assert partly_logged(lived, days, [1, 2, 1]) == [False, False, True]
    assert partly_logged(lived, days, [1, 2, 1], only=[2]) == [False, False, True]
    assert partly_logged(None, days, [1, 1, 1]) == [False, False, False]
