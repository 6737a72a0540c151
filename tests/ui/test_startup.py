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
