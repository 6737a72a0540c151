"""Hostile files for import: every kind issue 15 names, made from a real export.

``json_cases(base)`` and ``csv_cases()`` return ``(name, bytes)`` pairs. Each is
something a person could be handed or a sync tool could produce; none may stop the
app from starting or any command from running.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]


def _dump(doc: Any, **kwargs: Any) -> bytes:
    return json.dumps(doc, **kwargs).encode("utf-8")


def _edit(base: Doc, change: Callable[[Doc], None]) -> bytes:
    doc = copy.deepcopy(base)
    change(doc)
    return _dump(doc)


def _first(doc: Doc, table: str) -> dict[str, Any]:
    return doc["tables"][table][0]


def _set(table: str, field: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        _first(doc, table)[field] = value

    return change


def _setting(key: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc["tables"]["settings"] = [
            {"key": key, "value_json": json.dumps(value), "updated_at": "2026-12-01T00:00:00+00:00"}
        ]

    return change


_NESTED_NOTES = b'"notes": ' + b"[" * 50_000 + b"1" + b"]" * 50_000


def _two_active(doc: Doc) -> None:
    plan = copy.deepcopy(_first(doc, "plans"))
    plan["id"], plan["name"] = 2, "Second"
    doc["tables"]["plans"].append(plan)
    revision = copy.deepcopy(_first(doc, "plan_revisions"))
    revision["id"], revision["plan_id"] = 2, 2
    doc["tables"]["plan_revisions"].append(revision)
    for time in list(doc["tables"]["plan_dosing_times"]):
        doc["tables"]["plan_dosing_times"].append({**time, "revision_id": 2})


def _long_plan(doc: Doc) -> None:
    """Within every column's range, but 1 mg cut by 0.0001 mg a year: over 230 years."""
    revision = _first(doc, "plan_revisions")
    revision.update(reduction_model="fixed", reduction_value=0.0001, interval_days=365,
                    rounding_mg=0.0001)  # fmt: skip


def _unknown_crossover(doc: Doc) -> None:
    _first(doc, "plan_revisions").update(crossover_drug_key="unobtainium", crossover_stage_days=7)


def _huge_ids(doc: Doc) -> None:
    huge = 2**62
    _first(doc, "diary_entries")["id"] = huge
    for table in ("doses_taken", "symptom_ratings"):
        for record in doc["tables"][table]:
            record["entry_id"] = huge


def _duplicate_dates(doc: Doc) -> None:
    entry = copy.deepcopy(_first(doc, "diary_entries"))
    entry["id"] = 99
    doc["tables"]["diary_entries"].append(entry)


def _many_errors(doc: Doc) -> None:
    for index in range(300):
        doc["tables"]["diary_entries"].append(
            {"id": 1000 + index, "entry_date": "2026-02-30", "day_marker": 7, "notes": None}
        )


def _big_file(doc: Doc) -> None:
    first = dt.date(1990, 1, 1)
    doc["tables"]["diary_entries"] = [
        {**_first(doc, "diary_entries"), "id": 10 + i,
         "entry_date": (first + dt.timedelta(days=i)).isoformat(), "notes": "x" * 5000}
        for i in range(10_500)
    ]  # fmt: skip
    doc["tables"]["doses_taken"] = []
    doc["tables"]["symptom_ratings"] = []


HOSTILE_SYMPTOMS = [
    '=HYPERLINK("http://x","y")',
    "<b>bold</b>",
    "a\x00b",
    "\u202eevil",
    "x" * 10_000,
]


def json_cases(base: Doc) -> list[tuple[str, bytes]]:
    """Every JSON kind of issue 15, built on ``base`` (an export with a plan and a day)."""
    text = _dump(base)
    cases: list[tuple[str, bytes]] = [
        ("malformed", text[: len(text) // 2]),
        ("empty", b""),
        ("binary", bytes(random.Random(15).randrange(256) for _ in range(4096))),
        ("utf-16", json.dumps(base).encode("utf-16")),
        ("utf-8-bom", b"\xef\xbb\xbf" + text),
        ("list-at-top", _dump([base])),
        ("huge-integer-dose", _edit(base, _set("doses_taken", "dose_mg", 10**30))),
        ("1e400", text.replace(b'"dose_mg": 0.5', b'"dose_mg": 1e400', 1)),
        ("negative-dose", _edit(base, _set("doses_taken", "dose_mg", -0.5))),
        ("nan", _edit(base, _set("doses_taken", "dose_mg", float("nan")))),
        ("infinity", _edit(base, _set("plan_dosing_times", "dose_mg", float("inf")))),
        ("minus-infinity", _edit(base, _set("doses_taken", "dose_mg", float("-inf")))),
        ("deep-nesting-file", b"[" * 100_000 + b"]" * 100_000),
        ("deep-nesting-field", text.replace(b'"notes": "ok"', _NESTED_NOTES, 1)),
        ("date-as-number", _edit(base, _set("diary_entries", "entry_date", 20261102))),
        ("severity-as-text", _edit(base, _set("symptom_ratings", "severity", "3"))),
        ("severity-as-float", _edit(base, _set("symptom_ratings", "severity", 3.5))),
        ("flag-as-text", _edit(base, _set("plans", "is_active", "yes"))),
        ("tables-as-list", _edit(base, lambda d: d.update(tables=list(d["tables"].values())))),
        (
            "record-as-list",
            _edit(
                base,
                lambda d: d["tables"]["diary_entries"].__setitem__(
                    0, list(_first(d, "diary_entries").values())
                ),
            ),
        ),
        ("duplicate-dates", _edit(base, _duplicate_dates)),
        ("unknown-drug-in-dose", _edit(base, _set("doses_taken", "drug_key", "unobtainium"))),
        ("unknown-drug-in-plan", _edit(base, _set("plan_revisions", "drug_key", "unobtainium"))),
        ("unknown-drug-in-crossover", _edit(base, _unknown_crossover)),
        *[
            (f"hostile-symptom-{i}", _edit(base, _set("symptoms", "name", name)))
            for i, name in enumerate(HOSTILE_SYMPTOMS)
        ],
        ("setting-safety-version", _edit(base, _setting("safety.acknowledged_version", "x"))),
        ("setting-geometry", _edit(base, _setting("window.geometry", "abc"))),
        ("setting-chart-symptoms", _edit(base, _setting("diary.chart_symptoms", "anxiety"))),
        ("setting-titration-method", _edit(base, _setting("titration.method", [1, 2]))),
        ("setting-current-tab", _edit(base, _setting("window.tab", "Plan"))),
        ("setting-reminders", _edit(base, _setting("diary.reminders", {"at": 5}))),
        (
            "setting-bad-json",
            _edit(
                base,
                lambda d: d["tables"].update(
                    settings=[{"key": "window.tab", "value_json": "{not json", "updated_at": "x"}]
                ),
            ),
        ),
        ("230-year-plan", _edit(base, _long_plan)),
        ("no-dosing-times", _edit(base, lambda d: d["tables"].update(plan_dosing_times=[]))),
        ("huge-ids", _edit(base, _huge_ids)),
        ("dangling-foreign-key", _edit(base, _set("doses_taken", "entry_id", 999))),
        ("unknown-table", _edit(base, lambda d: d["tables"].update(photos=[{"id": 1}]))),
        ("unknown-field", _edit(base, _set("diary_entries", "mood_colour", "blue"))),
        ("30-february", _edit(base, _set("diary_entries", "entry_date", "2026-02-30"))),
        ("newer-schema", _edit(base, lambda d: d.update(schema_version=99))),
        ("two-active-plans", _edit(base, _two_active)),
        ("20001-character-note", _edit(base, _set("diary_entries", "notes", "n" * 20_001))),
        ("many-errors", _edit(base, _many_errors)),
        ("another-apps-json", _dump({"name": "photos", "items": [1, 2, 3]})),
        ("50-mb", _edit(base, _big_file)),
    ]
    return cases


def csv_cases() -> list[tuple[str, bytes]]:
    """Every CSV kind of issue 15."""
    good = "date,wellbeing,notes\n2026-11-20,6,calm day\n"
    return [
        ("cp1252", "date,wellbeing,notes\n2026-11-20,6,café – naïve “quotes”\n".encode("cp1252")),
        ("latin-1", "date,notes\n2026-11-20,été\n".encode("latin-1")),
        ("bom", b"\xef\xbb\xbf" + good.encode()),
        ("semicolons", b"date;wellbeing;notes\n2026-11-20;6;calm\n"),
        ("semicolons-decimal-commas", b"date;sleep_hours;notes\n2026-11-20;7,5;calm\n"),
        ("formula-cells", b'date,notes,=cmd()\n2026-11-20,=HYPERLINK("x"),3\n'),
        ("nul-bytes", b"date,notes\n2026-11-20,a\x00b\n"),
        ("200000-character-field", b"date,notes\n2026-11-20," + b"x" * 200_000 + b"\n"),
        ("empty", b""),
        ("header-only", b"date,wellbeing,notes\n"),
        ("cr-only", good.replace("\n", "\r").encode()),
        ("bad-values", b"date,wellbeing,sleep_hours\n2026-11-20,eleven,-3\n"),
        ("unterminated-quote", b'date,notes\n2026-11-20,"never closed\n'),
        (
            "5000-symptom-columns",
            (
                "date,"
                + ",".join(f"symptom {i}" for i in range(5000))
                + "\n2026-11-20"
                + ",1" * 5000
                + "\n"
            ).encode(),
        ),
        ("duplicate-dates", (good + "2026-11-20,5,again\n").encode()),
        ("before-1970", b"date,notes\n1969-07-20,moon\n"),
    ]
