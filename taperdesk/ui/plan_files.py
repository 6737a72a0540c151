"""The Plan tab's modal questions, in one module so tests can patch them.

Callers use ``plan_files.ask_save_path(...)`` (never import the names), and
tests replace them with ``monkeypatch.setattr(plan_files, "ask_save_path", ...)``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from taperdesk.core.drugs import Drug, custom_drug
from taperdesk.core.plan_fields import FieldError, parse_in_range
from taperdesk.ui.widgets import field_error_label, set_field_error


def ask_save_path(
    parent: QWidget | None, title: str, suggested: str, file_filter: str
) -> Path | None:
    """Where to save a file, or ``None`` if the user cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), file_filter)
    return Path(path) if path else None


def ask_replan(
    parent: QWidget | None,
    labels: tuple[str, ...],
    default_day: dt.date,
    doses_for_day,  # Callable[[dt.date], dict[str, TakenDose]]
    catalogue,  # DrugCatalogue: the drug of each dose is named in the dialog
) -> tuple[dt.date, list] | None:
    """The day and the doses actually taken on it (``TakenDose``, each with its drug),
    or ``None`` if cancelled."""
    from taperdesk.ui.plan_replan import ReplanDialog

    dialog = ReplanDialog(labels, default_day, doses_for_day, parent, catalogue)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_value is None:
        return None
    return dialog.result_value


class CustomDrugDialog(QDialog):
    """Name and equivalence of a drug the catalogue does not have."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a drug")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. a brand name, as on the box")
        self.ratio_edit = QLineEdit()
        self.ratio_edit.setPlaceholderText("e.g. 0.5")
        intro = QLabel(
            "For a drug TaperDesk does not list. The equivalence is how many mg of it are "
            "about as strong as 10 mg of diazepam; sources disagree, so use the figure your "
            "prescriber gives."
        )
        intro.setWordWrap(True)
        self.error = field_error_label()
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Equivalence (mg ≈ 10 mg diazepam):", self.ratio_edit)
        form.addRow("", self.error)
        self.setMinimumWidth(480)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.drug: Drug | None = None

    def _accept(self) -> None:
        from taperdesk.store.drugs import custom_drug_key

        name = self.name_edit.text().strip()
        if not 1 <= len(name) <= 80:
            set_field_error(self.error, "Give the drug a name (up to 80 characters).")
            return
        try:
            ratio = parse_in_range(
                self.ratio_edit.text(),
                0,
                1000,
                "Equivalence must be more than 0 and at most 1000 mg per diazepam 10 mg",
                low_open=True,
            )
        except FieldError as exc:
            set_field_error(self.error, str(exc))
            return
        self.drug = custom_drug(custom_drug_key(name), name, ratio)
        self.accept()


def ask_custom_drug(parent: QWidget | None) -> Drug | None:
    dialog = CustomDrugDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.drug
