"""``taperdesk pharmacy``: the compounding request for the saved plan, as a PDF.

The same page the Titration tab's Compounding page prints: the fewest capsule
strengths making every dose of the plan's drug from ``--from`` for ``--days``
days, their counts, how each dose is made and when, and a box for the
prescriber's signature. Rendered offscreen when there is no display.
"""

from __future__ import annotations

import argparse
import datetime as dt

from taperdesk.commands import CommandContext, CommandError, add_parser
from taperdesk.commands.sheet import _add_common, _date, _output, _page, _saved_inputs, _write


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_parser(
        subparsers,
        "pharmacy",
        "Write the compounding request for your pharmacy (capsule strengths, counts) to a PDF.",
    )
    parser.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day of supply")
    parser.add_argument("--days", metavar="N", help="days of supply (1 to 120)")
    parser.add_argument(
        "--step",
        metavar="MG",
        help="capsule strengths are whole multiples of this (default: the saved "
        "compounding step, else the plan's rounding)",
    )
    parser.add_argument(
        "--max-capsules", metavar="N", help="capsules per dose, at most (1 to 6, default 3)"
    )
    _add_common(parser)
    parser.set_defaults(handler=run)


def _whole(text: str | None, option: str, low: int, high: int, default: int) -> int:
    if text is None:
        return default
    value = text.strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise CommandError(f"{option}: give a whole number from {low} to {high}.")
    return int(value)


def _step(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise CommandError("--step: give the step in mg, e.g. --step 0.005.") from None
    if not 0 < value <= 100:
        raise CommandError("--step: give a step above 0 mg, e.g. --step 0.005.")
    return value


def run(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.core.titration import TitrationInputError
    from taperdesk.printing.pharmacy_request import (
        MAX_SUPPLY_DAYS,
        PharmacyRequestDocument,
        compounding_for,
        other_drug_doses,
        supply_doses,
    )

    path, page = _output(args), _page(args)
    first = _date(args.first, "--from")
    if first is None:
        raise CommandError("--from: give the first day of supply, e.g. --from 2027-01-04.")
    if args.days is None:
        raise CommandError(f"--days: give the days of supply, 1 to {MAX_SUPPLY_DAYS}.")
    days = _whole(args.days, "--days", 1, MAX_SUPPLY_DAYS, 28)
    step = _step(args.step)
    max_capsules = _whole(args.max_capsules, "--max-capsules", 1, 6, 3)
    inputs = _saved_inputs(context)
    try:
        result = compounding_for(inputs, first, days, step, max_capsules)
    except TitrationInputError as error:
        option = {"base_step_mg": "--step", "max_capsules_per_dose": "--max-capsules"}.get(
            error.field, "--from"
        )
        message = error.message
        if error.field == "daily_doses_mg" and "no dose above zero" in message:
            message = "the plan has no dose in these days; pick days within the plan."
        elif error.field == "daily_doses_mg":
            option = "--step"
        raise CommandError(f"{option}: {message}") from None
    drug = inputs.catalogue.get(inputs.plan.taper_drug_key).name
    document = PharmacyRequestDocument(
        result,
        drug,
        first,
        inputs.person_name,
        supply_doses(inputs, first, days),
        inputs.plan.labels,
        other_drug_doses(inputs, first, days),
    )
    code = _write(document, path, page, context)
    _remember_capsules(context, inputs.plan.taper_drug_key, result, first)
    return code


def _remember_capsules(
    context: CommandContext, drug_key: str, result: object, first: dt.date
) -> None:
    """Keep the request's capsule strengths for the weekly sheets (``taperdesk sheet`` and
    the window then say which of them make each dose). Not while the window is open: it
    holds the data folder; the request printed from the window keeps them."""
    from taperdesk.app.settings import remember_capsules
    from taperdesk.errors import KnownError

    try:
        context.lock_for_writing()
        remember_capsules(context.store(), drug_key, result, first)  # type: ignore[arg-type]
    except (CommandError, KnownError):
        context.out.write(
            "The capsule strengths were not kept for the weekly sheets (TaperDesk is open "
            "on this data folder): print the request from the window to keep them.\n"
        )
