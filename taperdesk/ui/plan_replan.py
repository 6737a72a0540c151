"""Re-plan from actual: the day and the dose actually taken at each dosing time."""

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

from taperdesk.core.measure import first_upper, format_number
from taperdesk.core.plan_fields import MAX_DOSE_MG, FieldError, parse_in_range
from taperdesk.ui.widgets import field_error_label, set_field_error


class ReplanDialog(QDialog):
    """Prefilled from the diary (or the plan) for the chosen day; the user can change it."""

    def __init__(
        self,
        labels: tuple[str, ...],
        default_day: dt.date,
        doses_for_day: Callable[[dt.date], dict[str, float]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-plan from what you actually took")
        self.labels = labels
        self.doses_for_day = doses_for_day
        self.result_value: tuple[dt.date, dict[str, float]] | None = None
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
        for label in labels:
            edit = QLineEdit()
            self.dose_edits[label] = edit
            form.addRow(f"{first_upper(label)} (mg)", edit)
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

    def _prefill(self) -> None:
        doses = self.doses_for_day(self._day())
        for label, edit in self.dose_edits.items():
            edit.setText(format_number(doses[label], 6) if label in doses else "")

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
        self.result_value = (self._day(), doses)
        self.accept()
