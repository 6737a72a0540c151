"""Kill TaperDesk's store with SIGKILL mid-write, many times: nothing saved is lost.

A child process saves items in a loop and reports each committed save; the
test kills it at random moments, reopens the database, and checks that the
file is intact and that every item the child reported as saved is there.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from taperdesk.store.database import Database, open_user_database

CHILD = Path(__file__).with_name("crash_child.py")
KILLS = 12


def run_and_kill(data_dir: Path, mode: str, start: int, rng: random.Random) -> list[int]:
    """Start the child, kill it at a random moment; the items it reported saved."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir), mode, str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    saved: list[int] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("ready"):
                ready.set()
            elif line.startswith("saved "):
                saved.append(int(line.split()[1]))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(30):
            child.kill()
            child.wait(30)
            pytest.fail(f"the child did not start: {child.stderr.read() if child.stderr else ''}")
        time.sleep(rng.uniform(0.01, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        reader.join(10)
    finally:
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert child.returncode == -signal.SIGKILL
    return saved


def check_after_kills(
    tmp_path: Path, mode: str, present: Callable[[Database], set[int]], seed: int
) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(seed)
    reported: list[int] = []
    start = 0
    for _ in range(KILLS):
        saved = run_and_kill(data_dir, mode, start, rng)
        reported += saved
        start = (max(saved) + 1) if saved else start
        database = open_user_database(data_dir)  # reopen after every crash, as the app would
        try:
            assert database.query("PRAGMA integrity_check")[0][0] == "ok"
            assert database.query("PRAGMA foreign_key_check") == []
            missing = set(reported) - present(database)
            assert not missing, f"saved but lost after SIGKILL: {sorted(missing)[:10]}"
        finally:
            database.close()
    assert len(reported) > KILLS, "the child never got to save: the test proved nothing"


@pytest.mark.parametrize("seed", [1, 2])
def test_settings_survive_sigkill(tmp_path: Path, seed: int) -> None:
    def present(database: Database) -> set[int]:
        return {
            int(row[0].rsplit(".", 1)[1])
            for row in database.query("SELECT key FROM settings WHERE key LIKE 'crash.item.%'")
        }

    check_after_kills(tmp_path, "settings", present, seed)
