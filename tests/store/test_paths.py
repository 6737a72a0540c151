"""The data folder: one function decides, private permissions."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import pytest

from taperdesk.store import paths
from taperdesk.store.errors import ReadOnlyStorage
from taperdesk.store.opening import open_user_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_cli_value_beats_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ENV_VAR, str(tmp_path / "from-env"))
    assert paths.data_dir(tmp_path / "from-cli") == tmp_path / "from-cli"
    assert paths.data_dir(None) == tmp_path / "from-env"


def test_default_is_appdirs_user_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(paths.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "TaperDesk"


def test_blank_environment_variable_is_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(paths.ENV_VAR, "   ")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "TaperDesk"


def test_folder_0700_and_files_0600(tmp_path: Path) -> None:
    folder = tmp_path / "nested" / "data"
    previous = os.umask(0o022)  # the usual umask: a careless file would be world-readable
    try:
        db = open_user_database(folder)
    finally:
        os.umask(previous)
    try:
        with db.transaction() as connection:
            connection.execute(
                "INSERT INTO settings (key, value_json, updated_at) VALUES ('k', '1', 'now')"
            )
        assert mode(folder) == 0o700
        for child in folder.iterdir():
            if child.is_file():
                assert mode(child) == 0o600, child.name
        for name in ("taperdesk.sqlite3", "taperdesk.sqlite3-wal", "taperdesk.sqlite3-shm"):
            assert mode(folder / name) == 0o600, name
        backups = (
            list((folder / "backups").glob("*.sqlite3")) if (folder / "backups").exists() else []
        )
        for file in backups:
            assert mode(file) == 0o600
    finally:
        db.close()


def test_existing_loose_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "loose"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    paths.ensure_private_dir(folder)
    assert mode(folder) == 0o700


def test_unwritable_folder_is_a_known_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root in CI, where chmod cannot make a folder read-only; ask the
    # same question the code asks (os.access) and make it say no.
    monkeypatch.setattr(paths.os, "access", lambda *_args: False)
    with pytest.raises(ReadOnlyStorage) as caught:
        paths.ensure_private_dir(tmp_path / "inner")
    assert "read-only" in caught.value.message
    assert "--data-dir" in caught.value.advice


def test_permissions_are_narrowed_never_widened(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    paths.ensure_private_dir(folder)
    assert mode(folder) == 0o700  # others lose access
    kept = tmp_path / "kept"
    kept.mkdir()
    kept.chmod(0o555)  # the user made it read-only: it stays so (root still passes access())
    with contextlib.suppress(ReadOnlyStorage):
        paths.ensure_private_dir(kept)
    assert mode(kept) == 0o500
    kept.chmod(0o700)
    for before, after in ((0o644, 0o600), (0o444, 0o400), (0o600, 0o600)):
        file = folder / f"f{before:o}"
        file.write_text("x")
        file.chmod(before)
        paths.make_private_file(file)
        assert mode(file) == after
