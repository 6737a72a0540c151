"""The app's shared state: the open database and change notifications.

Tabs never talk to each other directly: a tab that changes the plan, the
diary or the settings saves through ``taperdesk.store`` and then emits the
matching signal here, and every tab that shows that data reloads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from taperdesk.store.database import Database
from taperdesk.store.opening import backups_path, database_path


class AppState(QObject):
    plan_changed = Signal()
    diary_changed = Signal()
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
        self.database_replaced.emit()
