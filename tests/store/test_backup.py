"""Backups: written with the backup API, rotated, restorable; damaged files moved aside."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from taperdesk.store import backup
from taperdesk.store.errors import DatabaseDamaged, StorageUnavailable
from taperdesk.store.opening import open_database
from taperdesk.store.settings import get_setting, set_setting


def test_backup_is_a_consistent_copy(database, tmp_path: Path) -> None:
    set_setting(database, "person.name", "Alex")
    path = backup.write_backup(database, tmp_path / "b", reason="manual")
    copy = sqlite3.connect(path)
    assert (
        copy.execute("SELECT value_json FROM settings WHERE key='person.name'").fetchone()[0]
        == '"Alex"'
    )
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert backup.is_good_backup(path)


def test_rotation_keeps_the_newest_fourteen(database, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    start = datetime(2027, 1, 1, 9, 0, 0)
    written = [
        backup.write_backup(database, folder, reason="daily", now=start + timedelta(days=i))
        for i in range(20)
    ]
    kept = backup.list_backups(folder)
    assert len(kept) == backup.KEEP
    assert [k.path for k in kept] == list(reversed(written[-backup.KEEP :]))
    assert not any(p.exists() for p in written[:6])


def test_two_backups_in_one_second_do_not_collide(database, tmp_path: Path) -> None:
    now = datetime(2027, 1, 1, 9, 0, 0)
    first = backup.write_backup(database, tmp_path / "b", now=now)
    second = backup.write_backup(database, tmp_path / "b", now=now)
    assert first != second and first.exists() and second.exists()


def test_daily_backup_only_once_a_day(database, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    assert backup.backup_if_due(database, folder, today=date.today()) is not None
    assert backup.backup_if_due(database, folder, today=date.today()) is None
    assert (
        backup.backup_if_due(database, folder, today=date.today() + timedelta(days=1)) is not None
    )


def test_move_aside_keeps_the_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "taperdesk.sqlite3"
    path.write_bytes(b"garbage")
    moved = backup.move_aside(path, now=datetime(2027, 1, 2, 3, 4, 5))
    assert moved == tmp_path / "taperdesk.sqlite3.damaged-20270102-030405"
    assert moved.read_bytes() == b"garbage"
    assert not path.exists()


def test_restore_replaces_and_keeps_the_previous_file(tmp_path: Path) -> None:
    db_path = tmp_path / "taperdesk.sqlite3"
    db = open_database(db_path)
    set_setting(db, "person.name", "Before")
    saved = backup.write_backup(db, tmp_path / "b")
    set_setting(db, "person.name", "After")
    db.close()

    previous = backup.restore_backup(saved, db_path)
    assert previous is not None and previous.exists()
    db = open_database(db_path)
    try:
        assert get_setting(db, "person.name") == "Before"
    finally:
        db.close()
    old = open_database(previous)
    try:
        assert get_setting(old, "person.name") == "After"
    finally:
        old.close()


def test_a_restore_that_cannot_finish_leaves_the_current_file_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taperdesk.store.errors import StoreError

    db_path = tmp_path / "taperdesk.sqlite3"
    db = open_database(db_path)
    set_setting(db, "person.name", "Before")
    saved = backup.write_backup(db, tmp_path / "b")
    set_setting(db, "person.name", "Current")
    db.close()

    def full_disk(path):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "connect", full_disk)
    with pytest.raises(StoreError):
        backup.restore_backup(saved, db_path)
    monkeypatch.undo()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert leftovers == ["taperdesk.sqlite3"]  # nothing moved aside, no half copy
    db = open_database(db_path)
    try:
        assert get_setting(db, "person.name") == "Current"
    finally:
        db.close()


def test_restore_refuses_a_bad_backup(tmp_path: Path) -> None:
    bad = tmp_path / "taperdesk-20270101-000000-daily.sqlite3"
    bad.write_bytes(b"junk" * 300)
    db_path = tmp_path / "taperdesk.sqlite3"
    open_database(db_path).close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged):
        backup.restore_backup(bad, db_path)
    assert db_path.read_bytes() == before


def test_newest_good_backup_skips_damaged_ones(database, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    good = backup.write_backup(database, folder, now=datetime(2027, 1, 1))
    newer = backup.write_backup(database, folder, now=datetime(2027, 1, 2))
    newer.write_bytes(b"\x00" * 4096)
    found = backup.newest_good_backup(folder)
    assert found is not None and found.path == good


def _good_backup(data_dir: Path) -> Path:
    from taperdesk.store.opening import open_user_database
    from taperdesk.store.settings import set_setting

    db = open_user_database(data_dir)
    set_setting(db, "person.name", "Robin")
    made = backup.write_backup(db, data_dir / "backups", reason="daily")
    db.close()
    return made


@pytest.mark.parametrize("how", ["missing", "zero bytes"])
def test_a_missing_or_empty_data_file_beside_backups_is_never_a_silent_fresh_start(
    tmp_path: Path, how: str
) -> None:
    """Issue 15 point 3: a zero-byte file (a failed copy or sync) or a missing one became a
    new empty diary although good backups were there."""
    from taperdesk.store.errors import DataFileMissing
    from taperdesk.store.opening import open_user_database

    _good_backup(tmp_path)
    data_file = tmp_path / "taperdesk.sqlite3"
    data_file.unlink()
    if how == "zero bytes":
        data_file.write_bytes(b"")
    listing = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(DataFileMissing) as caught:
        open_user_database(tmp_path)
    assert "taperdesk restore" in caught.value.advice
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # nothing created
    fresh = open_user_database(tmp_path, fresh_ok=True)  # the person chose it
    fresh.close()


def test_the_backup_kept_before_a_fresh_start_survives_rotation(database, tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    backups = tmp_path / "kept"
    first = backup.write_backup(database, backups, "daily", datetime(2026, 11, 1, 8, 0))
    kept = backup.keep_before_fresh_start(backups)
    assert kept is not None and kept.name == first.name.replace("daily", "before-fresh-start")
    for day in range(1, 30):  # a month of daily starts after the fresh start
        backup.write_backup(
            database, backups, "daily", datetime(2026, 11, 1, 8, 0) + timedelta(days=day)
        )
    names = [b.path.name for b in backup.list_backups(backups)]
    assert kept.name in names and len(names) == backup.KEEP + 1


def test_every_crash_point_of_a_restore_leaves_a_data_file(tmp_path: Path, monkeypatch) -> None:
    """Issue 15 point 3: a crash between the two renames of restore_backup left no data
    file (and the next start a silent empty diary)."""
    from taperdesk.store.opening import open_user_database

    good = _good_backup(tmp_path)
    data_file = tmp_path / "taperdesk.sqlite3"
    before = data_file.read_bytes()
    real_replace = Path.replace
    seen: list[bool] = []

    def crash_on_the_swap(self: Path, target):  # the last step of the swap never happens
        if Path(target) == data_file:
            seen.append(data_file.exists())
            raise OSError(5, "Input/output error")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", crash_on_the_swap)
    with pytest.raises(StorageUnavailable):
        backup.restore_backup(good, data_file)
    assert seen == [True] and data_file.read_bytes() == before
    monkeypatch.undo()
    previous = backup.restore_backup(good, data_file)
    assert previous is not None and previous.read_bytes() == before
    open_user_database(tmp_path).close()
