"""The symptom catalogue: add, rename, hide, choose which to track, reorder.

Every change is saved at once; hiding keeps the symptom's ratings.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from taperdesk.core.diary import FieldError
from taperdesk.errors import KnownError
from taperdesk.store import symptoms as store
from taperdesk.store.database import Database
from taperdesk.ui import dialogs, diary_dialogs
from taperdesk.ui.widgets import field_error_label, set_field_error


class SymptomDialog(QDialog):
    changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle("Symptoms")
        self.resize(460, 520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Tick the symptoms you rate each day. Hidden symptoms keep all their ratings."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.itemChanged.connect(self._tracked_changed)
        self.list.currentRowChanged.connect(self._update_buttons)
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton("&Add…")
        self.rename_button = QPushButton("&Rename…")
        self.hide_button = QPushButton("&Hide")
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move &down")
        for button in (
            self.add_button,
            self.rename_button,
            self.hide_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row, 1)
        self.error_label = field_error_label()
        layout.addWidget(self.error_label)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.hide_button.clicked.connect(self.toggle_hidden)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for symptom in store.list_symptoms(self.database):
            text = symptom.name + ("  (hidden)" if symptom.hidden else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, symptom.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if symptom.tracked else Qt.CheckState.Unchecked
            )
            if symptom.hidden:
                item.setForeground(muted)
            self.list.addItem(item)
            if symptom.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._update_buttons()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _ids(self) -> list[int]:
        return [
            int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
        ]

    def _update_buttons(self) -> None:
        symptom_id = self.current_id()
        row = self.list.currentRow()
        for button in (self.rename_button, self.hide_button):
            button.setEnabled(symptom_id is not None)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)
        symptom = store.get_symptom(self.database, symptom_id) if symptom_id else None
        self.hide_button.setText("&Show" if symptom and symptom.hidden else "&Hide")

    def _run(self, action: object, select_id: int | None = None) -> bool:
        try:
            action()  # type: ignore[operator]
        except FieldError as error:
            set_field_error(self.error_label, error.message)
            return False
        except KnownError as error:
            dialogs.show_error(self, error)
            return False
        set_field_error(self.error_label, None)
        self.reload(select_id)
        self.changed.emit()
        return True

    def add(self) -> None:
        name = diary_dialogs.ask_text(self, "Add a symptom", "Symptom name:")
        if name is None:
            return
        added: list[int] = []
        self._run(lambda: added.append(store.add_symptom(self.database, name).id))
        if added:
            self.reload(added[0])

    def rename(self) -> None:
        symptom_id = self.current_id()
        symptom = store.get_symptom(self.database, symptom_id) if symptom_id else None
        if symptom is None:
            return
        name = diary_dialogs.ask_text(self, "Rename symptom", "New name:", symptom.name)
        if name is not None:
            self._run(lambda: store.rename_symptom(self.database, symptom.id, name), symptom.id)

    def toggle_hidden(self) -> None:
        symptom_id = self.current_id()
        symptom = store.get_symptom(self.database, symptom_id) if symptom_id else None
        if symptom is not None:
            self._run(
                lambda: store.set_hidden(self.database, symptom.id, not symptom.hidden), symptom.id
            )

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        ids = self._ids()
        if not 0 <= row + step < len(ids):
            return
        ids[row], ids[row + step] = ids[row + step], ids[row]
        self._run(lambda: store.reorder_symptoms(self.database, ids), ids[row + step])

    def _tracked_changed(self, item: QListWidgetItem) -> None:
        symptom_id = int(item.data(Qt.ItemDataRole.UserRole))
        tracked = item.checkState() == Qt.CheckState.Checked
        self._run(lambda: store.set_tracked(self.database, symptom_id, tracked), symptom_id)
