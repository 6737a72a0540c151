"""``taperdesk schedule``: print a taper plan's schedule without opening a window.

Without plan options it prints the saved active plan. With options it builds
a plan from them, validated by the same rules as the GUI form, so a bad value
gets the same sentence, prefixed with the option name.
"""

from __future__ import annotations

import argparse
import csv
import json
from typing import TYPE_CHECKING, Any, TextIO

from taperdesk.commands import CommandContext, CommandError, add_parser

if TYPE_CHECKING:
    from taperdesk.core.drugs import DrugCatalogue
    from taperdesk.core.plan import TaperPlan
    from taperdesk.core.schedule import Schedule

#: Plan option (argparse dest) -> field name of ``validate_plan_fields``.
_FIELDS: dict[str, str] = {
    "drug": "drug",
    "doses": "doses",
    "start": "start",
    "cut": "cut",
    "every": "every",
    "style": "style",
    "order": "order",
    "round": "round",
    "final": "final",
    "crossover": "crossover",
    "swap_order": "swap_order",
    "stage_days": "stage_days",
}
_FORMATS = ("table", "csv", "json")
NO_SAVED_PLAN = (
    "No saved plan yet: create one in the app or pass plan options such as --drug and --dose."
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schedule`` subcommand."""
    parser = add_parser(
        subparsers, "schedule", "Print the day-by-day schedule of a taper plan (no window)."
    )
    add_plan_options(parser)
    add = parser.add_argument
    add("--format", metavar="table|csv|json", default="table", help="output format")
    parser.set_defaults(handler=run)


def add_plan_options(parser: argparse.ArgumentParser) -> None:
    """Add the plan options (``--drug``, ``--dose``, ``--cut``, ...); shared with ``sheet``."""
    add = parser.add_argument
    # Every value is read as text and checked in run(), so a bad value gives one
    # plain line naming the option (argparse's own errors print a usage block).
    add("--drug", metavar="DRUG", help="drug taken now, e.g. clonazepam")
    add("--dose", metavar="MG", help="current daily dose in mg (one total)")
    add("--doses", metavar="LABEL=MG,...", help="divided doses, e.g. morning=0.5,night=0.5")
    add("--start", metavar="DATE", help="day of the first cut, YYYY-MM-DD (default: today)")
    add("--cut", metavar="N%|Xmg", help="10%% of the current dose, or a fixed 0.1mg per step")
    add("--every", metavar="DAYS", help="days per step (default 14)")
    add("--style", metavar="hold|daily", help="cut and hold (default) or daily micro taper")
    add("--order", metavar="proportional|LABEL,...", help="which dosing time is cut first")
    add("--round", metavar="MG", help="smallest dose step you can measure (default 0.001)")
    add(
        "--final",
        metavar="MG",
        help="final dose before stopping (default: 5%% / 1 mg diazepam rule)",
    )
    add("--crossover", metavar="DRUG", help="switch to this drug before tapering")
    add("--swap-order", metavar="LABEL,...", help="order in which dosing times are switched")
    add("--stage-days", metavar="N", help="days per crossover stage (default 7)")


def run(args: argparse.Namespace, context: CommandContext) -> int:
    """Print the schedule; return the exit code."""
    from taperdesk.core.drugs import load_catalogue
    from taperdesk.core.schedule import ScheduleTooLongError, build_schedule

    output_format = (args.format or "table").strip().lower()
    if output_format not in _FORMATS:
        raise CommandError("--format: use table, csv or json.")
    catalogue = load_catalogue()
    plan = plan_from_options(args, catalogue)
    if plan is None:
        plan, catalogue = _saved_plan(context)
    try:
        schedule = build_schedule(plan, catalogue)
    except ScheduleTooLongError as exc:
        raise CommandError(f"--cut: {exc}") from None
    except KeyError as exc:
        raise CommandError(f"--drug: {exc.args[0]}.") from None
    writer = {"table": write_table, "csv": write_csv, "json": write_json}[output_format]
    writer(schedule, catalogue, context.out)
    return 0


def _saved_plan(context: CommandContext) -> tuple[TaperPlan, DrugCatalogue]:
    """The saved active plan, with the user's catalogue (custom drugs, overrides)."""
    from taperdesk.store.drugs import load_user_catalogue
    from taperdesk.store.plans import load_active_plan

    database = context.store()
    plan = load_active_plan(database)
    if plan is None:
        raise CommandError(NO_SAVED_PLAN)
    return plan, load_user_catalogue(database)


def plan_from_options(args: argparse.Namespace, catalogue: DrugCatalogue) -> TaperPlan | None:
    """The plan the options describe, ``None`` when no plan option was given."""
    from taperdesk.core.plan_fields import validate_plan_fields

    given = {dest for dest in (*_FIELDS, "dose") if getattr(args, dest, None) is not None}
    if not given:
        return None
    if args.dose is not None and args.doses is not None:
        raise CommandError("--dose: give either --dose or --doses, not both.")
    if args.dose is not None and "=" in args.dose:
        raise CommandError("--dose: give one daily total in mg; use --doses for morning=0.5,...")
    for dest in sorted(given):
        if not str(getattr(args, dest)).strip():
            option = "--" + dest.replace("_", "-")
            raise CommandError(f"{option}: give a value (it was empty).")
    raw = {field: getattr(args, dest) for dest, field in _FIELDS.items()}
    raw["doses"] = args.doses if args.doses is not None else args.dose
    dose_option = "--doses" if args.doses is not None else "--dose"
    if raw["drug"] is None:
        raise CommandError("--drug: name the drug taken now, e.g. --drug clonazepam.")
    if raw["doses"] is None:
        raise CommandError("--dose: give the daily dose in mg, or --doses morning=0.5,night=0.5.")
    if args.crossover is None:
        for dest in ("swap_order", "stage_days"):
            if getattr(args, dest) is not None:
                option = "--" + dest.replace("_", "-")
                raise CommandError(f"{option}: only used with --crossover DRUG.")
    plan, errors = validate_plan_fields(
        {k: v for k, v in raw.items() if v is not None}, catalogue=catalogue
    )
    for dest, field in _FIELDS.items():
        if field in errors:
            option = dose_option if field == "doses" else "--" + dest.replace("_", "-")
            raise CommandError(f"{option}: {errors[field]}")
    if plan is None:  # pragma: no cover - every field error is reported above
        raise CommandError(next(iter(errors.values())))
    return plan


# --- output ---------------------------------------------------------------------------------


def _decimals(schedule: Schedule) -> int:
    from taperdesk.core.measure import decimals_for_step

    return max(3, decimals_for_step(schedule.plan.rounding_mg))


def csv_header(schedule: Schedule) -> list[str]:
    """Columns of the CSV export (shared with the GUI's CSV export)."""
    return [
        "date",
        "step",
        "drug",
        "dose_mg",
        "diazepam_eq_mg",
        "hold",
        "cut_day",
        "rate_percent_per_14_days",
        *(f"{label}_mg" for label in schedule.labels),
    ]


def write_csv(schedule: Schedule, catalogue: DrugCatalogue, out: TextIO) -> None:
    """One row per day per drug."""
    from taperdesk.core.measure import format_number

    places = _decimals(schedule)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(schedule))
    for row in schedule.rows:
        writer.writerow(
            [
                row.day.isoformat(),
                row.step_number,
                row.drug_key,
                format_number(row.total_mg, places),
                format_number(row.diazepam_eq_mg, places),
                "yes" if row.hold else "no",
                "yes" if row.is_cut_day else "no",
                format_number(row.effective_rate_percent_per_14_days, 2),
                *(format_number(d, places) for d in row.doses_mg),
            ]
        )


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    """A JSON-ready dict: plan, summary, steps, warnings and daily rows."""
    from taperdesk.core.plan import plan_to_dict

    summary = schedule.summary
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
        "labels": list(schedule.labels),
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
                "doses_after_mg": dict(zip(schedule.labels, s.doses_after_mg, strict=True)),
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
                "date": r.day.isoformat(),
                "step": r.step_number,
                "drug": r.drug_key,
                "dose_mg": r.total_mg,
                "diazepam_eq_mg": r.diazepam_eq_mg,
                "hold": r.hold,
                "cut_day": r.is_cut_day,
                "doses_mg": dict(zip(schedule.labels, r.doses_mg, strict=True)),
            }
            for r in schedule.rows
        ],
    }


def write_json(schedule: Schedule, catalogue: DrugCatalogue, out: TextIO) -> None:
    json.dump(schedule_to_dict(schedule), out, indent=1)
    out.write("\n")


def write_table(schedule: Schedule, catalogue: DrugCatalogue, out: TextIO) -> None:
    """A readable step-per-row table, then the summary and warnings."""
    from taperdesk.core.measure import format_mg, format_number, format_percent

    plan, summary = schedule.plan, schedule.summary
    places = _decimals(schedule)
    drug = catalogue.get(plan.drug_key)
    doses = ""
    if len(plan.dosing_times) > 1:
        parts = ", ".join(f"{t.label} {format_mg(t.dose_mg, places)}" for t in plan.dosing_times)
        doses = f" ({parts})"
    style = "cut and hold" if plan.style.value == "hold" else "daily micro taper"
    out.write(
        f"{drug.name} {format_mg(plan.start_dose_mg, places)} a day{doses}; cut "
        f"{plan.reduction.describe()} every {plan.interval_days} days, {style}; "
        f"first step {plan.start_date.isoformat()}.\n\n"
    )
    header = ["Step", "Start", "End", "Drug", "Dose mg", "By time", "Cut mg", "Cut %", "%/14 d"]
    lines = [header]
    for s in schedule.steps:
        by_time = " + ".join(format_number(d, places) for d in s.doses_after_mg)
        hold = f" (+{s.hold_days} held)" if s.hold_days else ""
        lines.append(
            [
                str(s.number) + ("!" if s.cut_rounded_up else "*" if s.rounding_note else ""),
                s.start_date.isoformat(),
                s.end_date.isoformat() + hold,
                catalogue.get(s.drug_key).name + (" (switch)" if s.kind.value == "switch" else ""),
                format_number(s.dose_after_mg, places),
                by_time,
                format_number(s.cut_mg, places),
                format_percent(s.cut_percent),
                format_percent(s.effective_rate_percent_per_14_days),
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        out.write("\n")
    if any(s.rounding_note and not s.cut_rounded_up for s in schedule.steps):
        out.write("* the dose was rounded to a measurable step (details in --format json).\n")
    for s in schedule.steps:
        if s.cut_rounded_up and s.rounding_note:
            out.write(f"! step {s.number}: {s.rounding_note}\n")
    for s in schedule.steps:
        if s.kind.value == "switch" and s.note:  # the table shows the new drug only
            out.write(f"step {s.number}: {s.note}\n")
    out.write(
        f"\nEnds {summary.end_date.isoformat()} after {summary.duration_days} days "
        f"({format_number(summary.duration_days / 30.44, 1)} months), {summary.step_count} steps; "
        f"largest rate {format_percent(summary.largest_effective_rate_percent_per_14_days)} "
        f"per 14 days; final dose {format_mg(summary.final_dose_mg, places)}.\n"
    )
    for warning in summary.warnings:
        out.write(f"{warning.severity.value.upper()}: {warning.text}\n")
