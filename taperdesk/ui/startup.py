"""Opening the data file at start-up, with a way out of every known failure.

- A damaged or foreign file is moved aside (never overwritten or deleted) and
  the person chooses: restore the newest good backup, start fresh, or quit.
- A file from a newer TaperDesk, a read-only folder, a locked or full disk:
  a plain message, nothing touched, and the app does not start.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from taperdesk.store.database import Database
from taperdesk.store.errors import DatabaseDamaged, StoreError
from taperdesk.store.opening import backups_path, database_path, open_user_database
from taperdesk.ui import dialogs


def open_with_recovery(
    data_dir: Path, parent: QWidget | None = None, check_later: bool = False
) -> Database | None:
    """The open database, or None if it could not be opened (the user was told).

    ``check_later``: the file's integrity check runs while the window is built; the
    window then calls :func:`confirm_or_recover` before anything is written."""
    try:
        database = open_user_database(data_dir, check_later=check_later)
    except DatabaseDamaged as damaged:
        return _recover(data_dir, damaged, parent)
    except StoreError as error:
        dialogs.show_error(parent, error)
        return None
    _warn_if_read_only(data_dir, parent)
    return database


def confirm_or_recover(
    database: Database, data_dir: Path, parent: QWidget | None
) -> Database | None:
    """The data file once its integrity check (started by ``open_with_recovery(...,
    check_later=True)``) has passed; when it failed, the file is closed and the person
    chooses, as at any start: restore the newest good backup, start fresh, or quit
    (None). Nothing was written to the file before this answer."""
    try:
        database.confirm_intact()
    except DatabaseDamaged:
        database.close()
        return open_with_recovery(data_dir, parent)  # checked now: it asks what to do
    return database


def _warn_if_read_only(data_dir: Path, parent: QWidget | None) -> None:
    """A data file that cannot be written opens, to be looked at; said once, at the start,
    instead of an error at every edit."""
    from taperdesk.store.errors import ReadOnlyStorage, read_only_culprit

    culprit = read_only_culprit(database_path(data_dir))
    if culprit is not None:
        warning = ReadOnlyStorage(culprit)
        warning.message += " You can look at your data, but no change will be saved."
        dialogs.show_error(parent, warning)


def _recover(data_dir: Path, damaged: DatabaseDamaged, parent: QWidget | None) -> Database | None:
    from taperdesk.store import backup

    db_path = database_path(data_dir)
    try:
        newest = backup.newest_good_backup(backups_path(data_dir))
    except StoreError as error:
        dialogs.show_error(parent, error)
        return None
    # Ask first: on Quit the file stays where it is, so the next start asks again
    # (a fresh empty file in its place would hide it, and push good backups out).
    choice = dialogs.ask_recovery(
        parent, str(db_path), damaged.detail, newest.label if newest else None
    )
    if choice is dialogs.Recovery.QUIT or (
        choice is dialogs.Recovery.RESTORE_BACKUP and newest is None
    ):
        return None
    try:
        kept = backup.move_aside(db_path, label="damaged")
        if choice is dialogs.Recovery.RESTORE_BACKUP and newest is not None:
            backup.restore_backup(newest.path, db_path)
            restored = open_user_database(data_dir)
            # Said plainly: what was saved after the backup is not in it (a person saw
            # today's dose and hold silently go back to the backup's; found by review).
            dialogs.show_info(
                parent,
                "Backup restored",
                f"TaperDesk now uses your backup from {newest.label}.",
                "Anything saved after that time is not in it: look over your diary and "
                "plan for the days since, and enter again what is missing."
                + (f"\n\nThe damaged file is kept as {kept.name}." if kept else ""),
            )
            return restored
        # A fresh start, chosen: the newest good backup is kept out of the daily rotation.
        backup.keep_before_fresh_start(backups_path(data_dir))
        return open_user_database(data_dir, fresh_ok=True)
    except StoreError as error:
        dialogs.show_error(parent, error)
        return None


def daily_backup(database: Database, data_dir: Path, parent: QWidget | None = None) -> None:
    """The once-a-day backup; run after the window is shown, it is not urgent."""
    from taperdesk.store import backup

    try:
        backup.backup_if_due(database, backups_path(data_dir))
    except StoreError as error:
        # The data itself is fine; say that the backup failed and carry on.
        dialogs.show_error(parent, error)
