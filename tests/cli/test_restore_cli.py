"""``taperdesk restore``: list the backups, show what a restore changes, restore with --yes.

Issue 14 ("any restore prints the same summary and needs --yes") and issue 15 (a restore
that works when the window cannot start)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan
from taperdesk.store import backup, plans
from taperdesk.store.opening import backups_path, open_user_database


def cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "taperdesk", "--data-dir", str(data_dir), *argv],
        capture_output=True, text=True, check=False, cwd=data_dir.parent,
    )  # fmt: skip


def _plan(dose_mg: float) -> TaperPlan:
    return TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("daily", dose_mg),),
        start_date=dt.date.today() - dt.timedelta(days=3),
        reduction=ReductionModel.percent(10),
    )


def test_restore_lists_shows_the_change_and_needs_yes(tmp_path: Path) -> None:
    assert "no backups yet" in cli(tmp_path, "restore").stdout
    database = open_user_database(tmp_path)
    plans.save_new_plan(database, _plan(1.0), "One mg")
    old = backup.write_backup(database, backups_path(tmp_path), "manual",
                              datetime(2026, 11, 30, 9, 0))  # fmt: skip
    plans.save_new_plan(database, _plan(0.5), "Half mg")
    database.close()

    listed = cli(tmp_path, "restore")
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[0] == f"  1  2026-11-30 09:00 (manual)  {old.name}"

    asked = cli(tmp_path, "restore", "1")
    assert asked.returncode == 1
    assert "nothing restored: run again with --yes" in asked.stderr
    assert "Your plan changes:" in asked.stdout and "clonazepam" in asked.stdout
    assert "0.45 mg clonazepam → 0.9 mg clonazepam (+100%)" in asked.stdout
    database = open_user_database(tmp_path)
    assert plans.load_active_plan(database).dosing_times[0].dose_mg == 0.5  # untouched
    database.close()

    done = cli(tmp_path, "restore", "1", "--yes")
    assert done.returncode == 0, done.stderr
    assert "Restored the backup from 2026-11-30 09:00 (manual)." in done.stdout
    database = open_user_database(tmp_path)
    assert plans.load_active_plan(database).dosing_times[0].dose_mg == 1.0
    database.close()
    assert list(tmp_path.glob("taperdesk.sqlite3.before-restore-*"))


def test_restore_refuses_a_wrong_number_or_an_unreadable_file(tmp_path: Path) -> None:
    wrong = cli(tmp_path, "restore", "3")
    assert wrong.returncode == 2 and "there are no backups yet" in wrong.stderr
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database")
    refused = cli(tmp_path, "restore", str(junk), "--yes")
    assert refused.returncode == 1 and "cannot be read" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_restore_works_when_the_data_file_is_what_is_broken(tmp_path: Path) -> None:
    """A restore is what a damaged or empty data file needs: it opened the data file for
    writing first, and so refused exactly then."""
    database = open_user_database(tmp_path)
    plans.save_new_plan(database, _plan(1.0), "One mg")
    backup.write_backup(database, backups_path(tmp_path), "manual",
                        datetime(2026, 11, 30, 9, 0))  # fmt: skip
    database.close()
    (tmp_path / "taperdesk.sqlite3").write_bytes(b"junk" * 1000)
    asked = cli(tmp_path, "restore", "1")
    assert asked.returncode == 1 and "Your current data cannot be read" in asked.stdout
    assert "Traceback" not in asked.stderr
    done = cli(tmp_path, "restore", "1", "--yes")
    assert done.returncode == 0, done.stderr
    database = open_user_database(tmp_path)
    assert plans.load_active_plan(database).dosing_times[0].dose_mg == 1.0
    database.close()
    (kept,) = tmp_path.glob("taperdesk.sqlite3.before-restore-*")
    assert kept.read_bytes() == b"junk" * 1000  # the damaged file is kept, not deleted
