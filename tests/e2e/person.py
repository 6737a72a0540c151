"""A person using TaperDesk in a real X window (run by test_real_window.py under Xvfb).

Real input events go to the real xcb window (QTest key and mouse events; no widget
setters): first start -> new plan -> today's diary entry by keyboard only -> a dose above
the plan -> "Record and hold" -> a weekly sheet saved as PDF. After each stage it records
what a person would see wrong: widgets outside the window or the screen, labels and
buttons narrower than their text. It writes what it saw as JSON to the path given.

    python person.py DATA_DIR OUT.json
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMessageBox,
    QToolButton,
    QWidget,
)

DATA_DIR, OUT = Path(sys.argv[1]), Path(sys.argv[2])
report: dict[str, object] = {"stages": [], "problems": [], "keys": 0}
DELAY_MS = 10


def problems_of(window: QWidget, stage: str) -> list[str]:
    """Visible widgets outside their window or the screen; text that does not fit."""
    found = []
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if not screen.contains(frame):
        found.append(f"{stage}: the window {frame.getRect()} is not inside {screen.getRect()}")
    box = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        if not isinstance(widget, QLabel | QAbstractButton):
            continue
        if _scrolled(widget):
            continue
        top_left = widget.mapTo(window, QPoint(0, 0))
        rect = widget.rect().translated(top_left)
        name = _name(widget)
        if not box.contains(rect):
            found.append(f"{stage}: {name} {rect.getRect()} is outside the window {box.getRect()}")
        hint = None
        icon_only = (
            isinstance(widget, QToolButton)
            and widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
            and not widget.icon().isNull()
        )
        if isinstance(widget, QAbstractButton) and widget.text() and not icon_only:
            # the text, its mnemonic marker left out, and a little padding must fit
            text = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            needed = widget.fontMetrics().horizontalAdvance(text) + 8
            if not widget.icon().isNull():
                needed += widget.iconSize().width()
            hint = widget.sizeHint().__class__(needed, 0)
        if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            hint = widget.sizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 2:
                found.append(f"{stage}: {name} needs {needed} px of height, has {widget.height()}")
        if hint is not None and hint.width() > widget.width() + 1:
            found.append(f"{stage}: {name} needs {hint.width()} px, has {widget.width()}")
    return found


def _scrolled(widget: QWidget) -> bool:
    """Inside a scroll area's viewport: it may be scrolled out of view on purpose."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent.objectName() == "qt_scrollarea_viewport":
            return True
        parent = parent.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    return f"{type(widget).__name__}({text[:40]!r})"


def check(stage: str, window: QWidget | None = None) -> None:
    window = window or QApplication.activeModalWidget() or main_window
    QApplication.processEvents()
    report["problems"].extend(problems_of(window, stage))  # type: ignore[union-attr]
    report["stages"].append(stage)  # type: ignore[union-attr]


def key(widget: QWidget | None, k: Qt.Key | str, modifier=Qt.KeyboardModifier.NoModifier, *,
        count: bool = True) -> None:  # fmt: skip
    target = widget or QApplication.focusWidget() or main_window
    if isinstance(k, str):
        QTest.keyClicks(target, k, modifier, DELAY_MS)
    else:
        # Press and release apart, as a keyboard does: the press may open a dialog and
        # rebuild the form, and the release then goes to whatever has the focus.
        QTest.keyPress(target, k, modifier, DELAY_MS)
        QApplication.processEvents()  # deferred deletions happen now, not in the release
        if not shiboken6.isValid(target):
            target = QApplication.focusWidget() or main_window
        QTest.keyRelease(target, k, modifier, 0)
    if count:
        report["keys"] = int(report["keys"]) + 1  # type: ignore[arg-type]
    QApplication.processEvents()


def activate(window: QWidget) -> None:
    """Give the window the keyboard, as a window manager does when a dialog closes (Xvfb
    runs none): shortcuts act only in the active window."""
    window.activateWindow()
    window.raise_()
    if not QTest.qWaitForWindowActive(window, 3000):
        report["problems"].append(f"{window.windowTitle()!r} never became active")  # type: ignore[union-attr]


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     widget.rect().center(), DELAY_MS)  # fmt: skip
    QApplication.processEvents()


def when_modal(
    kind: type,
    then: Callable[[QWidget], None],
    timeout_ms: int = 8_000,
    otherwise: Callable[[], None] | None = None,
) -> None:
    """Once a modal window of ``kind`` is up, do ``then`` with it (a dialog's exec() blocks
    the caller, so the person's next action is scheduled before it opens). Without one
    after ``timeout_ms``: ``otherwise``, or a problem reported."""
    waited = [0]

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind) and modal.isVisible():
            QTest.qWaitForWindowExposed(modal)
            activate(modal)
            then(modal)
            return
        waited[0] += 50
        if waited[0] > timeout_ms and otherwise is not None:
            otherwise()
            return
        if waited[0] > timeout_ms:
            shown = [w.windowTitle() or type(w).__name__ for w in QApplication.topLevelWidgets()
                     if w.isVisible()]  # fmt: skip
            report["problems"].append(  # type: ignore[union-attr]
                f"no {kind.__name__} appeared (on screen: {shown}, modal: {modal!r})"
            )
            OUT.write_text(json.dumps(report, indent=1), encoding="utf-8")
            give_up(3)
        QTimer.singleShot(50, poll)

    QTimer.singleShot(50, poll)


def button(window: QWidget, text: str) -> QAbstractButton:
    for candidate in window.findChildren(QAbstractButton):
        if candidate.text().replace("&", "") == text and candidate.isVisible():
            return candidate
    raise LookupError(f"no button {text!r} in {window.windowTitle()!r}")


# -- the person --------------------------------------------------------------------------


def first_start() -> None:
    from taperdesk.ui.safety_dialog import SafetyDialog

    def understood(dialog: QWidget) -> None:
        check("first-start notice", dialog)
        click(button(dialog, "I understand"))
        QTimer.singleShot(200, new_plan)

    when_modal(SafetyDialog, understood)


def new_plan() -> None:
    from taperdesk.ui.plan_form import PlanFormDialog

    check("empty Plan tab")

    def fill(dialog: PlanFormDialog) -> None:
        click(dialog.total_edit)
        key(dialog.total_edit, "1", count=False)
        QTest.qWait(300)
        check("plan form", dialog)
        when_modal(QMessageBox, confirm_first_cut)
        click(dialog.ok_button)

    def confirm_first_cut(box: QWidget) -> None:
        check("first cut today?", box)
        yes = next(b for b in box.findChildren(QAbstractButton)
                   if b.isVisible() and "cancel" not in b.text().lower())  # fmt: skip
        click(yes)
        QTimer.singleShot(300, daily_entry)

    when_modal(PlanFormDialog, fill)
    activate(main_window)
    key(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier, count=False)


def daily_entry() -> None:
    """Open app -> Diary -> doses as planned -> a rating for each of the 5 tracked
    symptoms -> notes -> saved, by keyboard only, counting key presses."""
    check("plan saved")
    activate(main_window)
    report["keys"] = 0
    alt = Qt.KeyboardModifier.AltModifier
    key(None, Qt.Key.Key_D, alt)  # the Diary tab
    key(None, Qt.Key.Key_A, alt)  # "Taken as planned": saves the doses, on to the symptoms
    QTest.qWait(400)  # a mnemonic "animates" the click for 100 ms; a person is slower
    for index, rating in enumerate("34521"):
        if index:
            key(None, Qt.Key.Key_Tab)
        key(None, rating)
    key(None, Qt.Key.Key_O, alt)  # Notes
    focus = QApplication.focusWidget()
    QTest.keyClicks(focus, "calm morning", Qt.KeyboardModifier.NoModifier, DELAY_MS)
    QTest.qWait(1500)  # the notes are saved once typing pauses
    report["daily_keys"] = report["keys"]
    check("diary entry")
    updose()


def updose() -> None:
    from taperdesk.ui import diary_dialogs

    tab = main_window.diary_tab
    row = tab.form.dose_rows[0]

    def record_and_hold(dialog: QWidget) -> None:
        check("more than planned?", dialog)
        from PySide6.QtWidgets import QLineEdit

        edit = next(e for e in dialog.findChildren(QLineEdit) if e.isVisible())
        click(edit)
        key(edit, "bad night", count=False)
        # A hold on a cut day raises today's dose back: that is shown and asked first.
        when_modal(QMessageBox, confirm_hold, timeout_ms=2000, otherwise=after_hold)
        click(button(dialog, "Record and hold"))

    def confirm_hold(box: QWidget) -> None:
        check("hold raises today's dose?", box)
        report["hold_asked"] = box.windowTitle()
        yes = next(b for b in box.findChildren(QAbstractButton)
                   if b.isVisible() and "cancel" not in b.text().lower())  # fmt: skip
        click(yes)
        QTimer.singleShot(800, after_hold)

    del diary_dialogs  # the real dialog is used
    from PySide6.QtWidgets import QDialog

    when_modal(QDialog, record_and_hold)
    activate(main_window)
    click(row.edit)
    key(row.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier, count=False)
    key(row.edit, str(round(float(row.edit.text()) + 0.25, 3)), count=False)
    key(row.edit, Qt.Key.Key_Return, count=False)


def after_hold() -> None:
    check("after Record and hold")
    report["deviation"] = main_window.diary_tab.form.deviation_label.text()
    print_sheet()


def print_sheet() -> None:
    from taperdesk.ui import print_dialogs

    target = DATA_DIR.parent / "sheet.pdf"
    # The file chooser is the platform's; the person's choice of file is given here.
    print_dialogs.ask_save_path = lambda _parent, _suggested: str(target)

    def export(dialog: QWidget) -> None:
        check("print dialog", dialog)
        click(dialog.export_button)
        QTest.qWait(500)
        report["pdf"] = str(target) if target.exists() else None
        dialog.close()
        QTimer.singleShot(200, finish)

    when_modal(print_dialogs.PrintSheetDialog, export)
    activate(main_window)
    key(main_window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier, count=False)


def finish() -> None:
    from taperdesk.store.diary import load_entry
    from taperdesk.store.plans import load_active_plan

    database = main_window.state.database
    entry = load_entry(database, dt.date.today())
    plan = load_active_plan(database)
    report["entry"] = None if entry is None else {
        "doses": [[d.label, d.dose_mg, d.planned_mg] for d in entry.doses],
        "ratings": sorted(entry.ratings.values()),
        "notes": entry.notes,
        "reason": entry.deviation_reason,
    }  # fmt: skip
    report["open_hold"] = None if plan is None or plan.open_hold is None else str(
        plan.open_hold.start
    )  # fmt: skip
    geometry = main_window.frameGeometry()
    report["window"] = [geometry.width(), geometry.height()]
    screen = main_window.screen().availableGeometry()
    report["screen"] = [screen.width(), screen.height()]
    OUT.write_text(json.dumps(report, indent=1), encoding="utf-8")
    # Everything is saved (each save is a committed transaction); the scenario ran inside
    # the key press that opened its first dialog, so leave without unwinding it.
    give_up(0)


def give_up(code: int) -> None:
    """Leave at once (a modal loop may be running): the report is already written."""
    import os

    sys.stdout.flush()
    os._exit(code)


if __name__ == "__main__":
    from taperdesk.store.folder_lock import FolderLock
    from taperdesk.ui.app import make_application
    from taperdesk.ui.main_window import MainWindow
    from taperdesk.ui.startup import open_with_recovery
    from taperdesk.ui.state import AppState

    app = make_application(["taperdesk"])
    lock = FolderLock(DATA_DIR).acquire()
    database = open_with_recovery(DATA_DIR)
    assert database is not None
    main_window = MainWindow(AppState(DATA_DIR, database))
    main_window.show()
    QTest.qWaitForWindowExposed(main_window)
    main_window.after_show()
    QTimer.singleShot(60_000 * 3, lambda: (OUT.write_text(json.dumps(
        {**report, "problems": [*report["problems"], "timed out"]}), encoding="utf-8"),
        QApplication.exit(4)))  # fmt: skip
    first_start()
    code = app.exec()
    database.close()
    lock.release()
    sys.exit(code)
