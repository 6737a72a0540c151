"""The safety notice: shown once at first start, and from Help at any time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from taperdesk.core import safety


class SafetyDialog(QDialog):
    def __init__(self, first_start: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Safety information")
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        heading = safety.NOTICE_TITLE
        if not first_start:  # from Help: the person has started long ago
            heading = heading.removeprefix("Before you start: ")
            heading = heading[:1].upper() + heading[1:]
        title = QLabel(heading)
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        title.setWordWrap(True)
        layout.addWidget(title)
        self.paragraph_labels: list[QLabel] = []
        for paragraph in safety.NOTICE_PARAGRAPHS:
            label = QLabel(paragraph)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if paragraph.startswith("Never stop"):
                bold = QFont(label.font())
                bold.setBold(True)
                label.setFont(bold)
            layout.addWidget(label)
            self.paragraph_labels.append(label)
        buttons = QDialogButtonBox()
        if first_start:
            self.accept_button = buttons.addButton(
                safety.ACKNOWLEDGE_LABEL, QDialogButtonBox.ButtonRole.AcceptRole
            )
        else:
            self.accept_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
            self.accept_button.clicked.connect(self.accept)
        buttons.accepted.connect(self.accept)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        # Wrapped labels: fix the width, then let the height follow the text.
        self.resize(560, self.heightForWidth(560) if self.hasHeightForWidth() else 0)
        self.layout().setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
