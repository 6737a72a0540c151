"""No imported file can stop the app from starting or a command from running (issue 15).

Every hostile file of ``support.hostile_corpus`` is imported into a folder that holds a
plan and a diary day; the import may be refused, never half-done, never a traceback.
Then the window really starts on the folder (``--self-check``'s check of the person's
data, on a copy) and every command runs without a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from support.hostile_corpus import csv_cases, json_cases

from taperdesk import cli
from taperdesk.core.diary import DiaryEntry, DoseTaken
from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan
from taperdesk.store import plans
from taperdesk.store.data_io import export_data
from taperdesk.store.diary import save_entry
from taperdesk.store.opening import open_user_database

TODAY = dt.date.today()


def _base_folder(folder: Path, name: str = "Base", days_ago: int = 2) -> dict:
    database = open_user_database(folder)
    plan = TaperPlan(
        drug_key="clonazepam",
        dosing_times=(DosingTime("morning", 0.5), DosingTime("night", 0.5)),
        start_date=TODAY - dt.timedelta(days=20),
        reduction=ReductionModel.percent(10),
    )
    plans.save_new_plan(database, plan, name)
    day = TODAY - dt.timedelta(days=days_ago)
    save_entry(database, DiaryEntry(day, (DoseTaken("morning", "clonazepam", 0.5, 0.5),),
                                    {1: 3}, notes="ok"))  # fmt: skip
    doc = export_data(database)
    database.close()
    return doc


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, dict]:
    """The person's folder (a plan, a day) and, from another folder, the document the
    hostile files are made of: another plan and another day, so an import adds them."""
    folder = tmp_path_factory.mktemp("base") / "data"
    _base_folder(folder)
    other = tmp_path_factory.mktemp("other") / "data"
    return folder, _base_folder(other, "Imported", days_ago=5)


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text, text[-3000:]
    assert isinstance(code, int)
    return code, text


def _everything_still_works(capsys, folder: Path, tmp: Path) -> None:
    from taperdesk import selfcheck

    assert selfcheck._check_your_data(folder, tmp / "copy").startswith("main window opened")
    data = ["--data-dir", str(folder)]
    week = (TODAY - dt.timedelta(days=30)).isoformat()
    for argv in (
        ["schedule"],
        ["schedule", "--format", "json"],
        ["sheet", "-o", str(tmp / "sheet.pdf")],
        ["report", "--from", week, "--to", TODAY.isoformat(), "-o", str(tmp / "report.pdf")],
        ["overview", "-o", str(tmp / "overview.pdf")],
        ["titrate", "daily", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "50",
         "--days", "3"],
        ["titrate", "compound", "--days", "3"],
        ["export", str(tmp / "out.json")],
        ["diary", "--csv", "-"],
        ["restore"],
        ["check"],
    ):  # fmt: skip
        code, text = _run(capsys, *data, *argv)
        assert code in (0, 1, 2), (argv, code, text[-2000:])


#: Files that are fine to import (the rest must be refused, with nothing imported).
JSON_ACCEPTED = {"utf-8-bom", "hostile-symptom-0", "hostile-symptom-1", "huge-ids"}
CSV_ACCEPTED = {"cp1252", "latin-1", "bom", "semicolons", "semicolons-decimal-commas",
                "formula-cells", "header-only", "cr-only"}  # fmt: skip


def _fingerprint(folder: Path) -> tuple:
    database = open_user_database(folder)
    try:
        return tuple(
            tuple(tuple(row) for row in database.query(f"SELECT * FROM {table} ORDER BY 1"))
            for table in ("plans", "plan_revisions", "diary_entries", "doses_taken",
                          "symptoms", "symptom_ratings", "settings", "user_drugs")
        )  # fmt: skip
    finally:
        database.close()


def _fresh_copy(base_folder: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(base_folder, folder)
    return folder


def _json_ids() -> list[str]:
    return [name for name, _ in json_cases(_placeholder_doc())]


def _placeholder_doc() -> dict:
    """A document with every table the cases edit (ids only: the real one comes later)."""
    tables = {
        "diary_entries": [{"id": 1, "entry_date": "2026-11-02", "notes": "ok"}],
        "doses_taken": [{"entry_id": 1, "dose_mg": 0.5}],
        "plans": [{"id": 1}],
        "plan_revisions": [{"id": 1, "plan_id": 1}],
        "plan_dosing_times": [{"revision_id": 1}],
        "symptoms": [{"id": 1}],
        "symptom_ratings": [{"severity": 3}],
        "settings": [],
    }
    return {"format": "taperdesk-data", "tables": tables}


@pytest.mark.parametrize("name", _json_ids())
def test_a_hostile_json_import_cannot_hurt(name: str, base, tmp_path, capsys) -> None:
    base_folder, base_doc = base
    content = dict(json_cases(base_doc))[name]
    folder = _fresh_copy(base_folder, tmp_path)
    hostile = tmp_path / f"{name}.json"
    hostile.write_bytes(content)
    before = _fingerprint(folder)
    code, text = _run(capsys, "--data-dir", str(folder), "import", str(hostile), "--yes")
    if name in JSON_ACCEPTED:
        assert code == 0, text[-2000:]
    else:
        assert code == 1 and text.count("\n") == 1, text[-2000:]  # one line, nothing imported
        assert _fingerprint(folder) == before
    _everything_still_works(capsys, folder, tmp_path)


@pytest.mark.parametrize("name", [name for name, _ in csv_cases()])
def test_a_hostile_csv_import_cannot_hurt(name: str, base, tmp_path, capsys) -> None:
    base_folder, _doc = base
    folder = _fresh_copy(base_folder, tmp_path)
    hostile = tmp_path / f"{name}.csv"
    hostile.write_bytes(dict(csv_cases())[name])
    before = _fingerprint(folder)
    code, text = _run(capsys, "--data-dir", str(folder), "diary", "--import-csv", str(hostile))
    if name in CSV_ACCEPTED:
        assert code == 0, text[-2000:]
    else:
        assert code == 1 and text.count("\n") == 1, text[-2000:]
        assert _fingerprint(folder) == before
    _everything_still_works(capsys, folder, tmp_path)


def test_the_corpus_has_every_kind_the_issue_names() -> None:
    names = set(_json_ids()) | {f"csv:{name}" for name, _ in csv_cases()}
    assert len(names) >= 60
    assert json.dumps(sorted(names))  # names are plain text


def test_csv_files_from_other_spreadsheets_are_read_as_written(tmp_path) -> None:
    """Issue 15 point 9: Excel's cp1252 gave a raw codec error, a semicolon CSV "keep the
    name to 60 characters"; decimal commas come with semicolons."""
    from taperdesk.store.data_io import import_diary_csv, read_diary_csv_file
    from taperdesk.store.diary import load_entry

    database = open_user_database(tmp_path / "data")
    try:
        for name in ("cp1252", "semicolons-decimal-commas", "formula-cells"):
            path = tmp_path / f"{name}.csv"
            path.write_bytes(dict(csv_cases())[name])
            import_diary_csv(database, read_diary_csv_file(path), overwrite=True)
            entry = load_entry(database, dt.date(2026, 11, 20))
            if name == "cp1252":
                assert entry.notes == "café – naïve “quotes”" and entry.wellbeing == 6
            elif name == "semicolons-decimal-commas":
                assert entry.sleep_hours == 7.5 and entry.notes == "calm"
            else:
                assert entry.notes == '=HYPERLINK("x")'  # kept as typed; neutralised on export
    finally:
        database.close()
