"""Doses actually taken, from the diary, as the plan's actions and chart need them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from taperdesk.app.lived_plan import LivedPlan
    from taperdesk.app.plan_actions import TakenDose
    from taperdesk.store.database import Database


def doses_taken_on(database: Database, day: dt.date) -> list[TakenDose]:
    """Every dose the diary records for ``day``, each with its drug (empty: none)."""
    from taperdesk.app.plan_actions import TakenDose  # the plan actions: ~6 ms to import
    from taperdesk.store import diary  # not needed to show the window: imported on use

    entry = diary.load_entry(database, day)
    if entry is None:
        return []
    return [TakenDose(d.label, d.drug_key, d.dose_mg) for d in entry.doses]


def taken_for_chart(
    database: Database, lived: LivedPlan, days: Collection[dt.date] | None = None
) -> tuple[dict[dt.date, float], bool]:
    """What the diary says was taken each day, for the plan chart: mg of the drug being
    tapered when the plan only ever used that drug, else the diazepam-equivalent total
    of every drug of the plan (``True``): a crossover day is then not drawn as a drop.
    ``days``: only these days (a diary edit); a day without a dose is absent."""
    keys = {k for r in lived.revisions for k in (r.plan.drug_key, r.plan.taper_drug_key)}
    taper_key = lived.plan.taper_drug_key
    if keys == {taper_key}:
        return daily_totals_taken(database, taper_key, days), False
    catalogue = lived.catalogue.with_overrides(lived.plan.overrides)
    totals: dict[dt.date, float] = {}
    for key in sorted(keys):
        per_10 = catalogue.get(key).mg_per_diazepam_10 if key in catalogue else None
        if per_10 is None:
            continue
        for day, mg in daily_totals_taken(database, key, days).items():
            totals[day] = totals.get(day, 0.0) + mg * 10 / per_10
    return totals, True


def daily_totals_taken(
    database: Database, drug_key: str, days: Collection[dt.date] | None = None
) -> dict[dt.date, float]:
    """``date -> mg of drug_key`` taken, from the diary (of ``days`` only, when given)."""
    from taperdesk.store import diary

    return diary.daily_totals_taken(database, drug_key, days)


def partly_logged(
    lived: LivedPlan | None, days: Sequence[float], dose_counts: Sequence[int], only=None
) -> list[bool]:
    """For each day (a date ordinal) and how many doses it logged: True when it logged
    fewer doses than its plan had (drawn apart on charts, not as a drop in dose).

    Only days that logged fewer doses than the plan's dosing times, or than the most any
    day logged, can be partial: the plan is asked about those few days, not about every
    day of ten years (122 ms). ``only``: the indices to look at (default: all)."""
    marks = [False] * len(days)
    if lived is None or not len(days):
        return marks
    limit = max(max(dose_counts, default=0), len(lived.all_labels))
    first = lived.first_day.toordinal()
    for index in range(len(days)) if only is None else only:
        count = int(dose_counts[index])
        if 0 < count < limit and days[index] >= first:
            planned = lived.on(dt.date.fromordinal(int(days[index])))
            marks[index] = count < sum(1 for dose in planned.doses() if dose.dose_mg > 0)
    return marks
