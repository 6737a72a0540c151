"""No value changes under the mouse wheel unless the widget has keyboard focus.

Scrolling a form with the wheel must scroll the form: a spin box, date, combo
box or slider the pointer passes over is not changed by it (one notch over
"First cut on" moved the year and cut today's dose by 94% without a word). A
widget the person has clicked into or tabbed to (keyboard focus) still takes
the wheel. One event filter on the application covers every window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QScrollBar


def _guarded(watched: QObject) -> bool:
    if isinstance(watched, QScrollBar):
        return False  # a scroll bar is for scrolling
    return isinstance(watched, QAbstractSpinBox | QComboBox | QAbstractSlider)


class WheelGuard(QObject):
    """Passes a wheel event over an unfocused value widget on to its parents (which scroll)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.Wheel, QEvent.Type.Polish) or not _guarded(watched):
            return False
        widget = watched  # a QWidget: every guarded class is one
        if kind == QEvent.Type.Polish:
            # Qt gives a WheelFocus widget the focus on a wheel event before any filter
            # sees it: such widgets take focus by click or Tab only.
            if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:  # type: ignore[attr-defined]
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # type: ignore[attr-defined]
            return False
        if widget.hasFocus():  # type: ignore[attr-defined]
            return False
        # The value never changes. A real wheel event that is filtered out and not
        # accepted goes on to the parent widgets (the scroll area) by itself; a synthesized
        # one does not propagate in Qt, so it is handed up here.
        event.ignore()
        if not event.spontaneous():
            parent = widget.parentWidget()  # type: ignore[attr-defined]
            while parent is not None and not event.isAccepted():
                event.accept()  # a widget that does not want it ignores it again
                QApplication.sendEvent(parent, event)
                parent = parent.parentWidget()
            event.ignore()
        return True


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard on ``app`` (once)."""
    # Not app.findChild(WheelGuard): a search by Python type costs ~15 ms at start-up.
    existing = getattr(app, "_taperdesk_wheel_guard", None)
    if isinstance(existing, WheelGuard):
        return existing
    guard = WheelGuard(app)
    app._taperdesk_wheel_guard = guard  # type: ignore[attr-defined]
    app.installEventFilter(guard)
    return guard
