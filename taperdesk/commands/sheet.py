"""``taperdesk sheet``, ``taperdesk report`` and ``taperdesk overview``: PDFs without a window.

``sheet`` prints weekly dosing sheets (the week containing ``--week``,
default the coming week) for the saved plan, or for a plan given with the
options of ``taperdesk schedule``. ``report`` prints the prescriber report for
a date range of the saved plan and diary; ``overview`` the plan overview.
All render through :mod:`taperdesk.printing`, offscreen when there is no
display.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from taperdesk.commands import CommandContext, CommandError, add_parser
from taperdesk.commands.schedule import add_plan_options

if TYPE_CHECKING:
    from taperdesk.printing.document import PageSize
    from taperdesk.printing.sources import PrintInputs


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sheet``, ``report`` and ``overview``."""
    sheet = add_parser(
        subparsers, "sheet", "Write weekly dosing sheets (one page a week) to a PDF file."
    )
    sheet.add_argument(
        "--week",
        metavar="YYYY-MM-DD",
        help="a day of the first week (default: the coming week, from next Monday)",
    )
    sheet.add_argument("--weeks", metavar="N", help="number of weeks (default 1)")
    sheet.add_argument(
        "--per-page",
        metavar="1|2",
        help="weeks a page: 1, or 2 where two fit (default 1)",
    )
    sheet.add_argument(
        "--measure",
        metavar="HOW",
        help="what each dose says to measure: saved (the Titration tab's method, the "
        "default), liquid, scale, tablets, compounded, or none (only the mg)",
    )
    _add_common(sheet)
    add_plan_options(sheet)
    sheet.set_defaults(handler=run_sheet)

    report = add_parser(
        subparsers, "report", "Write the report for your prescriber (plan and diary) to a PDF."
    )
    report.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day")
    report.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day")
    _add_common(report)
    report.set_defaults(handler=run_report)

    overview = add_parser(
        subparsers, "overview", "Write the plan overview (steps, chart) to a PDF."
    )
    _add_common(overview)
    overview.set_defaults(handler=run_overview)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE.pdf", help="the PDF file to write")
    parser.add_argument("--page", metavar="a4|letter", help="paper size (default: your locale's)")


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"{option}: use a date like 2027-01-04.") from None


def _page(args: argparse.Namespace) -> PageSize:
    from taperdesk.printing.document import PageSize, default_page_size

    if args.page is None:
        return default_page_size()
    try:
        return PageSize(args.page.strip().lower())
    except ValueError:
        raise CommandError("--page: use a4 or letter.") from None


def _output(args: argparse.Namespace) -> Path:
    if args.output is None or not args.output.strip():
        raise CommandError("-o: give the PDF file to write, e.g. -o week.pdf.")
    return Path(args.output).expanduser()


def _saved_inputs(context: CommandContext, plan_options: bool = False) -> PrintInputs:
    from taperdesk.printing.sources import NoPlanError, load_inputs

    try:
        return load_inputs(context.reader())
    except NoPlanError:
        from taperdesk.commands.schedule import NO_SAVED_PLAN

        message = NO_SAVED_PLAN if plan_options else "No saved plan yet: create one in the app."
        raise CommandError(message) from None


def _write(document: object, path: Path, page: PageSize, context: CommandContext) -> int:
    from taperdesk.printing.document import write_pdf

    try:
        pages = write_pdf(document, path, page)  # type: ignore[arg-type]
    except OSError as error:
        raise CommandError(f"-o: {error}", exit_code=1) from None
    context.out.write(f"Wrote {pages} page{'s' if pages != 1 else ''} ({page.label}) to {path}\n")
    return 0


def run_sheet(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.app.lived_plan import PlanUnreadable
    from taperdesk.commands.schedule import plan_from_options
    from taperdesk.core.drugs import load_catalogue
    from taperdesk.core.schedule import PlanRefused, ScheduleTooLongError
    from taperdesk.printing.sources import inputs_for_plan
    from taperdesk.printing.weekly_sheet import (
        MAX_WEEKS,
        WeeklySheetDocument,
        coming_monday,
        week_start,
    )

    path, page = _output(args), _page(args)
    day = _date(args.week, "--week")
    weeks_text = (args.weeks or "1").strip()
    if not weeks_text.isdigit() or not 1 <= int(weeks_text) <= MAX_WEEKS:
        raise CommandError(f"--weeks: give a whole number of weeks from 1 to {MAX_WEEKS}.")
    catalogue = load_catalogue()
    plan = plan_from_options(args, catalogue, context)
    if plan is not None:
        from taperdesk.commands.schedule import note_extended_release

        note_extended_release(args, context)
    try:
        inputs = inputs_for_plan(plan, catalogue) if plan else _saved_inputs(context, True)
    except PlanUnreadable as exc:
        if isinstance(exc.__cause__, ScheduleTooLongError):
            raise CommandError(f"--cut: {exc.__cause__}") from None
        if isinstance(exc.__cause__, PlanRefused):
            raise CommandError(f"--round: {exc.__cause__}") from None
        raise CommandError(str(exc)) from None
    monday = week_start(day) if day else coming_monday()
    end = inputs.schedule.summary.end_date
    if monday > end:
        raise CommandError(
            f"--week: the plan ends on {end.isoformat()}; pick a week up to that day."
        )
    from taperdesk.commands.schedule import write_strong_warnings
    from taperdesk.printing.weekly_sheet import MEASURE_CHOICES, measured_with

    measure = (args.measure or "saved").strip().lower()
    if measure not in MEASURE_CHOICES:
        raise CommandError(f"--measure: use one of {', '.join(MEASURE_CHOICES)}.")
    try:
        inputs = measured_with(inputs, measure)
    except ValueError as error:
        raise CommandError(f"--measure: {error}") from None
    per_page = (args.per_page or "1").strip()
    if per_page not in ("1", "2"):
        raise CommandError("--per-page: give 1 or 2 weeks a page.")
    document = WeeklySheetDocument(inputs, monday, int(weeks_text), int(per_page))
    code = _write(document, path, page, context)
    if document.alone:
        context.out.write(
            f"{document.alone} week{'s' if document.alone != 1 else ''} did not fit two a "
            f"page ({page.label}) and had a page of {'their' if document.alone != 1 else 'its'}"
            " own.\n"
        )
    write_strong_warnings(inputs.lived, context)
    return code


def run_report(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.printing.prescriber_report import MAX_REPORT_DAYS, PrescriberReportDocument
    from taperdesk.printing.sources import load_diary

    path, page = _output(args), _page(args)
    first, last = _date(args.first, "--from"), _date(args.last, "--to")
    if first is None:
        raise CommandError("--from: give the first day of the report, e.g. --from 2027-01-04.")
    if last is None:
        raise CommandError("--to: give the last day of the report, e.g. --to 2027-02-28.")
    if last < first:
        raise CommandError("--to: the last day is before the first (--from).")
    if (last - first).days + 1 > MAX_REPORT_DAYS:
        raise CommandError(f"--to: a report covers at most {MAX_REPORT_DAYS} days.")
    inputs = _saved_inputs(context)
    diary = load_diary(context.reader(), first, last, inputs.plan.taper_drug_key)
    return _write(PrescriberReportDocument(inputs, diary, first, last), path, page, context)


def run_overview(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.printing.plan_overview import PlanOverviewDocument

    path, page = _output(args), _page(args)
    return _write(PlanOverviewDocument(_saved_inputs(context)), path, page, context)
