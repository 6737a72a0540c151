"""Small reusable widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

#: Width of an empty state's explanation, in pixels.
TEXT_WIDTH_PX = 560


class EmptyState(QWidget):
    """A centred "nothing here yet" panel: what this place will hold and how to start."""

    action_clicked = Signal()

    def __init__(
        self,
        title: str,
        text: str,
        button_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.title_label = QLabel(title)
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label = QLabel(text)
        self.text_label.setWordWrap(True)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A wrapped label needs a definite width, and its height for that width,
        # or Qt under-estimates the height and clips the first and last lines.
        self.text_label.setFixedWidth(TEXT_WIDTH_PX)
        self._fit_text()
        layout.addWidget(self.title_label)
        layout.addSpacing(8)
        layout.addWidget(self.text_label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.button: QPushButton | None = None
        if button_text:
            self.button = QPushButton(button_text)
            self.button.setDefault(True)
            self.button.clicked.connect(self.action_clicked)
            layout.addSpacing(16)
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def _fit_text(self) -> None:
        self.text_label.setMinimumHeight(self.text_label.heightForWidth(TEXT_WIDTH_PX))

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_text()  # the font is final once the widget is polished
        super().showEvent(event)


def field_error_label() -> QLabel:
    """The red message shown next to (under) an input that is not accepted."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setStyleSheet("QLabel#fieldError { color: #c62828; }")
    label.hide()
    return label


def set_field_error(label: QLabel, message: str | None) -> None:
    label.setText(message or "")
    label.setVisible(bool(message))
