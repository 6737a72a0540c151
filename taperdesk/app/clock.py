"""The one clock of the plan views: what day it is for the person (tests patch it)."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    """Today's local date."""
    return dt.date.today()
