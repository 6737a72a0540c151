"""The prescriber report: the plan and how it went over a date range.

Page 1: plan summary, adherence (days logged, days as planned, deviations,
holds), doses taken vs planned and symptom ratings as vector charts. Then a
table of the days worth a look (deviations, holds, notes), over as many pages
as it needs. :func:`adherence` is plain data, so tests check the numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from taperdesk.core.measure import EPSILON, decimals_for_step, format_mg, format_percent
from taperdesk.printing.charts import doses_figure, symptoms_averaged, symptoms_figure, to_svg
from taperdesk.printing.document import Canvas, Cell, Column, PageDrawer, Table, font, scale_columns
from taperdesk.printing.plan_overview import draw_key_values, draw_title, plan_summary_lines
from taperdesk.printing.sources import DiaryDay, PrintInputs
from taperdesk.printing.weekly_sheet import short_date

CHART_HEIGHT_PT = 140.0
#: Longest report range, in days (about three years).
MAX_REPORT_DAYS = 1100


@dataclass(frozen=True)
class Adherence:
    days: int
    days_logged: int
    days_as_planned: int
    deviations: tuple[dt.date, ...]
    held_days: int
    holds: tuple[tuple[dt.date, dt.date | None], ...]

    @property
    def logged_percent(self) -> float:
        return 100 * self.days_logged / self.days if self.days else 0.0


def _planned_by_label(inputs: PrintInputs, day: dt.date) -> dict[str, float] | None:
    """mg of the drug being tapered at each dosing time (the diary's drug, too)."""
    planned = inputs.schedule.doses_on(day)
    taper_key = inputs.plan.taper_drug_key
    if planned is None:
        if day < inputs.schedule.summary.start_date and inputs.plan.drug_key == taper_key:
            return {t.label: t.dose_mg for t in inputs.plan.dosing_times}
        return None
    return planned.doses_mg_by_label(taper_key)


def is_as_planned(inputs: PrintInputs, entry: DiaryDay) -> bool:
    """Every dosing time logged and equal to the plan (the diary's planned mg, else the
    schedule's)."""
    planned = dict(entry.planned_mg) or _planned_by_label(inputs, entry.day) or {}
    labels = set(planned) | set(entry.taken_mg)
    return bool(entry.taken_mg) and all(
        abs(entry.taken_mg.get(k, 0.0) - planned.get(k, 0.0)) <= EPSILON * 1000 for k in labels
    )


def adherence(
    inputs: PrintInputs, diary: Sequence[DiaryDay], first: dt.date, last: dt.date
) -> Adherence:
    logged = [d for d in diary if first <= d.day <= last and d.taken_mg]
    deviations = tuple(d.day for d in logged if not is_as_planned(inputs, d))
    held = sum(
        1
        for i in range((last - first).days + 1)
        if (p := inputs.schedule.doses_on(first + dt.timedelta(days=i))) is not None and p.hold
    )
    holds = tuple(
        (h.start, h.end)
        for h in inputs.plan.holds
        if h.start <= last and (h.end is None or h.end >= first)
    )
    return Adherence(
        days=(last - first).days + 1,
        days_logged=len(logged),
        days_as_planned=len(logged) - len(deviations),
        deviations=deviations,
        held_days=held,
        holds=holds,
    )


class PrescriberReportDocument:
    def __init__(
        self,
        inputs: PrintInputs,
        diary: Sequence[DiaryDay],
        first: dt.date,
        last: dt.date,
    ) -> None:
        if last < first:
            raise ValueError("The report's end date is before its start date.")
        if (last - first).days + 1 > MAX_REPORT_DAYS:
            raise ValueError(f"Report at most {MAX_REPORT_DAYS} days at a time.")
        self.inputs = inputs
        self.diary = [d for d in diary if first <= d.day <= last]
        self.first, self.last = first, last
        self.title = f"TaperDesk report {first.isoformat()} to {last.isoformat()}"
        self.stats = adherence(inputs, self.diary, first, last)
        self.places = max(2, decimals_for_step(inputs.plan.rounding_mg))

    @property
    def symptoms(self) -> list[str]:
        names = list(self.inputs.tracked_symptoms)
        for entry in self.diary:
            names += [n for n in entry.ratings if n not in names]
        return names[:6]

    def day_table(self, c: Canvas) -> Table:
        widths = scale_columns([62, 62, 62, 40, 230], c.content_width)
        table = Table(
            [
                Column("Date", widths[0]),
                Column("Planned", widths[1]),
                Column("Taken", widths[2]),
                Column("Day", widths[3]),
                Column("Notes and reasons", widths[4]),
            ],
            size=7.6,
        )
        for entry in self.diary:
            planned = _planned_by_label(self.inputs, entry.day)
            deviation = entry.day in self.stats.deviations
            hold = (p := self.inputs.schedule.doses_on(entry.day)) is not None and p.hold
            text = " ".join(t for t in (entry.deviation_reason, entry.notes) if t)
            if not (deviation or hold or text):
                continue
            taken = entry.taken_total_mg
            table.rows.append(
                [
                    short_date(entry.day, True),
                    format_mg(sum(planned.values()), self.places) if planned else "–",
                    Cell(
                        format_mg(taken, self.places) if taken is not None else "not logged",
                        bold=deviation,
                        hatched=deviation,
                    ),
                    "HOLD" if hold else ("differs" if deviation else ""),
                    text,
                ]
            )
        return table

    def _summary_pairs(self) -> list[tuple[str, str]]:
        s = self.stats
        pairs = [p for p in plan_summary_lines(self.inputs) if p[0] != "Revision"]
        pairs.append(
            (
                "Adherence",
                f"{s.days_logged} of {s.days} days logged ({format_percent(s.logged_percent, 0)}); "
                f"{s.days_as_planned} as planned; {len(s.deviations)} with a different dose",
            )
        )
        holds = "; ".join(
            f"{short_date(a, True)} – {short_date(b, True) if b else 'still holding'}"
            for a, b in s.holds
        )
        pairs.append(
            ("Holds", f"{s.held_days} held days in this range" + (f": {holds}" if holds else ""))
        )
        if self.inputs.person_name:
            pairs.insert(0, ("Name", self.inputs.person_name))
        return pairs

    def _charts_bottom(self, c: Canvas) -> float:
        value_font = font(8.6)
        y = c.top + 44
        for _label, value in self._summary_pairs():
            y += (
                max(
                    c.text_height(value, value_font, c.content_width - 88),
                    c.line_height(value_font),
                )
                + 2.5
            )
        heading = c.line_height(font(10.5, bold=True)) + 6
        return y + 6 + 2 * (heading + CHART_HEIGHT_PT + 6) + 4 + heading

    def layout(self, c: Canvas) -> list[PageDrawer]:
        table = self.day_table(c)
        heading = c.line_height(font(10.5, bold=True)) + 6
        pages = table.paginate(c, self._charts_bottom(c), c.top + 44 + heading)
        return [
            lambda cv, rows=rows, n=n: self._draw(cv, table, rows, n)
            for n, rows in enumerate(pages)
        ]

    def _draw(self, c: Canvas, table: Table, rows: list[int], page_index: int) -> None:
        y = draw_title(
            c,
            "Report for the prescriber",
            f"{short_date(self.first, True)} – {short_date(self.last, True)}",
        )
        if page_index == 0:
            y = draw_key_values(c, y, self._summary_pairs()) + 6
            days = [self.first + dt.timedelta(days=i) for i in range(self.stats.days)]
            planned = [
                (sum(p.values()) if (p := _planned_by_label(self.inputs, d)) else None)
                for d in days
            ]
            by_day = {e.day: e.taken_total_mg for e in self.diary if not e.other_drug}
            taken = [by_day.get(d) for d in days]
            taper = self.inputs.catalogue.get(self.inputs.plan.taper_drug_key).name
            heading = "Daily dose: planned and taken"
            if self.inputs.plan.crossover is not None:  # one drug per axis, never a mix
                heading = f"Daily dose of {taper.lower()}: planned and taken"
            y = c.heading(y, heading)
            c.svg(
                to_svg(doses_figure(days, planned, taken, c.content_width, CHART_HEIGHT_PT)),
                c.left,
                y,
                c.content_width,
                CHART_HEIGHT_PT,
            )
            average = ", 7-day average" if symptoms_averaged(self.first, self.last) else ""
            y = c.heading(y + CHART_HEIGHT_PT + 6, f"Symptoms (0 none – 10 worst{average})")
            if any(e.ratings for e in self.diary):
                figure = symptoms_figure(
                    self.diary,
                    self.symptoms,
                    self.first,
                    self.last,
                    c.content_width,
                    CHART_HEIGHT_PT,
                )
                c.svg(to_svg(figure), c.left, y, c.content_width, CHART_HEIGHT_PT)
            else:
                c.text(
                    c.left,
                    y,
                    c.content_width,
                    12,
                    "No symptom ratings in this range.",
                    font(8.6, italic=True),
                )
            y = c.heading(y + CHART_HEIGHT_PT + 10, "Days to note: different doses, holds, notes")
        else:
            y = c.heading(y, "Days to note (continued)")
        if table.rows:
            table.draw(c, y, rows)
        else:
            c.text(
                c.left,
                y,
                c.content_width,
                12,
                "Nothing to note: every logged day went as planned.",
                font(8.6, italic=True),
            )
