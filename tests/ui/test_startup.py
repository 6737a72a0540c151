"""Start-up with damaged, foreign, newer or unreadable data files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from taperdesk.errors import KnownError
from taperdesk.store import backup, migrations
from taperdesk.store.opening import open_user_database
from taperdesk.store.settings import get_setting, set_setting
from taperdesk.ui import dialogs
from taperdesk.ui.startup import daily_backup, open_with_recovery


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    errors: list[KnownError] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, error: errors.append(error))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text, detail="": None)
    return errors


def answer_recovery(monkeypatch: pytest.MonkeyPatch, choice: dialogs.Recovery) -> list[tuple]:
    asked: list[tuple] = []

    def fake(parent, damaged_path, detail, backup_label):
        asked.append((damaged_path, detail, backup_label))
        return choice

    monkeypatch.setattr(dialogs, "ask_recovery", fake)
    return asked


def test_first_start_creates_database_and_daily_backup(
    qtbot, isolated_data_dir: Path, told
) -> None:
    db = open_with_recovery(isolated_data_dir)
    assert db is not None
    daily_backup(db, isolated_data_dir)
    daily_backup(db, isolated_data_dir)
    db.close()
    assert (isolated_data_dir / "taperdesk.sqlite3").is_file()
    assert [b.reason for b in backup.list_backups(isolated_data_dir / "backups")] == ["daily"]
    assert told == []


def test_garbage_file_is_moved_aside_and_user_told(
    qtbot, isolated_data_dir: Path, told, monkeypatch
) -> None:
    isolated_data_dir.mkdir(parents=True)
    garbage = b"definitely not sqlite " * 200
    (isolated_data_dir / "taperdesk.sqlite3").write_bytes(garbage)
    asked = answer_recovery(monkeypatch, dialogs.Recovery.START_FRESH)

    db = open_with_recovery(isolated_data_dir)
    assert db is not None
    db.close()
    assert len(asked) == 1
    damaged_path, detail, backup_label = asked[0]
    assert Path(damaged_path) == isolated_data_dir / "taperdesk.sqlite3"
    (kept,) = isolated_data_dir.glob("taperdesk.sqlite3.damaged-*")
    assert kept.read_bytes() == garbage  # kept beside the fresh file
    assert "not an SQLite database" in detail
    assert backup_label is None
    # A fresh, working database took its place.
    assert (isolated_data_dir / "taperdesk.sqlite3").read_bytes()[:16] == b"SQLite format 3\x00"


def test_damaged_file_offers_the_newest_good_backup(
    qtbot, isolated_data_dir: Path, told, monkeypatch
) -> None:
    db = open_user_database(isolated_data_dir)
    set_setting(db, "person.name", "Robin")
    backup.write_backup(db, isolated_data_dir / "backups", reason="daily")
    db.close()
    (isolated_data_dir / "taperdesk.sqlite3").write_bytes(b"\x00" * 4096)
    asked = answer_recovery(monkeypatch, dialogs.Recovery.RESTORE_BACKUP)

    restored = open_with_recovery(isolated_data_dir)
    assert restored is not None
    try:
        assert get_setting(restored, "person.name") == "Robin"
    finally:
        restored.close()
    assert asked[0][2] is not None  # the backup was offered
    damaged = list(isolated_data_dir.glob("taperdesk.sqlite3.damaged-*"))
    assert len(damaged) == 1 and damaged[0].read_bytes() == b"\x00" * 4096


def test_quit_leaves_everything_as_it_was_and_the_next_start_asks_again(
    qtbot, isolated_data_dir: Path, told, monkeypatch
) -> None:
    isolated_data_dir.mkdir(parents=True)
    (isolated_data_dir / "taperdesk.sqlite3").write_bytes(b"junk" * 1000)
    asked = answer_recovery(monkeypatch, dialogs.Recovery.QUIT)
    assert open_with_recovery(isolated_data_dir) is None
    assert (isolated_data_dir / "taperdesk.sqlite3").read_bytes() == b"junk" * 1000
    assert not list(isolated_data_dir.glob("taperdesk.sqlite3.damaged-*"))
    assert open_with_recovery(isolated_data_dir) is None  # not a silent fresh start
    assert len(asked) == 2


def test_newer_schema_is_refused_with_a_message(qtbot, isolated_data_dir: Path, told) -> None:
    open_user_database(isolated_data_dir).close()
    path = isolated_data_dir / "taperdesk.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    assert open_with_recovery(isolated_data_dir) is None
    assert len(told) == 1 and "newer version" in told[0].message
    assert path.read_bytes() == before


def test_unwritable_folder_is_refused_with_a_message(
    qtbot, isolated_data_dir: Path, told, monkeypatch
) -> None:
    from taperdesk.store import paths

    monkeypatch.setattr(paths.os, "access", lambda *_args: False)
    assert open_with_recovery(isolated_data_dir) is None
    assert len(told) == 1 and "read-only" in told[0].message


def test_database_locked_by_another_program_is_not_treated_as_damage(
    qtbot, isolated_data_dir: Path, told, monkeypatch
) -> None:
    from taperdesk.store import database as database_module

    open_user_database(isolated_data_dir).close()
    path = isolated_data_dir / "taperdesk.sqlite3"
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_S", 0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert open_with_recovery(isolated_data_dir) is None
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(told) == 1 and "in use by another program" in told[0].message
    assert list(isolated_data_dir.glob("*.damaged-*")) == []
    db = open_user_database(isolated_data_dir)  # once the other program lets go, all is there
    db.close()


def test_random_bytes_file_is_moved_aside(
    qtbot, isolated_data_dir: Path, told, monkeypatch
) -> None:
    import random

    isolated_data_dir.mkdir(parents=True)
    noise = random.Random(7).randbytes(64 * 1024)
    (isolated_data_dir / "taperdesk.sqlite3").write_bytes(noise)
    asked = answer_recovery(monkeypatch, dialogs.Recovery.START_FRESH)
    db = open_with_recovery(isolated_data_dir)
    assert db is not None
    db.close()
    assert len(asked) == 1
    (kept,) = isolated_data_dir.glob("taperdesk.sqlite3.damaged-*")
    assert kept.read_bytes() == noise


def test_a_missing_data_file_beside_backups_asks_and_a_fresh_start_keeps_the_backup(
    qtbot, isolated_data_dir: Path, told, monkeypatch
) -> None:
    """Issue 15 point 3: the window offers the newest backup instead of an empty diary."""
    db = open_user_database(isolated_data_dir)
    set_setting(db, "person.name", "Robin")
    made = backup.write_backup(db, isolated_data_dir / "backups", reason="daily")
    db.close()
    (isolated_data_dir / "taperdesk.sqlite3").unlink()
    asked = answer_recovery(monkeypatch, dialogs.Recovery.QUIT)
    assert open_with_recovery(isolated_data_dir) is None
    assert asked[0][1] == "it is missing" and asked[0][2] is not None
    assert not (isolated_data_dir / "taperdesk.sqlite3").exists()

    answer_recovery(monkeypatch, dialogs.Recovery.START_FRESH)
    fresh = open_with_recovery(isolated_data_dir)
    assert fresh is not None
    try:
        assert get_setting(fresh, "person.name") is None
    finally:
        fresh.close()
    kept = backup.list_backups(isolated_data_dir / "backups")
    assert [b.reason for b in kept] == [backup.KEPT_REASON]
    assert kept[0].taken_at.strftime("%Y%m%d-%H%M%S") in made.name


def _damage_inside(data_dir: Path) -> None:
    """A data file whose header and schema read fine but whose diary pages are garbage:
    only ``PRAGMA quick_check`` finds it."""
    import datetime as dt

    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.store import diary as diary_store

    db = open_user_database(data_dir)
    set_setting(db, "person.name", "Robin")
    backup.write_backup(db, data_dir / "backups", reason="daily")
    with db.transaction() as connection:
        for i in range(300):
            day = dt.date(2026, 1, 1) + dt.timedelta(days=i)
            diary_store.write_entry(connection, DiaryEntry(day, (
                DoseTaken("morning", "clonazepam", 0.5, 0.5),), {1: i % 10}, notes="x" * 90))  # fmt: skip
    db.close()
    path = data_dir / "taperdesk.sqlite3"
    data = bytearray(path.read_bytes())
    page = 4096
    pages = len(data) // page
    for k in range(pages - 6, pages - 2):
        data[k * page + 8 : (k + 1) * page] = b"\xa5" * (page - 8)
    path.write_bytes(bytes(data))


def test_the_integrity_check_runs_beside_the_window_and_nothing_is_written_before_it(
    qtbot, isolated_data_dir: Path, told, monkeypatch
) -> None:
    """Issue 18: ``PRAGMA quick_check`` read the whole file before the window could be
    built (~15-35 ms at ten years, growing with the diary). It runs in a thread while the
    window is built and painted; a write before its answer waits for it, and a damaged
    file refuses the write. The answer, after the first paint, leads to the same choice
    as at any start (here: the newest good backup restored)."""
    from taperdesk.store.errors import DatabaseDamaged
    from taperdesk.ui.startup import confirm_or_recover

    _damage_inside(isolated_data_dir)
    damaged_bytes = (isolated_data_dir / "taperdesk.sqlite3").read_bytes()
    opened = open_with_recovery(isolated_data_dir, check_later=True)
    assert opened is not None  # opened for the window; checked meanwhile
    assert get_setting(opened, "person.name") == "Robin"  # reading is allowed
    with pytest.raises(DatabaseDamaged) as refused:
        set_setting(opened, "person.name", "Sam")
    assert "integrity check failed: On tree page" in refused.value.detail
    assert "\n" not in refused.value.detail and "more)" in refused.value.detail
    assert (isolated_data_dir / "taperdesk.sqlite3").read_bytes() == damaged_bytes
    asked = answer_recovery(monkeypatch, dialogs.Recovery.RESTORE_BACKUP)
    informed: list[str] = []
    monkeypatch.setattr(dialogs, "show_info",
                        lambda parent, title, text, detail="": informed.append(text + detail))  # fmt: skip
    recovered = confirm_or_recover(opened, isolated_data_dir, None)
    assert len(informed) == 1 and "Anything saved after that time is not in it" in informed[0]
    assert "taperdesk.sqlite3.damaged-" in informed[0]
    assert recovered is not None and recovered is not opened
    try:
        assert len(asked) == 1 and asked[0][2] is not None  # the backup was offered
        assert get_setting(recovered, "person.name") == "Robin"
        set_setting(recovered, "person.name", "Sam")  # the restored file takes writes
    finally:
        recovered.close()
    (kept,) = isolated_data_dir.glob("taperdesk.sqlite3.damaged-*")
    assert kept.read_bytes() == damaged_bytes


def test_an_intact_file_checked_beside_the_window_takes_writes(
    qtbot, isolated_data_dir: Path, told
) -> None:
    from taperdesk.ui.startup import confirm_or_recover

    open_user_database(isolated_data_dir).close()
    opened = open_with_recovery(isolated_data_dir, check_later=True)
    assert opened is not None
    set_setting(opened, "person.name", "Robin")  # waits for the check, which passes
    assert confirm_or_recover(opened, isolated_data_dir, None) is opened
    opened.close()
    assert told == []
