"""Start the GUI: QApplication, the data file, the main window.

Kept light: nothing here imports matplotlib. The window is shown first; tabs
load their heavy parts (charts) once the event loop runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from taperdesk import APP_ID, APP_NAME, __version__

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon


def app_icon() -> QIcon:
    from PySide6.QtGui import QIcon

    from taperdesk.resource_files import ICON_SIZES_PX, icon_file

    icon = QIcon()
    for size in ICON_SIZES_PX:
        icon.addFile(str(icon_file(size)))
    return icon


def make_application(
    argv: Sequence[str], wheel_guard: bool = True, icon: bool = True
) -> QApplication:
    """The QApplication, named and iconed (reused if one exists, as in tests).

    ``wheel_guard`` False leaves the guard to the caller: the window installs it after its
    first paint, before any value widget exists (its import costs ~50 ms of PySide's
    first-use set-up that the frame does not need). ``icon`` False leaves the icon to the
    caller too (finding and loading its eight sizes: ~13 ms before the first frame)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    if icon:
        app.setWindowIcon(app_icon())
    if wheel_guard:
        from taperdesk.ui.wheel_guard import install_wheel_guard

        install_wheel_guard(app)
    return app


def run_app(data_dir: Path, argv: Sequence[str] = ("taperdesk",)) -> int:
    """Open the window and run until it is closed; the exit code.

    One window per data folder: a second start brings the first window forward and exits
    (no two windows can overwrite each other's saves)."""
    app = make_application(argv, wheel_guard=False, icon=False)  # after the first paint

    from taperdesk.store.errors import FolderInUse, StoreError
    from taperdesk.store.folder_lock import FolderLock
    from taperdesk.ui import dialogs
    from taperdesk.ui.single_instance import InstanceWatcher, ask_window_to_show

    lock = FolderLock(data_dir)
    try:
        if not lock.try_acquire():
            if ask_window_to_show(data_dir):
                print(
                    f"TaperDesk is already open on {data_dir}: its window was brought forward.",
                    file=sys.stderr,
                )
                return 0
            dialogs.show_error(None, FolderInUse(data_dir))
            return 1
    except StoreError as error:
        dialogs.show_error(None, error)
        return 1
    try:
        return _run_window(app, data_dir, lambda: InstanceWatcher(data_dir))
    finally:
        lock.release()


def _run_window(app: QApplication, data_dir: Path, make_watcher) -> int:
    from taperdesk.store.backup import clean_leftovers
    from taperdesk.ui.startup import open_with_recovery

    clean_leftovers(data_dir)  # half-written files of a crash; we hold the folder
    # The file's integrity check (it reads the whole file: ~15-35 ms at ten years) runs
    # in a thread while the window is built and painted; nothing is written before it
    # has passed (confirm_or_recover, first thing after the paint; every write asks too).
    database = open_with_recovery(data_dir, check_later=True)
    if database is None:
        return 1

    from taperdesk.ui.main_window import MainWindow
    from taperdesk.ui.state import AppState

    state = AppState(data_dir, database)
    window = MainWindow(state, deferred=True)
    state.watch_outside_changes()
    window.show()
    QTimer.singleShot(0, window, window.fit_to_screen)  # on screen whole from the first frame

    def after_first_paint() -> None:
        # The frame is on screen. First the file's integrity check's answer: a damaged
        # file is closed and the person chooses what to do, as at any start.
        from taperdesk.ui.startup import confirm_or_recover

        checked = confirm_or_recover(state.database, data_dir, window)
        if checked is None:
            app.exit(1)  # Quit: the window is not closed, so nothing is saved into it
            return
        if checked is not state.database:
            state.replace_database(checked)  # a backup restored, or a fresh start
        # Now the wheel guard (before any spin box or list exists), the visible tab and
        # today's line (a 20-year plan's schedule and table no longer keep the window
        # from appearing).
        from taperdesk.ui.wheel_guard import install_wheel_guard

        install_wheel_guard(app)
        app.setWindowIcon(app_icon())  # the window system takes it from the window at once
        window.fill()
        # The daily backup, the reminders and a first start's safety notice: zero timers
        # run before the window system's expose event, so these wait for the paint too.
        window.after_show()
        watch_for_second_starts()
        from taperdesk.ui.preload import IdlePreload

        window.preload = IdlePreload(parent=window)
        window.preload.start()

    def watch_for_second_starts() -> None:
        # After the first paint: creating the folder watcher takes ~50-90 ms, and a second
        # start waits up to 3 s for its request to be taken (the watcher also looks every
        # second), so nothing is missed meanwhile.
        window.instance_watcher = make_watcher()
        window.instance_watcher.show_requested.connect(window.come_forward)

    from taperdesk.ui.after_paint import call_after_first_paint

    call_after_first_paint(window, after_first_paint)
    try:
        return app.exec()
    finally:
        state.database.close()


if __name__ == "__main__":  # pragma: no cover - convenience for `python -m taperdesk.ui.app`
    from taperdesk.store.paths import data_dir as _data_dir

    sys.exit(run_app(_data_dir()))
