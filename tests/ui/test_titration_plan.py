"""The titration tab's adapter to the plan store."""

from __future__ import annotations

import datetime as dt

from taperdesk.ui import titration_plan


def test_no_active_plan_gives_none(database) -> None:
    assert titration_plan.planned_dose_for(database, dt.date.today()) is None
    today = dt.date.today()
    assert titration_plan.planned_doses_between(database, today, today) is None
