"""Small shared widgets and helpers."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from taperdesk.ui.after_paint import call_after_first_paint


def test_slow_work_waits_for_the_first_paint_and_runs_once(qtbot) -> None:
    label = QLabel("chart goes here")
    qtbot.addWidget(label)
    calls: list[bool] = []
    painted: list[bool] = []
    original_paint = label.paintEvent

    def paint(event) -> None:
        painted.append(True)
        original_paint(event)

    label.paintEvent = paint  # type: ignore[method-assign]
    call_after_first_paint(label, lambda: calls.append(bool(painted)))
    qtbot.wait(50)
    assert calls == []  # hidden: never painted, nothing runs

    label.show()
    qtbot.waitExposed(label)
    qtbot.waitUntil(lambda: calls != [])
    assert calls == [True]  # it ran after the widget was painted

    label.repaint()
    label.setText("again")
    qtbot.wait(50)
    assert calls == [True]  # once only
