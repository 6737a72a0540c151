"""The main window: tabs, menus, status bar, remembered state, safety notice, backups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from taperdesk.core import safety
from taperdesk.store import backup
from taperdesk.store.settings import get_setting, set_setting
from taperdesk.ui import dialogs
from taperdesk.ui.main_window import SAFETY_KEY, TAB_KEY, MainWindow
from taperdesk.ui.safety_dialog import SafetyDialog


def test_title_and_three_tabs(main_window: MainWindow) -> None:
    assert main_window.windowTitle() == "TaperDesk"
    names = [main_window.tabs.tabText(i).replace("&", "") for i in range(main_window.tabs.count())]
    assert names == ["Plan", "Titration", "Diary"]


def test_menus_and_shortcuts(main_window: MainWindow) -> None:
    file_items = [a.text().replace("&", "") for a in main_window.file_menu.actions() if a.text()]
    assert file_items == [
        "New plan…",
        "Print weekly sheet…",
        "Print report…",
        "Export PDF…",
        "Export data…",
        "Import data…",
        "Back up now",
        "Restore from backup…",
        "Quit",
    ]
    help_items = [a.text().replace("&", "") for a in main_window.help_menu.actions()]
    assert help_items == ["Safety information", "About TaperDesk"]
    assert main_window.action_print_sheet.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert main_window.action_quit.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)


def test_status_bar_has_a_today_line(main_window: MainWindow) -> None:
    assert main_window.today_label.isVisible()
    assert main_window.today_label.text()


def test_last_tab_and_geometry_are_restored(qtbot, app_state) -> None:
    set_setting(app_state.database, SAFETY_KEY, safety.NOTICE_VERSION)
    first = MainWindow(app_state)
    qtbot.addWidget(first)
    first.show()
    first.resize(1000, 720)
    qtbot.mouseClick(
        first.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=first.tabs.tabBar().tabRect(2).center()
    )
    assert first.tabs.currentIndex() == 2
    first.close()
    assert get_setting(app_state.database, TAB_KEY) == 2

    second = MainWindow(app_state)
    qtbot.addWidget(second)
    assert second.tabs.currentIndex() == 2
    assert (second.width(), second.height()) == (1000, 720)


def test_first_start_shows_the_safety_notice_once(qtbot, app_state, monkeypatch) -> None:
    shown: list[bool] = []

    def fake_exec(dialog: SafetyDialog) -> int:
        shown.append(True)
        texts = " ".join(label.text() for label in dialog.paragraph_labels)
        assert "Never stop a benzodiazepine abruptly" in texts
        assert dialog.accept_button.text() == safety.ACKNOWLEDGE_LABEL
        return SafetyDialog.DialogCode.Accepted

    monkeypatch.setattr(SafetyDialog, "exec", fake_exec)
    from taperdesk.ui import main_window as module

    monkeypatch.setattr(module, "BACKUP_DELAY_MS", 50)  # 5 s in the app: waitUntil's limit
    window = MainWindow(app_state)
    qtbot.addWidget(window)
    window.show()
    window.after_show()
    qtbot.waitUntil(lambda: shown == [True])
    assert get_setting(app_state.database, SAFETY_KEY) == safety.NOTICE_VERSION
    # The daily backup is written once the window is up.
    qtbot.waitUntil(lambda: len(backup.list_backups(app_state.backups_dir)) == 1)

    again = MainWindow(app_state)
    qtbot.addWidget(again)
    again.show()
    again.after_show()
    qtbot.wait(50)
    assert shown == [True]


def test_dismissed_notice_is_shown_again_next_time(qtbot, app_state, monkeypatch) -> None:
    monkeypatch.setattr(SafetyDialog, "exec", lambda self: SafetyDialog.DialogCode.Rejected)
    window = MainWindow(app_state)
    qtbot.addWidget(window)
    assert window.show_safety_notice(first_start=True) is False
    assert get_setting(app_state.database, SAFETY_KEY) is None


def test_help_shows_the_safety_notice(qtbot, main_window: MainWindow) -> None:
    seen: list[str] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SafetyDialog)
        seen.append(dialog.accept_button.text())
        dialog.accept_button.click()

    QTimer.singleShot(100, close_it)
    main_window.action_safety.trigger()
    assert seen == ["Close"]


def test_back_up_now_writes_a_backup(qtbot, main_window: MainWindow) -> None:
    main_window.action_backup_now.trigger()
    backups = backup.list_backups(main_window.state.backups_dir)
    assert [b.reason for b in backups] == ["manual"]
    assert "Backup saved" in main_window.statusBar().currentMessage()


def test_restore_from_backup(
    qtbot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = main_window.state
    set_setting(state.database, "person.name", "Before")
    main_window.action_backup_now.trigger()
    set_setting(state.database, "person.name", "After")
    monkeypatch.setattr(dialogs, "choose_item", lambda *args: 0)
    monkeypatch.setattr(dialogs, "confirm", lambda *args, **kwargs: True)
    with qtbot.waitSignal(state.database_replaced):
        main_window.action_restore.trigger()
    assert get_setting(state.database, "person.name") == "Before"
    moved = list(Path(state.data_dir).glob("taperdesk.sqlite3.before-restore-*"))
    assert len(moved) == 1


def test_a_damaged_backup_is_refused_and_not_reported_as_restored(
    qtbot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = main_window.state
    set_setting(state.database, "person.name", "Mine")
    main_window.action_backup_now.trigger()
    (chosen,) = backup.list_backups(state.backups_dir)
    chosen.path.write_bytes(b"junk" * 300)  # the backup file got damaged
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "choose_item", lambda *args: 0)
    monkeypatch.setattr(dialogs, "confirm", lambda *args, **kwargs: True)
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, error: errors.append(str(error)))
    main_window.statusBar().clearMessage()
    main_window.action_restore.trigger()
    assert errors and "cannot be read" in errors[0]
    assert "Restored" not in main_window.statusBar().currentMessage()
    assert get_setting(state.database, "person.name") == "Mine"
    assert not list(Path(state.data_dir).glob("taperdesk.sqlite3.before-restore-*"))


def test_restore_with_no_backups_says_so(qtbot, main_window: MainWindow, monkeypatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(
        dialogs, "show_info", lambda parent, title, text, detail="": told.append(text)
    )
    main_window.action_restore.trigger()
    assert told == ["There are no backups to restore yet."]


def test_empty_states_say_how_to_start(main_window: MainWindow) -> None:
    for tab in (main_window.plan_tab, main_window.titration_tab, main_window.diary_tab):
        empty = getattr(tab, "empty_state", None)
        if empty is not None and empty.isVisible():
            assert empty.title_label.text()
            assert len(empty.text_label.text()) > 40


def test_restoring_a_backup_with_another_plan_shows_what_changes(
    qtbot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restore is an action that changes the plan: before it, the confirmation says what
    changes today and in the next two weeks, by drug."""
    import datetime as dt

    from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan
    from taperdesk.store import plans

    state = main_window.state
    today = dt.date.today()
    first = TaperPlan("clonazepam", (DosingTime("daily", 1.0),), today, ReductionModel.percent(10))
    plans.save_new_plan(state.database, first, "Then")
    main_window.action_backup_now.trigger()
    plans.save_new_plan(state.database, TaperPlan("clonazepam", (DosingTime("daily", 0.5),), today,
                        ReductionModel.percent(10)), "Now")  # fmt: skip
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "choose_item", lambda *args: 0)
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, _t, text, detail, **_k: asked.append(f"{text}\n{detail}")
    )
    main_window.action_restore.trigger()
    assert asked and "This changes your plan" in asked[0]
    assert "Today to " in asked[0] and "0.45 mg clonazepam → 0.9 mg clonazepam" in asked[0]
    assert "“Then”" in asked[0]


def test_a_plan_that_cannot_be_read_never_stops_the_window(qtbot, app_state, monkeypatch) -> None:
    """A damaged revision: the window opens, the Plan tab says why in a sentence."""
    from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan
    from taperdesk.store import plans

    plan = TaperPlan(
        "clonazepam", (DosingTime("daily", 1.0),), dt.date.today(), ReductionModel.percent(10)
    )
    plans.save_new_plan(app_state.database, plan, "T")
    with app_state.database.transaction() as connection:
        connection.execute("DELETE FROM plan_dosing_times")
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, error: shown.append(str(error)))
    window = MainWindow(app_state)
    qtbot.addWidget(window)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    assert shown and "could not be read" in shown[0]
    assert "could not be worked out" in window.today_label.text()


def test_a_change_saved_under_the_window_is_reloaded_not_overwritten(main_window, qtbot):
    """Issue 15 point 2: the window notices another writer's commit (data_version) and
    reloads every tab, so its next save starts from what is on disk."""
    import datetime as dt

    from taperdesk.core.diary import DiaryEntry
    from taperdesk.store.diary import load_entry, save_entry
    from taperdesk.store.opening import open_user_database

    state = main_window.state
    state.watch_outside_changes(interval_ms=50)
    other = open_user_database(state.data_dir)
    day = dt.date(2026, 12, 1)
    save_entry(other, DiaryEntry(day, (), {}, notes="written by someone else"))
    other.close()
    with qtbot.waitSignal(state.database_replaced, timeout=3000):
        pass
    assert load_entry(state.database, day).notes == "written by someone else"
    assert not state.check_outside_changes()  # nothing new since


def test_leftovers_of_crashed_writes_are_cleaned_at_start(tmp_path) -> None:
    """Issue 15 point 10: half-written backups and copies were never removed."""
    from taperdesk.store.backup import clean_leftovers

    backups = tmp_path / "backups"
    backups.mkdir()
    junk = [backups / "taperdesk-20261201-120000-daily.sqlite3.partial",
            backups / "taperdesk-20261201-120000-daily.sqlite3.partial-journal",
            tmp_path / "taperdesk.sqlite3.restoring", tmp_path / "taperdesk.sqlite3.restoring-wal",
            tmp_path / ".export.json.4242.part"]  # fmt: skip
    kept = [backups / "taperdesk-20261130-120000-daily.sqlite3", tmp_path / "taperdesk.sqlite3"]
    for path in junk + kept:
        path.write_bytes(b"x")
    assert sorted(clean_leftovers(tmp_path)) == sorted(junk)
    assert all(path.exists() for path in kept)


def test_no_two_mnemonics_share_a_letter_and_the_common_actions_have_keys(main_window) -> None:
    """Issue 16 point 7: Alt+P was both "Taken as &planned" and the "&Plan" tab (and Alt+H
    both Hold and Help); there was no key for Back up now, Export PDF or help (F1)."""
    import re

    from PySide6.QtWidgets import QAbstractButton

    window = main_window
    letters: dict[str, list[str]] = {}
    texts = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    texts += [action.text() for action in window.menuBar().actions()]
    diary = window.diary_tab
    texts += [b.text() for b in diary.findChildren(QAbstractButton) if b.text()]
    for text in texts:
        found = re.search(r"&([^&])", text)
        if found:
            letters.setdefault(found.group(1).lower(), []).append(text)
    clashes = {k: v for k, v in letters.items() if len(v) > 1}
    assert clashes == {}
    in_file_menu: dict[str, list[str]] = {}  # "Print weekly sheet" and "Export PDF" shared P
    for action in window.menuBar().actions()[0].menu().actions():
        found = re.search(r"&([^&])", action.text())
        if found:
            in_file_menu.setdefault(found.group(1).lower(), []).append(action.text())
    assert {k: v for k, v in in_file_menu.items() if len(v) > 1} == {}
    assert window.action_backup_now.shortcut().toString() == "Ctrl+B"
    assert window.action_export_pdf.shortcut().toString() == "Ctrl+E"
    assert window.action_safety.shortcut().toString() == "F1"


def test_a_deferred_window_fills_its_tab_and_status_after_the_first_paint(
    qtbot, app_state, monkeypatch
) -> None:
    """Start-up: the frame paints first; the visible tab and today's line (a 20-year plan's
    schedule and table) come right after, so the window appears at once at any data size."""
    from support.printing_samples import sample_plan

    from taperdesk.store.plans import save_new_plan
    from taperdesk.ui.main_window import MainWindow

    save_new_plan(app_state.database, sample_plan(), "Mine")
    window = MainWindow(app_state, deferred=True)
    qtbot.addWidget(window)
    assert window._built_tabs == {} and window.today_label.text() == ""
    assert window.action_print_sheet.shortcut().isEmpty()  # set after the paint
    window.fill()
    assert window.action_print_sheet.shortcut().toString() == "Ctrl+P"
    assert "plan" in window._built_tabs
    assert window.today_label.text() != ""
    window.fill()  # once only
    assert list(window._built_tabs) == ["plan"]


def test_the_days_backup_is_made_after_the_start_or_at_close(qtbot, app_state, monkeypatch) -> None:
    """Issue 18: the daily backup ran at once after the first paint, in the wait for the
    first chart. It runs a few seconds later, or when the window closes before that."""
    from taperdesk.store import backup
    from taperdesk.ui import main_window as module

    set_setting(app_state.database, SAFETY_KEY, safety.NOTICE_VERSION)
    backups = app_state.data_dir / "backups"
    window = MainWindow(app_state)
    qtbot.addWidget(window)
    window.show()
    window.after_show()
    qtbot.wait(200)
    assert not backups.exists() or not backup.list_backups(backups)  # not yet
    window.close()
    assert [b.reason for b in backup.list_backups(backups)] == ["daily"]

    monkeypatch.setattr(module, "BACKUP_DELAY_MS", 50)
    later = MainWindow(app_state)
    qtbot.addWidget(later)
    later.show()
    later.after_show()
    assert later._backup_timer.interval() == 50
    qtbot.waitUntil(lambda: not later._backup_timer.isActive())
    later.close()
    assert [b.reason for b in backup.list_backups(backups)] == ["daily"]  # one a day
