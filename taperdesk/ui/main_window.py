"""TaperDesk's main window: three tabs, the menus, the status bar."""

from __future__ import annotations

import base64
import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from taperdesk import APP_NAME, __version__
from taperdesk.core import safety
from taperdesk.core import settings_registry as registry
from taperdesk.errors import KnownError
from taperdesk.store.opening import open_user_database
from taperdesk.store.settings import get_setting, set_setting
from taperdesk.ui import dialogs
from taperdesk.ui.state import AppState

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QKeySequence

    from taperdesk.ui.diary_tab import DiaryTab
    from taperdesk.ui.plan_status import TodayLine
    from taperdesk.ui.plan_tab import PlanTab
    from taperdesk.ui.titration_tab import TitrationTab

#: The day's backup waits this long after the window is shown (not urgent; the first
#: chart is).
BACKUP_DELAY_MS = 5000
#: The smallest window in which every tab's content fits without overlapping.
MIN_WIDTH_PX, MIN_HEIGHT_PX = 1000, 600
GEOMETRY_KEY = registry.WINDOW_GEOMETRY.key
TAB_KEY = registry.WINDOW_TAB.key
SAFETY_KEY = registry.SAFETY_ACKNOWLEDGED.key

#: (key, tab title, module, class): each tab is imported and built the first
#: time it is shown (or asked for), so start-up pays only for the visible one.
TABS: tuple[tuple[str, str, str, str], ...] = (
    ("plan", "&Plan", "taperdesk.ui.plan_tab", "PlanTab"),
    ("titration", "&Titration", "taperdesk.ui.titration_tab", "TitrationTab"),
    ("diary", "&Diary", "taperdesk.ui.diary_tab", "DiaryTab"),
)


class MainWindow(QMainWindow):
    def __init__(
        self, state: AppState, parent: QWidget | None = None, deferred: bool = False
    ) -> None:
        """``deferred``: the window (frame, menus, tabs, status bar) is built now and its
        visible tab and status line only by :meth:`fill` after the first paint, so the
        window appears at once whatever the data (the app does this; tests need not)."""
        super().__init__(parent)
        self.state = state
        self._deferred = deferred
        self._pending_shortcuts: list[tuple[QAction, str]] = []
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(MIN_WIDTH_PX, MIN_HEIGHT_PX)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._tab_holders: dict[str, QWidget] = {}
        self._built_tabs: dict[str, QWidget] = {}
        for key, title, _module, _class in TABS:
            holder = QWidget()
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            self._tab_holders[key] = holder
            self.tabs.addTab(holder, title)
        self.setCentralWidget(self.tabs)
        self.tabs.currentChanged.connect(self._build_current_tab)

        self.today_label = QLabel("No plan yet: create one with File > New plan…")
        self.statusBar().addWidget(self.today_label, 1)
        self.today_line: TodayLine | None = None
        if deferred:
            self.today_label.setText("")  # the plan engine is imported after the first paint
        else:
            self._start_today_line()

        self._create_actions()
        self._create_menus()
        self._restore_window_state()
        self._build_current_tab(self.tabs.currentIndex())
        self.tabs.currentChanged.connect(self._remember_tab)

    # -- tabs ----------------------------------------------------------------

    def tab(self, key: str) -> QWidget:
        """The tab widget for ``key`` ("plan", "titration", "diary"), built on first use."""
        if key not in self._built_tabs:
            _key, _title, module_name, class_name = next(t for t in TABS if t[0] == key)
            tab_class = getattr(importlib.import_module(module_name), class_name)
            widget = tab_class(self.state)
            self._tab_holders[key].layout().addWidget(widget)
            self._built_tabs[key] = widget
            on_built = getattr(self, f"_on_{key}_tab_built", None)
            if on_built is not None:
                on_built(widget)
        return self._built_tabs[key]

    def start_new_plan(self) -> None:
        """File > New plan…: show the Plan tab and open its form."""
        self.tabs.setCurrentIndex(0)
        self.plan_tab.new_plan()

    def _build_current_tab(self, index: int) -> None:
        if 0 <= index < len(TABS) and not self._deferred:
            self.tab(TABS[index][0])

    def fill(self) -> None:
        """A deferred window's visible tab and status line (once, after the first paint)."""
        if not self._deferred:
            return
        self._deferred = False
        for action, shortcut in self._pending_shortcuts:
            action.setShortcut(_key_sequence(shortcut))
        self._pending_shortcuts.clear()
        self._start_today_line()
        self._build_current_tab(self.tabs.currentIndex())

    def _start_today_line(self) -> None:
        from taperdesk.ui.plan_status import TodayLine

        self.today_line = TodayLine(self.state, self.today_label, self)

    @property
    def plan_tab(self) -> PlanTab:
        return self.tab("plan")  # type: ignore[return-value]

    @property
    def titration_tab(self) -> TitrationTab:
        return self.tab("titration")  # type: ignore[return-value]

    @property
    def diary_tab(self) -> DiaryTab:
        return self.tab("diary")  # type: ignore[return-value]

    # -- actions and menus -------------------------------------------------

    def _action(
        self,
        text: str,
        shortcut: str | None = None,
        enabled: bool = True,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if self._deferred:  # the first shortcut sets up the keyboard map (~25 ms)
                self._pending_shortcuts.append((action, shortcut))
            else:
                action.setShortcut(_key_sequence(shortcut))
        action.setEnabled(enabled)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    def _create_actions(self) -> None:
        self.action_new_plan = self._action("&New plan…", "New", True, "Create a taper plan")
        self.action_new_plan.triggered.connect(self.start_new_plan)
        self.action_print_sheet = self._action(
            "&Print weekly sheet…",
            "Print",
            True,
            "Preview and print dosing sheets for the fridge, one page a week",
        )
        self.action_print_sheet.triggered.connect(lambda: self.open_print_dialog(export=False))
        self.action_print_report = self._action(
            "Print r&eport…",  # R is "Restore from backup…" in the same menu
            None,
            True,
            "Preview and print the report for your prescriber: plan, diary, symptoms",
        )
        self.action_print_report.triggered.connect(
            lambda: self.open_print_dialog(export=False, document="report")
        )
        self.action_export_pdf = self._action(
            "Export P&DF…",  # Alt+P is "Print weekly sheet" in the same menu
            "Ctrl+E",
            True,
            "Save weekly sheets, the plan overview or a report as PDF",
        )
        self.action_export_pdf.triggered.connect(lambda: self.open_print_dialog(export=True))
        self.action_export_data = self._action(
            "E&xport data…", None, True, "Save all your data (plans, settings, diary) as one file"
        )
        self.action_import_data = self._action(
            "&Import data…", None, True, "Add the data of a TaperDesk data file or a diary CSV"
        )
        self.action_backup_now = self._action(
            "&Back up now",
            "Ctrl+B",
            True,
            "Write a backup of all your data into the backups folder",
        )
        self.action_restore = self._action(
            "&Restore from backup…", None, True, "Replace your data with one of the backups"
        )
        self.action_quit = self._action("&Quit", "Quit")
        self.action_safety = self._action("&Safety information", "HelpContents")
        self.action_about = self._action(f"&About {APP_NAME}")

        self.action_export_data.triggered.connect(self.export_data)
        self.action_import_data.triggered.connect(self.import_data)
        self.action_backup_now.triggered.connect(self.back_up_now)
        self.action_restore.triggered.connect(self.restore_from_backup)
        self.action_quit.triggered.connect(self.close)
        self.action_safety.triggered.connect(lambda: self.show_safety_notice(first_start=False))
        self.action_about.triggered.connect(self.show_about)

    def _create_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.action_new_plan)
        file_menu.addSeparator()
        file_menu.addAction(self.action_print_sheet)
        file_menu.addAction(self.action_print_report)
        file_menu.addAction(self.action_export_pdf)
        file_menu.addSeparator()
        file_menu.addAction(self.action_export_data)
        file_menu.addAction(self.action_import_data)
        file_menu.addSeparator()
        file_menu.addAction(self.action_backup_now)
        file_menu.addAction(self.action_restore)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        self.file_menu = file_menu

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.action_safety)
        help_menu.addAction(self.action_about)
        self.help_menu = help_menu

    # -- start-up ----------------------------------------------------------

    def come_forward(self) -> None:
        """Another start on this data folder asked for this window: show it, on top."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def after_show(self) -> None:
        """Work that waits until the window is on screen: daily backup, first-start notice."""
        # The day's backup a few seconds on, once the visible tab and its chart are drawn
        # (at ten years the copy took ~25-50 ms of the wait for the chart); at close if
        # the window closes first.
        self._backup_timer = QTimer(self)
        self._backup_timer.setSingleShot(True)
        self._backup_timer.setInterval(BACKUP_DELAY_MS)
        self._backup_timer.timeout.connect(self._daily_backup)
        self._backup_timer.start()
        from taperdesk.ui.reminders import install_reminders

        self.reminders = install_reminders(self.state, self)
        QTimer.singleShot(0, self, self.fit_to_screen)  # now the title bar is known too
        if self._setting(SAFETY_KEY, 0) < safety.NOTICE_VERSION:
            QTimer.singleShot(0, lambda: self.show_safety_notice(first_start=True))

    def _daily_backup(self) -> None:
        from taperdesk.ui.startup import daily_backup

        daily_backup(self.state.database, self.state.data_dir, self)

    def show_safety_notice(self, first_start: bool) -> bool:
        from taperdesk.ui.safety_dialog import SafetyDialog  # not needed before the paint

        dialog = SafetyDialog(first_start, self)
        accepted = dialog.exec() == SafetyDialog.DialogCode.Accepted
        if first_start and accepted:
            self._save_setting(SAFETY_KEY, safety.NOTICE_VERSION)
        return accepted

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Plan, measure and log a slow benzodiazepine taper, offline.</p>"
            f"<p>{safety.SHORT_LINE}</p>"
            f"<p>Your data folder:<br><code>{self.state.data_dir}</code></p>",
        )

    # -- settings helpers --------------------------------------------------

    def _setting(self, key: str, default: object) -> object:
        try:
            return get_setting(self.state.database, key, default)
        except KnownError:
            return default

    def _save_setting(self, key: str, value: object) -> None:
        try:
            set_setting(self.state.database, key, value)
        except KnownError as error:
            dialogs.show_error(self, error)

    def _restore_window_state(self) -> None:
        geometry = self._setting(GEOMETRY_KEY, None)
        if isinstance(geometry, str):
            self.restoreGeometry(base64.b64decode(geometry))  # bytes: no QByteArray import
        else:
            self.resize(1100, 760)
        self.fit_to_screen()
        tab = self._setting(TAB_KEY, 0)
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def fit_to_screen(self) -> None:
        """Keep the whole window on the screen's available area (a 1366x768 laptop has
        about 1366x740 under its panel; 760 pixels high put the status bar off-screen)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()  # title bar, borders
        width = min(self.width(), area.width() - frame.width())
        height = min(self.height(), area.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), area.left()), area.right() - width - frame.width() + 1)
        y = min(max(self.y(), area.top()), area.bottom() - height - frame.height() + 1)
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    def _remember_tab(self, index: int) -> None:
        # A second later, once: a committed write (~2 ms, synchronous=FULL) in the middle
        # of showing the tab, for a setting that only says where to open next time.
        timer = getattr(self, "_tab_timer", None)
        if timer is None:
            timer = self._tab_timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(1000)
            timer.timeout.connect(lambda: self._save_setting(TAB_KEY, self.tabs.currentIndex()))
        timer.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        backup = getattr(self, "_backup_timer", None)
        if backup is not None and backup.isActive():
            backup.stop()
            self._daily_backup()
        timer = getattr(self, "_tab_timer", None)
        if timer is not None and timer.isActive():
            timer.stop()
            self._save_setting(TAB_KEY, self.tabs.currentIndex())
        geometry = base64.b64encode(bytes(self.saveGeometry().data())).decode("ascii")
        self._save_setting(GEOMETRY_KEY, geometry)
        super().closeEvent(event)

    # -- printing ----------------------------------------------------------

    def open_print_dialog(self, export: bool = False, document: str = "weekly") -> None:
        from taperdesk.ui.print_dialogs import PrintSheetDialog

        PrintSheetDialog(self.state, self, export=export, document=document).exec()

    # -- data export / import (taperdesk.ui.diary_data_io) -------------------

    def export_data(self) -> None:
        from taperdesk.ui.diary_data_io import export_data

        export_data(self, self.state)

    def import_data(self) -> None:
        from taperdesk.ui.diary_data_io import import_data

        import_data(self, self.state)

    # -- backups -----------------------------------------------------------

    def back_up_now(self) -> None:
        from taperdesk.store import backup

        try:
            path = backup.write_backup(self.state.database, self.state.backups_dir, reason="manual")
        except KnownError as error:
            dialogs.show_error(self, error)
            return
        self.statusBar().showMessage(f"Backup saved: {path}", 10_000)

    def restore_from_backup(self) -> None:
        from taperdesk.store import backup

        backups = backup.list_backups(self.state.backups_dir)
        if not backups:
            dialogs.show_info(
                self,
                "No backups yet",
                "There are no backups to restore yet.",
                f"Backups are written daily into {self.state.backups_dir}.",
            )
            return
        index = dialogs.choose_item(
            self,
            "Restore from backup",
            "Restore your data as it was on:",
            [info.label for info in backups],
        )
        if index is None:
            return
        chosen = backups[index]
        question = f"Replace your current data with the backup from {chosen.label}?"
        detail = "Your current data file is moved aside (not deleted): this can be undone by hand."
        try:  # what the backup's plan says today and the next two weeks, by drug
            from taperdesk.app.plan_actions import preview_restore

            found = preview_restore(self.state.database, chosen.path)
        except KnownError as error:
            found = None
            detail = f"The backup's plan could not be read ({error.message}).\n\n{detail}"
        if found is not None and found.needs_confirmation:
            from taperdesk.ui.plan_guard import confirm_file_change

            if not confirm_file_change(
                self, found, f"{question} This changes your plan. {detail}", "Restore"
            ):
                return
        elif not dialogs.confirm(self, "Restore from backup", question, detail, yes="Restore"):
            return
        self.state.database.close()
        restored = True
        try:
            backup.restore_backup(chosen.path, self.state.database_path)
        except KnownError as error:
            restored = False
            dialogs.show_error(self, error)  # the current file was left as it was
        try:
            self.state.replace_database(open_user_database(self.state.data_dir))
        except KnownError as error:
            dialogs.show_error(self, error)
            return
        if restored:
            self.statusBar().showMessage(f"Restored the backup from {chosen.label}.", 10_000)


def _key_sequence(shortcut: str) -> QKeySequence:
    """A key sequence from "Ctrl+E", or from the name of a platform's standard key ("New",
    "Print", "Quit", "HelpContents"). Imported here: importing QKeySequence made PySide
    create its enum types before the window's first paint."""
    from PySide6.QtGui import QKeySequence

    standard = getattr(QKeySequence.StandardKey, shortcut, None)
    return QKeySequence(standard if standard is not None else shortcut)
