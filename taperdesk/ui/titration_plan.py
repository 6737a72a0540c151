"""The titration tab's one door to the plan: planned doses by date.

Both return ``None`` when there is no active plan. The schedule comes from
:func:`taperdesk.store.plans.load_active_schedule`, with the user's catalogue.
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

    def portions(self) -> list[tuple[str, float]]:
        """``(dosing time, mg)`` of each dose taken separately (none for a single daily dose)."""
        if len(self.labels) < 2 or len(self.labels) != len(self.doses_mg):
            return []
        return [(label, mg) for label, mg in zip(self.labels, self.doses_mg, strict=True) if mg > 0]


def _active(database: Database):
    from taperdesk.store.plans import load_active_schedule

    return load_active_schedule(database)


def planned_doses_between(
    database: Database, start: dt.date, end: dt.date
) -> list[PlannedDay] | None:
    """Planned doses from ``start`` to ``end`` (both included) of the drug being tapered.

    Days outside the plan are left out; ``None`` when there is no plan.
    """
    active = _active(database)
    if active is None:
        return None
    days = []
    day = start
    while day <= end:
        planned = active.planned_on(day)  # with the days before the first cut
        row = planned.row_for() if planned else None
        if row is not None:
            days.append(
                PlannedDay(
                    day, row.drug_key, row.total_mg, tuple(row.doses_mg), tuple(planned.labels)
                )
            )
        day += dt.timedelta(days=1)
    return days


def planned_dose_for(database: Database, day: dt.date) -> PlannedDay | None:
    """What the active plan gives for ``day`` (total and each dosing time), or ``None``."""
    days = planned_doses_between(database, day, day)
    return days[0] if days else None
