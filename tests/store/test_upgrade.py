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
            assert db.query("SELECT count(*) FROM plan_dosing_times")[0][0] == 2
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
