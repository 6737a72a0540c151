"""The New plan / Edit plan form: every choice of a taper plan, with a live preview.

Typed text goes to :func:`taperdesk.core.plan_fields.validate_plan_fields` on
every change; its messages appear under their fields, OK stays disabled while
anything is invalid, and the preview (end date, steps, fastest step, warnings)
comes from :func:`taperdesk.core.schedule.build_schedule`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from taperdesk.app.lived_plan import LivedPlan
from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.measure import format_mg, format_number, format_percent
from taperdesk.core.plan import ReductionKind, TaperPlan, TaperStyle
from taperdesk.core.plan_fields import DEFAULT_LABEL, validate_plan_fields
from taperdesk.core.schedule import PlanRefused, Schedule, ScheduleTooLongError, build_schedule
from taperdesk.errors import KnownError
from taperdesk.ui import dialogs
from taperdesk.ui.plan_warnings_view import make_hint, warnings_html

DEFAULT_TIME_NAMES = ("morning", "afternoon", "evening", "night")
#: The names the dosing times get for 2, 3 and 4 times a day ("2 times a day" was
#: morning and afternoon).
NAMES_FOR_SPLIT = {
    1: ("morning", "night"),
    2: ("morning", "afternoon", "night"),
    3: ("morning", "afternoon", "evening", "night"),
}
SPLITS = ("One daily total", "2 times a day", "3 times a day", "4 times a day")


class DosingTimeRow(QWidget):
    """Name, mg and optional clock time of one dosing time."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText("name")
        self.dose_edit = QLineEdit()
        self.dose_edit.setPlaceholderText("mg")
        self.clock_edit = QLineEdit()
        self.clock_edit.setPlaceholderText("HH:MM (optional)")
        layout.addWidget(self.name_edit, 3)
        layout.addWidget(self.dose_edit, 2)
        layout.addWidget(QLabel("mg at"))
        layout.addWidget(self.clock_edit, 2)

    def text(self) -> str:
        clock = self.clock_edit.text().strip()
        return f"{self.name_edit.text().strip()}={self.dose_edit.text().strip()}" + (
            f"@{clock}" if clock else ""
        )


#: Names for messages of fields whose row has no label of its own.
_UNLABELLED = {
    "doses": "Daily dose",
    "order": "Order of the cuts",
    "round": "Rounding step",
}

_RED_OUTLINE = "border: 1px solid #c62828; border-radius: 3px;"


def _outline(widget: QWidget, bad: bool) -> None:
    """A red outline on a field with a problem (the message is in the reserved line)."""
    if isinstance(widget, QLineEdit | QComboBox):
        widget.setStyleSheet(_RED_OUTLINE if bad else "")


class PlanFormDialog(QDialog):
    """Create (``plan=None``) or edit a plan. After ``exec()``, :attr:`result_plan` holds it."""

    def __init__(
        self,
        catalogue: DrugCatalogue,
        plan: TaperPlan | None = None,
        name: str = "",
        titration_step_mg: float | None = None,
        today: dt.date | None = None,
        parent: QWidget | None = None,
        lived: LivedPlan | None = None,
        titration_liquid: bool = False,
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.original = plan
        #: The plan as lived when editing: today's dose before and after the edit.
        self.lived = lived
        self._waiting_for_dose = False
        self.today = today or dt.date.today()
        self.titration_step_mg = titration_step_mg
        #: The saved titration method is a liquid: a daily micro taper then rounds each
        #: day's dose once, to whole graduations of the syringe (the method's step).
        self.titration_liquid = titration_liquid and bool(titration_step_mg)
        self.result_plan: TaperPlan | None = None
        self.schedule: Schedule | None = None
        self.errors: dict[str, str] = {}
        self.setWindowTitle("Edit plan" if plan else "New plan")
        #: The messages on show, by field: in one reserved line over the buttons, each naming
        #: its field, so a message never moves a field under the pointer.
        self.shown_errors: dict[str, str] = {}
        self._fields: dict[str, QWidget] = {}
        self._field_names: dict[str, str] = {}
        self.message_line = QLabel()
        self.message_line.setObjectName("formMessages")
        self.message_line.setWordWrap(True)
        self.message_line.setTextFormat(Qt.TextFormat.PlainText)
        self.message_line.setStyleSheet("QLabel#formMessages { color: #c62828; }")
        self.message_line.setAccessibleName("Problems with the plan")

        self.name_edit = QLineEdit(name)
        self._name_typed = bool(name)
        self.name_edit.textEdited.connect(self._name_edited)
        self.new_custom_drugs: list = []
        self.drug_combo = QComboBox()
        self.crossover_combo = QComboBox()
        self._fill_drugs()
        self.equivalence_edit = QLineEdit()
        self.equivalence_edit.setPlaceholderText("catalogue value")
        self.equivalence_source = QLabel()
        self.equivalence_source.setWordWrap(True)
        self.equivalence_source.setObjectName("hint")
        self.split_combo = QComboBox()
        self.split_combo.addItems(SPLITS)
        self.total_edit = QLineEdit()
        self.total_edit.setPlaceholderText("mg a day, e.g. 1")
        self.time_rows = [DosingTimeRow(n) for n in DEFAULT_TIME_NAMES]
        self.start_edit = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("yyyy-MM-dd")
        self.model_combo = QComboBox()
        self.model_combo.addItem("% of the current dose", "percent")
        self.model_combo.addItem("mg per step (fixed)", "fixed_mg")
        self.cut_edit = QLineEdit("10")
        self.every_edit = QLineEdit("14")
        self.style_combo = QComboBox()
        self.style_combo.addItem("Cut and hold", "hold")
        self.style_combo.addItem("Daily micro taper", "daily")
        self.order_combo = QComboBox()
        self.order_combo.addItem("All dosing times proportionally", "proportional")
        self.order_combo.addItem("One at a time, in this order:", "sequence")
        self.order_edit = QLineEdit()
        self.order_edit.setPlaceholderText("e.g. morning, night")
        self.rounding_combo = QComboBox()
        self.rounding_combo.addItem("Typed in", "typed")
        if titration_step_mg:
            self.rounding_combo.addItem(
                f"From my titration method ({format_mg(titration_step_mg, 6)})", "titration"
            )
        self.round_edit = QLineEdit("0.001")
        self.final_edit = QLineEdit()
        self.final_rule = QLabel()
        self.final_rule.setObjectName("hint")
        self.final_rule.setWordWrap(True)
        self.crossover_box = QGroupBox("Switch to another drug first (crossover)")
        self.crossover_box.setCheckable(True)
        self.crossover_box.setChecked(False)
        self.crossover_equivalence_edit = QLineEdit()
        self.crossover_equivalence_edit.setPlaceholderText("catalogue value")
        self.swap_edit = QLineEdit()
        self.swap_edit.setPlaceholderText("plan order; e.g. night, morning")
        self.stage_edit = QLineEdit("7")
        self.parts_edit = QLineEdit()
        self.parts_edit.setPlaceholderText("4 with one daily dose, else 1")
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save as new revision" if plan else "Save plan")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        self._lay_out()
        if plan is not None:
            self._prefill(plan)
        else:
            self._select(self.drug_combo, "clonazepam")
        self.add_drug_button.clicked.connect(self._add_custom_drug)
        # A new form does not open on a red "enter the dose": that waits for a first edit.
        self._doses_touched = plan is not None
        for edit in (self.total_edit, *(row.dose_edit for row in self.time_rows)):
            edit.textEdited.connect(self._dose_touched)
        for edit in self.findChildren(QLineEdit):
            edit.textChanged.connect(self.revalidate)
        for combo in self.findChildren(QComboBox):
            combo.currentIndexChanged.connect(self.revalidate)
        self.start_edit.dateChanged.connect(self.revalidate)
        self.crossover_box.toggled.connect(self.revalidate)
        self.rounding_combo.currentIndexChanged.connect(self._rounding_changed)
        self.split_combo.currentIndexChanged.connect(self._split_changed)
        if plan is None:
            self.style_combo.currentIndexChanged.connect(self._style_chosen)
        self.resize(1040, 720)
        self.revalidate()

    # -- layout --------------------------------------------------------------

    def _row(self, form: QFormLayout, label: str, field: QWidget, key: str, hint: str = "") -> None:
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(field)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setObjectName("hint")
            hint_label.setWordWrap(True)
            box.addWidget(hint_label)
        self._fields[key] = field
        self._field_names[key] = label or _UNLABELLED.get(key, key)
        form.addRow(label, box)

    def _form(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        group = QGroupBox(title)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return group, form

    def _lay_out(self) -> None:
        fields = QWidget()
        column = QVBoxLayout(fields)

        group, form = self._form(
            "The plan's starting point" if self.original else "What you take now"
        )
        self._row(form, "Plan name", self.name_edit, "name")
        drug_line = QWidget()
        drug_layout = QHBoxLayout(drug_line)
        drug_layout.setContentsMargins(0, 0, 0, 0)
        drug_layout.addWidget(self.drug_combo, 1)
        self.add_drug_button = QPushButton("Add a drug…")
        drug_layout.addWidget(self.add_drug_button)
        self._row(form, "Drug", drug_line, "drug")
        self._row(form, "Equivalence", self.equivalence_edit, "equivalence")
        form.addRow("", self.equivalence_source)
        self._row(form, "Daily dose", self.split_combo, "split")
        self._row(form, "", self.total_edit, "doses")
        self.times_widget = QWidget()
        times_layout = QVBoxLayout(self.times_widget)
        times_layout.setContentsMargins(0, 0, 0, 0)
        for row in self.time_rows:
            times_layout.addWidget(row)
        form.addRow("", self.times_widget)
        column.addWidget(group)

        group, form = self._form("How to reduce")
        self._row(form, "First cut on", self.start_edit, "start")
        cut_line = QWidget()
        cut_layout = QHBoxLayout(cut_line)
        cut_layout.setContentsMargins(0, 0, 0, 0)
        cut_layout.addWidget(self.cut_edit, 1)
        cut_layout.addWidget(self.model_combo, 2)
        self._row(form, "Cut", cut_line, "cut")
        self._row(form, "Every", self.every_edit, "every", "days per step")
        self._row(form, "Style", self.style_combo, "style")
        self._row(form, "Which dose", self.order_combo, "order_mode")
        self._row(form, "", self.order_edit, "order")
        if self.rounding_combo.count() > 1:
            self._row(form, "Rounding", self.rounding_combo, "rounding_mode")
            self._row(
                form, "", self.round_edit, "round", "smallest dose step you can measure, in mg"
            )
        else:  # a choice of one ("Typed in") is no choice: only the step is shown
            self.rounding_combo.setParent(self)
            self.rounding_combo.hide()
            self._row(
                form,
                "Rounding",
                self.round_edit,
                "round",
                "smallest dose step you can measure, in mg",
            )
        self._row(form, "Final dose", self.final_edit, "final")
        form.addRow("", self.final_rule)
        column.addWidget(group)

        form = QFormLayout(self.crossover_box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._row(form, "Switch to", self.crossover_combo, "crossover")
        self._row(form, "Equivalence", self.crossover_equivalence_edit, "crossover_equivalence")
        self._row(form, "Swap order", self.swap_edit, "swap_order")
        self._row(form, "Days per stage", self.stage_edit, "stage_days")
        self._row(
            form,
            "Move each dose in",
            self.parts_edit,
            "switch_parts",
            "parts, one per stage: 4 moves a quarter of the dose a stage",
        )
        risks = QLabel(
            "Moving to diazepam over 1-2 weeks may go better than all at once (ASAM 2025). "
            "Diazepam can sedate and lower mood, and it builds up in older people and with "
            "liver problems (NHS Scotland; PrescQIPP); for some people the switch made symptoms "
            "worse. Staying on your current drug is a valid choice: decide with your prescriber."
        )
        risks.setObjectName("hint")
        risks.setWordWrap(True)
        form.addRow(risks)
        column.addWidget(self.crossover_box)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(fields)
        side = QFrame()
        side.setObjectName("previewPanel")
        side.setFrameShape(QFrame.Shape.StyledPanel)
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.preview)
        side_layout.addStretch(1)
        side.setMinimumWidth(340)
        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addWidget(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        lines = self.message_line.fontMetrics().lineSpacing()
        self.message_line.setFixedHeight(3 * lines + 4)  # reserved: nothing moves
        self.message_line.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.message_line)
        layout.addWidget(self.buttons)
        for label in self.findChildren(QLabel, "hint"):
            make_hint(label)

    def _fill_drugs(self) -> None:
        for combo in (self.drug_combo, self.crossover_combo):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for drug in sorted(self.catalogue, key=lambda d: d.name.lower()):
                combo.addItem(drug.name + (" (your drug)" if drug.is_custom else ""), drug.key)
            combo.blockSignals(False)
            if current:
                self._select(combo, current)
        self._select(self.crossover_combo, "diazepam")

    @staticmethod
    def _select(combo: QComboBox, data: str) -> None:
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)

    # -- prefill -------------------------------------------------------------

    def _prefill(self, plan: TaperPlan) -> None:
        self._select(self.drug_combo, plan.drug_key)
        overrides = plan.overrides
        if plan.drug_key in overrides:
            self.equivalence_edit.setText(format_number(overrides[plan.drug_key], 6))
        if len(plan.dosing_times) == 1 and plan.dosing_times[0].label == DEFAULT_LABEL:
            self.split_combo.setCurrentIndex(0)
            self.total_edit.setText(format_number(plan.dosing_times[0].dose_mg, 6))
        else:
            self.split_combo.setCurrentIndex(max(1, len(plan.dosing_times) - 1))
            if len(plan.dosing_times) == 1:
                self.split_combo.setCurrentIndex(1)
            for row, time in zip(self.time_rows, plan.dosing_times, strict=False):
                row.name_edit.setText(time.label)
                row.dose_edit.setText(format_number(time.dose_mg, 6))
                row.clock_edit.setText(time.clock_time or "")
        start = plan.start_date
        self.start_edit.setDate(QDate(start.year, start.month, start.day))
        percent = plan.reduction.kind is ReductionKind.PERCENT_OF_CURRENT
        self.model_combo.setCurrentIndex(0 if percent else 1)
        self.cut_edit.setText(format_number(plan.reduction.value, 6))
        self.every_edit.setText(str(plan.interval_days))
        self._select(self.style_combo, plan.style.value)
        if not plan.cut_order.proportional:
            self.order_combo.setCurrentIndex(1)
            self.order_edit.setText(", ".join(plan.cut_order.sequence))
        self.round_edit.setText(format_number(plan.rounding_mg, 6))
        if plan.final_dose_mg is not None:
            self.final_edit.setText(format_number(plan.final_dose_mg, 6))
        if plan.crossover is not None:
            self.crossover_box.setChecked(True)
            self._select(self.crossover_combo, plan.crossover.to_drug_key)
            if plan.crossover.to_drug_key in overrides:
                self.crossover_equivalence_edit.setText(
                    format_number(overrides[plan.crossover.to_drug_key], 6)
                )
            self.swap_edit.setText(", ".join(plan.crossover.swap_order))
            self.stage_edit.setText(str(plan.crossover.stage_days))
            self.parts_edit.setText(str(plan.crossover.parts))

    # -- validation and preview ---------------------------------------------

    def raw_fields(self) -> dict[str, str]:
        """The form as the text fields :func:`validate_plan_fields` reads."""
        split = self.split_combo.currentIndex()
        if split == 0:
            doses = self.total_edit.text()
        else:
            doses = ",".join(row.text() for row in self.time_rows[: split + 1])
        crossover = self.crossover_box.isChecked()
        return {
            "drug": self.drug_combo.currentData() or "",
            "doses": doses,
            "start": self.start_edit.date().toString("yyyy-MM-dd"),
            "cut": self.cut_edit.text(),
            "cut_model": self.model_combo.currentData(),
            "every": self.every_edit.text(),
            "style": self.style_combo.currentData(),
            "order": self.order_edit.text() if self.order_combo.currentIndex() == 1 else "",
            # The method's own step, every digit (0.00285714… mg for 1 mg in 35 mL with a
            # 0.1 mL syringe): a 6-decimal text would drift from whole graduations.
            "round": repr(self.titration_step_mg)
            if self.rounding_combo.currentData() == "titration" and self.titration_step_mg
            else self.round_edit.text(),
            "final": self.final_edit.text(),
            "crossover": (self.crossover_combo.currentData() or "") if crossover else "",
            "swap_order": self.swap_edit.text() if crossover else "",
            "stage_days": self.stage_edit.text() if crossover else "",
            "switch_parts": self.parts_edit.text() if crossover else "",
            "equivalence": self.equivalence_edit.text(),
            "crossover_equivalence": self.crossover_equivalence_edit.text() if crossover else "",
        }

    def revalidate(self) -> None:
        split = self.split_combo.currentIndex()
        self.total_edit.setVisible(split == 0)
        self.times_widget.setVisible(split > 0)
        for i, row in enumerate(self.time_rows):
            row.setVisible(split > 0 and i <= split)
        self.order_combo.setEnabled(split > 0)
        self.order_edit.setVisible(split > 0 and self.order_combo.currentIndex() == 1)
        self._show_equivalence_source()
        self._suggest_name()

        raw = self.raw_fields()
        result = validate_plan_fields(raw, self.catalogue, self.today)
        errors = dict(result.errors)
        if self.order_combo.currentIndex() == 1 and split > 0 and not raw["order"].strip():
            errors["order"] = "List the dosing times in the order to cut them, e.g. morning, night."
        if not self.name_edit.text().strip():
            errors["name"] = "Give the plan a name (up to 80 characters)."
        elif len(self.name_edit.text().strip()) > 80:
            errors["name"] = "A plan name has at most 80 characters."
        # A cleared box must not quietly mean the core's default value.
        required = [
            ("cut", self.cut_edit, "Enter the cut, e.g. 10."),
            ("every", self.every_edit, "Enter the days per step, e.g. 14."),
            ("round", self.round_edit, "Enter the smallest dose step you can measure, in mg."),
        ]
        if self.crossover_box.isChecked():
            required.append(("stage_days", self.stage_edit, "Enter the days per stage, e.g. 7."))
        for key, edit, message in required:
            if not edit.text().strip():
                errors.setdefault(key, message)
        plan, schedule = result.plan, None
        if plan is not None and not errors:
            plan = self._carry_over(plan)
            try:
                schedule = build_schedule(plan, self.catalogue, self.today)
            except ScheduleTooLongError as exc:
                errors["cut"] = str(exc)
            except PlanRefused as exc:  # rounding would make a cut far larger than planned
                errors["round" if self.round_edit.isVisible() else "rounding_mode"] = str(exc)
        shown = dict(errors)
        visible_doses = (
            [self.total_edit]
            if split == 0
            else [row.dose_edit for row in self.time_rows[: split + 1]]
        )
        no_dose_yet = not any(edit.text().strip() for edit in visible_doses)
        if no_dose_yet and "doses" in shown:
            if self._doses_touched:
                shown["doses"] = (
                    "Enter your current daily dose in mg."
                    if split == 0
                    else "Enter the dose, in mg, of each time of day."
                )
            else:
                del shown["doses"]
        shown = self._name_bad_doses(shown, split)
        self._show_messages(shown)
        self.errors = errors
        self._waiting_for_dose = no_dose_yet and set(errors) == {"doses"}
        self.schedule = schedule if not errors else None
        self.result_plan = plan if self.schedule is not None else None
        self.ok_button.setEnabled(self.schedule is not None)
        self._show_preview()

    def _name_bad_doses(self, shown: dict[str, str], split: int) -> dict[str, str]:
        """ "(empty) is not a number" named no dose: say which time of day it is."""
        self._bad_dose_edit = None
        if "doses" not in shown or split == 0:
            return shown
        from taperdesk.core.diary import FieldError, parse_dose_mg

        for row in self.time_rows[: split + 1]:
            text = row.dose_edit.text().strip()
            name = row.name_edit.text().strip() or "this time of day"
            try:
                parse_dose_mg(text, "dose_mg")
            except FieldError as error:
                message = f"enter the {name} dose in mg, e.g. 0.5" if not text else error.message
                self._bad_dose_edit = row.dose_edit
                return {**shown, "doses": f"Dose for {name}: {message}"}
        return shown

    def _show_messages(self, shown: dict[str, str]) -> None:
        """Each message in the reserved line, naming its field; the field outlined in red."""
        self.shown_errors = shown
        lines = []
        for key, message in shown.items():
            name = self._field_names.get(key, key)
            lines.append(message if message.startswith("Dose for") else f"{name}: {message}")
        if len(lines) > 3:
            lines = [*lines[:2], f"… and {len(lines) - 2} more (outlined in red)."]
        self.message_line.setText("\n".join(lines))
        for key, field in self._fields.items():
            bad = key in shown
            _outline(field, bad)
        for row in self.time_rows:
            _outline(row.dose_edit, row.dose_edit is getattr(self, "_bad_dose_edit", None))

    def _carry_over(self, plan: TaperPlan) -> TaperPlan:
        """Keep what an edit must not lose: holds and where revision 1 started."""
        old = self.original
        if old is None:
            return plan
        overrides = dict(plan.equivalence_overrides)
        if old.original_drug_key and old.original_drug_key in old.overrides:
            overrides.setdefault(old.original_drug_key, old.overrides[old.original_drug_key])
        return replace(
            plan,
            holds=old.holds,
            original_start_dose_mg=old.original_start_dose_mg,
            original_drug_key=old.original_drug_key,
            equivalence_overrides=tuple(overrides.items()),
        )

    def _show_equivalence_source(self) -> None:
        key = self.drug_combo.currentData()
        if not key or key not in self.catalogue:
            self.equivalence_source.clear()
            return
        drug = self.catalogue.get(key)
        eq = drug.equivalence
        source = short_source(eq.source)
        text = f"{format_mg(eq.mg_per_diazepam_10)} ~ 10 mg diazepam ({source})"
        if eq.low.mg != eq.high.mg:
            text += f"; sources give {format_number(eq.low.mg)}-{format_number(eq.high.mg)} mg"
        typed = self.equivalence_edit.text().strip()
        if typed:
            text = f"This plan uses your value, {typed} mg. Catalogue: {text}"
        self.equivalence_source.setText(text + ".")
        self.equivalence_source.setToolTip(eq.source)

    def _show_preview(self) -> None:
        schedule = self.schedule
        if schedule is None:
            self.final_rule.setText("Blank: the default rule (smaller of 5% and 1 mg diazepam).")
            advice = (
                "Enter your current dose to see the plan."
                if self._waiting_for_dose
                else "Fix the fields marked in red to see the plan."
            )
            self.preview.setText(f"<h3>Preview</h3><p>{advice}</p>")
            return
        s = schedule.summary
        # After a crossover the cuts and the final dose are in the new drug's mg: name it.
        taper_name = self.catalogue.get(schedule.plan.taper_drug_key).name
        self.final_rule.setText(
            f"Blank: {format_mg(s.final_dose_rule_mg)} {taper_name} (the smaller of 5% of the "
            "starting dose and the equivalent of 1 mg diazepam)."
        )
        weeks = s.duration_days / 7
        months = s.duration_days / 30.44
        rows = [
            ("First cut", s.start_date.isoformat()),
            ("Last dose ends", s.end_date.isoformat()),
            (
                "Duration",
                f"{s.duration_days} days (~{format_number(weeks, 0)} weeks, "
                f"~{format_number(months, 1)} months)",
            ),
            ("Steps", str(s.step_count)),
            (
                "Fastest step",
                f"{format_percent(s.largest_effective_rate_percent_per_14_days)}"
                " per 14 days"
                + (f" (step {s.largest_rate_step_number})" if s.largest_rate_step_number else ""),
            ),
            ("First cut size", _first_cut(schedule, taper_name)),
        ]
        table = "".join(
            f"<tr><td style='padding:2px 12px 2px 0'>{k}</td><td><b>{v}</b></td></tr>"
            for k, v in rows
        )
        rise = self.dose_rise_today()
        rise_html = (
            f"<p style='color:#b00020'><b>Today's dose goes up:</b> "
            f"{rise[0]} now, {rise[1]} with these changes.</p>"
            if rise
            else ""
        )
        drop = self.dose_drop_today()
        if drop:  # a slipped date or cut size: as loud as a rise
            rise_html += (
                f"<p style='color:#b00020'><b>Today's dose drops more than one cut:</b> "
                f"{drop[0]} now, {drop[1]} with these changes. "
                "Check the dates and the cut size.</p>"
            )
        from taperdesk.core.plan_fields import implausible_dose

        question = implausible_dose(self.result_plan, self.catalogue) if self.result_plan else None
        if question:  # asked again on saving; said here as soon as it is typed
            rise_html += f"<p style='color:#b00020'><b>Check the dose:</b> {question}</p>"
        self.preview.setText(
            f"<h3>Preview</h3>{rise_html}<table>{table}</table>"
            f"<h4>Warnings</h4>{warnings_html(s.warnings, limit=4)}"
        )

    def _split_changed(self, split: int) -> None:
        """2 times a day is morning and night (not morning and afternoon): names the person
        has not typed follow the number of times."""
        names = NAMES_FOR_SPLIT.get(split)
        if names is None:
            return
        rows = self.time_rows[: split + 1]
        if all(row.name_edit.text().strip() in (*DEFAULT_TIME_NAMES, "") for row in rows):
            for row, name in zip(rows, names, strict=True):
                row.name_edit.setText(name)

    def _style_chosen(self) -> None:
        """A new daily micro taper measured with a liquid rounds to the syringe, once: the
        dose of each day is then a whole number of graduations of the mix."""
        daily = self.style_combo.currentData() == "daily"
        untouched = self.rounding_combo.currentData() == "typed" and self.round_edit.text() in (
            "0.001",
            "",
        )
        if daily and self.titration_liquid and untouched:
            self._select(self.rounding_combo, "titration")

    def _rounding_changed(self) -> None:
        from_method = self.rounding_combo.currentData() == "titration"
        if from_method and self.titration_step_mg:
            self.round_edit.setText(format_number(self.titration_step_mg, 6))
        self.round_edit.setReadOnly(from_method)

    def _add_custom_drug(self) -> None:
        from taperdesk.ui import plan_files

        drug = plan_files.ask_custom_drug(self)
        if drug is None:
            return
        self.catalogue = self.catalogue.with_custom(drug)
        self.new_custom_drugs.append(drug)
        self._fill_drugs()
        self._select(self.drug_combo, drug.key)
        self.revalidate()

    def _dose_touched(self, _text: str) -> None:
        self._doses_touched = True

    def _name_edited(self, _text: str) -> None:
        self._name_typed = True

    def _suggest_name(self) -> None:
        key = self.drug_combo.currentData()
        if not self._name_typed and key in self.catalogue:
            self.name_edit.setText(f"{self.catalogue.get(key).name} taper")

    def dose_rise_today(self) -> tuple[str, str] | None:
        """Editing: ``(today's dose now, today's dose with the edits)`` if the edits raise it.

        An edit is computed from the plan's start again, so a longer interval, a smaller
        cut or a later start can quietly put today's dose back up; that is a rise in
        dose, which the person should see before saving. Both doses are the application
        layer's answer for today (the plan as lived, and as it would be once saved).
        """
        lived, plan = self.lived, self.result_plan
        if lived is None or plan is None:
            return None
        try:
            old = lived.on(self.today)
            new = lived.with_revision(plan, self.today, "Edited").on(self.today)
        except KnownError:
            return None
        if old is None or new is None:
            return None
        old_eq, new_eq = old.total_diazepam_eq_mg, new.total_diazepam_eq_mg
        if new_eq <= old_eq * 1.001 + 1e-9:
            return None
        return _by_drug(old, lived), _by_drug(new, lived)

    def dose_drop_today(self) -> tuple[str, str] | None:
        """Editing: ``(today's dose now, with the edits)`` if the edits lower today's dose by
        more than one of the plan's own cuts (a first-cut date a year off did 94%)."""
        lived, plan = self.lived, self.result_plan
        if lived is None or plan is None:
            return None
        from taperdesk.app.plan_actions import DayChange, PlanChange

        try:
            old = lived.on(self.today)
            after = lived.with_revision(plan, self.today, "Edited")
            new = after.on(self.today)
        except KnownError:
            return None
        change = PlanChange(
            "Edit plan", self.today, (DayChange(self.today, old, new),), lived, after
        )
        if old is None or new is None or not change.today_drops_beyond_pace:
            return None
        return _by_drug(old, lived), _by_drug(new, lived)

    def _accept(self) -> None:
        self.revalidate()
        if self.result_plan is None:
            return
        from taperdesk.core.plan_fields import implausible_dose

        question = implausible_dose(self.result_plan, self.catalogue)  # a typo: 100 for 1.00?
        if question and not dialogs.confirm(
            self, "Is this dose right?", question, "", yes="Yes, the dose is right"
        ):
            return
        # Saving shows what changes today and in the next two weeks, by drug, and asks
        # (taperdesk.app.plan_actions through ui.plan_guard): one check for every change.
        self.accept()

    @property
    def plan_name(self) -> str:
        return self.name_edit.text().strip()


def _first_cut(schedule: Schedule, drug_name: str) -> str:
    first = next((s for s in schedule.steps if s.is_cut), None)
    if first is None:
        return "-"
    return f"{format_mg(first.cut_mg, 4)} {drug_name} ({format_percent(first.cut_percent)})"


def _by_drug(day, lived) -> str:  # (PlanDay, LivedPlan) -> "0.9 mg clonazepam"
    """A day's doses in words, every drug named (mg of two drugs are never compared)."""
    from taperdesk.app.plan_actions import describe_day

    return describe_day(day, lived.catalogue)


def short_source(source: str) -> str:
    """The first words of a citation, up to its first bracket or semicolon."""
    return re.split(r" \(|;", source, maxsplit=1)[0].strip()


def style_name(style: TaperStyle) -> str:
    return "cut and hold" if style is TaperStyle.CUT_AND_HOLD else "daily micro taper"
