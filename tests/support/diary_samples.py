"""A sample diary day for store, CLI and data-exchange tests."""

from __future__ import annotations

import datetime as dt

from taperdesk.core.diary import DiaryEntry, DoseTaken

D = dt.date(2026, 3, 1)


def entry(day: dt.date = D, mg: float = 0.5, **kw) -> DiaryEntry:
    doses = (
        DoseTaken("morning", "clonazepam", mg, 0.5, "08:00"),
        DoseTaken("night", "clonazepam", mg, 0.5),
    )
    return DiaryEntry(day, doses, kw.pop("ratings", {1: 4, 2: 7}), **kw)
