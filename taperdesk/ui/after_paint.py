"""Run work just after a widget's first paint (its own small module: the app imports it
before the window's first paint, when every import is time the window is not shown)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _AfterPaint(QObject):
    """Event filter behind :func:`call_after_first_paint` (removes itself when done)."""

    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False


def call_after_first_paint(widget: QWidget, callback: Callable[[], object]) -> None:
    """Run ``callback`` once, just after ``widget`` is next painted (on screen), not before.

    For slow work such as importing matplotlib and drawing a chart: a zero
    timer started in ``showEvent`` fires before the window system's expose
    event, so the whole window would stay blank until that work is done.
    """
    _AfterPaint(widget, callback)
