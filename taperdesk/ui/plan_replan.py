"""Re-plan from actual: the day and the dose actually taken at each dosing time.

Each field names its drug (during a switch stage a dosing time may still be on the
old drug), and the result keeps it, so the new revision is saved in mg of the drug
really taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from taperdesk.app.plan_actions import TakenDose
from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.measure import first_upper, format_number
from taperdesk.core.plan_fields import MAX_DOSE_MG, FieldError, parse_in_range
from taperdesk.ui.widgets import field_error_label, set_field_error


class ReplanDialog(QDialog):
    """Prefilled from the diary (or the plan) for the chosen day; the user can change it."""

    def __init__(
        self,
        labels: tuple[str, ...],
        default_day: dt.date,
        doses_for_day: Callable[[dt.date], dict[str, TakenDose]],
        parent: QWidget | None = None,
        catalogue: DrugCatalogue | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-plan from what you actually took")
        self.labels = labels
        self.doses_for_day = doses_for_day
        self.catalogue = catalogue
        self.drugs: dict[str, str] = {}
        self.result_value: tuple[dt.date, list[TakenDose]] | None = None
        form = QFormLayout(self)
        intro = QLabel(
            "A new revision starts from the dose you actually took on this day, keeping your "
            "other settings. The first cut comes one interval later. Earlier revisions are kept."
        )
        intro.setWordWrap(True)
        intro.setMinimumWidth(420)
        form.addRow(intro)
        self.day_edit = QDateEdit(QDate(default_day.year, default_day.month, default_day.day))
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow("Day", self.day_edit)
        self.dose_edits: dict[str, QLineEdit] = {}
        self.dose_labels: dict[str, QLabel] = {}
        for label in labels:
            edit = QLineEdit()
            self.dose_edits[label] = edit
            self.dose_labels[label] = QLabel(f"{first_upper(label)} (mg)")
            form.addRow(self.dose_labels[label], edit)
        self.error = field_error_label()
        form.addRow("", self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Re-plan")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.day_edit.dateChanged.connect(self._prefill)
        self._prefill()

    def _day(self) -> dt.date:
        return dt.date.fromisoformat(self.day_edit.date().toString("yyyy-MM-dd"))

    def _drug_name(self, drug_key: str) -> str:
        if self.catalogue is not None and drug_key in self.catalogue:
            return self.catalogue.get(drug_key).name.lower()
        return drug_key

    def _prefill(self) -> None:
        doses = self.doses_for_day(self._day())
        self.drugs = {label: dose.drug_key for label, dose in doses.items()}
        for label, edit in self.dose_edits.items():
            dose = doses.get(label)
            edit.setText(format_number(dose.dose_mg, 6) if dose is not None else "")
            drug = f" of {self._drug_name(dose.drug_key)}" if dose is not None else ""
            self.dose_labels[label].setText(f"{first_upper(label)} (mg{drug})")

    def _accept(self) -> None:
        rule = f"Each dose must be from 0 to {format_number(MAX_DOSE_MG)} mg"
        doses: dict[str, float] = {}
        try:
            for label, edit in self.dose_edits.items():
                doses[label] = parse_in_range(edit.text(), 0, MAX_DOSE_MG, f"{label}: {rule}")
        except FieldError as exc:
            set_field_error(self.error, str(exc))
            return
        if sum(doses.values()) <= 0:
            set_field_error(self.error, "Enter the dose you took; it must be more than 0 mg.")
            return
        drugs = self.drugs
        fallback = next(iter(drugs.values()), "")
        self.result_value = (
            self._day(),
            [TakenDose(label, drugs.get(label, fallback), mg) for label, mg in doses.items()],
        )
        self.accept()
