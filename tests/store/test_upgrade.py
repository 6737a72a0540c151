"""Every past schema version opens, upgrades and keeps its data; a backup comes first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from taperdesk.store import migrations
from taperdesk.store.backup import list_backups
from taperdesk.store.opening import open_user_database

DATA = Path(__file__).parent / "data"
PAST_VERSIONS = [m.version for m in migrations.MIGRATIONS]


def test_there_is_a_fixture_for_every_schema_version() -> None:
    for version in PAST_VERSIONS:
        assert (DATA / f"schema_v{version}.sqlite3").is_file(), f"missing schema_v{version}.sqlite3"


@pytest.mark.parametrize("version", PAST_VERSIONS)
def test_upgrade_keeps_data_and_backs_up_first(version: int, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DATA / f"schema_v{version}.sqlite3", folder / "taperdesk.sqlite3")

    db = open_user_database(folder)
    try:
        assert db.schema_version == migrations.LATEST_VERSION
        assert db.query("SELECT value_json FROM settings WHERE key='person.name'")[0][0] == '"Sam"'
        assert db.query("SELECT count(*) FROM symptoms WHERE name='Tinnitus'")[0][0] == 1
        if version >= 2:
            times = db.query("SELECT count(*) FROM plan_dosing_times")[0][0]
            assert times == (4 if version >= 5 else 2)
        if version >= 5:  # a crossover moving each dose in four parts
            from taperdesk.store.plans import load_active_plan

            plan = load_active_plan(db)
            assert plan is not None and plan.crossover is not None and plan.crossover.parts == 4
        if version >= 3:
            assert db.query("SELECT notes FROM diary_entries")[0][0] == "First cut today."
        assert db.query("PRAGMA integrity_check")[0][0] == "ok"
        assert db.query("PRAGMA foreign_key_check") == []
    finally:
        db.close()

    backups = list_backups(folder / "backups")
    if version < migrations.LATEST_VERSION:
        assert [b.reason for b in backups] == [f"before-upgrade-v{version}"]
        import sqlite3

        old = sqlite3.connect(backups[0].path)
        assert old.execute("PRAGMA user_version").fetchone()[0] == version
        old.close()
    else:
        assert backups == []


def test_a_file_of_taperdesk_0_1_0_opens_with_every_plan_revision_hold_and_day(
    tmp_path: Path,
) -> None:
    """Written by 0.1.0 itself (make_lived_fixture.py): nothing a person saved is lost,
    and the application layer answers for every day of it."""
    import datetime as dt

    from taperdesk.app.lived_plan import DayKind, active_plan
    from taperdesk.store import diary, plans

    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DATA / "taperdesk_0.1.0_lived.sqlite3", folder / "taperdesk.sqlite3")
    db = open_user_database(folder)
    try:
        record = plans.load_active_plan_record(db)
        assert record is not None and record.name == "Lorazepam to diazepam"
        assert [r.revision for r in record.revisions] == [1, 2]
        revisions = plans.load_revisions(db, record.plan_id)
        assert revisions[0].plan.crossover is not None
        assert revisions[1].plan.drug_key == "diazepam"
        holds = plans.load_holds(db, record.plan_id)
        assert [(h.start, h.end) for h in holds] == [
            (dt.date(2026, 10, 1), dt.date(2026, 10, 7)),
            (dt.date(2026, 11, 20), None),
        ]
        days = diary.entries_between(db, dt.date(2026, 9, 1), dt.date(2026, 12, 1))
        assert [e.notes for e in days] == [f"Logged {e.entry_date}" for e in days]
        assert len(days) == 3
        lived = active_plan(db, dt.date(2026, 12, 1))
        assert lived is not None
        switch_day = lived.on(dt.date(2026, 9, 8))  # revision 1: the first switch stage
        assert switch_day.revision == 1
        assert {(d.label, d.drug_key, d.dose_mg) for d in switch_day.doses()} == {
            ("morning", "lorazepam", 1.0),
            ("night", "diazepam", 10.0),
        }
        after = lived.on(dt.date(2026, 11, 10))  # revision 2, before its first cut
        assert after.revision == 2 and after.kind is DayKind.LEAD_IN
        assert after.taper.total_mg == 18.0
        held = lived.on(dt.date(2026, 12, 20))  # the open hold: same dose until resumed
        assert held.open_hold and held.kind is DayKind.HOLD
        assert "custom-etizolam" in lived.catalogue
        assert db.query("SELECT value_json FROM settings WHERE key='person.name'")[0][0] == '"Sam"'
    finally:
        db.close()
