"""The Titration tab: turn a planned dose into something measurable."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from taperdesk.ui.state import AppState
from taperdesk.ui.widgets import EmptyState


class TitrationTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        self.empty_state = EmptyState(
            "Measure small doses",
            "The titration calculator will turn each planned dose into something you can "
            "measure: millilitres of a liquid suspension, milligrams of powder on a scale, "
            "tablet pieces, or compounded capsules, rounded to the precision of your own tools.",
        )
        layout.addWidget(self.empty_state)
