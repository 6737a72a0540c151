"""The prescriber report: the plan and how it went over a date range.

Page 1 opens with a block in words, readable in half a minute (the dose now and
the step, the next cut, days logged, higher and lower days with their sizes,
holds; see :mod:`report_summary`), then the plan summary, doses taken vs
planned and symptom ratings (7-day means bold over faint daily values) as
vector charts. Then a table of the days worth a look (each hold period in one
row, each different day with its difference, reason and note apart), over as
many pages as it needs. :func:`adherence` is plain data, so tests check the
numbers.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from taperdesk.app.lived_plan import PlanDay
from taperdesk.core.measure import (
    DOSE_DECIMALS,
    EPSILON,
    format_mg,
)
from taperdesk.printing.charts import doses_figure, symptoms_figure, to_svg
from taperdesk.printing.document import (
    GREY,
    Canvas,
    Cell,
    Column,
    PageDrawer,
    Table,
    font,
    scale_columns,
)
from taperdesk.printing.plan_overview import draw_key_values, draw_title, plan_summary_lines
from taperdesk.printing.report_summary import (
    Deviation,
    date_span,
    days_text,
    deviations,
    glance_lines,
    hold_spans,
)
from taperdesk.printing.sources import DiaryDay, PrintInputs
from taperdesk.printing.weekly_sheet import short_date

CHART_HEIGHT_PT = 140.0
#: The charts may shrink to this height when that keeps the day table on page 1 (a last
#: row or two alone on a near-empty page 2 reads as an afterthought).
MIN_CHART_HEIGHT_PT = 100.0
#: Fewer day-table rows than this under the charts, with more to come: the table starts
#: on page 2 instead.
MIN_FIRST_PAGE_ROWS = 3
#: Label column of the first block, in points.
GLANCE_LABEL_PT = 104.0
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
    """mg of the drug being tapered that day at each dosing time (the plan as lived)."""
    planned = inputs.lived.on(day)
    return planned.doses_by_label() if planned is not None else None


def _eq_mg(inputs: PrintInputs, drug_key: str, mg: float) -> float:
    drug = inputs.catalogue.with_overrides(inputs.plan.overrides).get(drug_key)
    return mg * 10 / drug.mg_per_diazepam_10


def is_as_planned(inputs: PrintInputs, entry: DiaryDay) -> bool:
    """Every dose logged and equal to the plan of that day, drug by drug (the revision
    that applied then; the diary's own planned mg when there is no plan)."""
    planned_day = inputs.lived.on(entry.day)
    if planned_day is None or not entry.taken_by_drug:
        planned = dict(entry.planned_mg)
        labels = set(planned) | set(entry.taken_mg)
        return bool(entry.taken_mg) and all(
            abs(entry.taken_mg.get(k, 0.0) - planned.get(k, 0.0)) <= EPSILON * 1000 for k in labels
        )
    keys = {d.drug_key for d in planned_day.drugs} | set(entry.taken_by_drug)
    for key in keys:
        planned = planned_day.doses_by_label(key) if planned_day.drug(key) else {}
        taken = entry.taken_by_drug.get(key, {})
        for label in set(planned) | set(taken):
            if abs(taken.get(label, 0.0) - planned.get(label, 0.0)) > EPSILON * 1000:
                return False
    return True


def adherence(
    inputs: PrintInputs, diary: Sequence[DiaryDay], first: dt.date, last: dt.date
) -> Adherence:
    logged = [d for d in diary if first <= d.day <= last and d.taken_mg]
    # A day logged before there was a plan is neither as planned nor a deviation.
    planned = [d for d in logged if inputs.lived.on(d.day) is not None or d.planned_mg]
    deviations = tuple(d.day for d in planned if not is_as_planned(inputs, d))
    held = sum(
        1
        for i in range((last - first).days + 1)
        if (p := inputs.lived.on(first + dt.timedelta(days=i))) is not None and p.hold
    )
    holds = tuple(
        (h.start, h.end)
        for h in inputs.plan.holds
        if h.start <= last and (h.end is None or h.end >= first)
    )
    return Adherence(
        days=(last - first).days + 1,
        days_logged=len(logged),
        days_as_planned=len(planned) - len(deviations),
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
        self.places = DOSE_DECIMALS
        #: Each logged day that differs from its plan, with direction and size.
        self.found: tuple[Deviation, ...] = deviations(inputs, self.diary)
        self.chart_height = CHART_HEIGHT_PT

    @property
    def symptoms(self) -> list[str]:
        names = list(self.inputs.tracked_symptoms)
        for entry in self.diary:
            names += [n for n in entry.ratings if n not in names]
        return names[:6]

    def day_table(self, c: Canvas) -> Table:
        """Days to note, oldest first: one row per hold period, and each day that
        differs from the plan or carries a note, its difference, reason and note apart."""
        widths = scale_columns([66, 52, 54, 98, 96, 149], c.content_width)
        table = Table(
            [
                Column("Date", widths[0]),
                Column("Planned", widths[1]),
                Column("Taken", widths[2]),
                Column("Difference", widths[3]),
                Column("Reason given", widths[4]),
                Column("Note", widths[5]),
            ],
            size=7.6,
        )
        rows: list[tuple[dt.date, int, list[Cell | str]]] = []
        by_day = {d.day: d for d in self.found}
        names = self._name if self.several_drugs else None
        for start, end in hold_spans(self.inputs, self.first, self.last):
            held = self.inputs.lived.on(start)
            logged = sum(1 for e in self.diary if start <= e.day <= end and e.taken_mg)
            length = (end - start).days + 1
            taken = f"{logged} of {length} days logged"
            rows.append(
                (
                    start,
                    0,
                    [
                        Cell(date_span(start, end), bold=True),
                        self._planned_text(held),
                        taken,
                        Cell(f"HOLD ({days_text(length)})", bold=True),
                        "",
                        "",
                    ],
                )
            )
        for entry in self.diary:
            deviation = by_day.get(entry.day)
            if deviation is None and not (entry.deviation_reason or entry.notes):
                continue
            planned_day = self.inputs.lived.on(entry.day)
            difference = ""
            if deviation is not None:
                difference = deviation.size_text(names)
                if deviation.detail:
                    difference += f"\n{deviation.detail}"
            rows.append(
                (
                    entry.day,
                    1,
                    [
                        short_date(entry.day, True),
                        self._planned_text(planned_day),
                        Cell(self._taken_text(entry), bold=deviation is not None),
                        Cell(difference, bold=deviation is not None),
                        entry.deviation_reason,
                        entry.notes,
                    ],
                )
            )
        table.rows = [row for _day, _order, row in sorted(rows, key=lambda r: (r[0], r[1]))]
        return table

    @functools.cached_property
    def several_drugs(self) -> bool:
        """More than one drug is planned or taken in the range (a crossover, or a
        re-plan on another drug): doses are then named by drug and charted in
        diazepam equivalents."""
        keys: set[str] = set()
        for day in self._days_planned():
            keys |= {d.drug_key for d in day.taken_drugs}
        for entry in self.diary:
            keys |= {k for k, doses in entry.taken_by_drug.items() if sum(doses.values()) > 0}
        return len(keys) > 1

    def _name(self, drug_key: str) -> str:
        return self.inputs.catalogue.get(drug_key).name.lower()

    def _planned_text(self, planned: PlanDay | None) -> str:
        if planned is None:
            return "–"
        if not self.several_drugs:
            return format_mg(planned.taper.total_mg, self.places)
        return " + ".join(
            f"{format_mg(d.total_mg, self.places)} {self._name(d.drug_key)}"
            for d in planned.taken_drugs
        )

    def _taken_text(self, entry: DiaryDay) -> str:
        if not entry.taken_by_drug and entry.taken_total_mg is None:
            return "not logged"
        if not self.several_drugs or not entry.taken_by_drug:
            taken = entry.taken_total_mg
            return format_mg(taken, self.places) if taken is not None else "not logged"
        return " + ".join(
            f"{format_mg(sum(doses.values()), self.places)} {self._name(key)}"
            for key, doses in entry.taken_by_drug.items()
        )

    def _chart_values(self, days: list[dt.date]) -> tuple[list, list, str]:
        """Planned and taken per day, and the chart's heading: mg of the one drug, or the
        diazepam-equivalent total of every drug when there are several."""
        if self.several_drugs:
            planned = [
                p.total_diazepam_eq_mg if (p := self.inputs.lived.on(d)) is not None else None
                for d in days
            ]
            by_day = {
                e.day: sum(
                    _eq_mg(self.inputs, key, sum(doses.values()))
                    for key, doses in e.taken_by_drug.items()
                )
                for e in self.diary
                if e.taken_by_drug
            }
            keys = {k for e in self.diary for k in e.taken_by_drug}
            keys |= {drug.drug_key for day in self._days_planned() for drug in day.taken_drugs}
            names = " and ".join(sorted(self._name(k) for k in keys))
            heading = f"Daily dose in diazepam equivalents ({names}): planned and taken"
            return planned, [by_day.get(d) for d in days], heading
        planned = [
            (sum(p.values()) if (p := _planned_by_label(self.inputs, d)) else None) for d in days
        ]
        by_day_mg = {e.day: e.taken_total_mg for e in self.diary if not e.other_drug}
        drug_key = next(
            (p.taper.drug_key for p in self._days_planned()), self.inputs.plan.taper_drug_key
        )
        heading = f"Daily dose of {self._name(drug_key)}: planned and taken"
        return planned, [by_day_mg.get(d) for d in days], heading

    @functools.cached_property
    def _planned_days(self) -> list[PlanDay]:
        return list(self.inputs.lived.days(self.first, self.last))

    def _days_planned(self) -> list[PlanDay]:
        return self._planned_days

    def _summary_pairs(self) -> list[tuple[str, str]]:
        """The plan (the first block says how it went)."""
        # Holds are in the first block (the overview's "On hold" speaks of its table).
        pairs = [p for p in plan_summary_lines(self.inputs) if p[0] not in ("Revision", "On hold")]
        changes = self._revisions_in_range()
        if changes:
            pairs.insert(0, ("Plan changes", changes))
        return pairs

    def glance(self) -> list[tuple[str, str]]:
        """The first block, in words (name first when known)."""
        lines = glance_lines(
            self.inputs, self.diary, self.first, self.last, self.found, self.several_drugs
        )
        if self.inputs.person_name:
            lines.insert(0, ("Name", self.inputs.person_name))
        return lines

    def _revisions_in_range(self) -> str:
        """The revisions that applied in the range, when there were several (the lines
        above describe the newest): "revision 1 to 9 Nov 2026; revision 2 from 10 Nov
        2026 (Re-planned from 2026-11-02)"."""
        lived = self.inputs.lived
        first = lived.revision_index_on(self.first)
        last = lived.revision_index_on(self.last)
        if first == last and last == len(lived.revisions) - 1:
            return ""
        parts = []
        for index in range(first, len(lived.revisions)):
            revision = lived.revisions[index]
            start = revision.saved_on
            when = f"from {short_date(start, True)}" if start and index > first else "until then"
            if index == first and index < len(lived.revisions) - 1:
                nxt = lived.revisions[index + 1].saved_on
                when = f"until {short_date(nxt - dt.timedelta(days=1), True)}" if nxt else ""
            parts.append(
                f"revision {revision.number} {when} ({revision.reason})".replace(" ()", "")
            )
        text = "; ".join(parts)
        return text + ". The lines below describe the newest revision."

    @staticmethod
    def _pairs_height(c: Canvas, pairs: list[tuple[str, str]], value_font, label_w: float) -> float:
        return sum(
            max(
                c.text_height(value, value_font, c.content_width - label_w),
                c.line_height(value_font),
            )
            + 2.5
            for _label, value in pairs
        )

    def _glance_height(self, c: Canvas) -> float:
        return self._pairs_height(c, self.glance(), font(9.2), GLANCE_LABEL_PT) + 12

    def _charts_bottom(self, c: Canvas, chart_height: float) -> float:
        heading = c.line_height(font(10.5, bold=True)) + 6
        y = c.top + 44 + self._glance_height(c) + 10 + heading
        y += self._pairs_height(c, self._summary_pairs(), font(8.6), 88)
        return y + 6 + 2 * (heading + chart_height + 6) + 4 + heading

    def layout(self, c: Canvas) -> list[PageDrawer]:
        table = self.day_table(c)
        heading = c.line_height(font(10.5, bold=True)) + 6
        later = c.top + 44 + heading
        # The tallest charts that keep the whole table on page 1; full size when even the
        # smallest would not.
        self.chart_height = CHART_HEIGHT_PT
        pages = table.paginate(c, self._charts_bottom(c, CHART_HEIGHT_PT), later)
        height = CHART_HEIGHT_PT
        while len(pages) > 1 and height > MIN_CHART_HEIGHT_PT:
            height = max(MIN_CHART_HEIGHT_PT, height - 10)
            smaller = table.paginate(c, self._charts_bottom(c, height), later)
            if len(smaller) == 1:
                self.chart_height, pages = height, smaller
        if len(pages) > 1 and len(pages[0]) < MIN_FIRST_PAGE_ROWS:
            # A row or two under the charts, the rest overleaf: the table starts overleaf.
            pages = [[], *table.paginate(c, later, later)]
        return [
            lambda cv, rows=rows, n=n: self._draw(cv, table, rows, n)
            for n, rows in enumerate(pages)
        ]

    def _draw_glance(self, c: Canvas, y: float) -> float:
        """The first block: a framed list of sentences; returns the y below it."""
        height = self._glance_height(c)
        c.rect(c.left, y, c.content_width, height, 1.0)
        label_font, value_font = font(7.6, bold=True), font(9.2)
        x = c.left + 8
        width = c.content_width - 16
        yy = y + 6
        for label, value in self.glance():
            h = max(
                c.text_height(value, value_font, width - GLANCE_LABEL_PT + 8),
                c.line_height(value_font),
            )
            c.text(x, yy + 1.5, GLANCE_LABEL_PT - 8, h, label.upper(), label_font)
            c.text(x + GLANCE_LABEL_PT - 8, yy, width - GLANCE_LABEL_PT + 8, h, value, value_font)
            yy += h + 2.5
        return y + height

    def _draw(self, c: Canvas, table: Table, rows: list[int], page_index: int) -> None:
        y = draw_title(
            c,
            "Report for the prescriber",
            f"{short_date(self.first, True)} – {short_date(self.last, True)}",
        )
        chart_h = self.chart_height
        if page_index == 0:
            y = self._draw_glance(c, y) + 10
            y = c.heading(y, "The plan")
            y = draw_key_values(c, y, self._summary_pairs()) + 6
            days = [self.first + dt.timedelta(days=i) for i in range(self.stats.days)]
            # One drug per axis, never a mix: several drugs are charted as their
            # diazepam-equivalent total.
            planned, taken, heading = self._chart_values(days)
            unit = "mg diazepam eq." if self.several_drugs else "mg a day"
            y = c.heading(y, heading)
            c.svg(
                to_svg(doses_figure(days, planned, taken, c.content_width, chart_h, unit)),
                c.left,
                y,
                c.content_width,
                chart_h,
            )
            y = c.heading(
                y + chart_h + 6,
                "Symptoms (0 none – 10 worst): 7-day mean bold, each day's rating faint",
            )
            if any(e.ratings for e in self.diary):
                figure = symptoms_figure(
                    self.diary,
                    self.symptoms,
                    self.first,
                    self.last,
                    c.content_width,
                    chart_h,
                )
                c.svg(to_svg(figure), c.left, y, c.content_width, chart_h)
            else:
                c.text(
                    c.left,
                    y,
                    c.content_width,
                    12,
                    "No symptom ratings in this range.",
                    font(8.6, italic=True),
                )
            if table.rows and not rows:
                c.text(c.left, y + chart_h + 10, c.content_width, 14,
                       f"Days to note (holds, different doses, notes): {len(table.rows)} rows, "
                       "on the next page.", font(8.6, italic=True))  # fmt: skip
                return
            y = c.heading(y + chart_h + 10, "Days to note: holds, different doses, notes")
        elif rows and rows[0] == 0:  # the table starts on this page
            y = c.heading(y, "Days to note: holds, different doses, notes")
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
                # With no day logged, "every logged day went as planned" claimed too much.
                "Nothing to note: every logged day went as planned."
                if self.stats.days_logged
                else "Nothing to note: no day of this range is logged (see above).",
                font(8.6, italic=True),
                color=GREY,
            )
