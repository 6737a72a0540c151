"""Input and result widgets shared by the titration pages."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from taperdesk.core.titration import TitrationInputError, parse_quantity
from taperdesk.ui.widgets import field_error_label

FIX_FIELD_TEXT = "Fix the highlighted field to see the result."
WARNING_STYLE = (
    "QLabel { background: #fff4e5; color: #663c00; border: 1px solid #f0b35a;"
    " border-radius: 4px; padding: 6px 8px; }"
)
_ERROR_EDIT_STYLE = "QLineEdit { border: 1px solid #c62828; border-radius: 3px; padding: 2px; }"


class QuantityField(QWidget):
    """A number box with its unit after it and its error message under it."""

    edited = Signal()

    def __init__(self, unit: str, text: str = "", width: int = 96) -> None:
        super().__init__()
        self.edit = QLineEdit(text)
        self.edit.setFixedWidth(width)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.unit_label = QLabel(unit)
        self.unit_label.setMinimumWidth(28)
        self.error_label = field_error_label()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.edit)
        row.addWidget(self.unit_label)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        self.edit.textEdited.connect(lambda _text: self.edited.emit())

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def value(self, field: str) -> float:
        """The typed number; raises :class:`TitrationInputError` naming ``field``."""
        return parse_quantity(self.edit.text(), field)

    def set_error(self, message: str | None) -> None:
        """Outline the box in red and keep the message for the page's reserved line: a
        message under the box pushed the next fields down while the person typed."""
        self._error = message or ""
        self.edit.setStyleSheet(_ERROR_EDIT_STYLE if message else "")
        self.edit.setToolTip(self._error)

    @property
    def error(self) -> str:
        return getattr(self, "_error", "")


def read_fields(
    fields: dict[str, QuantityField], whole: Iterable[str] = ()
) -> tuple[dict[str, float], dict[str, str]]:
    """Parse every field; ``(values, errors)`` keyed by field name."""
    values: dict[str, float] = {}
    errors: dict[str, str] = {}
    whole = set(whole)
    for name, field in fields.items():
        if not field.isEnabled():
            continue
        try:
            value = field.value(name)
        except TitrationInputError as error:
            errors[name] = error.message
            continue
        if name in whole and value != int(value):
            errors[name] = "Must be a whole number."
            continue
        values[name] = value
    return values, errors


def show_errors(fields: dict[str, QuantityField], errors: dict[str, str]) -> None:
    for name, field in fields.items():
        field.set_error(errors.get(name))


class MessageLine(QLabel):
    """A reserved place, of fixed height, for the messages of a form's fields, each naming
    its field: showing or clearing one never moves a field under the pointer."""

    def __init__(self, lines: int = 3) -> None:
        super().__init__()
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("QLabel#fieldError { color: #c62828; }")
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFixedHeight(lines * self.fontMetrics().lineSpacing() + 4)

    def show_messages(self, named: list[tuple[str, str]]) -> None:
        """``[(field name, message)]``; the first ones, then how many more."""
        lines = [f"{name}: {message}" if name else message for name, message in named]
        if len(lines) > 3:
            lines = [*lines[:2], f"… and {len(lines) - 2} more (outlined in red)."]
        self.setText("\n".join(lines))


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


class ResultPanel(QFrame):
    """The answer: the instruction in large text, the precision, warnings and notes."""

    updated = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("resultPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#resultPanel { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        caption = QLabel("PREPARATION")
        caption.setStyleSheet("color: palette(placeholder-text); letter-spacing: 1px;")
        small = QFont(caption.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        small.setBold(True)
        caption.setFont(small)
        self.instruction_label = QLabel()
        self.instruction_label.setWordWrap(True)
        self.instruction_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.instruction_label.font())
        big.setPointSizeF(big.pointSizeF() * 1.45)
        big.setBold(True)
        self.instruction_label.setFont(big)
        self.details = QGridLayout()
        self.details.setHorizontalSpacing(16)
        self.details.setVerticalSpacing(4)
        self.details.setColumnStretch(1, 1)
        self.warnings_box = QVBoxLayout()
        self.warnings_box.setSpacing(6)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(caption)
        layout.addWidget(self.instruction_label)
        layout.addLayout(self.details)
        layout.addLayout(self.warnings_box)
        layout.addWidget(self.notes_label)
        self._stretch_index = layout.count()
        layout.addStretch(1)
        self.lines: list[str] = []
        self.warnings: list[str] = []
        self.show_problem(FIX_FIELD_TEXT)

    def add_extra(self, item: QWidget | QLayout, stretch: int = 0) -> None:
        """Put a widget or layout (a table, buttons) under the notes."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        if stretch and self._stretch_index < layout.count():
            # The extra takes the spare room while it is shown; hidden (no rows), the
            # spacer takes it again, so the text stays at the top of the panel.
            layout.setStretch(self._stretch_index, 0)
        if isinstance(item, QWidget):
            layout.addWidget(item, stretch)
        else:
            layout.addLayout(item, stretch)

    @property
    def instruction(self) -> str:
        return self.instruction_label.text()

    @property
    def valid(self) -> bool:
        return bool(self.lines) or bool(self.instruction_label.property("valid"))

    def _clear(self) -> None:
        for layout in (self.details, self.warnings_box):
            while layout.count():
                item = layout.takeAt(0)
                widget = item.widget()
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()

    def show_problem(self, text: str) -> None:
        """No result: say what to fix, and show nothing stale."""
        self._clear()
        self.lines, self.warnings = [], []
        self.instruction_label.setProperty("valid", False)
        self.instruction_label.setText(text)
        self.instruction_label.setStyleSheet("color: palette(placeholder-text);")
        self.notes_label.hide()
        self.updated.emit()

    def show_refusal(self, text: str, reason: str) -> None:
        """No result, on purpose: say so in large text and why beneath it."""
        self.show_problem(text)
        self.notes_label.setText(reason)
        self.notes_label.show()

    def show_result(
        self,
        instruction: str,
        lines: Iterable[str],
        warnings: Iterable[str] = (),
        notes: Iterable[str] = (),
    ) -> None:
        self._clear()
        self.instruction_label.setProperty("valid", True)
        self.instruction_label.setText(instruction)
        self.instruction_label.setStyleSheet("")
        self.lines = list(lines)
        for row, line in enumerate(self.lines):
            name, _, value = line.partition(": ")
            name_label = QLabel(name if value else "")
            name_label.setStyleSheet("color: palette(placeholder-text);")
            value_label = QLabel(value or name)
            value_label.setWordWrap(True)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addWidget(name_label, row, 0, Qt.AlignmentFlag.AlignTop)
            self.details.addWidget(value_label, row, 1)
        self.warnings = list(warnings)
        for warning in self.warnings:
            label = QLabel("⚠  " + warning)
            label.setObjectName("warning")
            label.setWordWrap(True)
            label.setStyleSheet(WARNING_STYLE)
            self.warnings_box.addWidget(label)
        notes = list(notes)
        self.notes_label.setText("\n".join("•  " + note for note in notes))
        self.notes_label.setVisible(bool(notes))
        self.updated.emit()

    def as_text(self) -> str:
        """The result as plain text, for the clipboard."""
        parts = [self.instruction, *self.lines]
        parts += [f"Warning: {w}" for w in self.warnings]
        if self.notes_label.isVisible():
            parts.append(self.notes_label.text())
        return "\n".join(parts)
