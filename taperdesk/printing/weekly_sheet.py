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

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont

from taperdesk.app.lived_plan import DayKind
from taperdesk.core.measure import (
    DOSE_DECIMALS,
    align_decimals,
    first_upper,
    format_mg,
    format_percent,
)
from taperdesk.printing.document import GREY, INK, RULE, SHADE, Canvas, PageDrawer, font
from taperdesk.printing.sources import MAX_SHEET_SYMPTOMS, PrintInputs

#: Most symptom columns a sheet draws when the dosing columns have room for them.
MAX_FITTED_SYMPTOMS = 12
#: Narrowest dosing-time column more symptom columns may leave, in points.
MIN_DOSE_COLUMN_PT = 130.0
#: Width of one symptom column, and of the whole symptom group at least, in points.
SYMPTOM_COLUMN_PT = 19.0
SYMPTOM_GROUP_MIN_PT = 62.0
DAY_COLUMN_PT = 66.0

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
class SheetDose:
    """What to take at one dosing time of one day."""

    amounts: tuple[str, ...]  # "0.45 mg", or "Diazepam 5 mg" lines during a crossover
    instruction: str  # from the titration method; empty without one
    total_mg: float


@dataclass(frozen=True)
class SheetDay:
    day: dt.date
    doses: tuple[SheetDose, ...]  # one per dosing time
    total_text: str
    cut: bool = False
    hold: bool = False
    note: str = ""  # "before the plan", "taper complete", "step 3"


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


def _places(inputs: PrintInputs) -> int:
    """Every digit a dose has (up to 4): the same figure the plan holds."""
    return DOSE_DECIMALS


def _method_applies(inputs: PrintInputs, drug_key: str) -> bool:
    """The saved equipment is for ``drug_key`` (never another drug's tablets or mix)."""
    method = inputs.method
    return method is not None and method.applies_to(drug_key, inputs.plan.crossover is None)


def _instruction(inputs: PrintInputs, dose_mg: float, drug_key: str) -> str:
    if inputs.method is None:
        return ""
    if not _method_applies(inputs, drug_key):
        return ""  # the equipment is another drug's: "How to measure" says what to do
    from taperdesk.core.titration import TitrationInputError, instruction_for_dose

    try:
        return instruction_for_dose(inputs.method, dose_mg)
    except TitrationInputError:
        return "see the Titration tab for how to measure this dose"


def strength_text(inputs: PrintInputs) -> str:
    """Tablet strength: from the saved titration method, else the catalogue's tablets."""
    from taperdesk.core.measure import format_number

    method = inputs.method
    if method is not None and not _method_applies(inputs, inputs.plan.taper_drug_key):
        method = None  # equipment for another drug: show the tapered drug's own tablets
    if method is not None:
        kind = method.kind.value
        if kind == "liquid":
            mix = method.liquid_mix()
            if method.tablet_mg and method.liquid_mg_per_ml is None:
                return f"{format_mg(method.tablet_mg, 4)} tablets, as a {mix.describe()}"
            return mix.describe()
        if kind == "scale" and method.tablet_mg:
            return f"{format_mg(method.tablet_mg, 4)} tablets, weighed"
        if kind == "tablets" and method.strengths:
            mgs = ", ".join(format_number(s.strength_mg, 4) for s in method.strengths)
            if any(s.form.must_stay_intact for s in method.strengths):
                return f"{mgs} mg extended-release tablets, swallowed whole"
            return f"{mgs} mg tablets"
        if kind == "compounded":
            return "compounded capsules"
    drug = inputs.catalogue.get(inputs.plan.taper_drug_key)
    # Extended-release products are not listed: every dose on the sheet is measured from
    # immediate-release tablets, or taken as the prescriber said.
    strengths = sorted({t.mg for t in drug.tablets if not t.form.must_stay_intact})
    if not strengths:
        return "see your prescription"
    return ", ".join(format_number(s, 4) for s in strengths) + " mg tablets"


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
        "compounded": "Capsules made up by your compounding pharmacy.",
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
        if (p := inputs.lived.on(d)) is not None and p.step is not None and p.step.is_cut
    ]
    nominal = plan.reduction.value * 14 / plan.interval_days
    if rates and (plan.reduction.kind.value != "percent" or abs(max(rates) - nominal) > 0.5):
        text += f"; ≈ {format_percent(max(rates))} per 14 days"
    return text


def sheet_week(inputs: PrintInputs, monday: dt.date) -> SheetWeek:
    """The plain content of the sheet for the week starting ``monday``."""
    schedule, plan = inputs.schedule, inputs.plan
    places = _places(inputs)
    taper_key = plan.taper_drug_key
    several = len(schedule.drug_keys) > 1
    dates = [monday + dt.timedelta(days=i) for i in range(7)]
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
    days = []
    for day in dates:
        planned = plan_days[day]
        note = ""
        cut = hold = False
        if planned is None:  # before the plan was saved: nothing to state
            blank = SheetDose(("–",), "", 0.0)
            days.append(SheetDay(day, tuple(blank for _ in week_labels), "", note="no plan"))
            continue
        else:
            rows = [(d.drug_key, d.doses_mg) for d in planned.drugs]
            several_today = len(planned.taken_drugs) > 1
            kind = planned.kind
            cut = planned.is_cut
            hold = planned.hold
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
        for label in week_labels:
            if not planned.has_label(label):  # this day's revision has no such dosing time
                doses.append(SheetDose(("–",), "", 0.0))
                continue
            parts = [(key, planned.mg(label, key)) for key, _doses in rows]
            shown = [(k, mg) for k, mg in parts if mg > 0] or parts[-1:]
            amounts = tuple(
                (f"{inputs.catalogue.get(k).name} " if several or several_today else "")
                + format_mg(mg, places)
                for k, mg in shown
            )
            taper_mg = sum(mg for k, mg in parts if k == taper_key)
            instruction = _instruction(inputs, taper_mg, taper_key) if taper_mg > 0 else ""
            doses.append(SheetDose(amounts, instruction, sum(mg for _k, mg in parts)))
        taken = [(k, sum(d)) for k, d in rows if sum(d) > 0] or [(rows[-1][0], 0.0)]
        # A sum across two drugs means nothing, and the cell names each dose's drug.
        total = "" if len(taken) > 1 else format_mg(taken[0][1], places)
        days.append(SheetDay(day, tuple(doses), total, cut, hold, note))
    days = _aligned_days(days)
    drug = inputs.catalogue.get(plan.drug_key).name
    if plan.crossover is not None:
        drug += f" → {inputs.catalogue.get(taper_key).name}"
    return SheetWeek(
        monday=monday,
        labels=labels,
        days=tuple(days),
        drug_text=drug,
        strength_text=strength_text(inputs),
        step_text=_step_text(inputs, dates),
        rate_text=_rate_text(inputs, dates),
        method_text=method_text(inputs),
        warnings=_strong_warnings(inputs, dates[0], dates[-1]),
    )


_AMOUNT = re.compile(r"^(.*?)(\d+(?:\.\d+)?)( mg)$")


def _aligned_days(days: list[SheetDay]) -> list[SheetDay]:
    """Each dosing-time column's figures padded with figure spaces so their decimal points
    line up down the week ("0.34" reads right beside "0.342"; no trailing zeros)."""
    if not days:
        return days
    columns = list(zip(*(d.doses for d in days), strict=True))
    for index, column in enumerate(columns):
        parts = [
            _AMOUNT.match(dose.amounts[0]) if len(dose.amounts) == 1 else None for dose in column
        ]
        numbers = align_decimals([m.group(2) if m else "" for m in parts])
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


def two_lines(c: Canvas, text: str, text_font: QFont, width: float) -> str:
    """``text`` on one line, or broken at a space onto two, the second elided if too long."""
    if c.text_width(text, text_font) <= width:
        return text
    words = text.split()
    first = words[0]
    for n in range(1, len(words)):
        candidate = " ".join(words[: n + 1])
        if c.text_width(candidate, text_font) > width:
            first = " ".join(words[:n])
            break
    else:
        first = " ".join(words)
    rest = text[len(first) :].strip()
    first = c.elide(first, text_font, width)
    return f"{first}\n{c.elide(rest, text_font, width)}" if rest else first


class WeeklySheetDocument:
    """One page per week from ``first_monday`` for ``weeks`` weeks."""

    def __init__(self, inputs: PrintInputs, first_monday: dt.date, weeks: int = 1) -> None:
        if not 1 <= weeks <= MAX_WEEKS:
            raise ValueError(f"Print 1 to {MAX_WEEKS} weeks at a time.")
        self.inputs = inputs
        self.mondays = [week_start(first_monday) + dt.timedelta(weeks=i) for i in range(weeks)]
        self.title = f"TaperDesk weekly dosing sheet from {self.mondays[0].isoformat()}"
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

    def layout(self, canvas: Canvas) -> list[PageDrawer]:
        self.symptoms = self.fit_symptoms(canvas)
        weeks = [sheet_week(self.inputs, m) for m in self.mondays]
        return [lambda c, w=week: self._draw(c, w) for week in weeks]

    # -- drawing -----------------------------------------------------------------------

    def _draw(self, c: Canvas, week: SheetWeek) -> None:
        y = self._draw_header(c, week)
        y = self._draw_table(c, week, y + 10)
        self._draw_notes(c, y + 8)

    def _draw_header(self, c: Canvas, week: SheetWeek) -> float:
        top, left, width = c.top, c.left, c.content_width
        c.text(
            left, top, width, 10, "TAPERDESK · PERSONAL DOSING RECORD", font(6.8, True), color=GREY
        )
        title_font = font(17, bold=True)
        c.text(left, top + 10, width, 24, "Weekly dosing sheet", title_font, wrap=False)
        week_font = font(11, bold=True)
        c.text(
            left,
            top + 14,
            width,
            18,
            week_range_text(week.monday),
            week_font,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
            wrap=False,
        )
        y = top + 36
        c.line(left, y, c.right, y, 1.6)
        name = self.inputs.person_name
        fields = [
            ("NAME", name or ""),
            ("DRUG", week.drug_text),
            ("STRENGTH", week.strength_text),
            ("STEP", week.step_text),
            ("PLAN", week.rate_text),
            ("HOW TO MEASURE", week.method_text),
        ]
        col_w = [width * 0.25, width * 0.33, width * 0.42]
        label_font = font(6.3, bold=True)
        row_h = 29.0
        for index, (label, value) in enumerate(fields):
            row, col = divmod(index, 3)
            x = left + sum(col_w[:col])
            cy = y + 5 + row * row_h
            c.text(x, cy, col_w[col] - 8, 9, label, label_font, color=GREY, wrap=False)
            if label == "NAME" and not value:
                c.line(x + 30, cy + 19, x + col_w[col] - 12, cy + 19, 0.5, RULE)
                continue
            first, _, rest = value.partition("\n")
            strong = label in ("DRUG", "STEP")
            shown = first if rest else value
            value_font = font(8.6, bold=strong)
            if c.text_height(shown, value_font, col_w[col] - 8) > row_h - 8:
                value_font = font(7.2, bold=strong)  # three lines rather than a lost one
            c.text(x, cy + 8, col_w[col] - 8, row_h - 6, shown, value_font)
            if rest:
                rest = c.elide(rest, font(7.6), col_w[col] - 8)
                c.text(x, cy + 18, col_w[col] - 8, 10, rest, font(7.6), wrap=False)
        y += 5 + 2 * row_h + 4
        c.line(left, y, c.right, y, 0.5, RULE)
        if week.warnings:  # in a box on every sheet of a week the warning concerns
            warn_font = font(7.6, bold=True)
            texts = [f"STRONG WARNING: {text}" for text in week.warnings]
            heights = [c.text_height(t, warn_font, width - 12) for t in texts]
            box_h = sum(heights) + 3 * (len(texts) - 1) + 8
            c.rect(left, y + 4, width, box_h, 1.2, color=INK)
            ty = y + 8
            for text, h in zip(texts, heights, strict=True):
                c.text(left + 6, ty, width - 12, h, text, warn_font)
                ty += h + 3
            y += box_h + 6
        return y

    def _columns(self, c: Canvas, week: SheetWeek) -> tuple[float, float, float]:
        """Widths of the day column, each dosing-time column, each symptom column."""
        day_w = DAY_COLUMN_PT
        count = len(self.symptoms)
        symptom_w = max(SYMPTOM_COLUMN_PT, SYMPTOM_GROUP_MIN_PT / count) if count else 0.0
        rest = c.content_width - day_w - symptom_w * count
        return day_w, rest / len(week.labels), symptom_w

    def _draw_table(self, c: Canvas, week: SheetWeek, top: float) -> float:
        left = c.left
        day_w, dose_w, sym_w = self._columns(c, week)
        head_h = 62.0 if self.symptoms else 22.0
        notes_min = 86.0
        legend_h = 14.0 + (11.0 if self.hidden_symptoms else 0.0)
        row_h = min(80.0, (c.bottom - top - head_h - legend_h - notes_min) / 7)
        table_w = c.content_width
        bottom = top + head_h + 7 * row_h
        # header
        c.rect(left, top, table_w, head_h, 0, fill=SHADE, color=None)
        head_font = font(8.2, bold=True)
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
                    x + 5,
                    top + head_h - 16 - line_h * (len(lines) - 1 - i),
                    dose_w - 10,
                    14,
                    line,
                    head_font,
                    wrap=False,
                )
            x += dose_w
        if self.symptoms:
            group_w = sym_w * len(self.symptoms)
            c.text(
                x + 2,
                top + 3,
                group_w - 4,
                18,
                "Symptoms\n0 none – 10 worst",
                font(6.2, True),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            )
            name_font = font(6.2)
            name_len = head_h - 26  # below the group heading, above the rule
            for name in self.symptoms:
                text = two_lines(c, name, name_font, name_len)
                h = c.line_height(name_font) * (text.count("\n") + 1)
                p = c._p()
                p.save()
                p.translate(QPointF(x * c.scale, (top + head_h - 3) * c.scale))
                p.rotate(-90)
                c.text(0, (sym_w - h) / 2, name_len, h, text, name_font, wrap=False)
                p.restore()
                x += sym_w
        c.line(left, top + head_h, left + table_w, top + head_h, 0.9)
        # rows
        for index, day in enumerate(week.days):
            self._draw_day(
                c, week, day, top + head_h + index * row_h, row_h, (day_w, dose_w, sym_w)
            )
        # grid
        c.rect(left, top, table_w, bottom - top, 1.0)
        x = left + day_w
        c.line(x, top, x, bottom, 0.7)
        for _ in week.labels[1:]:
            x += dose_w
            c.line(x, top, x, bottom, 0.5)
        if self.symptoms:
            x += dose_w
            c.line(x, top, x, bottom, 0.7)
            for _ in self.symptoms[1:]:
                x += sym_w
                c.line(x, top + (20 if self.symptoms else 0), x, bottom, 0.3, RULE)
        legend = (
            "▼ CUT: the dose goes down from this day (bold doses).   "
            "HOLD: the dose stays the same.   Tick the box when you take a dose and write the time."
        )
        c.text(left, bottom + 3, table_w, 11, legend, font(6.6), color=GREY, wrap=False)
        hidden = self.hidden_symptoms
        if hidden:
            more = (
                f"+{len(hidden)} more tracked symptom{'s' if len(hidden) != 1 else ''} "
                f"not shown: {', '.join(hidden)} (rate them in the notes or in TaperDesk)."
            )
            c.text(
                left,
                bottom + 14,
                table_w,
                11,
                c.elide(more, font(6.6, True), table_w),
                font(6.6, True),
                wrap=False,
            )
        return bottom + legend_h

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
        if day.cut:
            c.rect(left + 0.5, y + 0.5, 3.0, h - 1, 0, fill=INK, color=None)
        if day.day.weekday() != 0:
            c.line(left, y, c.right, y, 0.5, RULE)
        box_w = day_w - 10
        c.text(
            left + 5, y + 4, box_w, 14, WEEKDAYS[day.day.weekday()], font(10.5, True), wrap=False
        )
        c.text(left + 5, y + 17, box_w, 12, short_date(day.day), font(8.5), wrap=False)
        marker_y = y + 31
        if day.cut or day.hold:
            word = "▼ CUT" if day.cut else "HOLD"
            marker_font = font(7.6, bold=True)
            mw = c.text_width(word, marker_font) + 6
            if day.cut:
                c.rect(left + 5, marker_y, mw, 11, 0.8, fill=INK)
            else:
                c.hatch(left + 5, marker_y, mw, 11, spacing=2.5)
                c.rect(left + 5, marker_y, mw, 11, 0.8)
            c.text(
                left + 5,
                marker_y + 0.5,
                mw,
                11,
                word,
                marker_font,
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                color=WHITE if day.cut else INK,
                wrap=False,
            )
            marker_y += 14
        if day.note and marker_y + 10 <= y + h - 12:  # only when it clears the total
            c.text(
                left + 5,
                marker_y,
                box_w,
                10,
                day.note,
                font(6.5, italic=True),
                color=GREY,
                wrap=False,
            )
        if day.total_text:
            c.text(
                left + 5,
                y + h - 12,
                box_w,
                10,
                f"total {day.total_text}",
                font(6.5),
                color=GREY,
                wrap=False,
            )
        x = left + day_w
        for dose in day.doses:
            self._draw_dose(c, dose, day, x, y, dose_w, h)
            x += dose_w

    def _draw_dose(
        self, c: Canvas, dose: SheetDose, day: SheetDay, x: float, y: float, w: float, h: float
    ) -> None:
        pad = 5.0
        amount_font = font(10, bold=day.cut)
        cy = y + 4
        for amount in dose.amounts:
            c.text(x + pad, cy, w - 2 * pad, 14, amount, amount_font, wrap=False)
            cy += 13
        if dose.total_mg <= 0:
            c.text(x + pad, cy, w - 2 * pad, 12, "no dose", font(7.4, italic=True), color=GREY)
            return
        strip = 15.0
        if dose.instruction:
            space = y + h - strip - cy
            for size in (7.4, 6.9, 6.4, 6.0):
                inst_font = font(size)
                if c.text_height(dose.instruction, inst_font, w - 2 * pad) <= space:
                    break
            c.text(x + pad, cy + 1, w - 2 * pad, space, dose.instruction, inst_font)
        by = y + h - strip + 2
        c.tick_box(x + pad, by, 9)
        small = font(6.6)
        c.text(x + pad + 12, by + 1, 30, 9, "taken", small, color=GREY, wrap=False)
        time_x = x + pad + 42
        c.text(time_x, by + 1, 22, 9, "time", small, color=GREY, wrap=False)
        c.line(time_x + 17, by + 9, min(x + w - pad, time_x + 60), by + 9, 0.4, GREY)

    def _draw_notes(self, c: Canvas, top: float) -> None:
        c.text(
            c.left,
            top,
            c.content_width,
            12,
            "Notes — how the week went, symptoms, questions for your prescriber",
            font(8.2, True),
            wrap=False,
        )
        y = top + 30
        while y <= c.bottom - 2:
            c.line(c.left, y, c.right, y, 0.4, RULE)
            y += 17
