"""The mouse wheel changes no value unless the widget has keyboard focus (issue: one notch
over "First cut on" moved the year and cut today's dose by 94%)."""

from __future__ import annotations

from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from taperdesk.ui.app import make_application
from taperdesk.ui.wheel_guard import WheelGuard


def wheel(widget: QWidget, notches: int = 1) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def form(qtbot):
    area = QScrollArea()
    page = QWidget()
    layout = QVBoxLayout(page)
    date = QDateEdit(QDate(2026, 12, 1))
    combo = QComboBox()
    combo.addItems(["Daily micro taper", "Cut and hold"])
    spin = QSpinBox()
    spin.setValue(5)
    for widget in (date, combo, spin):
        layout.addWidget(widget)
    layout.addSpacing(2000)  # a long form: the wheel should scroll it
    area.setWidget(page)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, date, combo, spin


def test_the_application_has_the_guard(qapp) -> None:
    app = make_application(["taperdesk"])
    assert app.findChildren(WheelGuard)


def test_a_wheel_notch_over_an_unfocused_field_scrolls_and_changes_nothing(qtbot, qapp) -> None:
    make_application(["taperdesk"])
    area, date, combo, spin = form(qtbot)
    area.setFocus()
    for widget in (date, combo, spin):
        wheel(widget, -1)
    assert date.date() == QDate(2026, 12, 1)
    assert combo.currentText() == "Daily micro taper"
    assert spin.value() == 5
    assert not any(w.hasFocus() for w in (date, combo, spin))  # the wheel gave no focus
    assert area.verticalScrollBar().value() > 0  # the form scrolled instead


def test_a_focused_field_still_takes_the_wheel(qtbot, qapp) -> None:
    make_application(["taperdesk"])
    _area, _date, _combo, spin = form(qtbot)
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel(spin, 1)
    assert spin.value() == 6
