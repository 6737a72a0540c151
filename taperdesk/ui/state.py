"""The app's shared state: the open database and change notifications.

Tabs never talk to each other directly: a tab that changes the plan, the
diary or the settings saves through ``taperdesk.store`` and then emits the
matching signal here, and every tab that shows that data reloads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from taperdesk.errors import KnownError
from taperdesk.store.database import Database
from taperdesk.store.opening import backups_path, database_path


class AppState(QObject):
    plan_changed = Signal()
    #: The diary changed: the days changed (a tuple of dates), or None when any day may
    #: have (an import). A one-day save lets the Plan chart re-read that day alone.
    diary_changed = Signal(object)
    settings_changed = Signal()
    #: The whole database was swapped (restore from backup, import): reload everything.
    database_replaced = Signal()

    def __init__(self, data_dir: Path, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.database = database

    @property
    def database_path(self) -> Path:
        return database_path(self.data_dir)

    @property
    def backups_dir(self) -> Path:
        return backups_path(self.data_dir)

    def replace_database(self, database: Database) -> None:
        self.database = database
        self._data_version = None
        self.database_replaced.emit()

    def watch_outside_changes(self, interval_ms: int = 2000) -> None:
        """Reload when another connection committed to the file (SQLite's data_version):
        the window shows what is saved instead of overwriting it with what it had."""
        from PySide6.QtCore import QTimer

        self._data_version = self._read_data_version()
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(interval_ms)
        self._watch_timer.timeout.connect(self.check_outside_changes)
        self._watch_timer.start()

    def _read_data_version(self) -> int | None:
        try:
            return int(self.database.query("PRAGMA data_version")[0][0])
        except (KnownError, sqlite3.Error):  # a closed or busy file: look again next time
            return None

    def check_outside_changes(self) -> bool:
        """True (and everything reloaded) when the file changed under the window."""
        version = self._read_data_version()
        seen = getattr(self, "_data_version", None)
        self._data_version = version
        if version is None or seen is None or version == seen:
            return False
        self.database_replaced.emit()
        return True
