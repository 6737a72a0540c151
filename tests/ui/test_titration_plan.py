"""The titration tab's adapter to the plan store."""

from __future__ import annotations

import datetime as dt
import sys

from taperdesk.ui import titration_plan


def test_no_active_plan_gives_none(database) -> None:
    assert titration_plan.planned_dose_for(database, dt.date.today()) is None
    today = dt.date.today()
    assert titration_plan.planned_doses_between(database, today, today) is None


def test_missing_store_module_gives_none(database, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "taperdesk.store.plans", None)  # import fails
    assert titration_plan.planned_dose_for(database, dt.date.today()) is None
