"""``taperdesk restore [BACKUP] [--yes]``: the backups, and putting one back.

Without an argument it lists the backups, newest first, numbered. With a number (1 is
the newest) or a backup file, it shows what the restore would change (the plan today
and the next two weeks, by drug; the diary days on each side) and restores only with
``--yes``: a restore replaces everything, so it is never done without being asked. The
current data file is moved aside, not deleted. This works when the window cannot start.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from taperdesk.commands import CommandContext, CommandError, add_parser


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_parser(
        subparsers,
        "restore",
        "List your backups, or put one back (all plans, diary and settings as they were).",
    )
    parser.add_argument(
        "backup",
        nargs="?",
        metavar="BACKUP",
        help="the number from the list (1 = newest) or a backup file; without it, list them",
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="restore it (without --yes the change is only shown)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.store import backup
    from taperdesk.store.opening import backups_path, database_path

    backups = backup.list_backups(backups_path(context.data_dir))
    if args.backup is None:
        return _list(backups, context)
    context.lock_for_writing()
    chosen = _chosen(args.backup, backups)
    label = chosen.label if isinstance(chosen, backup.BackupInfo) else str(chosen)
    path = chosen.path if isinstance(chosen, backup.BackupInfo) else chosen
    if not backup.is_good_backup(path):
        if path.suffix.lower() in (".json", ".csv"):
            raise CommandError(
                f"{path}: this is an export, not a backup; add it with 'taperdesk import' "
                "(JSON) or 'taperdesk diary --import-csv' (CSV).",
                1,
            )
        raise CommandError(f"{path}: this backup cannot be read; choose another.", 1)
    _show_change(path, label, context)
    if not args.yes:
        raise CommandError("nothing restored: run again with --yes to restore it.", 1)
    context.close_store()  # no connection is left open on the swapped file (the lock stays)
    previous = backup.restore_backup(path, database_path(context.data_dir))
    print(f"Restored the backup from {label}.", file=context.out)
    if previous is not None:
        print(f"Your data before the restore was kept as {previous}.", file=context.out)
    return 0


def _list(backups: list, context: CommandContext) -> int:
    if not backups:
        print(
            "There are no backups yet; one is written each day TaperDesk opens.", file=context.out
        )
        return 0
    for number, info in enumerate(backups, start=1):
        print(f"{number:>3}  {info.label}  {info.path.name}", file=context.out)
    print("Restore one with: taperdesk restore NUMBER --yes", file=context.out)
    return 0


def _chosen(text: str, backups: list):  # -> BackupInfo | Path
    stripped = text.strip()
    if stripped.isdigit():
        number = int(stripped)
        if not 1 <= number <= len(backups):
            raise CommandError(
                f"BACKUP: there is no backup {number}; 'taperdesk restore' lists {len(backups)}."
                if backups
                else "BACKUP: there are no backups yet."
            )
        return backups[number - 1]
    path = Path(stripped).expanduser()
    if not path.is_file():
        raise CommandError(f"BACKUP: {path} is not a file; give a number from the list.")
    return path


def _show_change(path: Path, label: str, context: CommandContext) -> None:
    """What the restore changes: the plan by drug, and how many diary days each side has."""
    from taperdesk.app.plan_actions import preview_restore
    from taperdesk.errors import KnownError
    from taperdesk.store.opening import copy_in_memory

    print(f"Restoring the backup from {label} replaces all your data:", file=context.out)
    scratch = copy_in_memory(path)
    try:
        then = _diary_days(scratch)
    finally:
        scratch.close()
    try:  # read only: a restore is what a damaged or missing data file needs
        database = context.reader()
    except KnownError as error:
        print(f"  Your current data cannot be read ({error.message})", file=context.out)
        print(f"  Diary: {then} days in the backup.", file=context.out)
        return
    try:
        found = preview_restore(database, path)
    except KnownError as error:
        print(f"  The backup's plan could not be read ({error.message}).", file=context.out)
    else:
        if found.needs_confirmation:
            print("  Your plan changes:", file=context.out)
            for line in found.lines():
                print(f"    {line}", file=context.out)
        else:
            print(
                "  Your plan and the doses of the next two weeks stay the same.", file=context.out
            )
    now = _diary_days(database)
    print(f"  Diary: {now} days now, {then} days in the backup.", file=context.out)
    print("  Your current data file is moved aside, not deleted.", file=context.out)


def _diary_days(database) -> int:
    return int(database.query("SELECT COUNT(*) FROM diary_entries")[0][0])
