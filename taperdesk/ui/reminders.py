"""A daily reminder at the dose times, through the system tray where there is one.

Times come from the active plan's dosing times. Turned off with the setting
``diary.reminders`` (a checkable item in the tray menu). Without a system
tray (offscreen, some desktops) nothing is created and nothing breaks.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from taperdesk.core import settings_registry as registry
from taperdesk.errors import KnownError
from taperdesk.store.database import Database
from taperdesk.store.settings import get_setting, set_setting
from taperdesk.ui.state import AppState

SETTING_KEY = registry.DIARY_REMINDERS.key


def due_reminders(times: list[tuple[str, str]], now: dt.datetime, done: set[str]) -> list[str]:
    """Labels whose time ("HH:MM") has come today and were not reminded yet."""
    stamp = now.strftime("%H:%M")
    return [label for label, at in times if at <= stamp and f"{now.date()}:{label}" not in done
            and at >= (now - dt.timedelta(minutes=30)).strftime("%H:%M")]  # fmt: skip


class DoseReminders(QObject):
    def __init__(self, state: AppState, window: QWidget) -> None:
        super().__init__(window)
        self.state = state
        self.done: set[str] = set()
        self.tray: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        self.tray = QSystemTrayIcon(window.windowIcon(), self)
        menu = QMenu(window)
        self.toggle = menu.addAction("Daily dose reminders")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(self.enabled())
        self.toggle.toggled.connect(self.set_enabled)
        self.tray.setContextMenu(menu)
        self.tray.setToolTip("TaperDesk")
        self.tray.show()
        self.timer = QTimer(self)
        self.timer.setInterval(30_000)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def enabled(self) -> bool:
        try:
            return bool(get_setting(self.state.database, SETTING_KEY, True))
        except KnownError:
            return False

    def set_enabled(self, on: bool) -> None:
        try:
            set_setting(self.state.database, SETTING_KEY, on)
        except KnownError:
            return

    def check(self) -> None:
        if self.tray is None or not self.enabled():
            return
        now = dt.datetime.now()
        try:
            times = reminder_times(self.state.database)
        except KnownError:
            return
        for label in due_reminders(times, now, self.done):
            self.done.add(f"{now.date()}:{label}")
            self.tray.showMessage("TaperDesk", f"Time for your {label} dose. Log it in the Diary.")


def reminder_times(database: Database) -> list[tuple[str, str]]:
    """(label, "HH:MM") of the active plan's dosing times that have a clock time."""
    from taperdesk.app.lived_plan import active_plan

    lived = active_plan(database)
    if lived is None:
        return []
    return [(t.label, t.clock_time) for t in lived.plan.dosing_times if t.clock_time]


def install_reminders(state: AppState, window: QWidget) -> DoseReminders:
    return DoseReminders(state, window)
