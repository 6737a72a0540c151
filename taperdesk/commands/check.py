"""``taperdesk check``: what is wrong with the data folder, for when the window cannot start.

Reads only: the folder and its permissions, whether a window holds it, the data file's
header and SQLite's quick_check (on a copy in memory), whether the plan and the settings
can be read, the backups, leftovers of crashes. One line per check, each problem with
what to do; exit status 0 when all is well, 1 otherwise.
"""

from __future__ import annotations

import argparse
import stat
from pathlib import Path

from taperdesk.commands import CommandContext, add_parser


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_parser(
        subparsers,
        "check",
        "Check the data folder (file, plan, settings, backups) without changing anything.",
    )
    parser.set_defaults(handler=run)


class _Report:
    def __init__(self, context: CommandContext) -> None:
        self.out = context.out
        self.problems = 0

    def ok(self, text: str) -> None:
        print(f"ok       {text}", file=self.out)

    def note(self, text: str) -> None:
        print(f"note     {text}", file=self.out)

    def problem(self, text: str) -> None:
        self.problems += 1
        print(f"PROBLEM  {text}", file=self.out)


def run(args: argparse.Namespace, context: CommandContext) -> int:
    report = _Report(context)
    folder = context.data_dir
    if not _check_folder(folder, report):
        return _finish(report, context)
    _check_lock(folder, report)
    scratch = _check_file(folder, report)
    if scratch is not None:
        try:
            _check_contents(scratch, report)
        finally:
            scratch.close()
    _check_backups(folder, report)
    _check_leftovers(folder, report)
    return _finish(report, context)


def _finish(report: _Report, context: CommandContext) -> int:
    if report.problems:
        print(f"{report.problems} problem(s) found.", file=context.out)
        return 1
    print("All is well.", file=context.out)
    return 0


def _check_folder(folder: Path, report: _Report) -> bool:
    from taperdesk.store import paths

    if folder.is_symlink() and not folder.exists():
        report.problem(f"data folder {folder} is a link to something that no longer exists.")
        return False
    if folder.exists() and not folder.is_dir():
        report.problem(f"data folder {folder} is a file, not a folder: move it away.")
        return False
    if not folder.exists():
        report.ok(f"data folder {folder} does not exist yet (nothing saved so far).")
        return False
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & ~paths.PRIVATE_DIR_MODE & 0o777:
        report.note(f"data folder {folder} can be read by other users (mode {mode:o}).")
    else:
        report.ok(f"data folder {folder} is private (mode {mode:o}).")
    return True


def _check_lock(folder: Path, report: _Report) -> None:
    from taperdesk.store.errors import StoreError
    from taperdesk.store.folder_lock import FolderLock

    lock = FolderLock(folder)
    try:
        free = lock.try_acquire()
    except StoreError as error:
        report.problem(f"the folder cannot be locked: {error.message}")
        return
    if free:
        lock.release()
        report.ok("no TaperDesk window holds the folder.")
    else:
        report.note("a TaperDesk window (or a command) is open on this folder.")


def _check_file(folder: Path, report: _Report):  # -> Database | None
    import os

    from taperdesk.errors import KnownError
    from taperdesk.store.opening import copy_in_memory, database_path

    path = database_path(folder)
    if not path.exists():
        report.note(f"there is no data file ({path.name}); the window starts a new one.")
        return None
    size = path.stat().st_size
    if size == 0:
        report.problem(
            f"the data file {path} is empty (0 bytes): restore a backup with 'taperdesk restore'."
        )
        return None
    if not os.access(path, os.R_OK | os.W_OK):
        report.problem(
            f"the data file {path} cannot be written by you: check its permissions "
            "(it should be yours, mode 600)."
        )
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists() and not os.access(side, os.W_OK):
            report.problem(
                f"{side.name} beside the data file is read-only: with the window closed, "
                "give it back your write permission or remove it."
            )
    try:
        scratch = copy_in_memory(path)
    except KnownError as error:
        report.problem(f"{error.message} {error.advice}".strip())
        return None
    integrity = scratch.query("PRAGMA quick_check")[0][0]
    if integrity != "ok":
        report.problem(f"the data file fails SQLite's quick_check ({integrity}).")
    else:
        report.ok(f"data file {path.name}: {size:,} bytes, quick_check ok.")
    return scratch


def _check_contents(scratch, report: _Report) -> None:
    from taperdesk.app.lived_plan import PlanUnreadable, active_plan
    from taperdesk.core.settings_registry import SETTINGS
    from taperdesk.store.settings import all_settings

    try:
        lived = active_plan(scratch)
    except PlanUnreadable as error:
        report.problem(f"the active plan cannot be read: {error.message}")
    else:
        report.ok("no active plan." if lived is None else "the active plan can be read.")
    days = scratch.query("SELECT COUNT(*) FROM diary_entries")[0][0]
    report.ok(f"diary: {days} day(s).")
    unfit = [key for key, value in all_settings(scratch).items()
             if key in SETTINGS and SETTINGS[key].read(value) is not value]  # fmt: skip
    if unfit:
        report.note(f"setting(s) {', '.join(sorted(unfit))} do not fit; their defaults are used.")
    else:
        report.ok("settings fit.")


def _check_backups(folder: Path, report: _Report) -> None:
    from taperdesk.store import backup
    from taperdesk.store.opening import backups_path

    backups = backup.list_backups(backups_path(folder))
    if not backups:
        report.note("no backups yet (one is written each day the window opens).")
        return
    newest = backup.newest_good_backup(backups_path(folder))
    if newest is None:
        report.problem(f"none of the {len(backups)} backups can be read.")
    else:
        report.ok(f"{len(backups)} backup(s); the newest good one is from {newest.label}.")


def _check_leftovers(folder: Path, report: _Report) -> None:
    partial = [p for p in (folder / "backups").glob("*.partial*")] if folder.is_dir() else []
    if partial:
        report.note(f"{len(partial)} half-written backup file(s) from a crash; the window "
                    "removes them when it next starts.")  # fmt: skip
