"""The pharmacy request: capsule strengths and counts from a compounding result.

:func:`compounding_for` asks ``core.compounding`` for the fewest capsule
strengths covering the plan's doses over a supply period; the
:class:`PharmacyRequestDocument` prints them with the summary text and
space for the prescriber's details and signature.
"""

from __future__ import annotations

import datetime as dt

from taperdesk.core.compounding import CompoundingRequest, CompoundingResult, plan_compounding
from taperdesk.core.measure import format_mg, format_number
from taperdesk.printing.document import GREY, Canvas, Column, PageDrawer, Table, font, scale_columns
from taperdesk.printing.plan_overview import draw_key_values, draw_title
from taperdesk.printing.sources import PrintInputs
from taperdesk.printing.weekly_sheet import short_date


def compounding_for(inputs: PrintInputs, first: dt.date, supply_days: int) -> CompoundingResult:
    """Capsules for ``supply_days`` days of the plan from ``first`` (the drug being tapered).

    Raises ``TitrationInputError`` when the plan has no dose in that period.
    """
    key = inputs.plan.taper_drug_key
    days = []
    for i in range(supply_days):
        planned = inputs.schedule.doses_on(first + dt.timedelta(days=i))
        row = planned.row_for(key) if planned is not None else None
        days.append(tuple(row.doses_mg) if row else tuple(0.0 for _ in inputs.plan.labels))
    step = (
        inputs.method.compounded_step_mg
        if inputs.method and inputs.method.kind.value == "compounded"
        else inputs.plan.rounding_mg
    )
    return plan_compounding(
        CompoundingRequest(
            daily_doses_mg=tuple(days),
            base_step_mg=step,
            drug_name=inputs.catalogue.get(key).name.lower(),
        )
    )


class PharmacyRequestDocument:
    def __init__(
        self,
        result: CompoundingResult,
        drug_name: str,
        first: dt.date,
        person_name: str | None = None,
    ) -> None:
        self.result = result
        self.drug_name = drug_name
        self.first = first
        self.person_name = person_name
        self.title = f"TaperDesk compounding request from {first.isoformat()}"

    def layout(self, c: Canvas) -> list[PageDrawer]:
        return [self._draw]

    def _draw(self, c: Canvas) -> None:
        result = self.result
        last = self.first + dt.timedelta(days=result.supply_days - 1)
        y = draw_title(c, "Compounding request", self.drug_name)
        y = (
            draw_key_values(
                c,
                y,
                [
                    ("Patient", self.person_name or ""),
                    ("Drug", self.drug_name),
                    (
                        "Supply",
                        f"{result.supply_days} days: {short_date(self.first, True)} – "
                        f"{short_date(last, True)}",
                    ),
                    ("Form", "capsules (or the suspension below)"),
                ],
            )
            + 8
        )
        y = c.heading(y, "Capsule strengths and counts")
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
        for count in result.counts:
            doses = [
                format_mg(d, 4)
                for d, caps in sorted(result.dose_capsules.items())
                if count.strength_mg in caps
            ]
            table.rows.append([format_mg(count.strength_mg, 4), str(count.count), ", ".join(doses)])
        y = table.draw(c, y, range(len(table.rows))) + 12
        y = c.heading(y, "How each dose is made")
        dose_table = Table(
            [Column("Dose", widths[0]), Column("Capsules taken", widths[1] + widths[2])], size=8.0
        )
        for dose, caps in sorted(result.dose_capsules.items(), reverse=True):
            dose_table.rows.append([format_mg(dose, 4), " + ".join(format_mg(x, 4) for x in caps)])
        fit = []
        for index, row in enumerate(dose_table.rows):
            if (
                y
                + dose_table.header_height(c)
                + sum(dose_table.row_height(c, dose_table.rows[i]) for i in fit)
                + dose_table.row_height(c, row)
                > c.bottom - 250
            ):
                break
            fit.append(index)
        y = dose_table.draw(c, y, fit) + 4
        if len(fit) < len(dose_table.rows):
            c.text(
                c.left,
                y,
                c.content_width,
                11,
                f"… and {len(dose_table.rows) - len(fit)} more doses (see TaperDesk).",
                font(7.6, italic=True),
                color=GREY,
            )
            y += 12
        y = c.heading(y + 8, "Request")
        for text in (result.summary, result.suspension_summary):
            h = c.text_height(text, font(9), c.content_width)
            c.text(c.left, y, c.content_width, h, text, font(9))
            y += h + 5
        self._signature(c, max(y + 10, c.bottom - 120))

    def _signature(self, c: Canvas, y: float) -> None:
        c.rect(c.left, y, c.content_width, 112, 0.9)
        c.text(
            c.left + 8, y + 6, c.content_width - 16, 12, "PRESCRIBER", font(7.6, True), color=GREY
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
            c.text(x, y + dy - 10, half, 10, label, font(7.6), color=GREY)
            c.line(x + 70, y + dy, x + half, y + dy, 0.5)
        c.text(
            c.left + 8,
            y + 92,
            c.content_width - 16,
            14,
            f"Capsule counts are for {format_number(self.result.supply_days, 0)} days as planned; "
            "please check them against the prescription.",
            font(7.2, italic=True),
            color=GREY,
        )
