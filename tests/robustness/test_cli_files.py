"""The remaining command-line options against hostile files, paths and values.

export/import, diary --csv/--import-csv, sheet, report, overview and titrate
daily/compound: a bad value or file is refused with one line on stderr and a
non-zero exit, never a traceback, and the database is left exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from test_cli_bad_input import HOSTILE_NUMBERS, assert_clean_outcome, run_cli

from taperdesk.store.opening import open_user_database

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def data_dir(tmp_path: Path, qapp) -> Path:
    """A data folder with a plan and a logged day, so every command has something to do.

    ``qapp`` first: the PDF commands would otherwise create a bare QGuiApplication
    in this process, which later widget tests cannot use.
    """
    from support.diary_samples import entry
    from support.printing_samples import sample_plan

    from taperdesk.store.diary import save_entry
    from taperdesk.store.plans import save_new_plan

    folder = tmp_path / "data"
    database = open_user_database(folder)
    try:
        save_new_plan(database, sample_plan(start_date=dt.date.today()), "Taper")
        save_entry(database, entry(dt.date.today() - dt.timedelta(days=1)))
    finally:
        database.close()
    return folder


def snapshot(data_dir: Path) -> dict[str, list[tuple]]:
    """Every row of every table (settings included)."""
    database = open_user_database(data_dir)
    try:
        tables = [
            r[0]
            for r in database.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: [tuple(r) for r in database.query(f"SELECT * FROM {t}")] for t in tables}
    finally:
        database.close()


def refused(data_dir: Path, *argv: str) -> str:
    """Run ``argv``; it must fail cleanly and store nothing. Returns stderr."""
    before = snapshot(data_dir)
    full = ["--data-dir", str(data_dir), *argv]
    code, _out, err = run_cli(full)
    assert_clean_outcome(full, code, err)
    assert code != 0, (full, err)
    assert snapshot(data_dir) == before, f"{full} changed the database"
    return err


def clean(data_dir: Path, *argv: str) -> int:
    """Run ``argv``; accepted or refused, but cleanly."""
    full = ["--data-dir", str(data_dir), *argv]
    code, _out, err = run_cli(full)
    assert_clean_outcome(full, code, err)
    return code


@pytest.fixture
def export_file(data_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "export.json"
    code, _out, err = run_cli(["--data-dir", str(data_dir), "export", str(path)])
    assert code == 0, err
    return path


def unwritable_places(tmp_path: Path) -> list[Path]:
    file = tmp_path / "a-file"
    file.write_text("x")
    places = [tmp_path / "missing" / "out", file / "out", Path("/proc/taperdesk-test-out")]
    if not AS_ROOT:
        locked = tmp_path / "read-only"
        locked.mkdir()
        locked.chmod(0o500)
        places.append(locked / "out")
    return places


# -- export / import -----------------------------------------------------------------


def test_export_to_bad_places(data_dir: Path, tmp_path: Path) -> None:
    for place in [*unwritable_places(tmp_path), tmp_path]:
        refused(data_dir, "export", str(place))


def bad_json_files(tmp_path: Path, export_file: Path) -> dict[str, Path]:
    text = export_file.read_text(encoding="utf-8")
    document = json.loads(text)
    files: dict[str, Path] = {}

    def write(name: str, content: str | bytes) -> None:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        files[name] = path

    write("empty.json", "")
    write("garbage.json", os.urandom(4096))
    write("truncated.json", text[: len(text) // 2])
    write("array.json", "[1, 2, 3]")
    write("other-app.json", json.dumps({"format": "someone-else", "tables": {}}))
    write("sqlite.json", b"SQLite format 3\x00" + bytes(100))
    for name, value in (("inf", "1e999"), ("bigint", "9" * 400), ("nan", "NaN")):
        doc = json.loads(text)
        doc["tables"]["doses_taken"][0]["dose_mg"] = "@@"
        write(f"dose-{name}.json", json.dumps(doc).replace('"@@"', value))
    doc = json.loads(text)
    doc["schema_version"] = 10**6
    write("newer.json", json.dumps(doc))
    doc = json.loads(text)
    doc["tables"]["diary_entries"][0]["entry_date"] = "2027-02-30"
    write("bad-date.json", json.dumps(doc))
    doc = json.loads(text)
    doc["tables"]["symptom_ratings"][0]["severity"] = 11
    write("rating-11.json", json.dumps(doc))
    deep = "[" * 100_000 + "]" * 100_000
    write("deep.json", deep)
    assert document["format"]  # the real export is a valid starting point
    return files


def test_import_bad_files(data_dir: Path, tmp_path: Path, export_file: Path) -> None:
    # A fresh data folder, so a valid part of a bad file would show up as new rows.
    target = tmp_path / "target"
    open_user_database(target).close()
    for name, path in bad_json_files(tmp_path, export_file).items():
        err = refused(target, "import", str(path))
        assert err.strip(), name
    refused(target, "import", str(tmp_path / "missing.json"))
    refused(target, "import", str(tmp_path))
    if not AS_ROOT:
        locked = tmp_path / "locked.json"
        locked.write_text(export_file.read_text())
        locked.chmod(0)
        refused(target, "import", str(locked))


# -- diary CSV ------------------------------------------------------------------------


def test_diary_csv_to_bad_places(data_dir: Path, tmp_path: Path) -> None:
    for place in [*unwritable_places(tmp_path), tmp_path]:
        refused(data_dir, "diary", "--csv", str(place))


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not,a,diary\n1,2,3\n",
        "date,dose morning\n2027-02-30,1\n",
        "date,dose morning\n2027-01-01,nan\n",
        "date,dose morning\n2027-01-01,-1\n",
        "date,dose morning\n2027-01-01,1e999\n",
        "date,dose morning\n2027-01-01," + "9" * 400 + "\n",
        "date,Anxiety\n2027-01-01,11\n",
        "date,dose morning\n2027-01-01,1\n2027-01-01,1\n",
        "date,dose morning\n0001-01-01,1\n",
        "date,sleep\n2027-01-01,25\n",
        "\x00\x01\x02garbage",
    ],
)
def test_diary_import_bad_csv(data_dir: Path, tmp_path: Path, content: str) -> None:
    path = tmp_path / "diary.csv"
    path.write_text(content, encoding="utf-8")
    code = clean(data_dir, "diary", "--import-csv", str(path))
    if code == 0:  # accepted: then it was a real diary (nothing here is)
        pytest.fail(f"a bad CSV was accepted: {content!r}")


def test_diary_import_csv_bad_files(data_dir: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(os.urandom(4096))
    for path in (garbage, tmp_path / "missing.csv", tmp_path):
        refused(data_dir, "diary", "--import-csv", str(path))


def test_diary_import_bad_csv_stores_nothing(data_dir: Path, tmp_path: Path) -> None:
    """One bad row among good ones: the whole file is refused."""
    path = tmp_path / "diary.csv"
    path.write_text("date,dose morning\n2027-01-01,1\n2027-01-02,abc\n", encoding="utf-8")
    refused(data_dir, "diary", "--import-csv", str(path))


# -- sheet, report, overview -------------------------------------------------------------

BAD_DATES = ["0000-01-01", "2027-02-30", "27-01-04", "tomorrow", "", "-1", "9999-99-99"]


@pytest.mark.parametrize("value", ["0", "-1", "105", "10000", "abc", "1.5", "nan", "1e309"])
def test_sheet_weeks(data_dir: Path, tmp_path: Path, value: str) -> None:
    refused(data_dir, "sheet", "--weeks", value, "-o", str(tmp_path / "s.pdf"))
    assert not (tmp_path / "s.pdf").exists()


@pytest.mark.parametrize("value", [*BAD_DATES, "1800-01-01", "9999-12-31"])
def test_sheet_week(data_dir: Path, tmp_path: Path, value: str) -> None:
    code = clean(data_dir, "sheet", "--week", value, "-o", str(tmp_path / "s.pdf"))
    if value in BAD_DATES:
        assert code != 0


@pytest.mark.parametrize("command", ["sheet", "report", "overview"])
def test_pdf_commands_bad_page_and_output(data_dir: Path, tmp_path: Path, command: str) -> None:
    for page in ("bogus", "", "A5", "a4 "):
        code = clean(data_dir, command, "--page", page, "-o", str(tmp_path / "x.pdf"))
        assert code != 0 or page.strip().lower() in ("a4", "letter"), page
    for place in [*unwritable_places(tmp_path), tmp_path]:
        refused(data_dir, command, "-o", str(place))


@pytest.mark.parametrize(
    "first, last",
    [
        ("2027-03-01", "2027-01-01"),  # reversed
        ("0000-01-01", "2027-01-01"),
        ("2027-01-01", "2027-02-30"),
        ("tomorrow", "2027-01-01"),
        ("", ""),
        ("1000-01-01", "9999-12-31"),
    ],
)
def test_report_range(data_dir: Path, tmp_path: Path, first: str, last: str) -> None:
    out = tmp_path / "r.pdf"
    code = clean(data_dir, "report", "--from", first, "--to", last, "-o", str(out))
    if first > last or "0000" in first or "02-30" in last or first == "tomorrow" or not first:
        assert code != 0
        assert not out.exists()


# -- titrate daily / compound ---------------------------------------------------------------

DAILY = ["titrate", "daily", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "100"]
COMPOUND = ["titrate", "compound", "--dose", "0.5,0.45"]


@pytest.mark.parametrize(
    "base, option",
    [
        (DAILY, "--tablet-mg"),
        (DAILY, "--tablets"),
        (DAILY, "--volume-ml"),
        (DAILY, "--syringe-ml"),
        (DAILY, "--dose"),
        (DAILY, "--days"),
        (COMPOUND, "--dose"),
        (["titrate", "compound"], "--days"),  # the active plan's days (no --dose)
        (COMPOUND, "--step-mg"),
        (COMPOUND, "--max-capsules"),
        (COMPOUND, "--supply-days"),
    ],
)
def test_titrate_daily_and_compound_options(data_dir: Path, base: list[str], option: str) -> None:
    before = snapshot(data_dir)
    for value in [*HOSTILE_NUMBERS, "100000", "3651", "0.5,nan", "1,,2", "0.5;0.4"]:
        argv = list(base)
        if option in argv:
            argv[argv.index(option) + 1] = value
        else:
            argv += [option, value]
        code = clean(data_dir, *argv)
        if value in ("-1", "nan", "inf", "-inf", "abc", "1e309", "0.5,nan", "99999999999"):
            assert code != 0, (argv, value)
        if value == "100000" and (option in ("--days", "--max-capsules") or base is COMPOUND):
            assert code != 0, (argv, value)  # regression: overflowed / searched for minutes
    assert snapshot(data_dir) == before
