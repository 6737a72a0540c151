"""``taperdesk check`` and ``--self-check`` on the person's own data folder (issue 15)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from taperdesk.store import backup
from taperdesk.store.opening import backups_path, open_user_database


def cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "taperdesk", "--data-dir", str(data_dir), *argv],
        capture_output=True, text=True, check=False, cwd=data_dir.parent,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip


def _folder_with_backup(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    database = open_user_database(folder)
    backup.write_backup(database, backups_path(folder))
    database.close()
    return folder


def test_check_says_all_is_well_and_changes_nothing(tmp_path: Path) -> None:
    folder = _folder_with_backup(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    done = cli(folder, "check")
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[-1] == "All is well."
    assert "quick_check ok" in done.stdout and "newest good one" in done.stdout
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert {k: v for k, v in after.items() if k != "taperdesk.lock"} == before


def test_an_empty_data_file_is_a_problem_for_check_and_self_check(tmp_path: Path) -> None:
    """Issue 15: --self-check passed on a folder the app could not open."""
    folder = _folder_with_backup(tmp_path)
    (folder / "taperdesk.sqlite3").write_bytes(b"")
    checked = cli(folder, "check")
    assert checked.returncode == 1
    assert "PROBLEM  the data file" in checked.stdout and "taperdesk restore" in checked.stdout
    selfcheck = cli(folder, "--self-check")
    assert selfcheck.returncode == 1
    assert "FAIL your data:" in selfcheck.stdout and "Traceback" not in selfcheck.stdout
    assert (folder / "taperdesk.sqlite3").read_bytes() == b""


def test_a_damaged_file_and_a_read_only_side_file_are_named(tmp_path: Path) -> None:
    folder = _folder_with_backup(tmp_path)
    (folder / "taperdesk.sqlite3").write_bytes(b"junk" * 500)
    damaged = cli(folder, "check")
    assert damaged.returncode == 1 and "not an SQLite database" in damaged.stdout
    good = _folder_with_backup(tmp_path / "second")
    shm = good / "taperdesk.sqlite3-shm"
    shm.write_bytes(b"")
    shm.chmod(0o400)
    try:
        named = cli(good, "check")
    finally:
        shm.chmod(0o600)
    if __import__("os").geteuid() != 0:  # root may write anything
        assert "taperdesk.sqlite3-shm beside the data file is read-only" in named.stdout


def test_self_check_opens_the_window_on_a_copy_of_your_data(tmp_path: Path) -> None:
    folder = _folder_with_backup(tmp_path)
    before = (folder / "taperdesk.sqlite3").read_bytes()
    done = cli(folder, "--self-check")
    assert done.returncode == 0, done.stdout
    assert "ok   your data: main window opened" in done.stdout
    assert (folder / "taperdesk.sqlite3").read_bytes() == before
