"""The plan overview: summary, the plan chart, warnings, and every step in a table.

The step table runs over as many pages as it needs, repeating its header.
"""

from __future__ import annotations

from taperdesk.app.plan_steps import drugs_text, last_dose_mg, lead_in, mg_range, step_lines
from taperdesk.core.measure import (
    DOSE_DECIMALS,
    format_mg,
    format_number,
    format_percent,
)
from taperdesk.printing.charts import plan_figure, to_svg
from taperdesk.printing.document import (
    Canvas,
    Cell,
    Column,
    PageDrawer,
    Table,
    font,
    scale_columns,
)
from taperdesk.printing.sources import PrintInputs
from taperdesk.printing.weekly_sheet import short_date

CHART_HEIGHT_PT = 190.0


def plan_summary_lines(inputs: PrintInputs) -> list[tuple[str, str]]:
    """``(label, value)`` pairs describing the plan, shared with the prescriber report."""
    plan, summary = inputs.plan, inputs.schedule.summary
    places = DOSE_DECIMALS
    drug = inputs.catalogue.get(plan.drug_key).name
    if plan.crossover is not None:
        drug += f", switching to {inputs.catalogue.get(plan.taper_drug_key).name}"
    doses = ", ".join(f"{t.label} {format_mg(t.dose_mg, places)}" for t in plan.dosing_times)
    style = "cut and hold" if plan.style.value == "hold" else "daily micro taper"
    months = format_number(summary.duration_days / 30.44, 1)
    return [
        ("Drug", drug),
        ("Starting dose", f"{format_mg(plan.start_dose_mg, places)} a day ({doses})"),
        ("Reduction", f"{plan.reduction.describe()} every {plan.interval_days} days, {style}"),
        (
            "Dates",
            f"{summary.start_date.isoformat()} to {summary.end_date.isoformat()} "
            f"({summary.duration_days} days, about {months} months)",
        ),
        (
            "Steps",
            f"{summary.step_count}; largest effective rate "
            f"{format_percent(summary.largest_effective_rate_percent_per_14_days)} per 14 days",
        ),
        ("Final dose", _final_dose_text(inputs, places)),
        *(
            [
                (
                    "On hold",
                    f"from {hold.start.isoformat()}: the same dose until you resume; the "
                    "dates below assume you resume the day after this was printed",
                )
            ]
            if (hold := plan.open_hold) is not None
            else []
        ),
        ("Revision", str(plan.revision)),
    ]


def _final_dose_text(inputs: PrintInputs, places: int) -> str:
    """The dose the plan really ends on, and the target when rounding left it above."""
    last = last_dose_mg(inputs.lived)
    target = inputs.schedule.summary.final_dose_mg
    text = f"{format_mg(last, 4)} a day before stopping"
    if last > target + 1e-9:
        text += f" (the final-dose target was {format_mg(target, 4)}; see the warnings)"
    return text


def draw_key_values(
    c: Canvas, y: float, pairs: list[tuple[str, str]], label_w: float = 88
) -> float:
    """Label/value lines; returns the y below them."""
    label_font, value_font = font(7.6, bold=True), font(8.6)
    for label, value in pairs:
        h = max(
            c.text_height(value, value_font, c.content_width - label_w), c.line_height(value_font)
        )
        c.text(c.left, y + 1, label_w, h, label.upper(), label_font)
        c.text(c.left + label_w, y, c.content_width - label_w, h, value, value_font)
        y += h + 2.5
    return y


def draw_title(c: Canvas, title: str, subtitle: str) -> float:
    from PySide6.QtCore import Qt

    from taperdesk.printing.document import GREY

    c.text(c.left, c.top, c.content_width, 10, "TAPERDESK", font(6.8, True), color=GREY)
    c.text(c.left, c.top + 10, c.content_width, 24, title, font(17, True), wrap=False)
    c.text(
        c.left,
        c.top + 15,
        c.content_width,
        16,
        subtitle,
        font(10, True),
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
        wrap=False,
    )
    y = c.top + 36
    c.line(c.left, y, c.right, y, 1.6)
    return y + 8


class PlanOverviewDocument:
    """Summary, chart and warnings on page 1; the step table from there on."""

    def __init__(self, inputs: PrintInputs) -> None:
        self.inputs = inputs
        self.title = "TaperDesk plan overview"

    def step_table(self, c: Canvas) -> Table:
        lived = self.inputs.lived
        catalogue = lived.catalogue
        labels = lived.plan.labels
        places = DOSE_DECIMALS
        several = len(labels) > 1
        widths = scale_columns(
            [28, 62, 62, 96, 70, 88 if several else 0.1, 50, 44, 54], c.content_width
        )
        columns = [
            Column("Step", widths[0]),
            Column("From", widths[1]),
            Column("To", widths[2]),
            Column("Drug", widths[3]),
            Column("Daily dose", widths[4]),
            Column(" + ".join(labels) if several else "", widths[5]),
            Column("Cut", widths[6]),
            Column("Cut %", widths[7]),
            Column("% per 14 days", widths[8]),
        ]
        table = Table(columns, size=7.6)
        before = lead_in(lived)
        if before is not None:  # from the day the revision was saved to its first cut
            start = before.day.taper
            table.rows.append(
                [
                    "–",
                    short_date(before.first, True),
                    short_date(before.last, True),
                    catalogue.get(start.drug_key).name,
                    Cell(format_mg(start.total_mg, places), bold=True),
                    " + ".join(format_number(d, places) for d in start.doses_mg) if several else "",
                    "–",
                    "–",
                    "before 1st cut",
                ]
            )
        for line in step_lines(lived):
            step = line.step
            # The last cut to zero is the stop, not a rate to flag.
            stop = step.is_cut and step.dose_after_mg <= 0
            held = f" (+{step.hold_days} held)" if step.hold_days else ""
            if line.is_switch and len(line.taken) > 1:  # every drug taken during the stage
                drug = drugs_text(line.last, catalogue, places)
                dose = f"eq. {format_mg(line.last.total_diazepam_eq_mg, places)} diazepam"
                by_time = ""
            else:
                drug = catalogue.get(step.drug_key).name + (" (switch)" if line.is_switch else "")
                first, last = line.first.taper, line.last.taper
                dose = mg_range(first.total_mg, last.total_mg, places) + " mg"
                by_time = " + ".join(
                    mg_range(a, b, places)
                    for a, b in zip(first.doses_mg, last.doses_mg, strict=True)
                )
            table.rows.append(
                [
                    Cell(str(step.number), bold=step.is_jump),
                    short_date(step.start_date, True),
                    short_date(step.end_date, True) + held,
                    drug,
                    Cell(dose, bold=True),
                    by_time if several else "",
                    format_mg(step.cut_mg, places) if step.is_cut else "–",
                    "stop" if stop else (format_percent(step.cut_percent) if step.is_cut else "–"),
                    Cell(
                        "stop"
                        if stop
                        else (
                            format_percent(step.effective_rate_percent_per_14_days)
                            if step.is_cut
                            else "–"
                        ),
                        hatched=not stop and step.effective_rate_percent_per_14_days > 10,
                    ),
                ]
            )
        return table

    def layout(self, c: Canvas) -> list[PageDrawer]:
        summary_y = self._first_page_top(c)
        table = self.step_table(c)
        heading = c.line_height(font(10.5, bold=True)) + 6
        pages = table.paginate(c, self._table_top(c, summary_y), c.top + 44 + heading)
        drawers: list[PageDrawer] = []
        for n, rows in enumerate(pages):
            drawers.append(lambda cv, rows=rows, n=n: self._draw(cv, table, rows, n))
        return drawers

    def _first_page_top(self, c: Canvas) -> float:
        return c.top + 44

    def _table_top(self, c: Canvas, _y: float) -> float:
        pairs = plan_summary_lines(self.inputs)
        value_font = font(8.6)
        y = self._first_page_top(c)
        for _label, value in pairs:
            y += (
                max(
                    c.text_height(value, value_font, c.content_width - 88),
                    c.line_height(value_font),
                )
                + 2.5
            )
        y += 8 + CHART_HEIGHT_PT + 8
        heading = c.line_height(font(10.5, bold=True)) + 6
        warnings = self.inputs.schedule.summary.warnings
        if warnings:
            y += heading + sum(
                c.text_height(
                    f"{w.severity.value.upper()}: {w.text}", font(7.8), c.content_width - 10
                )
                + 3
                for w in warnings
            )
        return y + 4 + heading

    def _draw(self, c: Canvas, table: Table, rows: list[int], page_index: int) -> None:
        plan = self.inputs.plan
        drug = self.inputs.catalogue.get(plan.taper_drug_key).name
        y = draw_title(c, "Taper plan overview", drug)
        if page_index == 0:
            y = draw_key_values(c, y, plan_summary_lines(self.inputs)) + 8
            svg = to_svg(plan_figure(self.inputs.schedule, c.content_width, CHART_HEIGHT_PT))
            c.svg(svg, c.left, y, c.content_width, CHART_HEIGHT_PT)
            y += CHART_HEIGHT_PT + 8
            warnings = self.inputs.schedule.summary.warnings
            if warnings:
                y = c.heading(y, "Warnings")
                for warning in warnings:
                    text = f"{warning.severity.value.upper()}: {warning.text}"
                    h = c.text_height(text, font(7.8), c.content_width - 10)
                    c.text(c.left + 10, y, c.content_width - 10, h, text, font(7.8))
                    c.text(c.left, y, 10, h, "!", font(7.8, True))
                    y += h + 3
            y = c.heading(y + 4, "Steps")
        else:
            y = c.heading(y, "Steps (continued)")
        table.draw(c, y, rows)
