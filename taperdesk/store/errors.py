"""Storage errors a user can meet, each with a plain sentence and a way out."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from taperdesk.errors import KnownError


class StoreError(KnownError):
    title = "TaperDesk could not use its data file"


class DatabaseDamaged(StoreError):
    """The file is not a readable TaperDesk database (corrupt, truncated, foreign)."""

    title = "The TaperDesk data file is damaged"

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"The data file {path} cannot be read ({detail}).",
            "TaperDesk will not overwrite it. Open the app to move it aside and restore the "
            "newest backup, or start with a fresh file; 'taperdesk restore' lists the backups "
            "and 'taperdesk check' says what is wrong.",
        )
        self.path = path
        self.detail = detail


class DataFileMissing(DatabaseDamaged):
    """No data file (or an empty one) where backups show there was data: never a silent
    fresh start."""

    title = "The TaperDesk data file is missing"

    def __init__(self, path: Path, detail: str, backups_dir: Path) -> None:
        StoreError.__init__(
            self,
            f"The data file {path} cannot be used ({detail}), but there are backups of your "
            f"data in {backups_dir}.",
            "Open TaperDesk to restore the newest backup (or start with a fresh file), or "
            "run 'taperdesk restore'. Nothing was created or changed.",
        )
        self.path = path
        self.detail = detail


class DatabaseTooNew(StoreError):
    """Written by a newer TaperDesk: refuse, leave it untouched."""

    title = "This data file is from a newer TaperDesk"

    def __init__(self, path: Path, file_version: int, supported_version: int) -> None:
        super().__init__(
            f"The data file {path} was written by a newer version of TaperDesk "
            f"(data version {file_version}; this version understands up to {supported_version}).",
            "It has been left untouched. Install the newer TaperDesk, or start this one with "
            "another data folder (--data-dir).",
        )
        self.path = path
        self.file_version = file_version


class DatabaseLocked(StoreError):
    title = "The TaperDesk data file is busy"

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(
            "The data file is in use by another program (perhaps another TaperDesk window).",
            "Close the other program and try again. Nothing was changed.",
        )
        self.path = path


class DiskFull(StoreError):
    title = "The disk is full"

    def __init__(self) -> None:
        super().__init__(
            "There is no space left on the disk, so the change was not saved.",
            "Free some space and try again; everything saved before is safe.",
        )


class ReadOnlyStorage(StoreError):
    title = "TaperDesk cannot write its data"

    def __init__(self, path: Path | None = None) -> None:
        message, advice = _read_only_words(path)
        super().__init__(message, advice)
        self.path = path


def _read_only_words(path: Path | None) -> tuple[str, str]:
    """Name what is read-only: the folder, the data file, or a file SQLite keeps beside it
    (after the data file's permissions are mended, a read-only -shm still stops saves)."""
    if path is None:
        return (
            "The data folder or file is read-only, so nothing can be saved.",
            "Check the folder's permissions or choose another data folder with --data-dir.",
        )
    if path.name.endswith(("-wal", "-shm")):
        return (
            f"{path.name}, a file SQLite keeps beside the data file, is read-only for you "
            f"({path}), so nothing can be saved.",
            "With TaperDesk closed, give it back your write permission (it must be yours, "
            "mode 600). The data file itself is fine.",
        )
    if path.is_dir():
        return (
            f"The data folder {path} is read-only for you, so nothing can be saved.",
            "Give the folder back your write permission, or choose another data folder with "
            "--data-dir. Nothing was changed.",
        )
    return (
        f"The data file {path} is read-only for you, so nothing could be saved.",
        "Give it back your write permission (it must be yours, mode 600), or choose another "
        "data folder with --data-dir. Nothing was changed.",
    )


class BackupsUnwritable(StoreError):
    """The backups folder cannot be written: the data itself is saved as usual."""

    title = "TaperDesk could not write a backup"

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"A backup could not be written in {path} ({reason}).",
            "Your data itself is saved as usual. Make the backups folder writable again (or "
            "move away whatever is in its place) so that backups continue.",
        )
        self.path = path


class StorageUnavailable(StoreError):
    """Any other operating-system level failure (I/O error, cannot open)."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"TaperDesk could not read or write its data file ({detail}).",
            "Check the disk and the data folder, then try again. Nothing was changed.",
        )


# Primary SQLite result codes (https://sqlite.org/rescode.html).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


def translate(error: sqlite3.Error, path: Path | None = None) -> StoreError | None:
    """Map an sqlite3 error a user can meet to a StoreError; None for bugs.

    Constraint violations and SQL mistakes return None: they are programming
    errors (the schema's CHECKs are the last line of defence, not validation).
    """
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error).lower()
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text:
        return DatabaseLocked(path)
    if primary == _SQLITE_FULL or "disk is full" in text:
        return DiskFull()
    if primary == _SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return ReadOnlyStorage((read_only_culprit(path) if path else None) or path)
    if (
        primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
        or "malformed" in text
        or "not a database" in text
    ):
        return DatabaseDamaged(path or Path("?"), str(error))
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "unable to open" in text or "i/o" in text:
        if path is not None and _disk_is_full(path):
            return DiskFull()  # SQLite says "disk I/O error" when it cannot grow a file
        return StorageUnavailable(str(error))
    return None


class FolderInUse(StoreError):
    """Another TaperDesk (the window, or a command that writes) holds the data folder."""

    title = "TaperDesk is open on this data folder"

    def __init__(self, path: Path) -> None:
        super().__init__(
            "TaperDesk is open on this data folder; close it first.",
            f"Only one TaperDesk at a time may change the data in {path}, so that no save "
            "overwrites another. Commands that only read (schedule, sheet, report, export) "
            "work while it is open.",
        )
        self.path = path


def _disk_is_full(path: Path) -> bool:
    """Less than 64 KiB free where ``path`` lives (an I/O error there is a full disk)."""
    import shutil

    folder = path if path.is_dir() else path.parent
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def read_only_culprit(db_path: Path) -> Path | None:
    """What stops saving to ``db_path``: its folder, the file, or the -wal/-shm SQLite keeps
    beside it (a read-only -shm left after the file's permissions were mended); None when
    all of them can be written."""
    if db_path.parent.exists() and not os.access(db_path.parent, os.W_OK | os.X_OK):
        return db_path.parent
    for candidate in (db_path, *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm"))):
        if candidate.exists() and not os.access(candidate, os.W_OK):
            return candidate
    return None
