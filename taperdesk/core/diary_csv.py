"""The diary as CSV: one row per day, one column per symptom.

Columns: ``date``, then for each dosing time and drug ``dose: LABEL [DRUG] (mg)``
and ``planned: LABEL [DRUG] (mg)``, then ``wellbeing``, ``sleep_hours``,
``marker``, one column per symptom (by name; blank = not rated), ``notes``,
``deviation_reason``. Decimal commas are accepted on import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence

from taperdesk.core.csv_cells import read_cell, safe_row
from taperdesk.core.diary import (
    DiaryEntry,
    DoseTaken,
    EntryInvalid,
    FieldError,
    parse_day_marker,
    parse_dose_mg,
    parse_entry_date,
    parse_score,
    parse_sleep_hours,
    validate_entry,
)
from taperdesk.core.measure import format_number

FIXED = ("date", "wellbeing", "sleep_hours", "marker", "notes", "deviation_reason")
#: Most columns a diary CSV may have, and new symptoms one file may add: a file with
#: 5,000 unknown columns is not a diary (it silently made 5,000 symptoms).
MAX_COLUMNS = 300
MAX_NEW_SYMPTOMS = 50
_DOSE = re.compile(r"^(dose|planned): (.+) \[(.+)\] \(mg\)$")


class CsvProblems(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def diary_to_csv(entries: Sequence[DiaryEntry], symptom_names: Mapping[int, str]) -> str:
    slots: list[tuple[str, str]] = []
    for entry in entries:
        for dose in entry.doses:
            if (dose.label, dose.drug_key) not in slots:
                slots.append((dose.label, dose.drug_key))
    rated = {sid for e in entries for sid in e.ratings}
    symptom_ids = [sid for sid in symptom_names if sid in rated]
    header = ["date"]
    for label, drug in slots:
        header += [f"dose: {label} [{drug}] (mg)", f"planned: {label} [{drug}] (mg)"]
    header += ["wellbeing", "sleep_hours", "marker"]
    header += [symptom_names[sid] for sid in symptom_ids] + ["notes", "deviation_reason"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: a lone CR is quoted too
    writer.writerow(safe_row(header))
    for entry in entries:
        doses = {(d.label, d.drug_key): d for d in entry.doses}
        row = [entry.entry_date.isoformat()]
        for slot in slots:
            dose = doses.get(slot)
            row.append("" if dose is None else format_number(dose.dose_mg, 6))
            planned = None if dose is None else dose.planned_mg
            row.append("" if planned is None else format_number(planned, 6))
        row += [
            "" if entry.wellbeing is None else str(entry.wellbeing),
            "" if entry.sleep_hours is None else format_number(entry.sleep_hours, 2),
            entry.day_marker,
        ]
        row += [str(entry.ratings[sid]) if sid in entry.ratings else "" for sid in symptom_ids]
        row += [entry.notes, entry.deviation_reason]
        writer.writerow(safe_row(row))
    return out.getvalue()


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM), else Windows-1252 (what Excel
    writes on Windows), else Latin-1 (which reads any byte)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def delimiter_of(text: str) -> str:
    """``,`` or, for a file written where the decimal mark is a comma, ``;`` (or a tab):
    whichever the header line is split by."""
    header = text.lstrip("\ufeff").split("\n", 1)[0].split("\r", 1)[0]
    return next((d for d in (",", ";", "\t") if d in header), ",")


def _reader(text: str):  # -> csv reader
    stream = io.StringIO(text.lstrip("\ufeff"), newline="")
    return csv.reader(stream, delimiter=delimiter_of(text), strict=True)


def csv_dates(text: str) -> list[str]:
    """The ``date`` cells of a diary CSV (for asking about days already in the diary)."""
    try:
        rows = list(_reader(text))
    except csv.Error:
        return []
    if not rows:
        return []
    header = [read_cell(h.strip()) for h in rows[0]]
    if "date" not in header:
        return []
    column = header.index("date")
    return [row[column].strip() for row in rows[1:] if len(row) > column]


def symptom_columns(text: str) -> list[str]:
    """The header's symptom columns (neither fixed nor dose columns); empty if unreadable
    or when the header has no ``date`` column (not a diary)."""
    try:
        header = next(_reader(text))
    except (StopIteration, csv.Error):
        return []
    if "date" not in (read_cell(h.strip()) for h in header):
        return []
    names = [read_cell(h.strip()) for h in header]
    return [n for n in names if n and n not in FIXED and not _DOSE.match(n)]


def diary_from_csv(text: str, symptom_ids_by_name: Mapping[str, int]) -> list[DiaryEntry]:
    """Parse and check every row; raise :class:`CsvProblems` naming each bad line."""
    by_name = {k.casefold(): v for k, v in symptom_ids_by_name.items()}
    reader = _reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvProblems(["line 1: the file is empty"]) from None
    except csv.Error as error:
        raise CsvProblems([f"line 1: {error}"]) from None
    problems: list[str] = []
    header = [read_cell(h.strip()) for h in header]
    if len(header) > MAX_COLUMNS:
        raise CsvProblems([f"line 1: {len(header):,} columns; a diary has at most "
                           f"{MAX_COLUMNS} (is this a TaperDesk diary CSV?)"])  # fmt: skip
    if "date" not in header:
        problems.append("line 1: there is no 'date' column")
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        problems.append(f"line 1: column(s) listed twice: {', '.join(duplicates)}")
    for name in header:
        if name not in FIXED and not _DOSE.match(name) and name.casefold() not in by_name:
            problems.append(f"line 1: unknown column '{name}' (not a symptom in your list)")
    if problems:
        raise CsvProblems(problems)
    entries: list[DiaryEntry] = []
    seen: dict[str, int] = {}
    for row in _rows(reader, problems):
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"line {line}: {len(row)} values for {len(header)} columns")
            continue
        cells = dict(zip(header, (read_cell(cell) for cell in row), strict=True))
        try:
            entry = _entry(cells, by_name)
            validate_entry(entry)
        except FieldError as error:
            problems.append(f"line {line}: {error.field}: {error.message}")
            continue
        except EntryInvalid as error:
            problems.append(f"line {line}: {error}")
            continue
        day = entry.entry_date.isoformat()
        if day in seen:
            problems.append(f"line {line}: {day} is already on line {seen[day]}")
            continue
        seen[day] = line
        entries.append(entry)
    if problems:
        raise CsvProblems(problems)
    return entries


def _rows(reader, problems: list[str]):  # a csv reader
    """The rows; a row the csv module cannot read (a 200,000-character value, a quote
    never closed) ends the file with a problem naming its line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            text = str(error)
            if "field larger than field limit" in text:
                text = f"a value is longer than {csv.field_size_limit():,} characters"
            problems.append(f"line {reader.line_num}: {text}")
            return


def _entry(cells: Mapping[str, str], by_name: Mapping[str, int]) -> DiaryEntry:
    day = parse_entry_date(cells["date"], "date")
    doses: dict[tuple[str, str], dict[str, float]] = {}
    ratings: dict[int, int] = {}
    for name, value in cells.items():
        match = _DOSE.match(name)
        if match and value.strip():
            kind, label, drug = match.groups()
            doses.setdefault((label, drug), {})[kind] = parse_dose_mg(value, name)
        elif name not in FIXED and not match and value.strip():
            ratings[by_name[name.casefold()]] = parse_score(value, name)
    taken = tuple(
        DoseTaken(label, drug, values["dose"], values.get("planned"))
        for (label, drug), values in doses.items()
        if "dose" in values
    )
    wellbeing = cells.get("wellbeing", "").strip()
    sleep = cells.get("sleep_hours", "").strip()
    return DiaryEntry(
        entry_date=day,
        doses=taken,
        ratings=ratings,
        wellbeing=parse_score(wellbeing, "wellbeing") if wellbeing else None,
        sleep_hours=parse_sleep_hours(sleep) if sleep else None,
        day_marker=parse_day_marker(cells.get("marker", "") or "neutral", "marker"),
        notes=cells.get("notes", ""),
        deviation_reason=cells.get("deviation_reason", ""),
    )
