"""Kill TaperDesk's store with SIGKILL mid-write, many times: nothing saved is lost.

A child process saves items in a loop and reports each committed save; the
test kills it at random moments, reopens the database, and checks that the
file is intact and that every item the child reported as saved is there.
"""

from __future__ import annotations

import datetime as dt
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

from taperdesk.store.database import Database
from taperdesk.store.opening import open_user_database
from taperdesk.store.plans import load_active_plan_record

sys.path.insert(0, str(Path(__file__).parent))
from crash_child import DIARY_START

CHILD = Path(__file__).with_name("crash_child.py")
KILLS = 12


def run_and_kill(
    data_dir: Path,
    mode: str,
    start: int | Path,
    rng: random.Random,
    *,
    wait_for: str = "ready",
    delay_s: tuple[float, float] = (0.01, 0.4),
    seen: dict[str, float] | None = None,
) -> list[int]:
    """Start the child, kill it at a random moment; the items it reported saved.

    The kill comes ``delay_s`` (a random span) after the child prints ``wait_for``;
    a child that finishes first is not killed (its return code is then 0).
    ``seen`` gets the time each kind of line (its first word) was first read.
    """
    seen = {} if seen is None else seen
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
            seen.setdefault(line.split()[0], time.monotonic())
            if line.startswith(wait_for):
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
        try:
            child.wait(rng.uniform(*delay_s))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
        child.wait(30)
        reader.join(10)
    finally:
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert child.returncode in (-signal.SIGKILL, 0 if mode == "import" else None), child.returncode
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


def test_diary_days_survive_sigkill(tmp_path: Path) -> None:
    """Every day the child reported saved is there, whole: doses, 15 ratings, notes."""
    from crash_child import diary_day

    from taperdesk.store.diary import load_entry
    from taperdesk.store.symptoms import list_symptoms

    def present(database: Database) -> set[int]:
        symptom_ids = [s.id for s in list_symptoms(database)][:15]
        assert len(symptom_ids) == 15
        days = {
            (dt.date.fromisoformat(row[0]) - DIARY_START).days
            for row in database.query("SELECT entry_date FROM diary_entries")
        }
        for n in days:  # a day is there whole or not at all
            assert load_entry(database, DIARY_START + dt.timedelta(days=n)) == diary_day(
                n, symptom_ids
            ), f"day {n} is not as saved"
        return days

    check_after_kills(tmp_path, "diary", present, seed=3)


def test_plan_edits_survive_sigkill(tmp_path: Path) -> None:
    """Every reported revision is there, numbered without gaps, and one plan is active."""

    def present(database: Database) -> set[int]:
        active = database.query("SELECT id FROM plans WHERE is_active = 1")
        assert len(active) == 1, "exactly one plan must be active after a crash"
        assert database.query("SELECT count(*) FROM plans")[0][0] == 1
        numbers = [
            r[0]
            for r in database.query(
                "SELECT revision FROM plan_revisions WHERE plan_id = ? ORDER BY revision",
                (active[0][0],),
            )
        ]
        assert numbers == list(range(1, len(numbers) + 1)), "revision numbers have a gap"
        open_holds = database.query("SELECT count(*) FROM plan_holds WHERE end_date IS NULL")
        assert open_holds[0][0] <= 1
        record = load_active_plan_record(database)
        assert record is not None and record.plan.reduction.value in range(5, 15)
        return {
            int(r[0].split()[1])
            for r in database.query("SELECT reason FROM plan_revisions WHERE reason LIKE 'crash %'")
        }

    check_after_kills(tmp_path, "plan", present, seed=4)


IMPORT_DAYS = 1500
IMPORT_KILLS = 6


@pytest.fixture(scope="module")
def large_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSON export of four years of full diary days and a plan (about 27,000 rows)."""
    from crash_child import crash_plan, diary_day

    from taperdesk.store.data_io import write_export
    from taperdesk.store.diary import write_entry
    from taperdesk.store.plans import save_new_plan

    folder = tmp_path_factory.mktemp("export")
    source = open_user_database(folder / "source")
    try:
        with source.transaction() as connection:
            for n in range(IMPORT_DAYS):
                write_entry(connection, diary_day(n, list(range(1, 16))))
        save_new_plan(source, crash_plan(), "Imported taper")
        write_export(source, folder / "export.json")
    finally:
        source.close()
    return folder / "export.json"


def imported_rows(database: Database) -> tuple[int, int, int, int]:
    return tuple(  # type: ignore[return-value]
        database.query(f"SELECT count(*) FROM {table}")[0][0]
        for table in ("diary_entries", "doses_taken", "symptom_ratings", "plans")
    )


def test_import_is_all_or_nothing_under_sigkill(tmp_path: Path, large_export: Path) -> None:
    """Killed while its one transaction is open, an import leaves none of its rows."""
    everything = (IMPORT_DAYS, 2 * IMPORT_DAYS, 15 * IMPORT_DAYS, 1)
    # How long the transaction stays open, measured on a run that is not killed.
    seen: dict[str, float] = {}
    saved = run_and_kill(
        tmp_path / "whole", "import", large_export, random.Random(0), delay_s=(60, 60), seen=seen
    )
    assert saved == [1]
    open_s = seen["saved"] - seen["begin"]
    database = open_user_database(tmp_path / "whole")
    try:
        assert imported_rows(database) == everything
    finally:
        database.close()
    rng = random.Random(5)
    outcomes = []
    for round_number in range(IMPORT_KILLS):
        data_dir = tmp_path / f"round{round_number}"
        saved = run_and_kill(
            data_dir, "import", large_export, rng, wait_for="begin", delay_s=(0.0, open_s * 0.9)
        )
        database = open_user_database(data_dir)
        try:
            assert database.query("PRAGMA integrity_check")[0][0] == "ok"
            assert database.query("PRAGMA foreign_key_check") == []
            rows = imported_rows(database)
            assert rows in ((0, 0, 0, 0), everything), f"half an import is stored: {rows}"
            if saved:
                assert rows == everything, "the import was reported done but is not all there"
            outcomes.append(rows == everything)
        finally:
            database.close()
    assert not all(outcomes), "no kill landed inside the import: the test proved nothing"
