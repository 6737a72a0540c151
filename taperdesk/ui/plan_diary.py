"""The one adapter between the Plan tab and the diary store (which may not exist yet).

The diary store is optional: when ``taperdesk.store.diary`` offers
``doses_taken_on(database, day) -> {label: mg}`` and
``daily_totals_taken(database, drug_key) -> {date: mg}``, the re-plan dialog is
prefilled and the chart shows doses actually taken; otherwise both stay empty.
"""

from __future__ import annotations

import datetime as dt

from taperdesk.store.database import Database


def _diary_module():
    try:
        from taperdesk.store import diary
    except ImportError:
        return None
    return diary


def doses_taken_on(database: Database, day: dt.date) -> dict[str, float]:
    """``label -> mg`` the diary records for ``day`` (empty when unknown)."""
    diary = _diary_module()
    reader = getattr(diary, "doses_taken_on", None)
    if reader is None:
        return {}
    return {str(k): float(v) for k, v in (reader(database, day) or {}).items()}


def daily_totals_taken(database: Database, drug_key: str) -> dict[dt.date, float]:
    """``date -> mg of drug_key`` taken, from the diary (empty when unknown)."""
    diary = _diary_module()
    reader = getattr(diary, "daily_totals_taken", None)
    if reader is None:
        return {}
    return {k: float(v) for k, v in (reader(database, drug_key) or {}).items()}
