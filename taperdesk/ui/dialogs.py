"""Small modal dialogs used across the app, in one module so tests can patch them.

Tests replace these functions with ``monkeypatch`` (e.g.
``monkeypatch.setattr(taperdesk.ui.dialogs, "show_error", fake)``); callers
therefore call them as ``dialogs.show_error(...)``, never import the names.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from taperdesk.errors import KnownError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# The Qt classes are imported where a dialog opens: this module is imported before the
# window's first paint, and importing QMessageBox and QInputDialog there made PySide
# create their eight enum types (~5 ms) for dialogs that usually never open.


def show_error(parent: QWidget | None, error: KnownError) -> None:
    """A plain message for an error a user can meet: what happened, what to do."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(error.title)
    box.setText(error.message)
    if error.advice:
        box.setInformativeText(error.advice)
    box.exec()


def show_info(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    box.exec()


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    detail: str = "",
    yes: str = "OK",
    *,
    careful: bool = False,
) -> bool:
    """True when the person clicks ``yes``. ``careful``: a dangerous change (a big drop or
    rise of a dose): Cancel is the default button, so Return does not save it."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if careful else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel if careful else ok)
    box.exec()
    return box.clickedButton() is ok


def choose_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
    """Index of the item the user picked, or None if they cancelled."""
    from PySide6.QtWidgets import QDialog, QInputDialog

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    dialog.setOption(QInputDialog.InputDialogOption.UseListViewForComboBoxItems, True)
    # Wide enough for its title and the items: it opened tiny, its title elided.
    width = max(
        420,
        dialog.fontMetrics().horizontalAdvance(title) + 160,
        *(dialog.fontMetrics().horizontalAdvance(item) + 80 for item in items),
    )
    dialog.resize(width, 320)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.textValue() not in items:
        return None
    return items.index(dialog.textValue())


class Recovery(Enum):
    RESTORE_BACKUP = "restore"
    START_FRESH = "fresh"
    QUIT = "quit"


def ask_recovery(
    parent: QWidget | None, damaged_path: str, detail: str, backup_label: str | None
) -> Recovery:
    """The data file is damaged: restore a backup, start fresh, or quit (nothing moved)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    missing = detail in ("it is missing", "it is empty, 0 bytes")  # nothing to keep aside
    box.setWindowTitle(
        "The TaperDesk data file is missing" if missing else "The TaperDesk data file is damaged"
    )
    box.setText(
        f"TaperDesk could not read its data file ({detail}):\n{damaged_path}\n\n"
        "Nothing is deleted: if you restore a backup or start fresh, the damaged file is kept "
        "beside it, renamed with '.damaged-' and the date. Quit leaves everything as it is."
    )
    restore = None
    if backup_label:
        box.setInformativeText(f"The newest good backup is from {backup_label}. Restore it?")
        restore = box.addButton("Restore backup", QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText(
            "There is no good backup to restore. You can start with a fresh file."
        )
    fresh = box.addButton("Start fresh", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return Recovery.RESTORE_BACKUP
    if clicked is fresh:
        return Recovery.START_FRESH
    return Recovery.QUIT
