"""Export and import of all data (JSON) and of the diary (CSV)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from support.diary_samples import D, entry

from taperdesk.store import data_io
from taperdesk.store import diary as store
from taperdesk.store.opening import open_user_database
from taperdesk.store.settings import set_setting
from taperdesk.store.symptoms import add_symptom

STAMP = "2026-03-01T00:00:00+00:00"


def filled(database):
    set_setting(database, "person.name", "Sam")
    tinnitus = add_symptom(database, "Tinnitus")
    for i in range(10):
        store.save_entry(database, entry(D + dt.timedelta(days=i), ratings={1: i, tinnitus.id: 3}))
    database.connection.execute(
        "INSERT INTO plans (id, name, is_active, created_at) VALUES (1, 'Taper', 1, ?)", (STAMP,)
    )
    return database


def test_export_import_export_is_identical(database, tmp_path) -> None:
    first = data_io.export_json_text(filled(database), exported_at=STAMP)
    other = open_user_database(tmp_path / "other")
    report = data_io.import_document(other, json.loads(first))
    assert report.added_days == 10
    assert data_io.export_json_text(other, exported_at=STAMP) == first
    again = data_io.import_document(other, json.loads(first))
    assert len(again.skipped_days) == 10 and again.added_days == 0
    other.close()


def test_export_names_format_and_versions(database) -> None:
    doc = data_io.export_data(database)
    assert doc["format"] == "taperdesk-data" and doc["schema_version"] == database.schema_version
    assert set(doc["tables"]) >= {"settings", "user_drugs", "symptoms", "plans", "plan_revisions",
                                  "plan_dosing_times", "plan_holds", "diary_entries",
                                  "doses_taken", "symptom_ratings"}  # fmt: skip


def test_import_overwrite_replaces_days(database, tmp_path) -> None:
    doc = data_io.export_data(filled(database))
    store.save_entry(database, entry(D, mg=0.1, ratings={}))
    doc_changed = copy.deepcopy(doc)
    report = data_io.import_document(database, doc_changed, overwrite=True)
    assert report.replaced_days == 10
    assert store.load_entry(database, D).doses[0].dose_mg == 0.5


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["tables"]["symptom_ratings"][0].update(severity=11), "symptom_ratings[0]"),
        (
            lambda d: d["tables"]["diary_entries"][1].update(entry_date="2026-02-30"),
            "diary_entries[1]",
        ),
        (lambda d: d["tables"]["diary_entries"][1].update(entry_date="2026-03-01"), "duplicate"),
        (lambda d: d["tables"]["doses_taken"][0].update(dose_mg="lots"), "wrong type"),
        (lambda d: d["tables"]["doses_taken"][0].update(entry_id=999), "not in the file"),
        (lambda d: d["tables"]["diary_entries"][0].update(mood=3), "unknown field"),
        (lambda d: d.update(format="something-else"), "not a TaperDesk data file"),
        (lambda d: d.update(schema_version=99), "schema_version"),
    ],
)
def test_bad_files_are_refused_whole(database, tmp_path, change, expected) -> None:
    doc = data_io.export_data(filled(database))
    change(doc)
    other = open_user_database(tmp_path / "other")
    with pytest.raises(data_io.ImportRefused) as caught:
        data_io.import_document(other, doc)
    assert expected in str(caught.value)
    assert other.query("SELECT count(*) FROM diary_entries")[0][0] == 0  # nothing half-imported
    other.close()


def test_truncated_json_names_the_line(tmp_path, database) -> None:
    path = tmp_path / "t.json"
    path.write_text(data_io.export_json_text(filled(database))[:500])
    with pytest.raises(data_io.ImportRefused, match=r"line \d+ column \d+"):
        data_io.read_json_file(path)


def test_diary_csv_round_trip_and_skip(database, tmp_path) -> None:
    text = data_io.export_diary_csv(filled(database))
    other = open_user_database(tmp_path / "other")
    add_symptom(other, "Tinnitus")
    assert data_io.import_diary_csv(other, text).added_days == 10
    assert data_io.export_diary_csv(other) == text
    report = data_io.import_diary_csv(other, text)
    assert len(report.skipped_days) == 10
    bad = text.replace("2026-03-05", "2026-13-05")
    with pytest.raises(data_io.ImportRefused, match="line 6: date"):
        data_io.import_diary_csv(other, bad, overwrite=True)
    other.close()


def test_a_symptom_the_diary_does_not_have_yet_is_added_with_the_days(database, tmp_path) -> None:
    from taperdesk.store.symptoms import list_symptoms

    text = data_io.export_diary_csv(filled(database))  # has the custom "Tinnitus" column
    fresh = open_user_database(tmp_path / "fresh")
    try:
        bad = text.replace("2026-03-05", "2026-13-05")
        with pytest.raises(data_io.ImportRefused):
            data_io.import_diary_csv(fresh, bad)
        assert "Tinnitus" not in [s.name for s in list_symptoms(fresh)]  # undone with the rest
        assert data_io.import_diary_csv(fresh, text).added_days == 10
        assert "Tinnitus" in [s.name for s in list_symptoms(fresh)]
        assert data_io.export_diary_csv(fresh) == text
    finally:
        fresh.close()
