"""Messages that say what is really wrong (issue 15 point 8)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from taperdesk.store import backup
from taperdesk.store.errors import BackupsUnwritable, ReadOnlyStorage, StoreError, translate
from taperdesk.store.opening import open_user_database
from taperdesk.store.settings import get_setting, set_setting

not_root = pytest.mark.skipif(os.geteuid() == 0, reason="root may write anything")


def test_a_plain_file_where_backups_go_is_named_and_saving_goes_on(tmp_path: Path) -> None:
    database = open_user_database(tmp_path)
    try:
        (tmp_path / "backups").write_text("not a folder")
        with pytest.raises(BackupsUnwritable) as caught:
            backup.write_backup(database, tmp_path / "backups")
        assert "is a file where TaperDesk needs a folder" in caught.value.message
        assert "Your data itself is saved as usual" in caught.value.advice
        set_setting(database, "person.name", "Robin")  # saving still works
        assert get_setting(database, "person.name") == "Robin"
    finally:
        database.close()


@not_root
def test_a_read_only_backups_folder_does_not_say_nothing_can_be_saved(tmp_path: Path) -> None:
    database = open_user_database(tmp_path)
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups").chmod(0o500)
    try:
        with pytest.raises(BackupsUnwritable) as caught:
            backup.write_backup(database, tmp_path / "backups")
        assert "read-only" in caught.value.message
        assert "nothing can be saved" not in str(caught.value)
    finally:
        (tmp_path / "backups").chmod(0o700)
        database.close()


def test_a_dangling_data_folder_link_says_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "TaperDesk"
    link.symlink_to(tmp_path / "usb-stick" / "TaperDesk")
    with pytest.raises(StoreError) as caught:
        open_user_database(link)
    assert "which does not exist (a drive not connected?)" in caught.value.message
    assert "File exists" not in caught.value.message


def _read_only(monkeypatch, *read_only: Path) -> None:
    """os.access as for a user without write permission on ``read_only`` (root, who runs
    CI, may write anything, so chmod alone would test nothing)."""
    from taperdesk.store import paths

    real = os.access

    def access(path, mode, *args, **kwargs) -> bool:
        if mode & os.W_OK and Path(path) in read_only:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(paths.os, "access", access)


def test_a_read_only_shm_left_behind_is_the_file_named(tmp_path: Path, monkeypatch) -> None:
    import sqlite3

    database = open_user_database(tmp_path)
    database.close()
    shm = tmp_path / "taperdesk.sqlite3-shm"
    shm.write_bytes(b"")
    shm.chmod(0o400)
    _read_only(monkeypatch, shm)
    try:
        error = translate(sqlite3.OperationalError("attempt to write a readonly database"),
                          tmp_path / "taperdesk.sqlite3")  # fmt: skip
        assert isinstance(error, ReadOnlyStorage)
        assert error.message.startswith("taperdesk.sqlite3-shm, a file SQLite keeps beside")
        assert "The data file itself is fine." in error.advice
    finally:
        shm.chmod(0o600)


def test_a_read_only_data_file_is_said_once_at_start(qtbot, tmp_path: Path, monkeypatch) -> None:
    from taperdesk.ui import dialogs
    from taperdesk.ui.startup import open_with_recovery

    open_user_database(tmp_path).close()
    (tmp_path / "taperdesk.sqlite3").chmod(0o400)
    _read_only(monkeypatch, tmp_path / "taperdesk.sqlite3")
    told: list = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, error: told.append(error))
    try:
        database = open_with_recovery(tmp_path)
        assert database is not None
        database.close()
    finally:
        (tmp_path / "taperdesk.sqlite3").chmod(0o600)
    assert len(told) == 1 and "no change will be saved" in told[0].message
