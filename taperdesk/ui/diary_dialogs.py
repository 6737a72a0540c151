"""Modal questions the Diary tab asks, in one module so tests can patch them.

Callers use ``diary_dialogs.ask_above_plan(...)``, never import the names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from taperdesk.ui.widgets import field_error_label, set_field_error


@dataclass(frozen=True, slots=True)
class AbovePlanAnswer:
    """``reason`` to record (None: the person cancelled the edit); ``hold`` asks for a hold."""

    reason: str | None
    hold: bool = False


def ask_above_plan(parent: QWidget | None, message: str, reason: str = "") -> AbovePlanAnswer:
    """Ask why more than planned was taken, showing the kindling caution."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("More than planned")
    layout = QVBoxLayout(dialog)
    text = QLabel(message)
    text.setWordWrap(True)
    text.setMinimumWidth(420)
    layout.addWidget(text)
    what = QLabel(
        "Record keeps the dose as you entered it, with your reason. Cancel records nothing: "
        "the dose stays in its box, unsaved."
    )
    what.setWordWrap(True)
    layout.addWidget(what)
    layout.addWidget(QLabel("What happened? (recorded with the day, for you and your prescriber)"))
    edit = QLineEdit(reason)
    edit.setPlaceholderText("e.g. a very bad night, an interdose spike")
    layout.addWidget(edit)
    error = field_error_label()
    layout.addWidget(error)
    buttons = QDialogButtonBox()
    record = buttons.addButton("Record with this reason", QDialogButtonBox.ButtonRole.AcceptRole)
    hold = QPushButton("Record and hold")
    hold.setToolTip("Record the dose and pause the plan at the current dose from today")
    buttons.addButton(hold, QDialogButtonBox.ButtonRole.ActionRole)
    buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    layout.addWidget(buttons)
    chosen: dict[str, bool] = {"hold": False}

    def accept(as_hold: bool) -> None:
        if not edit.text().strip():
            set_field_error(error, "Please give a short reason.")
            dialog.adjustSize()  # room for the line: the dialog's text was cut off (review)
            return
        chosen["hold"] = as_hold
        dialog.accept()

    record.clicked.connect(lambda: accept(False))
    hold.clicked.connect(lambda: accept(True))
    buttons.rejected.connect(dialog.reject)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return AbovePlanAnswer(None)
    return AbovePlanAnswer(edit.text().strip(), chosen["hold"])


def show_reinstatement(parent: QWidget | None, text: str) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("A dose after the taper's end")
    box.setText("The dose is recorded as you entered it.")
    box.setInformativeText(text)
    box.exec()


class ImportConflict(Enum):
    OVERWRITE = "overwrite"
    SKIP = "skip"
    CANCEL = "cancel"


def ask_import_conflicts(parent: QWidget | None, days: list[str]) -> ImportConflict:
    """Some days in the file are already in the diary: overwrite them, skip them, or stop."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Days already in your diary")
    shown = ", ".join(days[:8]) + (f" and {len(days) - 8} more" if len(days) > 8 else "")
    count = f"{len(days)} days" if len(days) != 1 else "1 day"
    box.setText(
        f"{count} in the file {'are' if len(days) != 1 else 'is'} already in your diary: {shown}."
    )
    box.setInformativeText("Replace them with the file's entries, or keep yours and skip them?")
    overwrite = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
    skip = box.addButton("Keep mine, skip them", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is overwrite:
        return ImportConflict.OVERWRITE
    if box.clickedButton() is skip:
        return ImportConflict.SKIP
    return ImportConflict.CANCEL


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def ask_save_path(parent: QWidget | None, title: str, name: str, filter_text: str) -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, title, name, filter_text)
    return path or None


def ask_open_path(parent: QWidget | None, title: str, filter_text: str) -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, title, "", filter_text)
    return path or None
