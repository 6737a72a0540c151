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


def test_an_import_that_changes_the_plan_shows_it_and_needs_yes(tmp_path) -> None:
    """An import can change a planned dose (here another clonazepam ratio, which changes a
    crossover's diazepam doses): the change is printed, by drug, and nothing is written
    without --yes."""
    import datetime as dt
    import subprocess
    import sys

    from taperdesk.core.plan import Crossover, DosingTime, ReductionModel, TaperPlan
    from taperdesk.store import plans
    from taperdesk.store.drugs import load_overrides, set_equivalence_override

    today = dt.date.today()
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    database = open_user_database(mine)
    plan = TaperPlan(
        "clonazepam",
        (DosingTime("daily", 1.0),),
        today - dt.timedelta(days=1),
        ReductionModel.percent(10),
        crossover=Crossover("diazepam", (), 30),
    )
    plans.save_new_plan(database, plan, "Switch")
    database.close()
    database = open_user_database(theirs)
    set_equivalence_override(database, "clonazepam", 1.0)  # 1 mg ~ 10 mg diazepam
    database.close()

    def cli(folder, *argv):
        return subprocess.run(
            [sys.executable, "-m", "taperdesk", "--data-dir", str(folder), *argv],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    doc = tmp_path / "theirs.json"
    assert cli(theirs, "export", str(doc)).returncode == 0
    refused = cli(mine, "import", str(doc))
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert "This import changes your plan" in refused.stdout
    assert "20 mg diazepam → 10 mg diazepam" in refused.stdout
    database = open_user_database(mine)
    try:
        assert load_overrides(database) == {}  # nothing written
    finally:
        database.close()
    done = cli(mine, "import", str(doc), "--yes")
    assert done.returncode == 0, done.stderr
    database = open_user_database(mine)
    try:
        assert load_overrides(database) == {"clonazepam": 1.0}
    finally:
        database.close()
