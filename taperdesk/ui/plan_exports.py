"""Schedule exports: clipboard TSV, CSV file and an iCalendar file of the cuts.

The CSV is the command line's (``taperdesk schedule --format csv``), so both
front ends write the same file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.measure import format_mg
from taperdesk.core.schedule import Schedule


def schedule_csv(schedule: Schedule, catalogue: DrugCatalogue) -> str:
    from taperdesk.commands.schedule import write_csv

    out = io.StringIO()
    write_csv(schedule, catalogue, out)
    return out.getvalue()


def rows_tsv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Tab-separated text (pastes into a spreadsheet as cells)."""

    def cell(text: str) -> str:
        return text.replace("\t", " ").replace("\n", " ")

    lines = ["\t".join(cell(h) for h in header)]
    lines += ["\t".join(cell(c) for c in row) for row in rows]
    return "\n".join(lines) + "\n"


def _ics_text(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )
    return escaped


def _fold(line: str) -> list[str]:
    """RFC 5545 lines are at most 75 octets; longer ones continue after CRLF + space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return out


def schedule_ics(
    schedule: Schedule,
    catalogue: DrugCatalogue,
    plan_name: str,
    now: dt.datetime | None = None,
) -> str:
    """One all-day VEVENT per cut: its date and the new daily dose."""
    now = now or dt.datetime.now(dt.UTC)
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    start_key = schedule.plan.start_date.strftime("%Y%m%d")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//TaperDesk//Taper plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(plan_name)}",
    ]
    labels = schedule.labels
    for step in schedule.steps:
        if not step.is_cut:
            continue
        drug = catalogue.get(step.drug_key).name
        day = step.start_date
        summary = f"Taper step {step.number}: {format_mg(step.dose_after_mg)} {drug} a day"
        details = [
            f"New daily dose: {format_mg(step.dose_after_mg)} {drug} "
            f"(cut {format_mg(step.cut_mg)}).",
        ]
        if len(labels) > 1:
            details.append(
                ", ".join(
                    f"{label} {format_mg(mg)}"
                    for label, mg in zip(labels, step.doses_after_mg, strict=True)
                )
            )
        details.append(f"Plan: {plan_name}. Check changes with your prescriber.")
        lines += [
            "BEGIN:VEVENT",
            f"UID:taperdesk-{start_key}-r{schedule.plan.revision}-step{step.number}@taperdesk",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(' '.join(details))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
