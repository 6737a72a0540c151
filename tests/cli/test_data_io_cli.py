"""``taperdesk export`` / ``taperdesk import``."""

from __future__ import annotations

import json

from support.diary_samples import D, entry

from taperdesk.cli import main
from taperdesk.store import diary as store
from taperdesk.store.opening import open_user_database


def test_export_import_cli(tmp_path, isolated_data_dir, capsys) -> None:
    database = open_user_database(isolated_data_dir)
    store.save_entry(database, entry(D))
    database.close()
    out = tmp_path / "all.json"
    assert main(["export", str(out)]) == 0
    assert "health information" in capsys.readouterr().err
    other = tmp_path / "other"
    assert main(["--data-dir", str(other), "import", str(out)]) == 0
    assert "1 day(s) added" in capsys.readouterr().out
    assert main(["--data-dir", str(other), "import", str(out)]) == 0
    assert "1 skipped" in capsys.readouterr().out
    assert main(["--data-dir", str(other), "import", str(out), "--overwrite"]) == 0
    assert "1 replaced" in capsys.readouterr().out


def test_bad_file_is_one_line_error(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "taperdesk-data", "format_version": 1, "schema_version": 3,
                               "tables": {"diary_entries": [{"entry_date": "2026-02-31", "updated_at": "x"}]}}))  # fmt: skip
    assert main(["import", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "bad.json" in err and "diary_entries[0]" in err
