"""``taperdesk titrate``: measure one dose by liquid, scale or tablets.

Prints the same result lines and instruction line as the titration tab. Bad
input raises :class:`CommandError` with one line naming the option.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta

from taperdesk.commands import CommandContext, CommandError, add_parser

#: Core field name -> the option that sets it, so errors name what the user typed.
_OPTION_FOR_FIELD = {
    "tablet_mg": "--tablet-mg",
    "tablet_count": "--tablets",
    "liquid_mg_per_ml": "--liquid-mg-per-ml",
    "volume_ml": "--volume-ml",
    "graduation_ml": "--syringe-ml",
    "dose_mg": "--dose-mg",
    "whole_tablets": "--whole-tablets",
    "tablet_weights_mg": "--tablet-weight-mg",
    "readability_mg": "--readability-mg",
    "strengths": "--drug-strengths",
    "daily_doses_mg": "--dose",
    "base_step_mg": "--step-mg",
    "max_capsules_per_dose": "--max-capsules",
    "supply_days": "--supply-days",
    "tablet_form": "--form",
}

#: --form choices -> the catalogue's dosage form names.
_FORMS = {"ir": "tablet", "odt": "orally disintegrating tablet", "xr": "extended-release tablet"}


def _tablet_form(args: argparse.Namespace):  # -> DosageForm
    from taperdesk.core.dosage_forms import parse_form

    return parse_form(_FORMS[getattr(args, "form", None) or "ir"])


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``titrate`` with its liquid, scale, tablets, daily and compound methods."""
    parser = add_parser(subparsers, "titrate", "Work out how to measure a dose.")
    parser.set_defaults(handler=run)
    methods = parser.add_subparsers(dest="method", metavar="METHOD", required=True)

    def form_option(method_parser: argparse.ArgumentParser) -> None:
        method_parser.add_argument(
            "--form",
            choices=("ir", "odt", "xr"),
            default="ir",
            help="the tablets: immediate-release (ir, default), orally disintegrating (odt) "
            "or extended-release (xr, never crushed, split or suspended)",
        )

    liquid = add_parser(methods, "liquid", "Tablets suspended in liquid, or a commercial liquid.")
    form_option(liquid)
    liquid.add_argument("--tablet-mg", help="strength of one tablet, mg")
    liquid.add_argument("--tablets", help="number of tablets suspended in the mix")
    liquid.add_argument("--liquid-mg-per-ml", help="a commercial liquid's strength instead")
    liquid.add_argument("--volume-ml", required=True, help="volume of the mix, mL")
    liquid.add_argument("--dose-mg", required=True, help="the dose to take, mg")
    liquid.add_argument(
        "--syringe-ml", default="0.1", help="graduation of the measuring device, mL (0.1)"
    )
    liquid.add_argument(
        "--whole-tablets",
        choices=("auto", "none"),
        default="auto",
        help="cover part of the dose with whole tablets (auto) or not (none)",
    )

    scale = add_parser(methods, "scale", "Weigh powder from crushed tablets on a mg scale.")
    form_option(scale)
    scale.add_argument("--tablet-mg", required=True, help="strength of one tablet, mg")
    scale.add_argument(
        "--tablet-weight-mg",
        action="append",
        required=True,
        help="weight of one whole tablet, mg (repeat for several tablets)",
    )
    scale.add_argument("--dose-mg", required=True, help="the dose to take, mg")
    scale.add_argument("--readability-mg", default="1", help="scale readability, mg (1)")

    tablets = add_parser(methods, "tablets", "Combine whole and split tablets.")
    form_option(tablets)
    tablets.add_argument(
        "--drug-strengths",
        required=True,
        help="available strengths, comma-separated; suffix s = scored, q = quarter-scored "
        "(e.g. 0.5s,1,2q)",
    )
    tablets.add_argument("--dose-mg", required=True, help="the dose to take, mg")

    daily = add_parser(methods, "daily", "Day-by-day volumes of a liquid mix.")
    form_option(daily)
    daily.add_argument("--tablet-mg", required=True, help="strength of one tablet, mg")
    daily.add_argument("--tablets", required=True, help="number of tablets in the mix")
    daily.add_argument("--volume-ml", required=True, help="volume of the mix, mL")
    daily.add_argument("--syringe-ml", default="0.1", help="graduation, mL (0.1)")
    daily.add_argument(
        "--dose", help="doses, comma-separated, one per day (default: the active plan)"
    )
    daily.add_argument("--days", default="14", help="days of the active plan to show (14)")

    compound = add_parser(methods, "compound", "The fewest capsule strengths for a period.")
    compound.add_argument("--dose", help="doses, comma-separated (default: the active plan)")
    compound.add_argument("--days", default="30", help="days of the active plan (30)")
    compound.add_argument("--step-mg", default="0.005", help="strength grid, mg (0.005)")
    compound.add_argument("--max-capsules", default="3", help="capsules per dose, at most (3)")
    compound.add_argument("--supply-days", help="days to supply (default: the whole period)")


def _number(args: argparse.Namespace, attribute: str, option: str) -> float:
    from taperdesk.core.titration import TitrationInputError, parse_quantity

    try:
        return parse_quantity(getattr(args, attribute), option)
    except TitrationInputError as error:
        raise CommandError(f"{option}: {error.message}") from None


def _count(args: argparse.Namespace, attribute: str, option: str) -> int:
    value = _number(args, attribute, option)
    if value != int(value):
        raise CommandError(f"{option}: must be a whole number.")
    return int(value)


def _strengths(text: str, form: object = None) -> tuple:
    from dataclasses import replace

    from taperdesk.core.titration import Scoring, TabletStrength, parse_quantity

    suffixes = {"s": Scoring.SCORED, "q": Scoring.QUARTER_SCORED}
    strengths = []
    for item in text.replace(";", " ").replace(",", " ").split():
        scoring = suffixes.get(item[-1].lower(), Scoring.UNSCORED)
        number = item[:-1] if item[-1].lower() in suffixes else item
        strength = TabletStrength(parse_quantity(number, "strengths"), scoring)
        strengths.append(strength if form is None else replace(strength, form=form))
    return tuple(strengths)


#: The longest period --days shows (ten years); dates past year 9999 overflow.
MAX_PERIOD_DAYS = 3650


#: One day of a period: the date, the day's total and each dose taken separately (mg).
PeriodDay = tuple[date, float, tuple[float, ...]]


def _period(args: argparse.Namespace, context: CommandContext) -> tuple[list[PeriodDay], str, str]:
    """Days from --dose (one dose a day), or from the active plan for --days from today,
    the plan's drug name ("" for typed doses), and a line naming the other drug's doses
    taken meanwhile (a switch stage; "" without)."""
    from taperdesk.core.titration import parse_quantity

    today = date.today()
    if args.dose is not None:
        items = args.dose.replace(";", " ").replace(",", " ").split()
        if not items:
            raise CommandError("--dose: give at least one dose.")
        try:
            doses = [parse_quantity(item, "--dose") for item in items]
        except ValueError as error:
            raise CommandError(f"--dose: {getattr(error, 'message', error)}") from None
        return [(today + timedelta(days=i), dose, (dose,)) for i, dose in enumerate(doses)], "", ""
    days = _count(args, "days", "--days")
    if not 1 <= days <= MAX_PERIOD_DAYS:
        raise CommandError(f"--days: give a whole number of days from 1 to {MAX_PERIOD_DAYS}.")
    from taperdesk.app.titration_days import planned_doses_between

    planned = planned_doses_between(context.reader(), today, today + timedelta(days=days - 1))
    if not planned:
        raise CommandError("--dose: there is no active plan for these days; give --dose.")
    days = [
        (p.day, p.total_mg, tuple(mg for mg in p.doses_mg if mg > 0) or (0.0,)) for p in planned
    ]
    return days, _drug_name(context, planned[0].drug_key), _other_doses_line(context, planned)


def _other_doses_line(context: CommandContext, planned: list) -> str:
    """During a switch: the other drug's doses, taken as they are (not measured here)."""
    from taperdesk.core.measure import format_mg

    others = sorted(
        {(p.day, drug, label, mg) for p in planned for drug, label, mg in p.other_doses}
    )
    if not others:
        return ""
    kinds = sorted({(drug, label, mg) for _d, drug, label, mg in others})
    text = ", ".join(
        f"{format_mg(mg, 4)} {_drug_name(context, drug).lower()} {label}"
        for drug, label, mg in kinds
    )
    return (
        f"Also taken from {others[0][0].isoformat()} to {others[-1][0].isoformat()}, not "
        f"measured here: {text}."
    )


def _drug_name(context: CommandContext, drug_key: str) -> str:
    from taperdesk.store.drugs import load_user_catalogue

    catalogue = load_user_catalogue(context.reader())
    return catalogue.get(drug_key).name if drug_key in catalogue else drug_key


def _period_lines(args: argparse.Namespace, context: CommandContext) -> list[str]:
    from taperdesk.core import titration as t
    from taperdesk.core.measure import format_mg, format_ml

    period, drug_name, others = _period(args, context)
    if args.method == "daily":
        mix = t.LiquidMix(
            volume_ml=_number(args, "volume_ml", "--volume-ml"),
            graduation_ml=_number(args, "syringe_ml", "--syringe-ml"),
            tablet_mg=_number(args, "tablet_mg", "--tablet-mg"),
            tablet_count=_count(args, "tablets", "--tablets"),
            tablet_form=_tablet_form(args),
        )
        rows = t.daily_volumes(mix, [(day, total) for day, total, _doses in period])
        drug = f" of {drug_name.lower()}" if drug_name else ""
        lines = [f"Mix{drug}: {mix.describe()}; date, dose, take, remove, delivered"]
        if others:
            lines.append(others)
        if any(len(doses) > 1 for _day, _total, doses in period):
            lines.append(
                "These are whole-day amounts; the plan splits each day into several doses."
            )
        if any(abs(r.delivered_dose_mg - r.target_dose_mg) > 1e-6 for r in rows):
            lines.append(
                "Note: the plan's doses are not whole graduations of this mix, so volumes are "
                "rounded twice; 'schedule --round method' makes each dose what the syringe "
                "measures."
            )
        lines += [
            f"{r.day.isoformat()}  {format_mg(r.target_dose_mg, 4)}  take "
            f"{r.take_text(mix, 3)}  remove {format_ml(r.remove_ml or 0, 3)}  "
            f"delivered {format_mg(r.delivered_dose_mg, 4)}"
            for r in rows
        ]
        return lines
    supply = None if args.supply_days is None else _count(args, "supply_days", "--supply-days")
    result = t.plan_compounding(
        t.CompoundingRequest(
            daily_doses_mg=tuple(doses for _day, _total, doses in period),
            base_step_mg=_number(args, "step_mg", "--step-mg"),
            max_capsules_per_dose=_count(args, "max_capsules", "--max-capsules"),
            supply_days=supply,
            drug_name=drug_name,
        )
    )
    return [
        result.summary,
        result.optimality,
        result.suspension_summary,
        *([others] if others else []),
    ]


def run(args: argparse.Namespace, context: CommandContext) -> int:
    """Compute and print the preparation; return the exit code."""
    from taperdesk.core.titration import TitrationInputError, intact_form_problem

    if args.method in ("liquid", "scale", "daily", "tablets"):
        commercial = getattr(args, "liquid_mg_per_ml", None) is not None
        if commercial and getattr(args, "form", "ir") != "ir":
            raise CommandError("--form: a bought liquid has no tablet form; leave --form out.")
        problem = intact_form_problem(_tablet_form(args))
        if problem and args.method != "tablets":  # said before anything else is looked at
            raise CommandError(f"--form: {problem}")

    try:
        if args.method in ("daily", "compound"):
            lines = _period_lines(args, context)
        else:
            lines = _compute(args)
    except TitrationInputError as error:
        option = _OPTION_FOR_FIELD.get(error.field, error.field)
        if args.method in ("daily", "compound") and error.field == "dose_mg":
            option = "--dose"
        raise CommandError(f"{option}: {error.message}") from None
    for line in lines:
        print(line, file=context.out)
    return 0


def _compute(args: argparse.Namespace) -> list[str]:
    from taperdesk.core import titration as t

    if args.method == "liquid":
        has_liquid = args.liquid_mg_per_ml is not None
        if has_liquid and (args.tablet_mg is not None or args.tablets is not None):
            raise CommandError("--liquid-mg-per-ml: give it instead of --tablet-mg/--tablets.")
        if not has_liquid and (args.tablet_mg is None or args.tablets is None):
            raise CommandError(
                "--tablet-mg: give --tablet-mg and --tablets (or --liquid-mg-per-ml)."
            )
        mix = t.LiquidMix(
            volume_ml=_number(args, "volume_ml", "--volume-ml"),
            graduation_ml=_number(args, "syringe_ml", "--syringe-ml"),
            tablet_mg=None if has_liquid else _number(args, "tablet_mg", "--tablet-mg"),
            tablet_count=None if has_liquid else _count(args, "tablets", "--tablets"),
            liquid_mg_per_ml=(
                _number(args, "liquid_mg_per_ml", "--liquid-mg-per-ml") if has_liquid else None
            ),
            whole_tablets=t.WholeTablets(args.whole_tablets),
            tablet_form=_tablet_form(args),
        )
        result = t.liquid_dose(mix, _number(args, "dose_mg", "--dose-mg"))
        notes = [f"Note: {note}" for note in result.notes]
    elif args.method == "scale":
        weights = []
        for text in args.tablet_weight_mg:
            try:
                weights.append(t.parse_quantity(text, "tablet_weights_mg"))
            except t.TitrationInputError as error:
                raise CommandError(f"--tablet-weight-mg: {error.message}") from None
        setup = t.ScaleSetup(
            tablet_mg=_number(args, "tablet_mg", "--tablet-mg"),
            tablet_weights_mg=tuple(weights),
            readability_mg=_number(args, "readability_mg", "--readability-mg"),
            tablet_form=_tablet_form(args),
        )
        result = t.scale_dose(setup, _number(args, "dose_mg", "--dose-mg"))
        notes = []
    else:
        tablets = t.tablet_combination(
            _strengths(args.drug_strengths, _tablet_form(args)),
            _number(args, "dose_mg", "--dose-mg"),
        )
        return tablets.result_lines()
    lines = result.result_lines()
    lines += [f"Warning: {warning}" for warning in result.warnings]
    lines += notes
    lines.append(f"Instruction: {result.instruction}")
    return lines
