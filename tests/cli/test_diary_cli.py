"""``taperdesk diary --csv`` / ``--import-csv``."""

from __future__ import annotations

from support.diary_samples import D, entry

from taperdesk.cli import main
from taperdesk.store import diary as store
from taperdesk.store.opening import open_user_database


def test_csv_export_and_import(tmp_path, isolated_data_dir, capsys) -> None:
    database = open_user_database(isolated_data_dir)
    store.save_entry(database, entry(D, notes="a, b"))
    database.close()
    path = tmp_path / "diary.csv"
    assert main(["diary", "--csv", str(path)]) == 0
    assert path.read_text().splitlines()[1].startswith("2026-03-01,0.5,0.5")
    other = tmp_path / "other"
    assert main(["--data-dir", str(other), "diary", "--import-csv", str(path)]) == 0
    assert "1 day(s) added" in capsys.readouterr().out
    path.write_text(path.read_text().replace("2026-03-01", "2026-03-32"))
    assert main(["--data-dir", str(other), "diary", "--import-csv", str(path)]) == 1
    err = capsys.readouterr().err
    assert "diary.csv" in err and "line 2" in err and len(err.strip().splitlines()) == 1
