"""The titration tab's adapter to the plan store."""

from __future__ import annotations

import datetime as dt

from taperdesk.ui import titration_plan


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
