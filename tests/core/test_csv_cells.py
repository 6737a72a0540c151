"""Spreadsheet formulas in exported CSV (issue 15 point 5; OWASP "CSV Injection")."""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import given
from hypothesis import strategies as st

from taperdesk.core.csv_cells import read_cell, safe_cell
from taperdesk.core.diary import DiaryEntry
from taperdesk.core.diary_csv import diary_from_csv, diary_to_csv

HOSTILE = ['=HYPERLINK("http://x","click")', "@SUM(A1:A2)", "+cmd|' /C calc'!A0", "-2+3",
           "\t=1+1", "\r=1+1"]  # fmt: skip


def test_every_formula_start_is_neutralised_on_export() -> None:
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    for harmless in ("calm morning", "'quoted", "2+2", ""):
        assert safe_cell(harmless) == harmless


def test_the_diary_export_neutralises_notes_and_symptom_names_and_reads_them_back() -> None:
    entries = [
        DiaryEntry(dt.date(2026, 12, 1) + dt.timedelta(days=i), (), {1: 2}, notes=text)
        for i, text in enumerate(HOSTILE)
    ]
    names = {1: "=EVIL()"}
    exported = diary_to_csv(entries, names)
    cells = [cell for row in csv.reader(io.StringIO(exported, newline="")) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert diary_from_csv(exported, {"=EVIL()": 1}) == entries


@given(st.text(max_size=30))
def test_read_cell_undoes_safe_cell(text: str) -> None:
    assert read_cell(safe_cell(text)) == text
