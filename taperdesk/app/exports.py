"""Schedule exports, the same for the window and the command line: CSV, JSON,
clipboard TSV and an iCalendar file of the cuts.

Day rows come from :meth:`LivedPlan.all_days` (the revision that applied on each
day, holds, the drugs of a switch stage), so an export states what every screen
states.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any, TextIO

from taperdesk.app.lived_plan import LivedPlan
from taperdesk.app.plan_steps import last_dose_mg
from taperdesk.core.csv_cells import safe_cell, safe_row
from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.measure import DOSE_DECIMALS, decimals_for_step, format_mg, format_number
from taperdesk.core.schedule import Schedule


def csv_places(lived: LivedPlan) -> int:
    """Decimals of exported mg: at least 3, more when the measuring step has them."""
    return max(DOSE_DECIMALS, decimals_for_step(lived.plan.rounding_mg))


def csv_header(labels: Sequence[str]) -> list[str]:
    """Columns of the CSV export."""
    return [
        "date",
        "step",
        "drug",
        "dose_mg",
        "diazepam_eq_mg",
        "hold",
        "cut_day",
        "rate_percent_per_14_days",
        *(f"{label}_mg" for label in labels),
    ]


def write_csv(lived: LivedPlan, out: TextIO) -> None:
    """One row per day per drug, from the first step to the first day at zero."""
    places = csv_places(lived)
    labels = lived.all_labels  # a revision may have other dosing times: each its column
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(safe_row(csv_header(labels)))
    for day in lived.all_days():
        rate = day.step.effective_rate_percent_per_14_days if day.is_cut and day.step else 0.0
        for drug in day.taken_drugs:
            writer.writerow(
                safe_row(
                    [
                        day.day.isoformat(),
                        day.step_number or 0,
                        drug.drug_key,
                        format_number(drug.total_mg, places),
                        format_number(drug.diazepam_eq_mg, places),
                        "yes" if day.hold else "no",
                        "yes" if day.is_cut and drug is day.taper else "no",
                        format_number(rate, 2),
                        *(
                            format_number(day.mg(label, drug.drug_key), places)
                            if day.has_label(label)
                            else ""
                            for label in labels
                        ),
                    ]
                )
            )


def schedule_csv(lived: LivedPlan) -> str:
    out = io.StringIO()
    write_csv(lived, out)
    return out.getvalue()


def schedule_to_dict(lived: LivedPlan) -> dict[str, Any]:
    """A JSON-ready dict: plan, summary, steps, warnings and daily rows."""
    from taperdesk.core.plan import plan_to_dict

    schedule = lived.schedule
    summary = schedule.summary
    labels = list(lived.plan.labels)
    return {
        "plan": plan_to_dict(schedule.plan),
        "summary": {
            "start_date": summary.start_date.isoformat(),
            "end_date": summary.end_date.isoformat(),
            "duration_days": summary.duration_days,
            "step_count": summary.step_count,
            "largest_effective_rate_percent_per_14_days": (
                summary.largest_effective_rate_percent_per_14_days
            ),
            "largest_rate_step": summary.largest_rate_step_number,
            "final_dose_mg": summary.final_dose_mg,
            "final_dose_rule_mg": summary.final_dose_rule_mg,
            "last_dose_mg": last_dose_mg(lived),
        },
        "open_hold": None
        if lived.open_hold is None
        else {
            "since": lived.open_hold.start.isoformat(),
            "note": "The rows keep the dose held until you resume; the steps show the dates "
            "if you resume tomorrow.",
        },
        "warnings": [
            {
                "severity": w.severity.value,
                "step": w.step_number,
                "date": w.day.isoformat() if w.day else None,
                "text": w.text,
            }
            for w in summary.warnings
        ],
        "labels": labels,
        "steps": [
            {
                "step": s.number,
                "kind": s.kind.value,
                "drug": s.drug_key,
                "start_date": s.start_date.isoformat(),
                "end_date": s.end_date.isoformat(),
                "hold_days": s.hold_days,
                "dose_before_mg": s.dose_before_mg,
                "dose_after_mg": s.dose_after_mg,
                "doses_after_mg": dict(zip(labels, s.doses_after_mg, strict=True)),
                "diazepam_eq_after_mg": s.diazepam_eq_after_mg,
                "cut_mg": s.cut_mg,
                "cut_percent": s.cut_percent,
                "effective_rate_percent_per_14_days": s.effective_rate_percent_per_14_days,
                "rounding_note": s.rounding_note,
                "note": s.note,
            }
            for s in schedule.steps
        ],
        "rows": [
            {
                "date": day.day.isoformat(),
                "revision": day.revision,
                "step": day.step_number or 0,
                "drug": drug.drug_key,
                "dose_mg": drug.total_mg,
                "diazepam_eq_mg": drug.diazepam_eq_mg,
                "hold": day.hold,
                "cut_day": day.is_cut and drug is day.taper,
                "doses_mg": dict(zip(day.labels, drug.doses_mg, strict=True)),
            }
            for day in lived.all_days()
            for drug in day.taken_drugs
        ],
    }


def write_json(lived: LivedPlan, out: TextIO) -> None:
    json.dump(schedule_to_dict(lived), out, indent=1)
    out.write("\n")


def rows_tsv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Tab-separated text (pastes into a spreadsheet as cells)."""

    def cell(text: str) -> str:
        return safe_cell(text.replace("\t", " ").replace("\n", " "))

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
