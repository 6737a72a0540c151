"""``taperdesk --self-check``: prove an installed (or frozen) TaperDesk works.

Runs offscreen in a temporary data folder, so it never touches the user's
data: opens and checks a database, opens the main window, visits every tab,
renders a weekly sheet to a temporary PDF. Then it opens the window on a copy
of the person's own data file (read-only: the file is copied, never opened
for writing), so a file the app cannot start on fails the check. Prints one
line per check and returns 0 only if all passed.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from taperdesk.errors import KnownError


def _check_resources(data_dir: Path) -> str:
    from taperdesk.resource_files import ICON_SIZES_PX, icon_file

    missing = [str(icon_file(s)) for s in ICON_SIZES_PX if not icon_file(s).is_file()]
    if not icon_file().is_file():
        missing.append(str(icon_file()))
    if missing:
        raise RuntimeError(f"missing resources: {', '.join(missing)}")
    return f"{len(ICON_SIZES_PX) + 1} icon files found"


def _check_database(data_dir: Path) -> str:
    from taperdesk.core.settings_registry import SELF_CHECK
    from taperdesk.store.opening import open_user_database
    from taperdesk.store.settings import get_setting, set_setting

    database = open_user_database(data_dir)
    try:
        set_setting(database, SELF_CHECK.key, 42)
        if get_setting(database, SELF_CHECK.key) != 42:
            raise RuntimeError("a saved setting did not read back")
        result = database.query("PRAGMA integrity_check")[0][0]
        if result != "ok":
            raise RuntimeError(f"integrity check: {result}")
        return f"schema version {database.schema_version}, integrity ok"
    finally:
        database.close()


def _check_your_data(folder: Path, data_dir: Path) -> str:
    """The window, opened on a copy of the data file in ``folder`` (the person's)."""
    from taperdesk.store.opening import (
        backups_path,
        copy_in_memory,
        database_path,
        refuse_a_silent_fresh_start,
    )

    source = database_path(folder)
    if not source.is_file() or source.stat().st_size == 0:
        refuse_a_silent_fresh_start(source, backups_path(folder))  # the window would ask
        return f"no data file in {folder} yet (nothing to check)"
    copy = copy_in_memory(source)  # read-only open of the file; migrated in memory
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        target = connect_file(database_path(data_dir))
        try:
            copy.connection.backup(target)
        finally:
            target.close()
    finally:
        copy.close()
    return f"{_check_window(data_dir)} (on a copy of {source})"


def connect_file(path: Path):  # -> sqlite3.Connection
    import sqlite3

    return sqlite3.connect(str(path))


def _check_window(data_dir: Path) -> str:
    from taperdesk.core import safety
    from taperdesk.store.opening import open_user_database
    from taperdesk.store.settings import set_setting
    from taperdesk.ui.app import make_application
    from taperdesk.ui.main_window import SAFETY_KEY, MainWindow
    from taperdesk.ui.state import AppState

    app = make_application(["taperdesk", "--self-check"])
    database = open_user_database(data_dir)
    try:
        set_setting(database, SAFETY_KEY, safety.NOTICE_VERSION)
        window = MainWindow(AppState(data_dir, database))
        window.show()
        visited = []
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            app.processEvents()
            if window.tabs.currentWidget().grab().isNull():
                raise RuntimeError(f"tab {index} did not render")
            visited.append(window.tabs.tabText(index).replace("&", ""))
        window.close()
        app.processEvents()
        return "main window opened; tabs visited: " + ", ".join(visited)
    finally:
        database.close()


def _check_sheet(data_dir: Path) -> str:
    import datetime as dt

    from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan
    from taperdesk.printing.document import PageSize, write_pdf
    from taperdesk.printing.sources import inputs_for_plan
    from taperdesk.printing.weekly_sheet import WeeklySheetDocument

    plan = TaperPlan(
        "clonazepam",
        (DosingTime("morning", 0.5), DosingTime("night", 0.5)),
        dt.date(2027, 1, 4),
        ReductionModel.percent(10),
        rounding_mg=0.01,
    )
    path = data_dir.parent / "selfcheck-sheet.pdf"
    document = WeeklySheetDocument(inputs_for_plan(plan), plan.start_date)
    pages = write_pdf(document, path, PageSize.A4)
    data = path.read_bytes()
    if pages != 1 or not data.startswith(b"%PDF") or b"/Type /Page" not in data:
        raise RuntimeError(f"the test sheet PDF is not right ({pages} pages, {len(data)} bytes)")
    return f"weekly sheet rendered to PDF ({pages} page, {len(data) // 1024} KiB)"


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("resources", _check_resources),
    ("database", _check_database),
    ("window", _check_window),
    ("sheet", _check_sheet),
]


def run_self_check(out: TextIO, your_data: Path | None = None) -> int:
    """Every check, then (with ``your_data``, the data folder in use) the window on a copy
    of that folder's data file."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="taperdesk-selfcheck-") as folder:
        data_dir = Path(folder) / "data"
        checks = list(CHECKS)
        if your_data is not None:
            copy_dir = Path(folder) / "your-data"
            checks.append(("your data", lambda _d: _check_your_data(your_data, copy_dir)))
        for name, check in checks:
            try:
                detail = check(data_dir)
            except KnownError as error:  # a plain reason, and what to do: no traceback
                failures += 1
                print(f"FAIL {name}: {error.message} {error.advice}".rstrip(), file=out)
            except Exception as error:
                failures += 1
                print(f"FAIL {name}: {error}", file=out)
                traceback.print_exc(file=out)
            else:
                print(f"ok   {name}: {detail}", file=out)
    print("self-check passed" if failures == 0 else f"self-check FAILED ({failures})", file=out)
    return 0 if failures == 0 else 1
