"""The Diary tab: doses taken, symptoms, sleep and notes, day by day."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from taperdesk.ui.state import AppState
from taperdesk.ui.widgets import EmptyState


class DiaryTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        self.empty_state = EmptyState(
            "Your daily diary",
            "Each day you will record the doses you took, how strong each symptom felt (0-10), "
            "your sleep and notes, and see your symptoms against your dose on a chart. "
            "Nothing is logged yet.",
        )
        layout.addWidget(self.empty_state)
