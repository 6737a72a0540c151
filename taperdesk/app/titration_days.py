"""Planned doses by date for measuring them (Titration tab, ``taperdesk titrate``).

Both return ``None`` when there is no active plan. Every day comes from
:meth:`taperdesk.app.lived_plan.LivedPlan.on`; only the drug being tapered is
measured (during a switch stage the other drug's doses are whole tablets).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from taperdesk.store.database import Database


@dataclass(frozen=True)
class PlannedDay:
    """One day of the active plan for the drug being tapered, in mg."""

    day: dt.date
    drug_key: str
    total_mg: float
    doses_mg: tuple[float, ...]  # one per dosing time
    labels: tuple[str, ...] = ()  # the dosing times' names, in the order of doses_mg
    #: Doses of another drug on this day, ``(drug_key, dosing time, mg)``: during a switch
    #: stage a dosing time may still be on the old drug (taken as it is, not measured here).
    other_doses: tuple[tuple[str, str, float], ...] = ()

    def portions(self) -> list[tuple[str, float]]:
        """``(dosing time, mg)`` of each dose taken separately (none for a single daily dose)."""
        if len(self.labels) < 2 or len(self.labels) != len(self.doses_mg):
            return []
        return [(label, mg) for label, mg in zip(self.labels, self.doses_mg, strict=True) if mg > 0]


def planned_doses_between(
    database: Database, start: dt.date, end: dt.date
) -> list[PlannedDay] | None:
    """Planned doses from ``start`` to ``end`` (both included) of the drug being tapered.

    Days outside the plan are left out; ``None`` when there is no plan.
    """
    from taperdesk.app.lived_plan import PlanUnreadable, active_plan

    try:
        lived = active_plan(database)
    except PlanUnreadable:  # the Plan tab says why; here the dose is typed instead
        return None
    if lived is None:
        return None
    return [
        PlannedDay(
            d.day,
            d.taper.drug_key,
            d.taper.total_mg,
            d.taper.doses_mg,
            d.labels,
            tuple(
                (dose.drug_key, dose.label, dose.dose_mg)
                for dose in d.doses()
                if dose.drug_key != d.taper.drug_key and dose.dose_mg > 0
            ),
        )
        for d in lived.days(start, end)
    ]


def planned_dose_for(database: Database, day: dt.date) -> PlannedDay | None:
    """What the active plan gives for ``day`` (total and each dosing time), or ``None``."""
    days = planned_doses_between(database, day, day)
    return days[0] if days else None
