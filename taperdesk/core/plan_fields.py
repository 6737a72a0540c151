"""Field-level validation of a plan typed as text (GUI form or command line).

Both front ends pass the raw strings to :func:`validate_plan_fields` and show
each message next to its field (the CLI prefixes the option name), so the
rules and their wording live in one place. Messages say what is allowed.

Field names (keys of ``raw``), all optional except ``drug`` and ``doses``:

======================  ====================================================
``drug``                catalogue key, e.g. ``clonazepam``
``doses``               ``"1"`` (one daily total) or ``"morning=0.5,night=0.5"``;
                        a time may follow ``@``: ``"morning=0.5@08:00"``
``start``               ``YYYY-MM-DD``, the day of the first cut (default today)
``cut``                 ``"10%"`` or ``"0.1mg"``; a plain number needs ``cut_model``
``cut_model``           ``percent`` or ``fixed_mg``
``every``               interval in days
``style``               ``hold`` or ``daily``
``order``               ``proportional`` or ``morning,night``
``round``               smallest measurable step in mg
``final``               final dose in mg (blank: default rule)
``crossover``           drug key to switch to (blank: none)
``swap_order``          dosing times in switching order
``stage_days``          days per crossover stage
``switch_parts``        parts each dose moves in (blank: 4 with one dosing time, else 1)
``equivalence``         mg of the plan's drug ~ diazepam 10 mg (blank: catalogue)
``crossover_equivalence``  the same for the crossover drug
======================  ====================================================

Decimal commas are accepted (``"0,5"`` is 0.5).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from taperdesk.core.drugs import DrugCatalogue, convert_dose_mg
from taperdesk.core.measure import (
    format_mg,
    format_number,
    format_percent,
    parse_decimal,
    round_to_step,
)
from taperdesk.core.plan import (
    DEFAULT_ROUNDING_MG,
    MAX_DOSING_TIMES,
    MAX_SWITCH_PARTS,
    Crossover,
    CutOrder,
    DosingTime,
    ReductionModel,
    TaperPlan,
    TaperStyle,
)

MIN_CUT_PERCENT = 0.5
MAX_CUT_PERCENT = 50.0
MAX_DOSE_MG = 1000.0
MIN_ROUNDING_MG = 0.00001
MAX_ROUNDING_MG = 10.0
MAX_INTERVAL_DAYS = 365
MAX_STAGE_DAYS = 90
#: Parts a single daily dose moves to the new drug in by default: a quarter a stage.
DEFAULT_SINGLE_DOSE_PARTS = 4
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
DEFAULT_LABEL = "daily"

_LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9 _-]{0,29}$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class FieldError(ValueError):
    """A single field's problem, as the sentence shown next to it."""


class PlanValidation(NamedTuple):
    """Result of :func:`validate_plan_fields`: a plan, or messages by field name."""

    plan: TaperPlan | None
    errors: dict[str, str]


def _without_mg(text: str) -> str:
    """A dose typed with its unit ("1.5 mg", "0.5mg") is the number: the box says mg."""
    stripped = text.strip()
    return stripped[:-2].rstrip() if stripped.lower().endswith("mg") else stripped


def parse_number(text: str, allowed: str) -> float:
    """A finite number from typed text (``"0,5"`` or ``"0.5"``).

    ``allowed`` finishes the message, e.g. ``"Cut must be between 0.5% and 50%"``.
    """
    try:
        return parse_decimal(text)
    except ValueError:
        shown = text.strip() or "(empty)"
        raise FieldError(f"{shown!s} is not a number. {allowed}.") from None


def parse_in_range(
    text: str, low: float, high: float, allowed: str, *, low_open: bool = False
) -> float:
    """Parse and check ``low <= value <= high`` (``low < value`` with ``low_open``)."""
    value = parse_number(text, allowed)
    if value > high or value < low or (low_open and value <= low):
        raise FieldError(f"{allowed}.")
    return value


def parse_whole(text: str, low: int, high: int, allowed: str) -> int:
    """A whole number in ``[low, high]``."""
    value = parse_number(text, allowed)
    if value != int(value) or not low <= value <= high:
        raise FieldError(f"{allowed}.")
    return int(value)


def parse_date(text: str, allowed: str) -> dt.date:
    """An ISO date between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise FieldError(f"{text.strip() or '(empty)'} is not a date. {allowed}.") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise FieldError(f"{allowed}.")
    return day


def parse_labels(text: str, labels: tuple[str, ...], what: str) -> tuple[str, ...]:
    """A comma list of known dosing-time labels, each at most once (any letter case).

    The labels come back spelt as in ``labels`` ("night, Morning" gives
    ``("Night", "Morning")`` for the labels Morning and Night).
    """
    by_folded = {label.casefold(): label for label in labels}
    typed = [part.strip() for part in text.split(",") if part.strip()]
    items = tuple(by_folded.get(item.casefold(), "") for item in typed)
    allowed = f"{what} must list dosing times from: {', '.join(labels)}"
    if not items or "" in items or len(set(items)) != len(items):
        raise FieldError(f"{allowed}.")
    return items


_TOO_SMALL = (
    f"The daily dose must be at least {format_mg(MIN_ROUNDING_MG, 6)}, the smallest amount "
    "TaperDesk works with."
)


def parse_doses(text: str) -> tuple[DosingTime, ...]:
    """``"1"`` or ``"morning=0.5,night=0.5"`` (optionally ``label=mg@HH:MM``)."""
    dose_rule = f"Each dose must be from 0 to {format_mg(MAX_DOSE_MG)}"
    text = text.strip()
    if not text:
        raise FieldError("Enter the daily dose in mg, or doses such as morning=0.5,night=0.5.")
    if "=" not in text:
        value = parse_number(
            _without_mg(text),
            f"The daily dose must be more than 0 and at most {format_mg(MAX_DOSE_MG)}",
        )
        if not 0 < value <= MAX_DOSE_MG:
            raise FieldError(
                f"The daily dose must be more than 0 and at most {format_mg(MAX_DOSE_MG)}."
            )
        if value < MIN_ROUNDING_MG:
            raise FieldError(_TOO_SMALL)
        return (DosingTime(DEFAULT_LABEL, value),)
    times: list[DosingTime] = []
    parts = [p for p in re.split(r",(?=\s*[A-Za-z])", text) if p.strip()]
    for part in parts:
        label, sep, rest = part.partition("=")
        label = label.strip()
        if not sep or not _LABEL.match(label):
            raise FieldError(
                "Write doses as name=mg, e.g. morning=0.5,night=0.5 (names start with a letter, "
                "at most 30 letters, digits, spaces, - or _)."
            )
        amount, _, clock = rest.partition("@")
        value = parse_in_range(_without_mg(amount), 0, MAX_DOSE_MG, dose_rule)
        if 0 < value < MIN_ROUNDING_MG:
            raise FieldError(
                f"Each dose must be 0 or at least {format_mg(MIN_ROUNDING_MG, 6)}, the smallest "
                "amount TaperDesk works with."
            )
        clock = clock.strip()
        if clock and not _CLOCK.match(clock):
            raise FieldError(f"{clock} is not a time. Times are written HH:MM, e.g. 08:00.")
        times.append(DosingTime(label, value, clock or None))
    if not 1 <= len(times) <= MAX_DOSING_TIMES:
        raise FieldError(f"A plan has 1 to {MAX_DOSING_TIMES} dosing times.")
    if len({t.label.casefold() for t in times}) != len(times):  # "AM" and "am" are one name
        raise FieldError("Each dosing time needs its own name.")
    if sum(t.dose_mg for t in times) <= 0:
        raise FieldError("The daily dose must be more than 0 mg.")
    if sum(t.dose_mg for t in times) > MAX_DOSE_MG:
        raise FieldError(f"The daily dose must be at most {format_mg(MAX_DOSE_MG)}.")
    return tuple(times)


def parse_cut(text: str, cut_model: str | None, start_dose_mg: float | None) -> ReductionModel:
    """``"10%"`` (percent of the current dose) or ``"0.1mg"`` (fixed mg per step)."""
    percent_rule = (
        f"Cut must be between {format_percent(MIN_CUT_PERCENT)} and "
        f"{format_percent(MAX_CUT_PERCENT)} of the current dose"
    )
    limit = (
        f"less than the starting daily dose ({format_mg(start_dose_mg)})"
        if start_dose_mg
        else ("less than the starting daily dose")
    )
    mg_rule = f"A fixed cut must be more than 0 mg and {limit}"
    raw = text.strip().lower().replace(" ", "")
    model = (cut_model or "").strip().lower()
    if raw.endswith("%"):
        model, raw = "percent", raw[:-1]
    elif raw.endswith("mg"):
        model, raw = "fixed_mg", raw[:-2]
    if model == "percent":
        return ReductionModel.percent(
            parse_in_range(raw, MIN_CUT_PERCENT, MAX_CUT_PERCENT, percent_rule)
        )
    if model == "fixed_mg":
        value = parse_in_range(raw, 0, MAX_DOSE_MG, mg_rule, low_open=True)
        if start_dose_mg is not None and value >= start_dose_mg:
            raise FieldError(f"{mg_rule}.")
        return ReductionModel.fixed_mg(value)
    raise FieldError("Write the cut as a percent of the current dose (10%) or mg per step (0.1mg).")


def validate_plan_fields(
    raw: Mapping[str, str],
    catalogue: DrugCatalogue | None = None,
    today: dt.date | None = None,
) -> PlanValidation:
    """Check every field of a typed plan; return the plan or one message per bad field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def field(name: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        text = (raw.get(name) or "").strip()
        if not text:
            return default
        try:
            value = parse(text)
        except FieldError as exc:
            errors[name] = str(exc)
            return None
        values[name] = value
        return value

    def known_drug(text: str) -> str:
        key = text.strip().lower()
        if catalogue is None:
            return key
        found = catalogue.find(text)  # a key, a name or a brand ("Klonopin")
        if found is None:
            raise FieldError(
                f"Unknown drug {text.strip()}. Choose one of: {', '.join(catalogue.keys)}."
            )
        return found.key

    drug = field("drug", known_drug)
    if drug is None and "drug" not in errors:
        errors["drug"] = "Choose the drug you take."
    times = field("doses", parse_doses)
    if times is None and "doses" not in errors:
        errors["doses"] = "Enter the daily dose in mg, or doses such as morning=0.5,night=0.5."
    labels = tuple(t.label for t in times) if times else ()
    start_total = sum(t.dose_mg for t in times) if times else None

    start = field(
        "start",
        lambda t: parse_date(
            t, f"Start date must be between {EARLIEST_DATE} and {LATEST_DATE} (YYYY-MM-DD)"
        ),
        today or dt.date.today(),
    )
    reduction = field(
        "cut",
        # With a crossover a fixed cut is in mg of the new drug, so it is not
        # compared with today's dose.
        lambda t: parse_cut(t, raw.get("cut_model"), None if raw.get("crossover") else start_total),
        ReductionModel.percent(10),
    )
    interval = field(
        "every",
        lambda t: parse_whole(
            t,
            1,
            MAX_INTERVAL_DAYS,
            f"Interval must be a whole number of days from 1 to {MAX_INTERVAL_DAYS}",
        ),
        14,
    )

    def style(text: str) -> TaperStyle:
        try:
            return TaperStyle(text.strip().lower())
        except ValueError:
            raise FieldError(
                "Style must be hold (cut and hold) or daily (daily micro taper)."
            ) from None

    taper_style = field("style", style, TaperStyle.CUT_AND_HOLD)

    def order(text: str) -> CutOrder:
        if text.strip().lower() == "proportional":
            return CutOrder()
        if not labels:
            raise FieldError("Enter the doses first.")
        return CutOrder(parse_labels(text, labels, "Order (or proportional)"))

    cut_order = field("order", order, CutOrder())
    rounding = field(
        "round",
        lambda t: parse_in_range(
            t,
            MIN_ROUNDING_MG,
            MAX_ROUNDING_MG,
            f"Rounding must be between {format_mg(MIN_ROUNDING_MG, 6)} and "
            f"{format_mg(MAX_ROUNDING_MG)}",
        ),
        DEFAULT_ROUNDING_MG,
    )
    if (
        start_total is not None
        and isinstance(rounding, float)
        and rounding > start_total
        and not raw.get("crossover")  # after a switch the step applies to the new drug's mg
    ):
        errors["round"] = (
            f"Rounding must be between {format_mg(MIN_ROUNDING_MG, 6)} and the daily dose "
            f"({format_mg(start_total)})."
        )

    def final(text: str) -> float:
        rule = "Final dose must be at least 0 mg and less than the daily dose"
        if start_total:
            rule += f" ({format_mg(start_total)})"
        value = parse_in_range(text, 0, MAX_DOSE_MG, rule)
        if start_total is not None and value >= start_total and not raw.get("crossover"):
            raise FieldError(f"{rule}.")
        return value

    final_dose = field("final", final)
    to_drug = field("crossover", known_drug)
    if to_drug is not None and to_drug == drug:
        errors["crossover"] = "Crossover must name a different drug from the one you take."
    swap = field(
        "swap_order", lambda t: parse_labels(t, labels, "Swap order") if labels else (), ()
    )
    stage_days = field(
        "stage_days",
        lambda t: parse_whole(
            t, 1, MAX_STAGE_DAYS, f"Stage days must be a whole number from 1 to {MAX_STAGE_DAYS}"
        ),
        7,
    )
    parts = field(
        "switch_parts",
        lambda t: parse_whole(
            t, 1, MAX_SWITCH_PARTS, f"Parts must be a whole number from 1 to {MAX_SWITCH_PARTS}"
        ),
        None,
    )
    if parts is None:  # one daily dose moves in quarters, over several stages (ASAM 2025)
        parts = DEFAULT_SINGLE_DOSE_PARTS if times is not None and len(times) == 1 else 1
    if to_drug is None and "crossover" not in errors:
        for name in ("swap_order", "stage_days", "switch_parts"):
            if name in values:
                errors[name] = f"{name.replace('_', ' ').capitalize()} needs a crossover drug."
    ratio_rule = "Equivalence must be more than 0 and at most 1000 mg per diazepam 10 mg"
    overrides: list[tuple[str, float]] = []
    own_ratio = field(
        "equivalence", lambda t: parse_in_range(t, 0, 1000, ratio_rule, low_open=True)
    )
    if own_ratio is not None and drug:
        overrides.append((str(drug), float(own_ratio)))
    to_ratio = field(
        "crossover_equivalence", lambda t: parse_in_range(t, 0, 1000, ratio_rule, low_open=True)
    )
    if to_ratio is not None and to_drug:
        overrides.append((str(to_drug), float(to_ratio)))

    if errors:
        return PlanValidation(None, errors)
    try:
        plan = TaperPlan(
            drug_key=str(drug),
            dosing_times=times,
            start_date=start,
            reduction=reduction,
            interval_days=interval,
            style=taper_style,
            cut_order=cut_order,
            rounding_mg=rounding,
            final_dose_mg=final_dose,
            crossover=Crossover(str(to_drug), swap, stage_days, parts) if to_drug else None,
            equivalence_overrides=tuple(overrides),
        )
    except ValueError as error:  # a combination the fields' own checks let through
        return PlanValidation(None, {"doses": f"{error}."})
    if plan.crossover is not None and catalogue is not None:
        problem = _crossover_rounding_problem(plan, catalogue)
        if problem:
            return PlanValidation(None, {"round": problem})
    return PlanValidation(plan, {})


def _crossover_rounding_problem(plan: TaperPlan, catalogue: DrugCatalogue) -> str | None:
    """After a switch the rounding step applies to the new drug: it must keep every dose."""
    assert plan.crossover is not None
    drugs = catalogue.with_overrides(plan.overrides)
    old, new = drugs.get(plan.drug_key), drugs.get(plan.crossover.to_drug_key)
    converted = [convert_dose_mg(old, new, t.dose_mg) for t in plan.dosing_times if t.dose_mg > 0]
    smallest = min(converted, default=0.0)
    if smallest and round_to_step(smallest, plan.rounding_mg) <= 0:
        return (
            f"Rounding must be smaller: after the switch the smallest dose is "
            f"{format_mg(smallest, 4)} {new.name}, which a {format_mg(plan.rounding_mg, 6)} step "
            "would round to nothing."
        )
    return None


def implausible_dose(plan: TaperPlan, catalogue: DrugCatalogue) -> str | None:
    """A question when the daily dose is above the drug's highest labelled daily dose (a
    typo such as 100 for 1.00): the front end asks before it goes on; ``None`` otherwise."""
    if plan.drug_key not in catalogue:
        return None
    drug = catalogue.get(plan.drug_key)
    most = drug.max_daily_mg
    if most is None or plan.start_dose_mg <= most + 1e-9:
        return None
    times = plan.start_dose_mg / most
    return (
        f"{format_number(plan.start_dose_mg, 4)} mg {drug.name.lower()} a day is "
        f"{format_number(times, 1)}x the highest labelled daily dose ({format_number(most)} mg; "
        f"{drug.max_daily_source}). Is this dose right?"
    )
