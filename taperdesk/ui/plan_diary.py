"""The Plan tab's one door to the diary: doses actually taken.

Used to prefill "Re-plan from actual" with what was taken and to draw the
doses taken on the plan chart.
"""

from __future__ import annotations

import datetime as dt

from taperdesk.store.database import Database


def doses_taken_on(database: Database, day: dt.date, drug_key: str) -> dict[str, float]:
    """``dosing time -> mg`` of ``drug_key`` the diary records for ``day`` (empty: none)."""
    from taperdesk.store import diary  # not needed to show the window: imported on use

    return diary.doses_taken_on(database, day, drug_key)


def daily_totals_taken(database: Database, drug_key: str) -> dict[dt.date, float]:
    """``date -> mg of drug_key`` taken, from the diary."""
    from taperdesk.store import diary

    return diary.daily_totals_taken(database, drug_key)
