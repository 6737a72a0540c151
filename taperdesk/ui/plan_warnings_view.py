"""Plan warnings as calm, plain text with their severity visible (never as orders)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from taperdesk.core.plan_warnings import PlanWarning, Severity

SEVERITY_LABEL = {Severity.INFO: "Note", Severity.CAUTION: "Caution", Severity.STRONG: "Warning"}
#: Text colours that read on light and dark backgrounds alike.
SEVERITY_COLOUR = {
    Severity.INFO: "#5b7db1",
    Severity.CAUTION: "#b7791f",
    Severity.STRONG: "#c62828",
}
_ORDER = [Severity.STRONG, Severity.CAUTION, Severity.INFO]


def make_hint(label: QLabel) -> None:
    """Secondary text: the palette's placeholder colour (readable in light and dark)."""
    palette = label.palette()
    colour = palette.color(QPalette.ColorRole.PlaceholderText)
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)


def sorted_warnings(warnings: Sequence[PlanWarning]) -> list[PlanWarning]:
    """Strongest first, then by date."""
    return sorted(
        warnings,
        key=lambda w: (_ORDER.index(w.severity), w.day.toordinal() if w.day else 0),
    )


def warnings_html(warnings: Sequence[PlanWarning], limit: int | None = None) -> str:
    """A short HTML list; ``limit`` shows the first few and says how many more."""
    if not warnings:
        return "<p>No warnings: every step is within about 10% per 14 days.</p>"
    shown = sorted_warnings(warnings)
    rest = 0
    if limit is not None and len(shown) > limit:
        shown, rest = shown[:limit], len(shown) - limit
    items = "".join(
        f"<p style='margin:0 0 6px 0'><b style='color:{SEVERITY_COLOUR[w.severity]}'>"
        f"{SEVERITY_LABEL[w.severity]}:</b> {html.escape(w.text)}</p>"
        for w in shown
    )
    if rest:
        items += f"<p>… and {rest} more (see the schedule).</p>"
    return items


class WarningsPanel(QFrame):
    """The plan's warnings under the Today panel; hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warningsPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label)
        self.warnings: tuple[PlanWarning, ...] = ()

    def set_warnings(self, warnings: Sequence[PlanWarning]) -> None:
        self.warnings = tuple(warnings)
        self.label.setText(warnings_html(self.warnings, limit=2))
        self.setVisible(bool(self.warnings))
