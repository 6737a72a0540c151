"""The Plan tab: the taper plan, its schedule and chart."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from taperdesk.ui.state import AppState
from taperdesk.ui.widgets import EmptyState


class PlanTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        self.empty_state = EmptyState(
            "No plan yet",
            "Your taper plan will live here: the dose for every day, the size and pace of each "
            "cut, holds, warnings when a step is faster than the guidance, and a chart of the "
            "whole taper. Start with New plan… and enter your current dose.",
            "New plan…",
        )
        if self.empty_state.button is not None:
            self.empty_state.button.setEnabled(False)
            self.empty_state.button.setToolTip("Plans arrive in the next TaperDesk update.")
        layout.addWidget(self.empty_state)
