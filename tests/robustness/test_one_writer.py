"""One writer per data folder, with real processes (issue 15 point 2).

Two windows on one folder silently lost each other's saves, and so did the window with
``taperdesk import``. Now the window holds the folder: a second start brings it forward
and exits, commands that write refuse with one line, commands that read keep working."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from taperdesk.store.folder_lock import LOCK_NAME, FolderLock
from taperdesk.ui.single_instance import REQUEST_NAME

BUSY = "TaperDesk is open on this data folder; close it first."


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def cli(data_dir: Path, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "taperdesk", "--data-dir", str(data_dir), *argv],
        capture_output=True, text=True, check=False, env=_env(), timeout=timeout,
        cwd=data_dir.parent,  # not the checkout: its taperdesk/ lacks the installed resources
    )  # fmt: skip


def _wait_for_window(data_dir: Path, window: subprocess.Popen, seconds: float = 60) -> None:
    lock_file = data_dir / LOCK_NAME
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert window.poll() is None, f"the window exited with {window.returncode}"
        if lock_file.exists() and lock_file.read_text().strip() == str(window.pid):
            time.sleep(1.0)  # the window is up and watching the folder
            return
        time.sleep(0.1)
    raise AssertionError("the window did not take the data folder")


@pytest.fixture
def window(tmp_path: Path):
    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-m", "taperdesk", "--data-dir", str(data_dir)],
        env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path,
    )  # fmt: skip
    try:
        _wait_for_window(data_dir, process)
        yield data_dir, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_second_window_brings_the_first_forward_and_exits(window) -> None:
    data_dir, first = window
    second = subprocess.run(
        [sys.executable, "-m", "taperdesk", "--data-dir", str(data_dir)],
        env=_env(), capture_output=True, text=True, timeout=60, check=False,
        cwd=data_dir.parent,
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert first.poll() is None  # the first window is still there
    assert not (data_dir / REQUEST_NAME).exists()  # it took the request


def test_commands_that_write_refuse_and_commands_that_read_work(window, tmp_path) -> None:
    data_dir, _first = window
    other = tmp_path / "other"
    assert cli(other, "export", str(tmp_path / "data.json")).returncode == 0
    refused = cli(data_dir, "import", str(tmp_path / "data.json"), "--yes")
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"taperdesk import: error: {BUSY}"
    csv_file = tmp_path / "diary.csv"
    csv_file.write_text("date,notes\n2026-12-01,calm\n", encoding="utf-8")
    assert BUSY in cli(data_dir, "diary", "--import-csv", str(csv_file)).stderr
    assert BUSY in cli(data_dir, "restore", "1").stderr
    assert cli(data_dir, "restore").returncode == 0  # listing only reads
    assert cli(data_dir, "schedule", "--drug", "clonazepam", "--dose", "1").returncode == 0
    assert cli(data_dir, "export", str(tmp_path / "copy.json")).returncode == 0
    assert cli(data_dir, "diary", "--csv", "-").returncode == 0


def test_the_lock_goes_with_the_process_that_held_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; "
         "from taperdesk.store.folder_lock import FolderLock; "
         f"FolderLock(Path({str(data_dir)!r})).acquire(); print('held', flush=True); "
         "time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    assert not FolderLock(data_dir).try_acquire()
    holder.kill()  # a crash: no clean release
    holder.wait(timeout=30)
    holder.stdout.close()
    with FolderLock(data_dir) as lock:
        assert lock.held
