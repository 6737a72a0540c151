"""Test-wide set-up: no real display, no real user data.

Every test gets its own data folder (``TAPERDESK_DATA_DIR`` points into
``tmp_path``), so nothing ever reads or writes a real user's TaperDesk data,
and Qt runs offscreen.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Keep matplotlib's cache out of the user's home and quiet.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder for each test, via the environment variable."""
    folder = tmp_path / "taperdesk-data"
    monkeypatch.setenv("TAPERDESK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def database(isolated_data_dir: Path) -> Iterator[Database]:  # noqa: F821
    """A migrated database in the test's data folder (a real SQLite file)."""
    from taperdesk.store.opening import open_user_database

    db = open_user_database(isolated_data_dir)
    yield db
    db.close()


@pytest.fixture
def app_state(qtbot, database):
    """AppState over the test database, for widgets.

    At teardown the widgets go before the database closes, as in the app (the window
    closes, then the data file): a widget's pending timer (the compounding search runs
    400 ms after the last change) must not fire on a closed database.
    """
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from taperdesk.ui.state import AppState

    yield AppState(database.path.parent, database)
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def main_window(qtbot, app_state, monkeypatch: pytest.MonkeyPatch):
    """The main window, shown, with the first-start notice already acknowledged."""
    from taperdesk.core import safety
    from taperdesk.store.settings import set_setting
    from taperdesk.ui.main_window import SAFETY_KEY, MainWindow

    set_setting(app_state.database, SAFETY_KEY, safety.NOTICE_VERSION)
    window = MainWindow(app_state)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


MODAL_LIMIT_S = 20


@pytest.fixture(autouse=True)
def no_forgotten_modal_dialog(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail (instead of hanging for ever) when a GUI test leaves a modal dialog open.

    A dialog the test did not replace waits for a person who is not there; this
    watchdog closes any modal dialog still open after ``MODAL_LIMIT_S`` seconds
    and fails the test with its title and text.
    """
    if "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    forgotten: list[str] = []
    seen: dict[int, QElapsedTimer] = {}

    def check() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            seen.clear()
            return
        clock = seen.setdefault(id(widget), QElapsedTimer())
        if not clock.isValid():
            clock.start()
        elif clock.elapsed() > MODAL_LIMIT_S * 1000:
            text = widget.text() if isinstance(widget, QMessageBox) else ""
            forgotten.append(f"{type(widget).__name__} {widget.windowTitle()!r} {text!r}")
            widget.close()
            seen.pop(id(widget), None)

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(check)
    timer.start()
    yield
    timer.stop()
    if forgotten:
        pytest.fail(f"a modal dialog was left open (nobody to answer it): {forgotten}")
