"""Backups with SQLite's online backup API, never by copying a live file.

Backups go into ``backups/`` in the data folder as
``taperdesk-YYYYMMDD-HHMMSS-<reason>.sqlite3``; the newest :data:`KEEP` are
kept. One is written before any migration, once a day at start-up and when
the user asks ("Back up now"). Restoring moves the current file aside first,
so a restore never destroys anything either.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from taperdesk.store import paths
from taperdesk.store.database import Database, check_header, connect, read_only_uri, verify
from taperdesk.store.errors import (
    BackupsUnwritable,
    DatabaseDamaged,
    DiskFull,
    ReadOnlyStorage,
    StorageUnavailable,
    StoreError,
    translate,
)

KEEP = 14
_NAME = re.compile(r"^taperdesk-(\d{8})-(\d{6})(?:-(\d+))?-([a-z0-9-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str

    @property
    def label(self) -> str:
        """``2026-11-23 19:30 (daily)`` for a list in a dialog."""
        return f"{self.taken_at:%Y-%m-%d %H:%M} ({self.reason.replace('-', ' ')})"


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Backups in the folder, newest first."""
    if not backups_dir.is_dir():
        return []
    found: list[tuple[tuple[str, str, int], BackupInfo]] = []
    for child in backups_dir.iterdir():
        match = _NAME.match(child.name)
        if not match or not child.is_file():
            continue
        day, clock, counter, reason = match.groups()
        taken_at = datetime.strptime(day + clock, "%Y%m%d%H%M%S")
        key = (day, clock, int(counter or 0))
        found.append((key, BackupInfo(child, taken_at, reason)))
    found.sort(key=lambda item: item[0], reverse=True)
    return [info for _, info in found]


def _new_backup_path(backups_dir: Path, reason: str, now: datetime) -> Path:
    slug = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
    stem = f"taperdesk-{now:%Y%m%d-%H%M%S}"
    candidate = backups_dir / f"{stem}-{slug}.sqlite3"
    counter = 1
    while candidate.exists():
        candidate = backups_dir / f"{stem}-{counter}-{slug}.sqlite3"
        counter += 1
    return candidate


def write_backup(
    database: Database, backups_dir: Path, reason: str = "manual", now: datetime | None = None
) -> Path:
    """Write a consistent copy of ``database`` and rotate old backups.

    A failure is :class:`BackupsUnwritable`: it says that the data itself is saved as
    usual (a read-only backups folder once said "nothing can be saved")."""
    try:
        return _write_backup(database, backups_dir, reason, now)
    except DiskFull as error:
        raise BackupsUnwritable(backups_dir, "the disk is full") from error
    except ReadOnlyStorage as error:
        raise BackupsUnwritable(backups_dir, "the folder is read-only for you") from error
    except StorageUnavailable as error:
        detail = error.message.removeprefix("TaperDesk could not read or write its data file (")
        raise BackupsUnwritable(backups_dir, detail.rstrip(").")) from error


def _write_backup(database: Database, backups_dir: Path, reason: str, now: datetime | None) -> Path:
    paths.ensure_private_dir(backups_dir)
    target = _new_backup_path(backups_dir, reason, now or datetime.now())
    partial = target.with_name(target.name + ".partial")
    try:
        destination = sqlite3.connect(str(partial))
        try:
            database.connection.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
        paths.make_private_file(partial)
        partial.replace(target)
    except sqlite3.Error as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise (translate(error, target) or StorageUnavailable(str(error))) from error
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(error, PermissionError):
            raise ReadOnlyStorage(backups_dir) from error
        raise StorageUnavailable(f"{target}: {paths.os_error_text(error)}") from error
    rotate(backups_dir)
    return target


#: The reason of the backup kept when a person starts fresh beside good backups: the daily
#: rotation never removes it (14 daily starts would otherwise push the last good data out).
KEPT_REASON = "before-fresh-start"


def rotate(backups_dir: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups (a kept one before a fresh start is
    never deleted); returns what was deleted."""
    removed = []
    for info in list_backups(backups_dir)[keep:]:
        if info.reason == KEPT_REASON:
            continue
        with contextlib.suppress(FileNotFoundError):
            info.path.unlink()
            removed.append(info.path)
    return removed


def backup_if_due(database: Database, backups_dir: Path, today: date | None = None) -> Path | None:
    """The once-a-day start-up backup: written unless one exists from today."""
    today = today or date.today()
    newest = list_backups(backups_dir)
    if newest and newest[0].taken_at.date() >= today:
        return None
    return write_backup(database, backups_dir, reason="daily")


def keep_before_fresh_start(backups_dir: Path) -> Path | None:
    """Mark the newest good backup as the one kept before a fresh start (renamed, same
    time stamp), so rotation keeps it; returns its new path, or None without one."""
    newest = newest_good_backup(backups_dir)
    if newest is None or newest.reason == KEPT_REASON:
        return None if newest is None else newest.path
    stem = newest.path.name.removesuffix(f"-{newest.reason}.sqlite3")
    target = newest.path.with_name(f"{stem}-{KEPT_REASON}.sqlite3")
    try:
        newest.path.replace(target)
    except OSError as error:
        raise StorageUnavailable(f"{newest.path}: {error.strerror or error}") from error
    return target


def is_good_backup(path: Path) -> bool:
    """True if ``path`` is a readable TaperDesk database this version can open."""
    try:
        check_header(path)
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            verify(connection, path)
        finally:
            connection.close()
    except (StoreError, sqlite3.Error):
        return False
    return True


def newest_good_backup(backups_dir: Path) -> BackupInfo | None:
    for info in list_backups(backups_dir):
        if is_good_backup(info.path):
            return info
    return None


def _aside_name(db_path: Path, label: str, now: datetime | None = None) -> Path:
    """``<name>.<label>-<timestamp>`` beside ``db_path``, not yet taken."""
    stamp = f"{now or datetime.now():%Y%m%d-%H%M%S}"
    target = db_path.with_name(f"{db_path.name}.{label}-{stamp}")
    counter = 1
    while target.exists():
        target = db_path.with_name(f"{db_path.name}.{label}-{stamp}-{counter}")
        counter += 1
    return target


def move_aside(db_path: Path, label: str = "damaged", now: datetime | None = None) -> Path | None:
    """Rename the database (and its -wal/-shm) to ``<name>.<label>-<timestamp>``.

    Returns the new path of the main file, or None if there was no file.
    Nothing is deleted: the person (or a helper) can still look at it.
    """
    if not db_path.exists():
        return None
    target = _aside_name(db_path, label, now)
    try:
        for suffix in ("-wal", "-shm"):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                side.replace(target.with_name(target.name + suffix))
        db_path.replace(target)
    except OSError as error:
        raise StorageUnavailable(
            f"could not move {db_path} aside: {error.strerror or error}"
        ) from error
    return target


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Make ``backup`` the current database; the current file is moved aside.

    The caller must have closed its connection to ``db_path``. Returns where
    the previous file went (None if there was none).
    """
    if not is_good_backup(backup):
        raise DatabaseDamaged(backup, "the backup itself cannot be read")
    # Copy first, beside the current file; only a complete copy takes its place. A full
    # disk half way leaves the current file exactly where and as it was.
    staged = db_path.with_name(db_path.name + ".restoring")
    _remove_with_sides(staged)
    try:
        staged.touch(mode=paths.PRIVATE_FILE_MODE)
        source = sqlite3.connect(read_only_uri(backup), uri=True)
        destination = connect(staged)
        try:
            source.backup(destination)
            destination.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            source.close()
            destination.close()
        paths.make_private_file(staged)
    except (sqlite3.Error, OSError) as error:
        _remove_with_sides(staged)
        if isinstance(error, sqlite3.Error):
            raise (translate(error, db_path) or StorageUnavailable(str(error))) from error
        raise StorageUnavailable(f"{staged}: {error.strerror or error}") from error
    # Swap so that every crash point leaves a data file: the current file gets a second
    # name first (a hard link, else a copy), and the staged copy then replaces it in one
    # rename. The current file's -wal/-shm (only after a crash) go aside with it first:
    # an old WAL beside the restored file would be applied to it.
    try:
        previous = _second_name(db_path, "before-restore")
        staged.replace(db_path)
    except OSError as error:
        _remove_with_sides(staged)
        raise StorageUnavailable(f"{db_path}: {paths.os_error_text(error)}") from error
    _remove_with_sides(staged)
    return previous


def _second_name(db_path: Path, label: str) -> Path | None:
    """``db_path`` also under ``<name>.<label>-<timestamp>`` (its -wal/-shm moved there);
    the data file itself stays in place. None when there is no data file."""
    if not db_path.exists():
        return None
    target = _aside_name(db_path, label)
    try:
        os.link(db_path, target)
    except OSError:  # no hard links here (FAT, some shares): a copy, fsynced
        shutil.copyfile(db_path, target)
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())
    paths.make_private_file(target)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


def _remove_with_sides(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def clean_leftovers(data_dir: Path) -> list[Path]:
    """Remove what crashes left half-written: ``*.partial`` backups and their journals,
    a staged ``.restoring`` copy, ``.*.part`` files. Only for the holder of the folder's
    lock (another writer's file in progress would look the same). Returns what went."""
    candidates: list[Path] = []
    backups = data_dir / paths.BACKUP_FOLDER
    if backups.is_dir():
        candidates += [p for p in backups.iterdir() if ".sqlite3.partial" in p.name]
    if data_dir.is_dir():
        restoring = paths.DATABASE_NAME + ".restoring"
        candidates += [
            p
            for p in data_dir.iterdir()
            if p.name.startswith(restoring) or (p.name.startswith(".") and p.name.endswith(".part"))
        ]
    removed = []
    for path in candidates:
        try:
            if path.is_file():
                path.unlink()
                removed.append(path)
        except OSError:
            pass  # a leftover we cannot remove does no harm; try again next start
    return removed
