"""The pharmacy request: capsule strengths and counts from a compounding result.

:func:`compounding_for` asks ``core.compounding`` for the fewest capsule
strengths covering the plan's doses over a supply period; the
:class:`PharmacyRequestDocument` prints them on as many pages as they need.
Page 1 is the order a pharmacist checks and the prescriber signs: who and what
for, the strengths and counts, the request text and the prescriber's box
(which says how many pages the request has). After it come how each dose is
made (every dose) and when each dose is taken over the supply (every change of
dose, when the daily doses are given), continuing onto later pages with their
header repeated. Nothing is left out for lack of room.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from taperdesk.core.compounding import CompoundingRequest, CompoundingResult, plan_compounding
from taperdesk.core.measure import first_upper, format_mg, format_number
from taperdesk.printing.document import (
    INK,
    RULE,
    Canvas,
    Column,
    PageDrawer,
    Table,
    font,
    scale_columns,
)
from taperdesk.printing.plan_overview import draw_key_values, draw_title
from taperdesk.printing.sources import PrintInputs, supply_doses
from taperdesk.printing.weekly_sheet import short_date

#: Longest supply a request covers, in days (the Compounding page allows 120).
MAX_SUPPLY_DAYS = 120
#: Height of the prescriber box, in points.
SIGNATURE_PT = 112.0
#: Rows a table starts a page with at least (or all it has): no heading stranded with
#: a row or two at the foot of a page.
KEEP_ROWS = 4


def other_drug_doses(
    inputs: PrintInputs, first: dt.date, supply_days: int
) -> tuple[tuple[str, ...], ...]:
    """Per day and dosing time, the other drug still taken during a switch ("0.5 mg
    lorazepam"), "" elsewhere: the calendar says what is taken where no capsule is."""
    plan = inputs.plan
    key = plan.taper_drug_key
    days = []
    for i in range(supply_days):
        planned = inputs.lived.on(first + dt.timedelta(days=i))
        row = []
        for label in plan.labels:
            others = [
                f"{format_mg(planned.mg(label, d.drug_key), 4)} "
                f"{inputs.catalogue.get(d.drug_key).name.lower()}"
                for d in (planned.drugs if planned else ())
                if d.drug_key != key and planned.mg(label, d.drug_key) > 0
            ]
            row.append(" + ".join(others))
        days.append(tuple(row))
    return tuple(days)


def compounding_for(
    inputs: PrintInputs,
    first: dt.date,
    supply_days: int,
    step_mg: float | None = None,
    max_capsules_per_dose: int = 3,
) -> CompoundingResult:
    """Capsules for ``supply_days`` days of the plan from ``first`` (the drug being tapered).

    ``step_mg`` is the capsule strengths' grid (default: the saved compounding
    step, else the plan's rounding). Raises ``TitrationInputError`` when the plan
    has no dose in that period or a dose is off the step's grid.
    """
    if step_mg is None:
        method = inputs.method
        step_mg = (
            method.compounded_step_mg
            if method is not None and method.kind.value == "compounded"
            else inputs.plan.rounding_mg
        )
    return plan_compounding(
        CompoundingRequest(
            daily_doses_mg=supply_doses(inputs, first, supply_days),
            base_step_mg=step_mg,
            max_capsules_per_dose=max_capsules_per_dose,
            drug_name=inputs.catalogue.get(inputs.plan.taper_drug_key).name.lower(),
        )
    )


def dose_runs(
    first: dt.date, daily_doses_mg: Sequence[tuple[float, ...]]
) -> list[tuple[dt.date, dt.date, tuple[float, ...]]]:
    """``(from, to, doses)`` for each run of days with the same doses."""
    runs: list[tuple[dt.date, dt.date, tuple[float, ...]]] = []
    for i, doses in enumerate(daily_doses_mg):
        day = first + dt.timedelta(days=i)
        if runs and runs[-1][2] == tuple(doses):
            runs[-1] = (runs[-1][0], day, runs[-1][2])
        else:
            runs.append((day, day, tuple(doses)))
    return runs


class PharmacyRequestDocument:
    """The request for the compounding pharmacy, signed by the prescriber on page 1.

    ``daily_doses_mg`` (one tuple per day from ``first``, one dose per
    ``labels`` entry) adds the table of when each dose is taken; without it
    the page lists the strengths and how each dose is made.
    """

    def __init__(
        self,
        result: CompoundingResult,
        drug_name: str,
        first: dt.date,
        person_name: str | None = None,
        daily_doses_mg: Sequence[tuple[float, ...]] = (),
        labels: Sequence[str] = (),
        other_doses: Sequence[tuple[str, ...]] = (),
    ) -> None:
        self.result = result
        self.drug_name = drug_name
        self.first = first
        self.person_name = (person_name or "").strip() or None
        self.daily_doses_mg = tuple(tuple(d) for d in daily_doses_mg[: result.supply_days])
        width = max((len(d) for d in self.daily_doses_mg), default=0)
        named = tuple(labels)
        self.labels = named if len(named) == width else tuple(f"Dose {n + 1}" for n in range(width))
        #: The other drug still taken at a dosing time during a switch, by day ("" none).
        self.other_doses = tuple(other_doses)
        self.title = f"TaperDesk compounding request from {first.isoformat()}"
        #: Pages of the request, known once laid out (the prescriber's box states it).
        self.page_count = 1

    def layout(self, c: Canvas) -> list[PageDrawer]:
        """Page 1: the order and the prescriber's box; then every recipe and every
        change of dose, each table continued on later pages as far as it needs."""
        pages: list[list[PageDrawer]] = [[]]
        later_top = c.top + 44

        def new_page() -> float:
            pages.append([])
            return later_top

        y = self._first_page_top(c)
        y = self._flow_table(c, pages, new_page, y, "Capsule strengths and counts",
                             self._strength_table(c))  # fmt: skip
        request = self._request_height(c)
        if y + request > c.bottom:
            y = new_page()
        pages[-1].append(lambda cv, y=y: self._draw_request(cv, y))
        y += request + 10
        if y + SIGNATURE_PT > c.bottom:
            y = new_page()
        pages[-1].append(lambda cv, y=y: self._signature(cv, y))
        y += SIGNATURE_PT + 18
        doses = self._dose_table(c)
        count = len(doses.rows)
        tables = [(f"How each dose is made ({count} dose{'s' if count != 1 else ''})", doses)]
        if self.daily_doses_mg:
            calendar = self._calendar_table(c)
            runs = len(calendar.rows)
            tables.append(
                (
                    f"When each dose is taken ({runs} period{'s' if runs != 1 else ''} "
                    f"over {self.result.supply_days} days)",
                    calendar,
                )
            )
        for title, table in tables:
            y = self._flow_table(c, pages, new_page, y, title, table)
        self.page_count = len(pages)
        return [lambda cv, ops=ops, n=n: self._draw_page(cv, ops, n) for n, ops in enumerate(pages)]

    def _first_page_top(self, c: Canvas) -> float:
        """The y below the title and the patient lines of page 1."""
        value_font = font(8.6)
        y = c.top + 44
        for _label, value in self._key_values():
            y += max(c.text_height(value, value_font, c.content_width - 88),
                     c.line_height(value_font)) + 2.5  # fmt: skip
        return y + 8

    @staticmethod
    def _flow_table(
        c: Canvas,
        pages: list[list[PageDrawer]],
        new_page: Callable[[], float],
        y: float,
        title: str,
        table: Table,
    ) -> float:
        """Place ``table`` under ``title`` from ``y``, on as many pages as it needs, its
        header repeated and "(continued)" in the heading; return the y below it."""
        heading = c.line_height(font(10.5, bold=True)) + 6
        head = table.header_height(c)
        heights = [table.row_height(c, row) for row in table.rows]
        index, first = 0, True
        while index < len(heights) or first:
            # A heading is never left alone at the foot of a page: it keeps a few rows.
            keep = sum(heights[index : index + KEEP_ROWS])
            if y + heading + head + keep > c.bottom and y > c.top + 44:
                y = new_page()
            rows: list[int] = []
            bottom = y + heading + head
            while index < len(heights) and (bottom + heights[index] <= c.bottom or not rows):
                rows.append(index)
                bottom += heights[index]
                index += 1
            text = title if first else f"{title.split(' (')[0]} (continued)"
            pages[-1].append(
                lambda cv, y=y, text=text, rows=rows: table.draw(cv, cv.heading(y, text), rows)
            )
            y, first = bottom + 12, False
            if index < len(heights):
                y = new_page()
        return y

    # -- tables ------------------------------------------------------------------------

    def _no_capsule(self, day: dt.date, index: int) -> str:
        offset = (day - self.first).days
        other = ""
        if 0 <= offset < len(self.other_doses) and index < len(self.other_doses[offset]):
            other = self.other_doses[offset][index]
        return f"no capsule ({other} as usual)" if other else "no capsule"

    def _strength_table(self, c: Canvas) -> Table:
        widths = scale_columns([90, 90, 335], c.content_width)
        table = Table(
            [
                Column("Strength", widths[0]),
                Column("Capsules", widths[1]),
                Column("Used for the doses", widths[2]),
            ],
            size=8.6,
            pad=4,
        )
        for count in self.result.counts:
            doses = [
                format_mg(d, 4)
                for d, caps in sorted(self.result.dose_capsules.items(), reverse=True)
                if count.strength_mg in caps
            ]
            table.rows.append([format_mg(count.strength_mg, 4), str(count.count), ", ".join(doses)])
        return table

    def _dose_table(self, c: Canvas) -> Table:
        widths = scale_columns([90, 425], c.content_width)
        table = Table([Column("Dose", widths[0]), Column("Capsules taken", widths[1])], size=8.0)
        for dose, caps in sorted(self.result.dose_capsules.items(), reverse=True):
            table.rows.append([format_mg(dose, 4), " + ".join(format_mg(x, 4) for x in caps)])
        return table

    def _calendar_table(self, c: Canvas) -> Table:
        dates_w = 130.0
        each = (c.content_width - dates_w) / max(1, len(self.labels))
        table = Table(
            [Column("Days", dates_w)] + [Column(first_upper(label), each) for label in self.labels],
            size=8.0,
        )
        for start, end, doses in dose_runs(self.first, self.daily_doses_mg):
            days = (end - start).days + 1
            when = short_date(start) if start == end else f"{short_date(start)} – {short_date(end)}"
            table.rows.append(
                [f"{when} ({days} day{'s' if days != 1 else ''})"]
                + [
                    format_mg(d, 4) if d > 0 else self._no_capsule(start, i)
                    for i, d in enumerate(doses)
                ]
            )
        return table

    # -- drawing -----------------------------------------------------------------------

    def _key_values(self) -> list[tuple[str, str]]:
        last = self.first + dt.timedelta(days=self.result.supply_days - 1)
        return [
            ("Patient", self.person_name or " "),
            ("Drug", self.drug_name),
            (
                "Supply",
                f"{self.result.supply_days} days: {short_date(self.first, True)} – "
                f"{short_date(last, True)}",
            ),
            ("Form", "capsules (or the suspension below)"),
        ]

    def _request_texts(self) -> tuple[str, ...]:
        return (self.result.summary, self.result.suspension_summary)

    def _request_height(self, c: Canvas) -> float:
        heading = c.line_height(font(10.5, bold=True)) + 6
        return heading + sum(
            c.text_height(t, font(9), c.content_width) + 5 for t in self._request_texts()
        )

    def _draw_request(self, c: Canvas, y: float) -> None:
        y = c.heading(y, "Request")
        for text in self._request_texts():
            h = c.text_height(text, font(9), c.content_width)
            c.text(c.left, y, c.content_width, h, text, font(9))
            y += h + 5

    def _draw_page(self, c: Canvas, ops: Sequence[PageDrawer], index: int) -> None:
        if index == 0:
            y = draw_title(c, "Compounding request", self.drug_name)
            draw_key_values(c, y, self._key_values())
            if self.person_name is None:  # a line to write the name on
                c.line(c.left + 88, c.top + 44 + 11, c.left + 300, c.top + 44 + 11, 0.5, RULE)
        else:
            last = self.first + dt.timedelta(days=self.result.supply_days - 1)
            draw_title(
                c,
                "Compounding request",
                f"{self.drug_name}, {short_date(self.first, True)} – {short_date(last, True)}",
            )
        for op in ops:
            op(c)

    def _signature(self, c: Canvas, y: float) -> None:
        c.rect(c.left, y, c.content_width, SIGNATURE_PT, 0.9)
        c.text(
            c.left + 8, y + 6, c.content_width - 16, 12, "PRESCRIBER", font(7.6, True), color=INK
        )
        half = (c.content_width - 24) / 2
        fields = [
            ("Name", 0, 30),
            ("Registration no.", 1, 30),
            ("Signature", 0, 75),
            ("Date", 1, 75),
        ]
        for label, col, dy in fields:
            x = c.left + 8 + col * (half + 8)
            c.text(x, y + dy - 10, half, 10, label, font(7.6), color=INK)
            c.line(x + 70, y + dy, x + half, y + dy, 0.5)
        pages = (
            f"This request has {self.page_count} pages: how every dose is made and when each "
            "is taken follow this box. "
            if self.page_count > 1
            else ""
        )
        c.text(
            c.left + 8,
            y + 88,
            c.content_width - 16,
            SIGNATURE_PT - 90,
            f"{pages}Capsule counts are for {format_number(self.result.supply_days, 0)} days "
            "as planned; please check them against the prescription.",
            font(7.2, italic=True),
            color=INK,
        )
