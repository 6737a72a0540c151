"""The diary's only door to the taper plan.

Everything the Diary tab needs from the plan (planned doses of a day, whether
the taper has reached zero, "Hold" and "Re-plan from actual") goes through the
functions here, so the diary works without a plan, and without the plan code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from taperdesk.store.database import Database


@dataclass(frozen=True, slots=True)
class PlannedDose:
    """What the plan says for one dosing time and drug on a day (mg)."""

    label: str
    drug_key: str
    planned_mg: float
    clock_time: str | None = None


@dataclass(frozen=True, slots=True)
class PlanDay:
    doses: tuple[PlannedDose, ...]
    #: Days since the taper reached zero (0 = the first day at zero); None before that.
    days_since_zero: int | None
    hold: bool = False


_cache: dict[str, Any] = {}


def _schedule(database: Database) -> tuple[Any, Any] | None:
    """(plan, schedule) of the active plan, or None when there is none or it cannot be computed."""
    from taperdesk.store.plans import load_active_plan, load_active_schedule

    plan = load_active_plan(database)
    if plan is None:
        return None
    if _cache.get("plan") != plan:
        try:
            active = load_active_schedule(database)
        except (KeyError, ValueError):
            return None
        if active is None:
            return None
        _cache.clear()
        _cache.update(plan=plan, schedule=active.schedule, active=active)
    return plan, _cache["schedule"]


def plan_day(database: Database, day: dt.date) -> PlanDay | None:
    """The plan's doses for ``day``, or None when there is no plan or it has not started."""
    found = _schedule(database)
    if found is None:
        return None
    plan, schedule = found
    clock = {t.label: t.clock_time for t in plan.dosing_times}
    end = schedule.summary.end_date
    planned = _cache["active"].planned_on(day)  # with the days before the first cut
    if planned is None:
        if day <= end:
            return None
        labels = schedule.labels
        zero = tuple(PlannedDose(lb, plan.taper_drug_key, 0.0, clock.get(lb)) for lb in labels)
        return PlanDay(zero, (day - end).days)
    doses: list[PlannedDose] = []
    for row in planned.rows:
        for label, mg in zip(planned.labels, row.doses_mg, strict=True):
            if mg > 0 or len(planned.rows) == 1:
                doses.append(PlannedDose(label, row.drug_key, float(mg), clock.get(label)))
    if not doses:
        last = planned.rows[-1]
        doses = [PlannedDose(lb, last.drug_key, 0.0, clock.get(lb)) for lb in planned.labels]
    since = (day - end).days if day >= end and planned.total_mg() == 0 else None
    return PlanDay(tuple(doses), since, planned.hold)


def planned_doses_for(database: Database, day: dt.date) -> list[PlannedDose] | None:
    """Planned doses of ``day`` (one per dosing time and drug), or None without a plan."""
    found = plan_day(database, day)
    return list(found.doses) if found else None


def reminder_times(database: Database) -> list[tuple[str, str]]:
    """(label, "HH:MM") of the active plan's dosing times that have a clock time."""
    found = _schedule(database)
    if found is None:
        return []
    return [(t.label, t.clock_time) for t in found[0].dosing_times if t.clock_time]


def hold_from(database: Database, day: dt.date) -> bool:
    """Start an open hold on the active plan from ``day``.

    False (and nothing changed) without a plan, or when a hold is already open.
    """
    from taperdesk.store.plans import active_plan_id, add_hold, load_active_plan

    plan_id = active_plan_id(database)
    if plan_id is None:
        return False
    plan = load_active_plan(database)
    if plan is not None and plan.open_hold is not None:
        return False
    add_hold(database, plan_id, day, None, note="Hold chosen in the diary")
    _cache.clear()
    return True


def replan_from_actual(database: Database, day: dt.date, doses_by_label: dict[str, float]) -> bool:
    """Save a new plan revision that starts from the doses logged on ``day``.

    Raises ValueError (with a sentence for the person) when the logged doses do
    not fit the plan's dosing times; False without a plan.
    """
    from taperdesk.core.plan import replan_from_actual as replan
    from taperdesk.store.plans import active_plan_id, load_active_plan, save_revision

    plan = load_active_plan(database)
    plan_id = active_plan_id(database)
    if plan is None or plan_id is None:
        return False
    new_plan = replan(plan, day, doses_by_label)
    save_revision(database, plan_id, new_plan, f"Re-planned from the diary of {day.isoformat()}")
    _cache.clear()
    return True
