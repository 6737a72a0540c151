"""The weekly dosing sheet: one page per week, for the fridge door.

:func:`sheet_week` turns the schedule into plain rows (what to take each day
at each dosing time, how to prepare it, cut and hold days); the
:class:`WeeklySheetDocument` draws one page per week: header, the week's
table with a tick box and a "time" space per dose and a 0-10 grid per
tracked symptom, notes lines, and the common footer. Weeks start on Monday.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from enum import Enum

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont

from taperdesk.app.lived_plan import DayKind, PlanDay
from taperdesk.core.measure import (
    DOSE_DECIMALS,
    align_integers,
    first_upper,
    format_mg,
    format_number,
    format_percent,
)
from taperdesk.core.plan import TaperStyle
from taperdesk.core.sheet_measure import SheetMeasure, equipment_text, measure_for_sheet
from taperdesk.core.titration import MethodKind, TitrationInputError, measurable_step_mg
from taperdesk.printing.document import GREY, INK, SHADE, Canvas, PageDrawer, font
from taperdesk.printing.sources import MAX_SHEET_SYMPTOMS, PrintInputs, supply_doses

#: Most symptom columns a sheet draws when the dosing columns have room for them.
MAX_FITTED_SYMPTOMS = 12
#: Narrowest dosing-time column more symptom columns may leave, in points.
MIN_DOSE_COLUMN_PT = 130.0
#: Width of one symptom column, and of the whole symptom group at least, in points.
SYMPTOM_COLUMN_PT = 19.0
SYMPTOM_GROUP_MIN_PT = 72.0
DAY_COLUMN_PT = 90.0

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WHITE = QColor(255, 255, 255)
#: Most weeks one sheet run prints (two years).
MAX_WEEKS = 104


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week containing ``day``."""
    return day - dt.timedelta(days=day.weekday())


def coming_monday(today: dt.date | None = None) -> dt.date:
    """The first Monday after ``today`` (the default week of a sheet: the coming week)."""
    today = today or dt.date.today()
    return today + dt.timedelta(days=7 - today.weekday())


def short_date(day: dt.date, year: bool = False) -> str:
    """``"4 Jan"`` (or ``"4 Jan 2027"``), the same in every locale."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def week_range_text(monday: dt.date) -> str:
    """``"Mon 4 – Sun 10 Jan 2027"`` style."""
    sunday = monday + dt.timedelta(days=6)
    return f"Mon {short_date(monday, monday.year != sunday.year)} – Sun {short_date(sunday, True)}"


@dataclass(frozen=True)
class SheetItem:
    """One drug's part of a dose, as printed: what to measure (large), then its mg.

    ``measure`` is "3.3 mL", "83 mg powder", "½ of 0.5 mg" or, when nothing is measured
    (no method, another drug's tablets), the mg itself; ``mg_text`` the mg beneath a
    measure ("" when the measure is the mg); ``remove`` the daily micro taper's
    "remove 2.1 mL"; ``note`` a rounding or measuring caveat.
    """

    measure: str
    mg_text: str = ""
    remove: str = ""
    note: str = ""


@dataclass(frozen=True)
class SheetDose:
    """What to take at one dosing time of one day."""

    amounts: tuple[str, ...]  # "0.45 mg", or "Diazepam 5 mg" lines during a crossover
    items: tuple[SheetItem, ...]  # one per drug taken, measure first
    total_mg: float
    #: Volume drawn up for the drug being tapered (liquid method), for the syringe size.
    volume_ml: float | None = None
    #: Volume removed from a tablet mix (the daily micro taper way), likewise.
    remove_ml: float | None = None

    @property
    def measure(self) -> str:
        """Every item's measure, as one line of text (tests and the surfaces' check)."""
        return " + ".join(item.measure for item in self.items)


class Mark(Enum):
    """The mark in a day's first column: only on days something changes."""

    NONE = ""
    CUT = "▼ CUT"
    SWITCH = "⇄ SWITCH"
    HOLD = "HOLD"
    STOP = "■ STOP"  # the first day without a dose: not one more cut


@dataclass(frozen=True)
class SheetDay:
    day: dt.date
    doses: tuple[SheetDose, ...]  # one per dosing time
    total_text: str
    mark: Mark = Mark.NONE
    hold: bool = False
    note: str = ""  # "before the plan", "taper complete", "step 3"

    @property
    def cut(self) -> bool:
        """The day carries a cut mark (a step starts; on a daily micro taper, a fall
        larger than the step's daily fall plus one measuring step)."""
        return self.mark is Mark.CUT


@dataclass(frozen=True)
class SheetWeek:
    monday: dt.date
    labels: tuple[str, ...]  # dosing-time headings ("Morning 08:00")
    days: tuple[SheetDay, ...]
    drug_text: str
    strength_text: str
    step_text: str
    rate_text: str
    method_text: str
    #: Every STRONG warning about a step of this week (printed in the header).
    warnings: tuple[str, ...] = ()
    #: The equipment, once: how the mix is made, which syringe ("" without a method).
    equipment_text: str = ""
    #: The daily micro taper's "remove X mL" figures are printed.
    shows_remove: bool = False


def _places(inputs: PrintInputs) -> int:
    """Every digit a dose has (up to 4): the same figure the plan holds."""
    return DOSE_DECIMALS


def _method_applies(inputs: PrintInputs, drug_key: str) -> bool:
    """The saved equipment is for ``drug_key`` (never another drug's tablets or mix)."""
    method = inputs.method
    return method is not None and method.applies_to(drug_key, inputs.plan.crossover is None)


def _measure(
    inputs: PrintInputs, dose_mg: float, drug_key: str, capsules: CapsuleRecipes | None
) -> SheetMeasure | None:
    """What to measure for ``dose_mg`` of ``drug_key`` with the chosen equipment; ``None``
    without a method, or when the equipment is another drug's ("How to measure" then
    says what to do)."""
    method = inputs.method
    if method is None or dose_mg <= 0 or not _method_applies(inputs, drug_key):
        return None
    try:
        recipe = capsules.of(dose_mg) if capsules is not None else None
        if method.kind is MethodKind.COMPOUNDED and recipe is None:
            text = format_mg(dose_mg, DOSE_DECIMALS)
            why = (
                "your capsules do not make this dose: ask your pharmacist"
                if capsules is not None and capsules.dispensed
                else "no capsules make it yet: print the pharmacy request"
            )
            return SheetMeasure(text, dose_mg, note=why)
        return measure_for_sheet(method, dose_mg, recipe)
    except TitrationInputError:
        text = format_mg(dose_mg, DOSE_DECIMALS)
        return SheetMeasure(text, dose_mg, note="this equipment cannot measure it")


@dataclass(frozen=True)
class CapsuleRecipes:
    """Which capsule strengths make each dose of a compounded supply.

    ``dispensed`` is true when the strengths are those of the last pharmacy request (what
    the person has); false when worked out for the sheet's own days (no request yet).
    """

    strengths_mg: tuple[float, ...]
    max_per_dose: int
    dispensed: bool
    since: str = ""  # the dispensed supply's first day (ISO)

    def of(self, dose_mg: float) -> tuple[float, ...] | None:
        from taperdesk.core.compounding import capsules_for_dose

        return capsules_for_dose(dose_mg, self.strengths_mg, self.max_per_dose)


def capsule_recipes(inputs: PrintInputs, days: list[dt.date]) -> CapsuleRecipes | None:
    """The capsules that make the doses of ``days`` (the compounded method): those of
    the last pharmacy request for this drug when there is one, the same strengths a
    request would name; else the fewest strengths worked out for these days, as a
    pharmacy request for them would. ``None`` for another method, no dose, or doses no
    capsule step fits."""
    from taperdesk.core.compounding import CompoundingRequest, plan_compounding

    method = inputs.method
    key = inputs.plan.taper_drug_key
    if method is None or method.kind is not MethodKind.COMPOUNDED:
        return None
    if not _method_applies(inputs, key):
        return None
    saved = inputs.capsules
    if saved is not None and saved.drug_key == key:
        return CapsuleRecipes(saved.strengths_mg, saved.max_per_dose, True, saved.first_day)
    doses = supply_doses(inputs, days[0], (days[-1] - days[0]).days + 1)  # as a request would
    if not any(d > 0 for day in doses for d in day):
        return None
    for step_mg in dict.fromkeys((method.compounded_step_mg, inputs.plan.rounding_mg)):
        try:
            result = plan_compounding(
                CompoundingRequest(daily_doses_mg=doses, base_step_mg=step_mg)
            )
        except TitrationInputError:
            continue  # the doses are off this step's grid: try the plan's own rounding
        return CapsuleRecipes(result.strengths_mg, result.max_per_dose, False)
    return None


#: The ways a sheet can be asked to measure: the saved method, one named, or only the mg.
MEASURE_CHOICES = ("saved", "liquid", "scale", "tablets", "compounded", "none")


def measured_with(inputs: PrintInputs, choice: str) -> PrintInputs:
    """``inputs`` measuring the way ``choice`` says (see :data:`MEASURE_CHOICES`): the
    print dialog's "Measure with" and ``taperdesk sheet --measure``. Raises ``ValueError``
    when the saved equipment cannot measure that way (nothing saved for it)."""
    from dataclasses import replace as replaced

    from taperdesk.core.sheet_measure import METHOD_LABELS, methods_offered

    method = inputs.method
    if choice == "none":
        return replaced(inputs, method=None)
    if choice == "saved":
        return inputs
    kind = MethodKind(choice)
    if kind not in methods_offered(method):
        raise ValueError(
            f"{METHOD_LABELS[kind]}: no such equipment is saved; set it on the Titration tab."
        )
    return replaced(inputs, method=replaced(method, kind=kind))


def strength_text(inputs: PrintInputs) -> str:
    """The strengths the drug being tapered comes in (the header says this when no
    equipment of the person's applies: they are what a pharmacy has, not what they own)."""
    from taperdesk.core.measure import format_number

    drug = inputs.catalogue.get(inputs.plan.taper_drug_key)
    # Extended-release products are not listed: every dose on the sheet is measured from
    # immediate-release tablets, or taken as the prescriber said.
    strengths = sorted({t.mg for t in drug.tablets if not t.form.must_stay_intact})
    if not strengths:
        return "See your prescription for the strengths"
    mgs = ", ".join(format_number(s, 4) for s in strengths)
    return f"{drug.name} comes as {mgs} mg tablets"


def method_text(inputs: PrintInputs) -> str:
    method = inputs.method
    if method is None or not _method_applies(inputs, inputs.plan.taper_drug_key):
        return "Take the dose shown; ask your pharmacist how to measure it."
    if method.kind.value == "liquid" and method.liquid_mg_per_ml is not None:
        return "Measure with the oral syringe; keep the liquid as its leaflet says."
    if method.kind.value == "tablets" and any(s.form.must_stay_intact for s in method.strengths):
        return "Swallow extended-release tablets whole: never split, crush or chew them."
    return {
        "liquid": "Shake or stir the mix before every measure; make it fresh (1-2 days, fridge).",
        "scale": "Weigh on a milligram scale; average several tablets' weight.",
        "tablets": "Split only along the score lines; use a tablet cutter.",
        "compounded": "Take the capsules listed for each dose: nothing to measure.",
    }[method.kind.value]


def _step_text(inputs: PrintInputs, days: list[dt.date]) -> str:
    """The week's steps, numbered as the revision in force numbers them; a week in which
    the plan was revised says so (its days come from two revisions)."""
    lived = inputs.lived
    planned = [p for d in days if (p := lived.on(d)) is not None]
    hold = lived.open_hold
    if hold is not None and any(p.open_hold for p in planned):
        return f"On hold from {short_date(hold.start, True)}\nsame dose until you resume"
    revisions = sorted({p.revision for p in planned})
    newest = [p for p in planned if p.revision == revisions[-1]] if revisions else []
    revision = next((r for r in lived.revisions if revisions and r.number == revisions[-1]), None)
    schedule = lived.schedule_of(revision) if revision is not None else None
    total = (schedule or lived.schedule).summary.step_count
    numbers = sorted({p.step_number for p in newest if p.step_number is not None})
    if not numbers:
        text = f"Before step 1 of {total}"
    elif len(numbers) == 1:
        text = f"Step {numbers[0]} of {total}"
    else:
        text = f"Steps {numbers[0]}–{numbers[-1]} of {total}"
    if len(revisions) > 1:
        changed = newest[0].day
        return text + f"\nplan revised {WEEKDAYS[changed.weekday()]} {short_date(changed)}"
    if not numbers and planned and all(p.kind is DayKind.FINISHED for p in planned):
        return "Taper complete"
    if not numbers:
        return text
    switches = [p.day for p in planned if p.kind is DayKind.SWITCH]
    cuts = [p.day for p in planned if p.is_cut]
    held = [p.day for p in planned if p.hold]
    if switches:
        text += f"\ndrug change {WEEKDAYS[switches[0].weekday()]} {short_date(switches[0])}"
    elif cuts and len(cuts) > 1 and _is_daily(inputs, planned):
        text += "\ndose goes down a little each day"
    elif stops := [p.day for p in planned if p.kind is DayKind.STOP]:
        text += f"\nlast dose the day before {WEEKDAYS[stops[0].weekday()]} {short_date(stops[0])}"
    elif cuts:
        text += f"\ndose goes down {WEEKDAYS[cuts[0].weekday()]} {short_date(cuts[0])}"
    elif held:
        text += (
            "\non hold all week"
            if len(held) == 7
            else f"\non hold {len(held)} day{'s' if len(held) != 1 else ''}"
        )
    else:
        text += "\nno change of dose this week"
    return text


def _is_daily(inputs: PrintInputs, planned: list[PlanDay]) -> bool:
    """The week's newest revision is a daily micro taper."""
    number = max(p.revision for p in planned)
    plan = next((r.plan for r in inputs.lived.revisions if r.number == number), inputs.plan)
    return plan.style is TaperStyle.DAILY_MICRO


def _rate_text(inputs: PrintInputs, days: list[dt.date]) -> str:
    """The reduction of the revision in force at the end of the week (an older week's
    sheet describes the plan it followed, not the newest)."""
    planned = [p for d in days if (p := inputs.lived.on(d)) is not None]
    numbers = {p.revision for p in planned}
    plan = next(
        (r.plan for r in reversed(inputs.lived.revisions) if r.number in numbers), inputs.plan
    )
    style = "cut and hold" if plan.style.value == "hold" else "daily micro taper"
    text = f"{plan.reduction.describe()} every {plan.interval_days} days, {style}"
    rates = [
        p.step.effective_rate_percent_per_14_days
        for d in days
        if (p := inputs.lived.on(d)) is not None
        and p.step is not None
        and p.step.is_cut
        and p.step.dose_after_mg > 0  # stopping is not a rate ("≈ 100% per 14 days")
    ]
    nominal = plan.reduction.value * 14 / plan.interval_days
    if rates and (plan.reduction.kind.value != "percent" or abs(max(rates) - nominal) > 0.5):
        text += f"; ≈ {format_percent(max(rates))} per 14 days"
    return text


def _mark(inputs: PrintInputs, planned: PlanDay) -> Mark:
    """A cut mark where a step starts (cut and hold) or, on a daily micro taper, where the
    day's fall is larger than the step's planned daily fall plus one measuring step; a
    switch mark on the day a dosing time changes drug; HOLD on held days."""
    if planned.hold:
        return Mark.HOLD
    if planned.kind is DayKind.SWITCH:
        return Mark.SWITCH
    if planned.kind is DayKind.STOP:
        return Mark.STOP
    if not planned.is_cut:
        return Mark.NONE
    step = planned.step
    revision = next((r for r in inputs.lived.revisions if r.number == planned.revision), None)
    plan = revision.plan if revision is not None else inputs.plan
    if planned.kind is DayKind.STOP or step is None or plan.style is not TaperStyle.DAILY_MICRO:
        return Mark.CUT
    daily_fall_mg = step.cut_mg / max(1, step.interval_days)
    return Mark.CUT if planned.cut_mg > daily_fall_mg + _measuring_step_mg(inputs) else Mark.NONE


def _measuring_step_mg(inputs: PrintInputs) -> float:
    """The finest step the chosen equipment measures (else the plan's rounding)."""
    method = inputs.method
    if method is not None and _method_applies(inputs, inputs.plan.taper_drug_key):
        try:
            return measurable_step_mg(method)
        except TitrationInputError:
            pass
    return inputs.plan.rounding_mg


def sheet_week(
    inputs: PrintInputs, monday: dt.date, capsules: CapsuleRecipes | None = None
) -> SheetWeek:
    """The plain content of the sheet for the week starting ``monday`` (``capsules``:
    the recipes of a compounded supply; worked out for this week when not given)."""
    schedule, plan = inputs.schedule, inputs.plan
    places = _places(inputs)
    taper_key = plan.taper_drug_key
    several = len(schedule.drug_keys) > 1
    dates = [monday + dt.timedelta(days=i) for i in range(7)]
    if capsules is None:
        capsules = capsule_recipes(inputs, dates)
    plan_days = {day: inputs.lived.on(day) for day in dates}
    # The week's dosing times: every one a day of the week has (an older revision may
    # have had others), the newest revision's first; their clock times likewise.
    clocks: dict[str, str | None] = {}
    for revision in reversed(inputs.lived.revisions):
        for t in revision.plan.dosing_times:
            clocks.setdefault(t.label, t.clock_time)
    used = {lb for p in plan_days.values() if p is not None for lb in p.labels}
    week_labels = tuple(lb for lb in inputs.lived.all_labels if lb in used) or plan.labels
    labels = tuple(
        first_upper(lb) + (f" · {clocks[lb]}" if clocks.get(lb) else "") for lb in week_labels
    )
    days: list[SheetDay] = []
    measures: dict[tuple[int, int], tuple[SheetMeasure, float]] = {}
    for d_index, day in enumerate(dates):
        planned = plan_days[day]
        if planned is None:  # before the plan was saved: nothing to state
            blank = SheetDose(("–",), (SheetItem("–", note="no plan for this day yet"),), 0.0)
            days.append(SheetDay(day, tuple(blank for _ in week_labels), "", note="no plan"))
            continue
        rows = [(d.drug_key, d.doses_mg) for d in planned.drugs]
        several_today = len(planned.taken_drugs) > 1
        kind = planned.kind
        note = ""
        if kind is DayKind.LEAD_IN:
            note = "before 1st cut"
        elif kind is DayKind.FINISHED:
            note = "taper complete"
        elif kind is DayKind.SWITCH:
            note = "drug switch"
        elif planned.open_hold:
            note = "on hold"
        elif planned.step_number:
            note = f"step {planned.step_number}"
        doses = []
        for l_index, label in enumerate(week_labels):
            if not planned.has_label(label):  # this day's revision has no such dosing time
                doses.append(SheetDose(("–",), (SheetItem("–"),), 0.0))
                continue
            parts = [(key, planned.mg(label, key)) for key, _doses in rows]
            shown = [(k, mg) for k, mg in parts if mg > 0] or parts[-1:]
            amounts = tuple(
                (f"{inputs.catalogue.get(k).name} " if several or several_today else "")
                + format_mg(mg, places)
                for k, mg in shown
            )
            taper_mg = sum(mg for k, mg in parts if k == taper_key)
            found = _measure(inputs, taper_mg, taper_key, capsules)
            if found is not None:
                measures[(d_index, l_index)] = (found, taper_mg)
            doses.append(
                SheetDose(
                    amounts, (), sum(mg for _k, mg in parts),
                    found.volume_ml if found is not None else None,
                    found.remove_ml if found is not None else None,
                )
            )  # fmt: skip
        taken = [(k, sum(d)) for k, d in rows if sum(d) > 0] or [(rows[-1][0], 0.0)]
        # A sum across two drugs means nothing, and the cell names each dose's drug.
        total = "" if len(taken) > 1 else format_mg(taken[0][1], places)
        days.append(SheetDay(day, tuple(doses), total, _mark(inputs, planned), planned.hold, note))
    days = _with_items(_aligned_days(days), measures, inputs)
    drug = inputs.catalogue.get(plan.drug_key).name
    if plan.crossover is not None:
        drug += f" → {inputs.catalogue.get(taper_key).name}"
    shows_remove = plan.style is TaperStyle.DAILY_MICRO and any(
        item.remove for d in days for dose in d.doses for item in dose.items
    )
    return SheetWeek(
        monday=monday,
        labels=labels,
        days=tuple(days),
        drug_text=drug,
        strength_text=strength_text(inputs),
        step_text=_step_text(inputs, dates),
        rate_text=_rate_text(inputs, dates),
        method_text=(
            "Shake or stir the mix well before you remove the part."
            if shows_remove
            else method_text(inputs)
        ),
        warnings=_strong_warnings(inputs, dates[0], dates[-1]),
        equipment_text=_equipment(inputs, days, capsules, shows_remove),
        shows_remove=shows_remove,
    )


def _equipment(
    inputs: PrintInputs, days: list[SheetDay], capsules: CapsuleRecipes | None, removing: bool
) -> str:
    """The equipment line of the header (the drug's name first during a crossover)."""
    method = inputs.method
    key = inputs.plan.taper_drug_key
    if method is None or not _method_applies(inputs, key):
        return ""
    doses = [dose for d in days for dose in d.doses]
    volumes = [(dose.remove_ml if removing else dose.volume_ml) or 0.0 for dose in doses]
    try:
        text = equipment_text(
            method,
            max(volumes) if any(volumes) else None,
            capsules.strengths_mg if capsules else (),
            removing=removing,
        )
    except (TitrationInputError, ValueError):
        return ""
    if method.kind is MethodKind.COMPOUNDED and capsules is not None:
        mgs = ", ".join(format_number(mg, 4) for mg in capsules.strengths_mg)
        if capsules.dispensed:
            since = dt.date.fromisoformat(capsules.since) if capsules.since else None
            text = f"Compounded capsules of {mgs} mg, as on your pharmacy request" + (
                f" from {short_date(since, True)}." if since else "."
            )
        else:
            text = (
                f"Compounded capsules of {mgs} mg, worked out for these weeks: no pharmacy "
                "request is printed yet (print it, and the sheets follow its capsules)."
            )
    if len(inputs.schedule.drug_keys) > 1:
        text = f"{inputs.catalogue.get(key).name}: {text}"
    return text


def _with_items(
    days: list[SheetDay],
    measures: dict[tuple[int, int], tuple[SheetMeasure, float]],
    inputs: PrintInputs,
) -> list[SheetDay]:
    """Each dose's printed items: the measure of the drug being tapered (decimal points
    aligned down the week) with the mg it gives beneath, any other drug's mg as it is."""
    taper_name = inputs.catalogue.get(inputs.plan.taper_drug_key).name
    # The measures of each dosing-time column, decimal points aligned like the mg.
    columns: dict[int, list[tuple[int, str]]] = {}
    for (d_index, l_index), (found, _planned_mg) in measures.items():
        columns.setdefault(l_index, []).append((d_index, found.measure))
    aligned: dict[tuple[int, int], str] = {}
    for l_index, entries in columns.items():
        parts = [_MEASURE.match(text) for _d, text in entries]
        numbers = align_integers([m.group(1) if m else "" for m in parts])
        for (d_index, text), m, number in zip(entries, parts, numbers, strict=True):
            aligned[(d_index, l_index)] = number + m.group(2) if m else text
    out = []
    for d_index, day in enumerate(days):
        doses = []
        for l_index, dose in enumerate(day.doses):
            measured = measures.get((d_index, l_index))
            items = []
            for amount in dose.amounts:
                if measured is None or not (
                    len(dose.amounts) == 1 or amount.startswith(taper_name)
                ):
                    items.append(SheetItem(amount))
                    continue
                found, planned_mg = measured
                mg_text = amount
                if found.delivered_mg > 0 and abs(found.delivered_mg - planned_mg) > 1e-9:
                    # the mg of what is measured (the same volume is the same mg); the
                    # plan's figure is in the note
                    mg_text = format_mg(found.delivered_mg, DOSE_DECIMALS)
                items.append(
                    SheetItem(aligned[(d_index, l_index)], mg_text, found.remove, found.note)
                )
            doses.append(replace(dose, items=tuple(items)))
        out.append(replace(day, doses=tuple(doses)))
    return out


_AMOUNT = re.compile(r"^(.*?)(\d+(?:\.\d+)?)( mg)$")
_MEASURE = re.compile(r"^(\d+(?:\.\d+)?)( mL| mg powder)$")


def _aligned_days(days: list[SheetDay]) -> list[SheetDay]:
    """Each dosing-time column's figures padded on the left with figure spaces so their
    decimal points line up down the week ("9.9" under "10.35"; no trailing zeros)."""
    if not days:
        return days
    columns = list(zip(*(d.doses for d in days), strict=True))
    for index, column in enumerate(columns):
        parts = [
            _AMOUNT.match(dose.amounts[0]) if len(dose.amounts) == 1 else None for dose in column
        ]
        numbers = align_integers([m.group(2) if m else "" for m in parts])
        columns[index] = tuple(
            replace(dose, amounts=(m.group(1) + number + m.group(3),)) if m else dose
            for dose, m, number in zip(column, parts, numbers, strict=True)
        )
    return [replace(day, doses=tuple(col[i] for col in columns)) for i, day in enumerate(days)]


def _strong_warnings(inputs: PrintInputs, first: dt.date, last: dt.date) -> tuple[str, ...]:
    """The STRONG warnings whose step (or day) falls in ``first``..``last``."""
    steps = {s.number: s for s in inputs.schedule.steps}
    found = []
    for warning in inputs.schedule.summary.warnings:
        if warning.severity.value != "strong":
            continue
        step = steps.get(warning.step_number) if warning.step_number else None
        if step is not None:
            touches = step.start_date <= last and step.end_date >= first
        else:
            touches = warning.day is not None and first <= warning.day <= last
        if touches:
            found.append(warning.text)
    return tuple(found)


def balanced_lines(c: Canvas, text: str, text_font: QFont) -> tuple[str, float]:
    """``text`` on one line, or broken at the space that makes two lines most even; with
    the width the longer line needs (for rotated symptom names: no name is cut short)."""
    one = c.text_width(text, text_font)
    words = text.split()
    best = (text, one)
    for n in range(1, len(words)):
        first, rest = " ".join(words[:n]), " ".join(words[n:])
        width = max(c.text_width(first, text_font), c.text_width(rest, text_font))
        if width < best[1]:
            best = (f"{first}\n{rest}", width)
    return best


def week_title(mondays: list[dt.date]) -> str:
    """``"7–13 Dec 2026"``, ``"28 Dec 2026 – 3 Jan 2027"`` or several weeks' whole span."""
    first, last = mondays[0], mondays[-1] + dt.timedelta(days=6)
    if first.year != last.year:
        return f"{short_date(first, True)} – {short_date(last, True)}"
    if first.month != last.month:
        return f"{short_date(first)} – {short_date(last, True)}"
    return f"{first.day}–{short_date(last, True)}"


#: Sizes of the dose cell's text, in points: the measure is read first, from a distance.
MEASURE_PT = 13.5
MG_PT = 8.6
REMOVE_PT = 8.4
NOTE_PT = 7.0
#: Height of a cell's "taken ☐  time ___" strip, in points.
STRIP_PT = 15.0


def total_font() -> QFont:
    return font(6.8)


#: Width of the strip when it stands beside the dose, and a day row's least height, in points.
STRIP_WIDTH_PT = 86.0
DAY_ROW_MIN_PT = 36.0
#: Lines on the sheet: thick enough, and dark enough, for a cheap black-and-white printer.
LINE_PT = 0.75
DARK_RULE = QColor(70, 70, 70)


@dataclass(frozen=True)
class _Page:
    weeks: tuple[SheetWeek, ...]


class WeeklySheetDocument:
    """Weekly sheets from ``first_monday`` for ``weeks`` weeks: one a page, or two a
    page where two fit (``weeks_per_page=2``)."""

    def __init__(
        self,
        inputs: PrintInputs,
        first_monday: dt.date,
        weeks: int = 1,
        weeks_per_page: int = 1,
    ) -> None:
        if not 1 <= weeks <= MAX_WEEKS:
            raise ValueError(f"Print 1 to {MAX_WEEKS} weeks at a time.")
        if weeks_per_page not in (1, 2):
            raise ValueError("Print one or two weeks a page.")
        self.inputs = inputs
        self.weeks_per_page = weeks_per_page
        #: Two weeks a page: each dose's mg beside its measure, and the second week's
        #: table without the symptoms' names (they stand in the first one, above).
        self.compact = weeks_per_page == 2
        self.alone = 0
        self.mondays = [week_start(first_monday) + dt.timedelta(weeks=i) for i in range(weeks)]
        self.title = f"TaperDesk weekly sheet {week_title(self.mondays)}"
        self.symptoms = inputs.tracked_symptoms[:MAX_SHEET_SYMPTOMS]

    @property
    def hidden_symptoms(self) -> tuple[str, ...]:
        """Tracked symptoms the sheet has no column for (said in a line under the table)."""
        return self.inputs.tracked_symptoms[len(self.symptoms) :]

    def fit_symptoms(self, canvas: Canvas) -> tuple[str, ...]:
        """As many tracked symptoms as leave each dosing column readable (6 at least, 12 most)."""
        tracked = self.inputs.tracked_symptoms
        times = len(self.inputs.plan.dosing_times)
        room = canvas.content_width - DAY_COLUMN_PT - times * MIN_DOSE_COLUMN_PT
        fits = int(room // SYMPTOM_COLUMN_PT)
        return tracked[: min(MAX_FITTED_SYMPTOMS, max(MAX_SHEET_SYMPTOMS, fits))]

    def weeks(self) -> list[SheetWeek]:
        """Every week's content; a compounded supply's capsules worked out once for all."""
        days = [m + dt.timedelta(days=i) for m in self.mondays for i in range(7)]
        capsules = capsule_recipes(self.inputs, days)
        return [sheet_week(self.inputs, m, capsules) for m in self.mondays]

    def layout(self, canvas: Canvas) -> list[PageDrawer]:
        self.symptoms = self.fit_symptoms(canvas)
        self.alone = 0  # weeks on a page of their own where two a page were asked for
        self.compact = self.weeks_per_page == 2  # laid out again for other paper: afresh
        pages: list[_Page] = []
        weeks = self.weeks()
        if not all(self._fits(canvas, [week]) for week in weeks):
            self.compact = True  # a week too tall for a page: the compact rows

        index = 0
        while index < len(weeks):
            pair = weeks[index : index + 2]
            if self.weeks_per_page == 2 and len(pair) == 2 and self._fits(canvas, pair):
                pages.append(_Page(tuple(pair)))
                index += 2
            else:
                pages.append(_Page((weeks[index],)))
                self.alone += self.weeks_per_page == 2 and len(pair) == 2
                index += 1
        return [lambda c, p=page: self._draw(c, p) for page in pages]

    # -- measuring ---------------------------------------------------------------------

    def _fits(self, c: Canvas, weeks: list[SheetWeek]) -> bool:
        y = self._header_height(c, weeks[0])
        for index, week in enumerate(weeks):
            y += 10 + self._week_height(c, week, names=index == 0)
        return y + self._legend_height() <= c.bottom

    def _header_height(self, c: Canvas, week: SheetWeek) -> float:
        return c.top + 36 + 5 + self._fields_height(c, week) + 4

    def _week_height(self, c: Canvas, week: SheetWeek, names: bool = True) -> float:
        return (
            self._bar_height(c, week)
            + self._head_height(c, names)
            + sum(self._row_height(c, week, day) for day in week.days)
        )

    def _legend_height(self) -> float:
        return 22.0 + (11.0 if self.hidden_symptoms else 0.0)

    def _bar_height(self, c: Canvas, week: SheetWeek) -> float:
        h = 20.0
        if week.warnings:
            h += self._warnings_height(c, week) + 4
        return h

    def _warnings_height(self, c: Canvas, week: SheetWeek) -> float:
        warn_font = font(8, bold=True)
        texts = [f"STRONG WARNING: {text}" for text in week.warnings]
        return (
            sum(c.text_height(t, warn_font, c.content_width - 12) for t in texts)
            + 3 * (len(texts) - 1)
            + 8
        )

    def _name_font(self) -> QFont:
        return font(6.6)

    def _head_height(self, c: Canvas, names: bool = True) -> float:
        """The table's header: tall enough for every symptom's name, turned on its side
        (``names`` False: a second week on the page, whose names stand above)."""
        if not self.symptoms or not names:
            return 24.0
        longest = max(balanced_lines(c, name, self._name_font())[1] for name in self.symptoms)
        return max(58.0, 26.0 + longest + 4)

    def _columns(self, c: Canvas, week: SheetWeek) -> tuple[float, float, float]:
        """Widths of the day column, each dosing-time column, each symptom column."""
        day_w = DAY_COLUMN_PT
        count = len(self.symptoms)
        symptom_w = max(SYMPTOM_COLUMN_PT, SYMPTOM_GROUP_MIN_PT / count) if count else 0.0
        rest = c.content_width - day_w - symptom_w * count
        return day_w, rest / len(week.labels), symptom_w

    def _item_lines(
        self, c: Canvas, item: SheetItem, width: float, shows_remove: bool
    ) -> list[tuple[str, QFont, float]]:
        """The item's printed lines (text, font, height): what is taken, large (always what
        goes in, never what is thrown away); its mg; on a daily micro taper from a tablet
        mix, the forum-style way to get there ("remove 0.3 mL, throw it away")."""
        lines: list[tuple[str, QFont, float]] = []
        first = item.measure
        measure_font = self._measure_font()
        if c.text_width(first, measure_font) > width:
            measure_font = font(MEASURE_PT - 3, bold=True)  # a long recipe: smaller, wrapped
        lines.append((first, measure_font, c.text_height(first, measure_font, width)))
        mg_font = font(MG_PT)
        mg = item.mg_text.strip()
        if mg and mg != item.measure.strip() and not self._mg_inline(c, item, width):
            lines.append((mg, mg_font, c.line_height(mg_font)))
        if shows_remove and item.remove:
            remove = f"= {item.remove} of the mix, throw it away, drink the rest"
            remove_font = font(REMOVE_PT, bold=True)
            lines.append((remove, remove_font, c.text_height(remove, remove_font, width)))
        if item.note:
            note_font = font(NOTE_PT, italic=True)
            lines.append((item.note, note_font, c.text_height(item.note, note_font, width)))
        return lines

    def _measure_font(self) -> QFont:
        return font(MEASURE_PT - (1.5 if self.compact else 0), bold=True)

    def _mg_inline(self, c: Canvas, item: SheetItem, width: float) -> bool:
        """Two weeks a page: the mg stands beside the measure when the row has room."""
        if not self.compact:
            return False
        measure_w = c.text_width(item.measure, self._measure_font())
        mg_w = c.text_width(item.mg_text.strip(), font(MG_PT))
        return measure_w + 6 + mg_w + self._strip_width() + 8 <= width

    def _strip_width(self) -> float:
        """Two weeks a page: the box and "time ___" without the word "taken"."""
        return STRIP_WIDTH_PT - (34 if self.compact else 0)

    def _side_strip(self, c: Canvas, week: SheetWeek, dose: SheetDose, width: float) -> bool:
        """The "taken ☐ time ___" strip fits beside the dose's text (a shorter row)."""
        widest = max(
            (
                c.text_width(text, text_font)
                for item in dose.items
                for text, text_font, _h in self._item_lines(c, item, width, week.shows_remove)
            ),
            default=0.0,
        )
        return widest + self._strip_width() + 8 <= width

    def _cell_height(self, c: Canvas, week: SheetWeek, dose: SheetDose, width: float) -> float:
        h = 5.0
        for item in dose.items:
            h += sum(line[2] for line in self._item_lines(c, item, width, week.shows_remove))
        if dose.total_mg > 0 and not self._side_strip(c, week, dose, width):
            h += STRIP_PT + 2
        return max(h + 4, 5 + STRIP_PT + (6 if self.compact else 12))

    def _row_height(self, c: Canvas, week: SheetWeek, day: SheetDay) -> float:
        _day_w, dose_w, _sym_w = self._columns(c, week)
        cells = [self._cell_height(c, week, dose, dose_w - 10) for dose in day.doses]
        least = DAY_ROW_MIN_PT - (6 if self.compact else 0)
        if self._total_below(c, day):
            least += 12
        return max(least, *cells)

    def _day_line_start(self, c: Canvas, day: SheetDay) -> float:
        """Where the day's total starts on the line under the weekday (after a mark or a
        note), from the column's left edge."""
        x = 7.0
        if day.mark is not Mark.NONE:
            x += c.text_width(day.mark.value, font(7.6, bold=True)) + 6 + 4
        elif day.note:
            x += c.text_width(day.note, font(7, italic=True)) + 4
        return x

    def _total_below(self, c: Canvas, day: SheetDay) -> bool:
        """The day's total goes on a line of its own, under the mark (no room beside)."""
        if not day.total_text:
            return False
        total = f"{day.total_text.strip()}/day"
        return self._day_line_start(c, day) + c.text_width(total, total_font()) > DAY_COLUMN_PT - 2

    # -- drawing -----------------------------------------------------------------------

    def _draw(self, c: Canvas, page: _Page) -> None:
        y = self._draw_header(c, page)
        for index, week in enumerate(page.weeks):
            y = self._draw_week(c, week, y + 10, names=index == 0)
        y = self._draw_legend(c, y, page)
        self._draw_notes(c, y + 6)

    def _fields_height(self, c: Canvas, week: SheetWeek) -> float:
        return 2 * 29.0 + self._equipment_extra(c, week)

    def _equipment_extra(self, c: Canvas, week: SheetWeek) -> float:
        text = self._equipment_value(week)
        width = c.content_width - 8
        return max(0.0, c.text_height(text, font(8.6), width) - 20)

    @staticmethod
    def _equipment_value(week: SheetWeek) -> str:
        if week.equipment_text:
            return f"{week.equipment_text} {week.method_text}"
        return f"{week.strength_text}. {week.method_text}"

    def _draw_header(self, c: Canvas, page: _Page) -> float:
        week = page.weeks[0]
        top, left, width = c.top, c.left, c.content_width
        c.text(
            left, top, width, 10, "TAPERDESK · PERSONAL DOSING RECORD", font(6.8, True), color=GREY
        )
        title_font = font(17, bold=True)
        c.text(left, top + 10, width, 24, "Weekly dosing sheet", title_font, wrap=False)
        mondays = [w.monday for w in page.weeks]
        span = week_range_text(mondays[0])
        if len(mondays) > 1:
            span = f"{short_date(mondays[0])} – {short_date(mondays[-1] + dt.timedelta(6), True)}"
        c.text(
            left, top + 14, width, 18, span, font(11, bold=True),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, wrap=False,
        )  # fmt: skip
        y = top + 36
        c.line(left, y, c.right, y, 1.6)
        fields = [
            ("NAME", self.inputs.person_name or "", 0.25),
            ("DRUG", week.drug_text, 0.33),
            ("PLAN", week.rate_text, 0.42),
            ("EQUIPMENT AND HOW TO MEASURE", self._equipment_value(week), 1.0),
        ]
        label_font = font(6.3, bold=True)
        row_h = 29.0
        x, cy = left, y + 5
        for label, value, share in fields:
            col_w = width * share
            if label.startswith("EQUIPMENT"):  # the second row, the page's whole width
                x, cy = left, y + 5 + row_h
            c.text(x, cy, col_w - 8, 9, label, label_font, color=GREY, wrap=False)
            if label == "NAME" and not value:
                c.line(x + 30, cy + 19, x + col_w - 12, cy + 19, LINE_PT, DARK_RULE)
            else:
                value_font = font(8.6, bold=label == "DRUG")
                room = row_h - 6 + (self._equipment_extra(c, week) if label[0] == "E" else 0)
                if c.text_height(value, value_font, col_w - 8) > room:
                    value_font = font(7.4, bold=label == "DRUG")
                c.text(x, cy + 8, col_w - 8, room, value, value_font)
            x += col_w
        y += 5 + self._fields_height(c, week) + 4
        c.line(left, y, c.right, y, LINE_PT, DARK_RULE)
        return y

    def _draw_week(self, c: Canvas, week: SheetWeek, top: float, names: bool = True) -> float:
        left, width = c.left, c.content_width
        # The week's bar: its dates, and what happens in it.
        c.rect(left, top, width, 18, 0, fill=INK, color=None)
        c.text(
            left + 6, top + 3, width * 0.45, 14, week_range_text(week.monday),
            font(9.5, bold=True), color=WHITE, wrap=False,
        )  # fmt: skip
        what = " · ".join(part for part in week.step_text.split("\n") if part)
        c.text(
            left + width * 0.4, top + 3.5, width * 0.6 - 6, 14,
            c.elide(what, font(8.6, bold=True), width * 0.6 - 6), font(8.6, bold=True),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, color=WHITE, wrap=False,
        )  # fmt: skip
        y = top + 20
        if week.warnings:  # in a box on every sheet of a week the warning concerns
            warn_font = font(8, bold=True)
            box_h = self._warnings_height(c, week)
            c.rect(left, y, width, box_h, 1.5, color=INK)
            ty = y + 4
            for text in week.warnings:
                line = f"STRONG WARNING: {text}"
                h = c.text_height(line, warn_font, width - 12)
                c.text(left + 6, ty, width - 12, h, line, warn_font)
                ty += h + 3
            y += box_h + 4
        return self._draw_table(c, week, y, names)

    def _draw_table(self, c: Canvas, week: SheetWeek, top: float, names: bool = True) -> float:
        left = c.left
        day_w, dose_w, sym_w = self._columns(c, week)
        head_h = self._head_height(c, names)
        table_w = c.content_width
        heights = [self._row_height(c, week, day) for day in week.days]
        bottom = top + head_h + sum(heights)
        # header
        c.rect(left, top, table_w, head_h, 0, fill=SHADE, color=None)
        head_font = font(8.6, bold=True)
        c.text(left + 5, top + head_h - 16, day_w - 8, 14, "Day", head_font, wrap=False)
        x = left + day_w
        # When one heading is too wide for a line, every dosing time goes above its clock
        # time, so the headings line up.
        stacked = any(c.text_width(label, head_font) > dose_w - 10 for label in week.labels)
        for label in week.labels:
            if not stacked:
                lines = [label]
            else:
                name, _sep, clock = label.partition(" · ")
                lines = [c.elide(name, head_font, dose_w - 10)] + ([clock] if clock else [])
            line_h = 11.0
            for i, line in enumerate(lines):
                c.text(
                    x + 5, top + head_h - 16 - line_h * (len(lines) - 1 - i), dose_w - 10, 14,
                    line, head_font, wrap=False,
                )  # fmt: skip
            x += dose_w
        if self.symptoms and not names:
            c.text(
                x + 2, top + 6, sym_w * len(self.symptoms) - 4, 14, "Symptoms, as above",
                font(6.4, True), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            )  # fmt: skip
        elif self.symptoms:
            group_w = sym_w * len(self.symptoms)
            c.text(
                x + 2, top + 3, group_w - 4, 18, "Symptoms\n0 none – 10 worst", font(6.4, True),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            )  # fmt: skip
            name_font = self._name_font()
            name_len = head_h - 26  # below the group heading, above the rule
            for name in self.symptoms:
                text, _w = balanced_lines(c, name, name_font)
                h = c.line_height(name_font) * (text.count("\n") + 1)
                p = c._p()
                p.save()
                p.translate(QPointF(x * c.scale, (top + head_h - 3) * c.scale))
                p.rotate(-90)
                c.text(0, (sym_w - h) / 2, name_len, h, text, name_font, wrap=False)
                p.restore()
                x += sym_w
        c.line(left, top + head_h, left + table_w, top + head_h, 1.2)
        # rows
        y = top + head_h
        for day, h in zip(week.days, heights, strict=True):
            self._draw_day(c, week, day, y, h, (day_w, dose_w, sym_w))
            y += h
        # grid: every line at least 0.75 pt and dark (a 55% threshold keeps it)
        c.rect(left, top, table_w, bottom - top, 1.2)
        x = left + day_w
        c.line(x, top, x, bottom, 1.0)
        for _ in week.labels[1:]:
            x += dose_w
            c.line(x, top, x, bottom, LINE_PT, DARK_RULE)
        if self.symptoms:
            x += dose_w
            c.line(x, top, x, bottom, 1.0)
            for _ in self.symptoms[1:]:
                x += sym_w
                c.line(x, top + (22 if names else head_h), x, bottom, LINE_PT, DARK_RULE)
        return bottom

    def _draw_legend(self, c: Canvas, y: float, page: _Page) -> float:
        left, table_w = c.left, c.content_width
        measured = any(
            item.mg_text
            for week in page.weeks
            for day in week.days
            for dose in day.doses
            for item in dose.items
        )
        marks = {day.mark for week in page.weeks for day in week.days}
        meanings = {
            Mark.CUT: "▼ CUT  the dose goes down from this day",
            Mark.SWITCH: "⇄ SWITCH  a dose changes drug",
            Mark.HOLD: "HOLD  the dose stays the same",
            Mark.STOP: "■ STOP  no more doses from this day",
        }
        legend = (
            "     ".join(text for mark, text in meanings.items() if mark in marks),
            ("The large figure is what you measure, its mg beside or beneath it. " if measured
             else "")
            + "Tick the box when you take a dose, and write the time.",
        )  # fmt: skip
        legend_font = font(6.8)
        for n, line in enumerate(line for line in legend if line):
            c.text(left, y + 3 + 9 * n, table_w, 10, c.elide(line, legend_font, table_w),
                   legend_font, wrap=False)  # fmt: skip
        hidden = self.hidden_symptoms
        if hidden:
            more = (
                f"+{len(hidden)} more tracked symptom{'s' if len(hidden) != 1 else ''} "
                f"not shown: {', '.join(hidden)} (rate them in the notes or in TaperDesk)."
            )
            c.text(
                left, y + 22, table_w, 11, c.elide(more, font(6.8, True), table_w),
                font(6.8, True), wrap=False,
            )  # fmt: skip
        return y + self._legend_height()

    def _draw_day(
        self,
        c: Canvas,
        week: SheetWeek,
        day: SheetDay,
        y: float,
        h: float,
        widths: tuple[float, float, float],
    ) -> None:
        day_w, dose_w, _sym_w = widths
        left = c.left
        if day.mark in (Mark.CUT, Mark.SWITCH):  # a bar down the row: seen from across a room
            c.rect(left + 0.6, y + 0.6, 3.5, h - 1.2, 0, fill=INK, color=None)
        if day.day.weekday() != 0:  # Monday's row starts under the header's rule
            c.line(left, y, c.right, y, LINE_PT, DARK_RULE)
        box_w = day_w - 10
        weekday = WEEKDAYS[day.day.weekday()]
        weekday_font = font(11, True)
        c.text(left + 7, y + 4, box_w, 14, weekday, weekday_font, wrap=False)
        date_x = left + 7 + c.text_width(weekday, weekday_font) + 4
        c.text(date_x, y + 6, box_w, 12, short_date(day.day), font(8.6), wrap=False)
        line_y = y + (18 if self.compact else 20)
        x = left + 7
        if day.mark is not Mark.NONE:
            word = day.mark.value
            marker_font = font(7.6, bold=True)
            mw = c.text_width(word, marker_font) + 6
            if day.mark is Mark.HOLD:
                c.hatch(x, line_y, mw, 11, spacing=2.5, color=INK)
                c.rect(x, line_y + 1.5, mw, 8, 0, fill=WHITE, color=None)
                c.rect(x, line_y, mw, 11, 1.0)
            else:
                c.rect(x, line_y, mw, 11, 1.0, fill=INK)
            c.text(
                x, line_y + 0.5, mw, 11, word, marker_font,
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                color=INK if day.mark is Mark.HOLD else WHITE, wrap=False,
            )  # fmt: skip
            x += mw + 4
        elif day.note:
            note_font = font(7, italic=True)
            c.text(x, line_y + 1, box_w, 10, day.note, note_font, color=GREY, wrap=False)
            x += c.text_width(day.note, note_font) + 4
        if day.total_text:
            total = f"{day.total_text.strip()}/day"
            small_font = total_font()
            if self._total_below(c, day):
                x, line_y = left + 7, line_y + 12  # under the mark
            c.text(x, line_y + 1.5, box_w, 10, total, small_font, color=GREY, wrap=False)
        x = left + day_w
        for dose in day.doses:
            self._draw_dose(c, week, dose, x, y, dose_w, h)
            x += dose_w

    def _draw_dose(
        self, c: Canvas, week: SheetWeek, dose: SheetDose, x: float, y: float, w: float, h: float
    ) -> None:
        pad = 5.0
        cy = y + 5
        if dose.total_mg <= 0:
            first = dose.items[0].measure if dose.items else "–"
            c.text(x + pad, cy, w - 2 * pad, 16, first, self._measure_font(), wrap=False)
            if first != "–":
                c.text(x + pad, cy + 18, w - 2 * pad, 12, "no dose", font(NOTE_PT, italic=True),
                       color=GREY)  # fmt: skip
            return
        inner = w - 2 * pad
        for item in dose.items:
            lines = self._item_lines(c, item, inner, week.shows_remove)
            if self._mg_inline(c, item, inner) and lines[0][0] == item.measure:
                gap = c.text_width(item.measure, lines[0][1]) + 6
                mg = item.mg_text.strip()
                if mg and mg != item.measure.strip():
                    c.text(x + pad + gap, cy + 5, inner - gap, 12, mg, font(MG_PT), wrap=False)
            for text, text_font, line_h in lines:
                c.text(x + pad, cy, inner, line_h + 1, text, text_font)
                cy += line_h
        strip_w = self._strip_width()
        if self._side_strip(c, week, dose, inner):
            bx, by = x + w - pad - strip_w, y + 9
        else:
            bx, by = x + pad, y + h - STRIP_PT + 1
        c.tick_box(bx, by, 9)
        small = font(6.8)
        time_x = bx + 14
        if not self.compact:
            c.text(bx + 12, by + 1, 30, 9, "taken", small, color=GREY, wrap=False)
            time_x = bx + 38
        c.text(time_x, by + 1, 22, 9, "time", small, color=GREY, wrap=False)
        c.line(time_x + 17, by + 9, min(x + w - pad, bx + strip_w), by + 9, LINE_PT, DARK_RULE)

    def _draw_notes(self, c: Canvas, top: float) -> None:
        if top + 30 > c.bottom:
            return
        c.text(
            c.left, top, c.content_width, 12,
            "Notes — how the week went, symptoms, questions for your prescriber",
            font(8.6, True), wrap=False,
        )  # fmt: skip
        y = top + 30
        while y <= c.bottom - 2:
            c.line(c.left, y, c.right, y, LINE_PT, DARK_RULE)
            y += 18
