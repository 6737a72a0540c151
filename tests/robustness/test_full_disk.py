"""A real full disk (a 1 MB tmpfs; skipped where mounting is not allowed) — issue 15
point 8: it said "disk I/O error ... check the disk", and even read-only commands failed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan
from taperdesk.store import plans
from taperdesk.store.opening import open_user_database


@pytest.fixture
def small_disk(tmp_path: Path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                             capture_output=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "taperdesk", "--data-dir", str(data_dir), *argv],
        capture_output=True, text=True, check=False, cwd=data_dir.parent,
    )  # fmt: skip


def test_a_full_disk_is_named_and_reading_still_works(small_disk: Path, tmp_path: Path) -> None:
    data = small_disk / "data"
    database = open_user_database(data)
    plans.save_new_plan(database, TaperPlan(
        drug_key="clonazepam", dosing_times=(DosingTime("daily", 1.0),),
        start_date=dt.date(2026, 11, 1), reduction=ReductionModel.percent(10)), "Mine")  # fmt: skip
    database.close()
    with open(small_disk / "filler", "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    before = (data / "taperdesk.sqlite3").read_bytes()

    schedule = cli(data, "schedule")
    assert schedule.returncode == 0 and schedule.stdout.startswith("Clonazepam 1 mg a day")
    assert cli(data, "check").returncode == 0
    sheet = cli(data, "sheet", "-o", str(small_disk / "sheet.pdf"))
    assert sheet.returncode == 1 and "the disk is full" in sheet.stderr
    assert not (small_disk / "sheet.pdf").exists()
    diary = tmp_path / "diary.csv"
    diary.write_text("date,notes\n2026-11-20,calm\n", encoding="utf-8")
    refused = cli(data, "diary", "--import-csv", str(diary))
    assert refused.returncode == 1
    assert "There is no space left on the disk" in refused.stderr
    assert "disk I/O error" not in refused.stderr and "Traceback" not in refused.stderr
    assert (data / "taperdesk.sqlite3").read_bytes() == before
