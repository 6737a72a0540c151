"""The data folder and everything TaperDesk writes into it are private to the user.

After a typical session (window opened, a plan saved, a diary day typed, a
backup made, exports written into the data folder) the folder is 0700 and
every file in it 0600; exports say they hold health information.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from taperdesk.store.data_io import HEALTH_WARNING


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The usual default umask: a file made without care would be world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def modes(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder)) or ".": stat.S_IMODE(path.stat().st_mode)
        for path in [folder, *folder.rglob("*")]
    }


def assert_private(folder: Path) -> None:
    found = modes(folder)
    wrong = {
        name: oct(mode)
        for name, mode in found.items()
        if mode != (0o700 if (folder / name).is_dir() else 0o600)
    }
    assert not wrong, f"not private: {wrong}"


def test_a_typical_session_leaves_only_private_files(
    qtbot, main_window, app_state, monkeypatch
) -> None:
    from support.printing_samples import sample_plan

    from taperdesk.store import diary as diary_store
    from taperdesk.store.plans import save_new_plan
    from taperdesk.ui import dialogs, diary_dialogs

    data_dir = app_state.database.path.parent
    save_new_plan(app_state.database, sample_plan(start_date=dt.date.today()), "Taper")
    app_state.plan_changed.emit()

    tab = main_window.diary_tab
    main_window.tabs.setCurrentWidget(tab)
    row = tab.form.dose_rows[0]
    row.edit.setFocus()
    row.edit.selectAll()
    assert row.slot.planned_mg is not None
    qtbot.keyClicks(row.edit, f"{row.slot.planned_mg:g}".replace(".", ","))
    qtbot.keyClick(row.edit, Qt.Key.Key_Return)
    assert diary_store.load_entry(app_state.database, tab.day) is not None

    main_window.action_backup_now.trigger()

    warnings: list[str] = []
    monkeypatch.setattr(
        dialogs,
        "confirm",
        lambda _p, _t, text, detail="", **_k: warnings.append(text + detail) or True,
    )
    monkeypatch.setattr(
        dialogs, "show_info", lambda _p, _t, text, detail="": warnings.append(text + detail)
    )
    for name in ("export.json", "diary.csv"):
        monkeypatch.setattr(
            diary_dialogs, "ask_save_path", lambda *_a, name=name: str(data_dir / name)
        )
        main_window.action_export_data.trigger()
        assert (data_dir / name).exists()
    assert warnings and all("health information" in w for w in warnings), warnings

    assert any((data_dir / "backups").iterdir())
    assert_private(data_dir)


def test_cli_export_warns_and_writes_private_files(tmp_path: Path) -> None:
    from test_cli_bad_input import run_cli

    data_dir = tmp_path / "data"
    code, _out, err = run_cli(["--data-dir", str(data_dir), "export", str(data_dir / "all.json")])
    assert code == 0, err
    assert HEALTH_WARNING in err and "health information" in err
    code, out, err = run_cli(
        ["--data-dir", str(data_dir), "diary", "--csv", str(data_dir / "d.csv")]
    )
    assert code == 0, err
    assert "health information" in out + err
    assert_private(data_dir)
