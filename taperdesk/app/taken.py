"""Doses actually taken, from the diary, as the plan's actions and chart need them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from taperdesk.app.plan_actions import TakenDose

if TYPE_CHECKING:
    from taperdesk.store.database import Database


def doses_taken_on(database: Database, day: dt.date) -> list[TakenDose]:
    """Every dose the diary records for ``day``, each with its drug (empty: none)."""
    from taperdesk.store import diary  # not needed to show the window: imported on use

    entry = diary.load_entry(database, day)
    if entry is None:
        return []
    return [TakenDose(d.label, d.drug_key, d.dose_mg) for d in entry.doses]


def daily_totals_taken(database: Database, drug_key: str) -> dict[dt.date, float]:
    """``date -> mg of drug_key`` taken, from the diary."""
    from taperdesk.store import diary

    return diary.daily_totals_taken(database, drug_key)
