"""Day-by-day pages: daily micro-taper volumes and compounding for a period."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
)

from taperdesk.app.titration_days import PlannedDay
from taperdesk.core import titration as t
from taperdesk.core.csv_cells import safe_row
from taperdesk.core.measure import format_mg, format_ml, format_number, format_percent
from taperdesk.errors import KnownError
from taperdesk.store.paths import os_error_text, write_private_text
from taperdesk.ui import dialogs
from taperdesk.ui.titration_fields import FIX_FIELD_TEXT, read_fields, show_errors
from taperdesk.ui.titration_pages import MethodPage

#: Gives the planned days from a start date for a number of days (None: no plan).
#: Doses listed one by one under a compounding result.
MAX_DOSE_LINES = 12

PlanSource = Callable[[dt.date, int], list[PlannedDay] | None]


def _day_text(day: dt.date | None, number: int) -> str:
    return f"{day:%a} {day.day} {day:%b}" if day else f"Day {number}"


#: A fixed-volume day further than this (%) from the plan's dose is pointed out.
FIXED_VS_PLAN_PERCENT = 5.0


class DailyPage(MethodPage):
    """The next N days of the plan as volumes of the liquid mix, or the fixed-volume method."""

    title = "Daily micro-taper volumes"
    kind = t.MethodKind.LIQUID

    def __init__(
        self, plan_days: PlanSource, liquid_mix: Callable[[], t.LiquidMix | str | None]
    ) -> None:
        super().__init__()
        self._plan_days = plan_days
        self._liquid_mix = liquid_mix
        self.start = dt.date.today()
        self.from_plan = QRadioButton("The plan's doses, measured from my liquid mix")
        self.fixed = QRadioButton("Fixed volume: one mix, remove a little more each day")
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.from_plan)
        self.mode.addButton(self.fixed)
        self.from_plan.setChecked(True)
        self.form.addRow(self.from_plan)
        self.days = QSpinBox()
        self.days.setRange(1, 90)
        self.days.setValue(14)
        self.days.setSuffix(" days")
        self.days.setFixedWidth(110)
        self.form.addRow("Period", self.days)
        self.form.addRow(self.fixed)
        self.add_field("tablet_mg", "Tablet strength", "mg", "0.5")
        self.add_field("tablet_count", "Tablets in the mix", "tablets", "1")
        self.add_field("volume_ml", "Mix volume", "mL", "35")
        self.add_field("start_remove_ml", "Remove on day 1", "mL", "1")
        self.add_field("step_ml", "Remove more each day", "mL", "1")
        self.add_field("whole_tablet_count", "Whole tablets too", "tablets", "1")
        self.mix_label = QLabel()
        self.mix_label.setWordWrap(True)
        self.mix_label.setStyleSheet("color: palette(placeholder-text);")
        self.inputs.addWidget(self.mix_label)
        self.finish_inputs()

        self.model = QStandardItemModel(0, 5)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.copy_csv_button = QPushButton("Export CSV…")
        self.print_button = QPushButton("Print…")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_csv_button)
        buttons.addWidget(self.print_button)
        self.result.add_extra(self.table, stretch=1)
        self.result.add_extra(buttons)
        self.copy_csv_button.clicked.connect(self.export_csv)
        self.print_button.clicked.connect(self.print_table)
        self.mode.buttonToggled.connect(lambda *_a: self._mode_changed())
        self.days.valueChanged.connect(lambda _v: self.changed.emit())
        self._mode_changed()

    def _mode_changed(self) -> None:
        fixed = self.fixed.isChecked()
        for field in self.fields.values():
            self.form.setRowVisible(field, fixed)
            field.setEnabled(fixed)
        self.mix_label.setVisible(not fixed)
        self.changed.emit()

    def _set_rows(self, headers: list[str], rows: list[list[str]]) -> None:
        self.model.clear()
        self.model.setHorizontalHeaderLabels(headers)
        for row in rows:
            items = []
            for column, text in enumerate(row):
                item = QStandardItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                items.append(item)
            self.model.appendRow(items)
        self.table.setVisible(bool(rows))
        self.copy_csv_button.setEnabled(bool(rows))
        self.print_button.setEnabled(bool(rows))

    def _problem(self, text: str) -> None:
        self._set_rows([], [])
        self.result.show_problem(text)

    def compute(self, dose_mg: float | None) -> dict[str, str]:
        self.result.lines, self.result.warnings = [], []
        if self.fixed.isChecked():
            self._compute_fixed()
        else:
            self._compute_plan()
        return {}

    def _compute_plan(self) -> None:
        show_errors(self.fields, {})
        mix = self._liquid_mix()
        if isinstance(mix, str):  # the Liquid page's tablets must stay intact
            self.mix_label.setText("")
            self._problem(mix)
            return
        if mix is None:
            self.mix_label.setText("")
            self._problem("Set up a valid mix on the Liquid page first.")
            return
        self.mix_label.setText(
            f"Mix: {mix.describe()}, measured with {format_ml(mix.graduation_ml, 3)} "
            "graduations (set on the Liquid page)."
        )
        days = self._plan_days(self.start, self.days.value())
        if days is None:
            self._problem(
                "There is no active plan yet. Create one on the Plan tab, or use the "
                "fixed-volume method."
            )
            return
        if not days:
            self._problem("The plan has no doses in this period.")
            return
        try:
            rows = t.daily_volumes(mix, [(d.day, d.total_mg) for d in days])
        except t.TitrationInputError as error:
            self._problem(error.message)
            return
        decimals = 3 if mix.graduation_ml < 0.1 else 2
        self._set_rows(
            ["Date", "Planned dose", "Take", "Remove", "Delivered", "Error"],
            [
                [
                    _day_text(r.day, i + 1),
                    format_mg(r.target_dose_mg, 4),
                    r.take_text(mix, decimals),
                    "" if r.remove_ml is None else format_ml(r.remove_ml, decimals),
                    format_mg(r.delivered_dose_mg, 4),
                    format_percent(r.error_percent, 2),
                ]
                for i, r in enumerate(rows)
            ],
        )
        worst = max(abs(r.error_percent) for r in rows)
        notes = ["Shake the mix before every measurement; make it fresh every 1-2 days."]
        if any(r.whole_tablet_count for r in rows):
            notes.insert(0, "Where a day says 'whole +', the whole tablets are part of the dose.")
        split = days[0].portions()
        if len(split) > 1:
            names = " and ".join(label for label, _mg in split)
            notes.insert(
                0,
                f"These are whole-day amounts; the plan splits each day into {names}. To "
                "measure one of those doses, choose it at the top of the tab (Liquid page).",
            )
        warnings = []
        if any(abs(r.delivered_dose_mg - r.target_dose_mg) > 1e-6 for r in rows):
            warnings.append(
                "The plan's doses are not whole graduations of this mix, so each volume is "
                "rounded a second time and the daily change is uneven. To measure exactly "
                "what the plan says, set its rounding to 'From my titration method' (Plan "
                "tab, Edit plan…)."
            )
        self.result.show_result(
            f"{len(rows)} days from {_day_text(rows[0].day, 1)}: largest rounding error "
            f"{format_percent(worst, 2)}",
            [],
            warnings,
            notes=notes,
        )

    def fixed_plan(self) -> tuple[t.FixedVolumePlan | None, dict[str, str]]:
        values, errors = read_fields(self.fields, whole=("tablet_count", "whole_tablet_count"))
        if errors:
            return None, errors
        plan = t.FixedVolumePlan(
            tablet_mg=values["tablet_mg"],
            volume_ml=values["volume_ml"],
            start_remove_ml=values["start_remove_ml"],
            step_ml=values["step_ml"],
            days=self.days.value(),
            tablet_count=int(values["tablet_count"]),
            whole_tablet_count=int(values["whole_tablet_count"]),
            start_date=self.start,
        )
        return plan, t.validate_fixed_volume(plan)

    def _compute_fixed(self) -> None:
        plan, errors = self.fixed_plan()
        show_errors(self.fields, errors)
        if plan is None or errors:
            if "days" in errors:
                self._problem(errors["days"])
            else:
                self._problem(FIX_FIELD_TEXT)
            return
        days = t.fixed_volume_schedule(plan)
        self._set_rows(
            ["Date", "Remove", "Take", "Removed", "Dose delivered"],
            [
                [
                    _day_text(d.day, d.day_number),
                    format_ml(d.remove_ml),
                    format_ml(d.take_ml),
                    format_mg(d.removed_mg, 4),
                    format_mg(d.delivered_dose_mg, 4),
                ]
                for d in days
            ],
        )
        whole = (
            f"take {plan.whole_tablet_count} x {format_mg(plan.tablet_mg, 4)} whole and "
            if plan.whole_tablet_count
            else ""
        )
        self.result.show_result(
            f"Each day: {whole}suspend {plan.tablet_count} x {format_mg(plan.tablet_mg, 4)} "
            f"in {format_ml(plan.volume_ml)} water, shake, remove the day's amount and take "
            "the rest",
            [],
            warnings=self._differences_from_plan(days),
            notes=[
                f"Day 1 delivers {format_mg(days[0].delivered_dose_mg, 4)}; day {len(days)} "
                f"delivers {format_mg(days[-1].delivered_dose_mg, 4)}.",
                "Shake the mix before every measurement; make it fresh every day.",
            ],
        )

    def _differences_from_plan(self, days: Sequence[t.FixedVolumeDay]) -> list[str]:
        """The fixed-volume method does not follow the plan by itself: say where they differ."""
        planned = self._plan_days(self.start, len(days)) or []
        by_day = {p.day: p.total_mg for p in planned}
        worst: tuple[float, t.FixedVolumeDay, float] | None = None
        for day in days:
            target = by_day.get(day.day) if day.day is not None else None
            if not target:
                continue
            change = 100 * (day.delivered_dose_mg - target) / target
            bigger = worst is None or abs(change) > abs(worst[0])
            if abs(change) > FIXED_VS_PLAN_PERCENT and bigger:
                worst = (change, day, target)
        if worst is None:
            return []
        change, day, target = worst
        return [
            f"This does not follow your plan: {_day_text(day.day, day.day_number)} delivers "
            f"{format_mg(day.delivered_dose_mg, 4)}, the plan says {format_mg(target, 4)} "
            f"({'+' if change > 0 else ''}{format_percent(change, 1)}). Change the tablets, "
            "volume or amounts removed to match it."
        ]

    def table_rows(self) -> tuple[list[str], list[list[str]]]:
        headers = [
            self.model.headerData(c, Qt.Orientation.Horizontal) or ""
            for c in range(self.model.columnCount())
        ]
        rows = [
            [self.model.item(r, c).text() for c in range(self.model.columnCount())]
            for r in range(self.model.rowCount())
        ]
        return headers, rows

    def export_csv(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export the day-by-day table", "titration-days.csv", "CSV files (*.csv)"
        )
        if not path:
            return
        headers, rows = self.table_rows()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(safe_row(headers))
        writer.writerows(safe_row(row) for row in rows)
        try:
            write_private_text(Path(path), buffer.getvalue())
        except OSError as error:
            dialogs.show_error(
                self,
                KnownError(
                    f"TaperDesk could not write {path} ({os_error_text(error)}).",
                    "Choose another folder, or check there is free space.",
                ),
            )

    def table_document(self) -> QTextDocument:
        headers, rows = self.table_rows()
        cells = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        document = QTextDocument()
        document.setHtml(
            f"<h3>{html.escape(self.result.instruction)}</h3>"
            f"<table border='1' cellspacing='0' cellpadding='4'><tr>{cells}</tr>{body}</table>"
        )
        return document

    def print_table(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.table_document().print_(printer)


class CompoundingPage(MethodPage):
    """The fewest capsule strengths for the plan's doses over a period."""

    title = "Compounding"
    kind = t.MethodKind.COMPOUNDED

    def __init__(self, plan_days: PlanSource, drug_name: Callable[[], str]) -> None:
        super().__init__()
        self._plan_days = plan_days
        self._drug_name = drug_name
        self.start = dt.date.today()
        self.days = QSpinBox()
        self.days.setRange(1, 120)
        self.days.setValue(30)
        self.days.setSuffix(" days")
        self.days.setFixedWidth(110)
        self.form.addRow("Period", self.days)
        self.add_field("supply_days", "Supply for", "days", "30")
        self.add_field("base_step_mg", "Strength step", "mg", "0.005")
        # Until the person types a step, it is the coarsest one that makes every dose of
        # the period (the page opened in error: "0.403 mg is not a whole multiple of 0.005").
        self._step_typed = False
        self.fields["base_step_mg"].edited.connect(self._step_edited)
        self.add_field("max_capsules_per_dose", "Capsules per dose, at most", "", "3")
        self.add_field("graduation_ml", "Syringe (suspension)", "mL", "0.1")
        hint = QLabel(
            "A compounding pharmacy can make capsules of any strength on the step's grid. "
            "TaperDesk picks the fewest strengths that make every day's dose."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        self.inputs.addWidget(hint)
        self.finish_inputs()
        self.days.valueChanged.connect(lambda _v: self.changed.emit())
        # The search can take a few hundred ms: run it once typing pauses.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self.compute_now)
        self.last_result: t.CompoundingResult | None = None

    def _step_edited(self) -> None:
        self._step_typed = True

    def compute(self, dose_mg: float | None) -> dict[str, str]:
        self.result.show_problem("Working out the fewest strengths…")
        self._timer.start()
        return {}

    def request(self) -> tuple[t.CompoundingRequest | None, dict[str, str], str]:
        values, errors = read_fields(self.fields, whole=("supply_days", "max_capsules_per_dose"))
        if errors:
            return None, errors, FIX_FIELD_TEXT
        days = self._plan_days(self.start, self.days.value())
        if days is None:
            return None, {}, "There is no active plan yet: create one on the Plan tab."
        if not days:
            return None, {}, "The plan has no doses in this period."
        doses = tuple(d.doses_mg for d in days)
        if not self._step_typed:  # the default step follows the plan's doses
            from taperdesk.core.compounding import fitting_step_mg

            fitting = fitting_step_mg(doses)
            if fitting is not None and fitting != values["base_step_mg"]:
                values["base_step_mg"] = fitting
                self.fields["base_step_mg"].set_text(format_number(fitting, 6))
        request = t.CompoundingRequest(
            daily_doses_mg=doses,
            base_step_mg=values["base_step_mg"],
            max_capsules_per_dose=int(values["max_capsules_per_dose"]),
            supply_days=int(values["supply_days"]),
            graduation_ml=values["graduation_ml"],
            drug_name=self._drug_name(),
        )
        errors = t.validate_compounding(request)
        if "daily_doses_mg" in errors:
            errors.setdefault("base_step_mg", errors.pop("daily_doses_mg"))
        return request, errors, FIX_FIELD_TEXT

    def compute_now(self) -> None:
        self._timer.stop()
        self.last_result = None
        request, errors, problem = self.request()
        show_errors(self.fields, errors)
        self.refresh_messages()  # computed once typing pauses: after the tab's refresh
        if request is None or errors:
            self.result.show_problem(problem)
            return
        result = t.plan_compounding(request)
        self.last_result = result
        doses = sorted(result.dose_capsules.items(), reverse=True)
        lines = [
            f"Supply for {result.supply_days} days: "
            + ", ".join(f"{c.count} x {format_mg(c.strength_mg, 4)}" for c in result.counts),
            *(
                f"{format_mg(dose, 4)}: " + " + ".join(format_mg(c, 4) for c in capsules)
                for dose, capsules in doses[:MAX_DOSE_LINES]
            ),
        ]
        if len(doses) > MAX_DOSE_LINES:
            lines.append(f"… and {len(doses) - MAX_DOSE_LINES} more doses (in the request)")
        warnings = [] if result.proven_fewest else [result.optimality]
        notes = [result.summary, result.suspension_summary]
        if result.proven_fewest:
            notes.insert(0, result.optimality)
        count = len(result.strengths_mg)
        heading = f"{count} capsule strength{'s' if count != 1 else ''}: " + ", ".join(
            format_mg(s, 4) for s in result.strengths_mg
        )
        self.result.show_result(heading, lines, warnings, notes)

    def method_fields(self) -> dict[str, Any] | None:
        values, errors = read_fields({"base_step_mg": self.fields["base_step_mg"]})
        if errors or values["base_step_mg"] <= 0:
            return None
        _request, page_errors, _problem = self.request()
        if "base_step_mg" in page_errors:  # refused under its field (e.g. off the plan's grid)
            return None
        return {"compounded_step_mg": values["base_step_mg"]}

    def restore(self, settings: t.MethodSettings) -> None:
        self.fields["base_step_mg"].set_text(f"{settings.compounded_step_mg:g}")
        self._step_typed = settings.compounded_step_mg != 0.005  # chosen, not the default
