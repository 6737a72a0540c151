"""Spreadsheet-safe CSV cells (OWASP "CSV Injection").

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula: a note such as ``=HYPERLINK(...)`` would run when a
prescriber opens the export. On export such a cell gets a leading ``'`` (OWASP's
advice); on import a leading ``'`` is removed only when one of those characters follows
it, so every text comes back exactly as it was typed.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The first characters a spreadsheet treats as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as a CSV cell no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[str]:
    return [safe_cell(value) for value in values]


def read_cell(text: str) -> str:
    """The text a :func:`safe_cell` was made from (other cells are left as they are)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
