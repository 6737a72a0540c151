"""Opening, migrating and refusing databases, against real SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from taperdesk.store import migrations
from taperdesk.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseTooNew,
    DiskFull,
    ReadOnlyStorage,
    translate,
)
from taperdesk.store.opening import open_database, open_user_database
from taperdesk.store.settings import get_setting, set_setting


def test_new_file_is_migrated_to_latest(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3")
    try:
        assert db.schema_version == migrations.LATEST_VERSION
        tables = {row[0] for row in db.query("SELECT name FROM sqlite_schema WHERE type='table'")}
        assert {
            "settings",
            "user_drugs",
            "symptoms",
            "plans",
            "plan_revisions",
            "plan_dosing_times",
            "plan_holds",
            "diary_entries",
            "doses_taken",
            "symptom_ratings",
        } <= tables
        assert db.query("PRAGMA application_id")[0][0] == migrations.APPLICATION_ID
        assert db.query("PRAGMA foreign_keys")[0][0] == 1
        assert db.query("PRAGMA journal_mode")[0][0] == "wal"
        assert db.query("PRAGMA synchronous")[0][0] == 2  # FULL
    finally:
        db.close()


def test_seed_symptoms_come_from_the_reference(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.sqlite3")
    try:
        names = [row[0] for row in db.query("SELECT name FROM symptoms ORDER BY position")]
    finally:
        db.close()
    assert len(names) == 15
    assert names[0] == "Anxiety"
    assert "Depersonalisation/derealisation (DP/DR)" in names
    assert "Burning skin" in names


def test_reopening_runs_no_migration_again(tmp_path: Path) -> None:
    path = tmp_path / "again.sqlite3"
    db = open_database(path)
    set_setting(db, "person.name", "Sam")
    db.close()
    db = open_database(path)
    try:
        assert get_setting(db, "person.name") == "Sam"
        assert db.query("SELECT count(*) FROM symptoms")[0][0] == 15
    finally:
        db.close()


def test_migrations_are_ordered_and_complete() -> None:
    versions = [m.version for m in migrations.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))
    for migration in migrations.MIGRATIONS:
        assert migration.statements(), migration.script_name


def test_failed_migration_step_is_rolled_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "fail.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(connection, target=1)
    broken = migrations.Migration(2, "broken", "0002_plans.sql")
    monkeypatch.setattr(
        migrations.Migration,
        "statements",
        lambda self: ["CREATE TABLE half (x)", "THIS IS NOT SQL"] if self is broken else [],
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (migrations.MIGRATIONS[0], broken))
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(connection, target=2)
    assert migrations.schema_version(connection) == 1
    names = {r[0] for r in connection.execute("SELECT name FROM sqlite_schema")}
    assert "half" not in names
    connection.close()


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    db = open_database(path)
    db.close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 5}")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew) as caught:
        open_database(path)
    assert "newer version of TaperDesk" in caught.value.message
    assert "left untouched" in caught.value.advice
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content, detail",
    [
        (b"this is not a database at all" * 100, "not an SQLite database"),
        (b"\x00" * 8192, "not an SQLite database"),
        (b"SQLite format 3\x00" + b"\x01" * 40, "truncated"),
    ],
    ids=["text", "zeroed", "truncated-header"],
)
def test_non_database_files_are_refused_untouched(
    tmp_path: Path, content: bytes, detail: str
) -> None:
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(path)
    assert detail in caught.value.detail
    assert path.read_bytes() == content


def test_truncated_real_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.sqlite3"
    db = open_database(path)
    with db.transaction() as connection:
        connection.executemany(
            "INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, 'now')",
            [(f"key{i}", '"' + "x" * 500 + '"') for i in range(200)],
        )
    db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DatabaseDamaged):
        open_database(path)


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other-app.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(path)
    assert "another program" in caught.value.detail


def test_constraints_reject_impossible_rows(database) -> None:
    impossible = [
        "INSERT INTO diary_entries (entry_date, updated_at) VALUES ('2027-02-30', 'now')",
        "INSERT INTO diary_entries (entry_date, wellbeing, updated_at) VALUES ('2027-01-01', 11, 'now')",
        "INSERT INTO diary_entries (entry_date, sleep_hours, updated_at) VALUES ('2027-01-01', -1, 'now')",
        "INSERT INTO diary_entries (entry_date, day_marker, updated_at) VALUES ('2027-01-01', 'bad', 'now')",
        "INSERT INTO doses_taken (entry_id, dosing_label, drug_key, dose_mg) VALUES (999, 'am', 'x', 1)",
        "INSERT INTO symptoms (name, position) VALUES ('   ', 1)",
        "INSERT INTO symptoms (name, position) VALUES ('anxiety', 99)",  # duplicate, any case
        "INSERT INTO plans (name, created_at) VALUES ('', 'now')",
        "INSERT INTO settings (key, value_json, updated_at) VALUES ('k', 'not json', 'now')",
        "INSERT INTO user_drugs (drug_key, is_custom, updated_at) VALUES ('mystery', 1, 'now')",
    ]
    for statement in impossible:
        with pytest.raises(sqlite3.IntegrityError), database.transaction() as connection:
            connection.execute(statement)
    assert database.query("SELECT count(*) FROM diary_entries")[0][0] == 0


def test_plan_constraints(database) -> None:
    with database.transaction() as c:
        c.execute("INSERT INTO plans (id, name, is_active, created_at) VALUES (1, 'A', 1, 'now')")
    base = (
        "INSERT INTO plan_revisions (plan_id, revision, created_at, drug_key, start_date, "
        "reduction_model, reduction_value, interval_days, style, cut_order, rounding_mg{extra}) "
        "VALUES (1, {rev}, 'now', 'clonazepam', '{start}', '{model}', {value}, {days}, 'hold', "
        "'proportional', 0.001{extra_value})"
    )
    good = dict(
        rev=1, start="2027-01-04", model="percent", value=10, days=14, extra="", extra_value=""
    )
    with database.transaction() as c:
        c.execute(base.format(**good))
    bad_variants = [
        dict(good, rev=2, start="2027-13-01"),
        dict(good, rev=2, model="percent", value=75),
        dict(good, rev=2, value=0),
        dict(good, rev=2, days=0),
        dict(good, rev=1),  # duplicate revision number
        dict(
            good, rev=2, extra=", crossover_drug_key", extra_value=", 'diazepam'"
        ),  # no stage days
    ]
    for variant in bad_variants:
        with pytest.raises(sqlite3.IntegrityError), database.transaction() as c:
            c.execute(base.format(**variant))
    with pytest.raises(sqlite3.IntegrityError), database.transaction() as c:
        c.execute("INSERT INTO plans (name, is_active, created_at) VALUES ('B', 1, 'now')")


def test_full_disk_during_save_is_a_plain_error_and_changes_nothing(database) -> None:
    set_setting(database, "kept", "before")
    pages = database.query("PRAGMA page_count")[0][0]
    database.connection.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFull) as caught:
        set_setting(database, "big", "x" * 200_000)
    assert "not saved" in caught.value.message
    assert get_setting(database, "kept") == "before"
    assert get_setting(database, "big") is None
    assert not database.connection.in_transaction


def test_locked_database_is_a_plain_error(database, monkeypatch: pytest.MonkeyPatch) -> None:
    other = sqlite3.connect(database.path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    database.connection.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(DatabaseLocked):
            set_setting(database, "k", 1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    set_setting(database, "k", 2)
    assert get_setting(database, "k") == 2


def test_read_only_file_is_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    open_database(path).close()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        connection.execute("INSERT INTO settings VALUES ('k', '1', 'now')")
    connection.close()
    assert isinstance(translate(caught.value, path), ReadOnlyStorage)


def test_user_database_lives_in_the_data_folder(isolated_data_dir: Path) -> None:
    db = open_user_database(isolated_data_dir)
    db.close()
    assert (isolated_data_dir / "taperdesk.sqlite3").is_file()


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_foreign_and_newer_files_stay_byte_identical_with_nothing_beside(tmp_path: Path) -> None:
    """Issue 15 point 7: opening another program's file, or one with user_version 999,
    switched it to WAL (header bytes 18-19) and left -wal/-shm before refusing it."""
    foreign = tmp_path / "foreign" / "other.sqlite3"
    foreign.parent.mkdir()
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()
    newer = tmp_path / "newer" / "taperdesk.sqlite3"
    newer.parent.mkdir()
    open_database(newer).close()
    connection = sqlite3.connect(newer)
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("PRAGMA user_version = 999")
    connection.commit()
    connection.close()
    for path, error in ((foreign, DatabaseDamaged), (newer, DatabaseTooNew)):
        before, listing = path.read_bytes(), _beside(path)
        with pytest.raises(error):
            open_database(path)
        assert path.read_bytes() == before  # bytes 18-19 too
        assert _beside(path) == listing


def test_another_programs_application_id_is_refused_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA application_id = 12345")
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseDamaged, match="another program"):
        open_database(path)
    assert path.read_bytes() == before and _beside(path) == ["other.sqlite3"]
