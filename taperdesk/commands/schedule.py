"""``taperdesk schedule``: print a taper plan's schedule without opening a window.

Without plan options it prints the saved active plan. With options it builds
a plan from them, validated by the same rules as the GUI form, so a bad value
gets the same sentence, prefixed with the option name.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from taperdesk.commands import CommandContext, CommandError, add_parser

if TYPE_CHECKING:
    from taperdesk.app.lived_plan import LivedPlan
    from taperdesk.core.drugs import DrugCatalogue
    from taperdesk.core.plan import TaperPlan

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
    "switch_parts": "switch_parts",
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
    add(
        "--round",
        metavar="MG",
        help="smallest dose step you can measure (default 0.001), or 'method': the step of "
        "the titration method saved in the Titration tab (a liquid: one syringe graduation)",
    )
    add(
        "--final",
        metavar="MG",
        help="final dose before stopping (default: 5%% / 1 mg diazepam rule)",
    )
    add("--crossover", metavar="DRUG", help="switch to this drug before tapering")
    add(
        "--force",
        action="store_true",
        help="accept a daily dose above the drug's highest labelled daily dose",
    )
    add("--swap-order", metavar="LABEL,...", help="order in which dosing times are switched")
    add("--stage-days", metavar="N", help="days per crossover stage (default 7)")
    add(
        "--switch-parts",
        metavar="N",
        help="move each dose to the new drug in N parts (default 4 for one daily dose, else 1)",
    )


def run(args: argparse.Namespace, context: CommandContext) -> int:
    """Print the schedule; return the exit code."""
    output_format = (args.format or "table").strip().lower()
    if output_format not in _FORMATS:
        raise CommandError("--format: use table, csv or json.")
    lived = lived_plan_for(args, context)
    writer = {"table": write_table, "csv": write_csv, "json": write_json}[output_format]
    writer(lived, context.out)
    write_strong_warnings(lived, context)
    return 0


def write_strong_warnings(lived: LivedPlan, context: CommandContext) -> None:
    """Every STRONG warning of the plan on stderr (the output may go to a file or a pipe,
    where nobody reads it): exit status stays 0, the plan was not refused."""
    for warning in lived.schedule.summary.warnings:
        if warning.severity.value == "strong":
            context.err.write(f"STRONG WARNING: {warning.text}\n")


def lived_plan_for(args: argparse.Namespace, context: CommandContext) -> LivedPlan:
    """The plan the options describe (as if saved today), else the saved active plan."""
    from taperdesk.app import clock
    from taperdesk.app.lived_plan import PlanUnreadable, active_plan, new_lived_plan
    from taperdesk.core.drugs import load_catalogue
    from taperdesk.core.schedule import PlanRefused, ScheduleTooLongError

    catalogue = load_catalogue()
    plan = plan_from_options(args, catalogue, context)
    if plan is not None:
        note_extended_release(args, context)
        try:
            return new_lived_plan(plan, catalogue, clock.today())
        except PlanUnreadable as exc:
            cause = exc.__cause__
            if isinstance(cause, ScheduleTooLongError):
                raise CommandError(f"--cut: {cause}") from None
            if isinstance(cause, PlanRefused):
                raise CommandError(f"--round: {cause}") from None
            raise CommandError(f"--drug: {exc.message}") from None
    try:
        lived = active_plan(context.reader())
    except PlanUnreadable as exc:
        raise CommandError(str(exc)) from None
    if lived is None:
        raise CommandError(NO_SAVED_PLAN)
    return lived


def note_extended_release(args: argparse.Namespace, context: CommandContext) -> None:
    """An extended-release name ("alprazolam XR") plans in mg of the drug; say on stderr
    that such tablets cannot be split or measured in parts."""
    from taperdesk.core.dosage_forms import INTACT_FORM_REASON
    from taperdesk.core.drugs import names_extended_release

    if args.drug and names_extended_release(args.drug):
        context.err.write(f"Note: {args.drug.strip()}: {INTACT_FORM_REASON}\n")


def _method_step_mg(context: CommandContext | None, drug_key: str, single_drug: bool) -> float:
    """The finest step of the saved titration method (``--round method``), when it measures
    ``drug_key`` (alprazolam tablets never round a lorazepam plan)."""
    from taperdesk.app import settings
    from taperdesk.core.titration import TitrationInputError, measurable_step_mg

    method = settings.titration_method(context.reader()) if context is not None else None
    if method is None:
        raise CommandError(
            "--round: no titration method is saved yet; set one up in the Titration tab, "
            "or give the step in mg."
        )
    if drug_key and not method.applies_to(drug_key, single_drug):
        saved = method.drug_key or "another drug"
        raise CommandError(
            f"--round: the saved titration method measures {saved}, not {drug_key}; give the "
            "step in mg, or set up this drug's equipment in the Titration tab."
        )
    try:
        return measurable_step_mg(method)
    except TitrationInputError as error:
        raise CommandError(f"--round: the saved titration method: {error.message}") from None


def plan_from_options(
    args: argparse.Namespace, catalogue: DrugCatalogue, context: CommandContext | None = None
) -> TaperPlan | None:
    """The plan the options describe, ``None`` when no plan option was given.
    ``--round method`` reads the saved titration method through ``context``."""
    from taperdesk.core.plan_fields import validate_plan_fields

    given = {dest for dest in (*_FIELDS, "dose") if getattr(args, dest, None) is not None}
    given.discard("force")
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
    if str(raw.get("round") or "").strip().casefold() == "method":
        found = catalogue.find(str(raw["drug"] or ""))
        measured = found.key if found is not None else ""
        if args.crossover is not None:  # the equipment measures the drug tapered after it
            switched = catalogue.find(str(args.crossover))
            measured = switched.key if switched is not None else measured
        raw["round"] = repr(_method_step_mg(context, measured, args.crossover is None))
    raw["doses"] = args.doses if args.doses is not None else args.dose
    dose_option = "--doses" if args.doses is not None else "--dose"
    if raw["drug"] is None:
        raise CommandError("--drug: name the drug taken now, e.g. --drug clonazepam.")
    if raw["doses"] is None:
        raise CommandError("--dose: give the daily dose in mg, or --doses morning=0.5,night=0.5.")
    if args.crossover is None:
        for dest in ("swap_order", "stage_days", "switch_parts"):
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
    from taperdesk.core.plan_fields import implausible_dose

    question = implausible_dose(plan, catalogue)
    if question and not getattr(args, "force", False):
        raise CommandError(f"{dose_option}: {question} If it is, run again with --force.")
    return plan


# --- output ---------------------------------------------------------------------------------


def write_csv(lived: LivedPlan, out: TextIO) -> None:
    from taperdesk.app.exports import write_csv as write

    write(lived, out)


def write_json(lived: LivedPlan, out: TextIO) -> None:
    from taperdesk.app.exports import write_json as write

    write(lived, out)


def write_table(lived: LivedPlan, out: TextIO) -> None:
    """A readable step-per-row table, then the summary and warnings.

    A daily micro taper's row gives its first and last day's dose ("0.994 → 0.9");
    a switch stage's row names every drug taken.
    """
    from taperdesk.app.exports import csv_places
    from taperdesk.app.plan_steps import (
        drugs_text,
        last_dose_mg,
        lead_in,
        mg_range,
        step_lines,
    )
    from taperdesk.core.measure import align_decimals, format_mg, format_number, format_percent

    plan, schedule, catalogue = lived.plan, lived.schedule, lived.catalogue
    summary = schedule.summary
    places = csv_places(lived)
    drug = catalogue.get(plan.drug_key)
    doses = ""
    if len(plan.dosing_times) > 1:
        parts = ", ".join(f"{t.label} {format_mg(t.dose_mg, places)}" for t in plan.dosing_times)
        doses = f" ({parts})"
    style = "cut and hold" if plan.style.value == "hold" else "daily micro taper"
    out.write(
        f"{drug.name} {format_mg(plan.start_dose_mg, places)} a day{doses}; cut "
        f"{plan.reduction.describe()} every {plan.interval_days} days, {style}; "
        f"first step {plan.start_date.isoformat()}.\n"
    )
    if lived.open_hold is not None:
        out.write(
            f"On hold since {lived.open_hold.start.isoformat()}: the same dose until you resume; "
            "the dates below assume you resume tomorrow.\n"
        )
    out.write("\n")
    header = ["Step", "Start", "End", "Drug", "Dose mg", "By time", "Cut mg", "Cut %", "%/14 d"]
    lines = [header]
    before = lead_in(lived)
    if before is not None:  # from the day the revision was saved to its first cut
        start = before.day.taper
        lines.append(
            [
                "–",
                before.first.isoformat(),
                before.last.isoformat(),
                catalogue.get(start.drug_key).name,
                format_number(start.total_mg, places),
                " + ".join(format_number(d, places) for d in start.doses_mg),
                "",
                "",
                "before the first cut",
            ]
        )
    for line in step_lines(lived):
        s = line.step
        hold = f" (+{s.hold_days} held)" if s.hold_days else ""
        first, last = line.first.taper, line.last.taper
        if line.is_switch and len(line.taken) > 1:  # two drugs: each named, and their eq.
            drug_cell = drugs_text(line.last, catalogue, places)
            dose_cell = f"eq {format_number(line.last.total_diazepam_eq_mg, places)} diazepam"
            by_time = ""
        else:
            drug_cell = catalogue.get(s.drug_key).name + (" (switch)" if line.is_switch else "")
            dose_cell = mg_range(first.total_mg, last.total_mg, places)
            by_time = " + ".join(
                mg_range(a, b, places) for a, b in zip(first.doses_mg, last.doses_mg, strict=True)
            )
        lines.append(
            [
                str(s.number) + ("!" if s.cut_rounded_up else "*" if s.rounding_note else ""),
                s.start_date.isoformat(),
                s.end_date.isoformat() + hold,
                drug_cell,
                dose_cell,
                by_time,
                format_number(s.cut_mg, places) if not line.is_switch else "–",
                format_percent(s.cut_percent) if s.is_cut and not s.is_jump else "–",
                # the last cut to zero is the stop, not a rate (it said "50%" for 28 days)
                "stop"
                if s.is_jump
                else (format_percent(s.effective_rate_percent_per_14_days) if s.is_cut else "–"),
            ]
        )
    # Figures of a column with their decimal points lined up (no trailing zeros added).
    for column in (4, 6):
        shown = align_decimals([line[column] for line in lines[1:]], " ")
        for line, text in zip(lines[1:], shown, strict=True):
            line[column] = text
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        cells = (
            cell.rjust(w) if i in (4, 6) and line is not header else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        out.write("  ".join(cells).rstrip())
        out.write("\n")
    if any(s.rounding_note and not s.cut_rounded_up for s in schedule.steps):
        out.write("* the dose was rounded to a measurable step (details in --format json).\n")
    for s in schedule.steps:
        if s.cut_rounded_up and s.rounding_note:
            out.write(f"! step {s.number}: {s.rounding_note}\n")
    for s in schedule.steps:
        if s.kind.value == "switch" and s.note:
            out.write(f"step {s.number}: {s.note}\n")
    out.write(
        f"\nEnds {summary.end_date.isoformat()} after {summary.duration_days} days "
        f"({format_number(summary.duration_days / 30.44, 1)} months), {summary.step_count} steps; "
        f"largest rate {format_percent(summary.largest_effective_rate_percent_per_14_days)} "
        f"per 14 days; last dose before stopping {format_mg(last_dose_mg(lived), 4)}.\n"
    )
    for warning in summary.warnings:
        out.write(f"{warning.severity.value.upper()}: {warning.text}\n")
