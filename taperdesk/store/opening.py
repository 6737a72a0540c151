"""Opening a data file: the checks, the backup before an upgrade, the migrations.

Apart from :mod:`taperdesk.store.database` (the connection and its transactions)
so that the backup module, which needs the connection, is not needed by it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from taperdesk.store import migrations, paths
from taperdesk.store.backup import write_backup
from taperdesk.store.database import Database, check_header, connect, read_only_uri, verify
from taperdesk.store.errors import (
    DataFileMissing,
    ReadOnlyStorage,
    StorageUnavailable,
    translate,
)


def open_database(
    path: Path | str, *, backups_dir: Path | None = None, check_later: bool = False
) -> Database:
    """Open (creating if needed) the database at ``path`` and bring it up to date.

    ``":memory:"`` gives a throwaway database for tests. A damaged or foreign
    file raises :class:`DatabaseDamaged` and is left exactly as it was; a file
    from a newer TaperDesk raises :class:`DatabaseTooNew`. Before migrating a
    file that already holds data, a backup is written to ``backups_dir``.

    ``check_later``: an up-to-date file's integrity is checked in a thread while the
    caller goes on (the window's start); until :meth:`Database.confirm_intact` says
    so, no write is made. A file that is new or must be migrated is checked at once.
    """
    if str(path) == ":memory:":
        connection = connect(":memory:")
        migrations.migrate(connection)
        return Database(connection, None)

    path = Path(path)
    existed = path.exists()
    if existed:
        check_header(path)
    else:
        _create_private_file(path)
    try:
        connection = connect(path)
    except sqlite3.Error as error:
        known = translate(error, path)
        raise (known or StorageUnavailable(str(error))) from error
    database = Database(connection, path)
    try:
        verify(connection, path, quick_check=not check_later)
        if check_later:
            if existed and not migrations.pending(connection):
                database.check_integrity_meanwhile()
            else:
                verify(connection, path)  # it is written to now: checked first
        has_data = existed and migrations.schema_version(connection) > 0
        if has_data and backups_dir is not None and migrations.pending(connection):
            write_backup(database, backups_dir, reason=f"before-upgrade-v{database.schema_version}")
        try:
            migrations.migrate(connection)
        except sqlite3.Error as error:
            known = translate(error, path)
            if known is None:
                raise
            raise known from error
    except BaseException:
        database.close()
        raise
    database._keep_private()
    return database


def _create_private_file(path: Path) -> None:
    """Create an empty database file 0600 whatever the umask, before SQLite opens it."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, paths.PRIVATE_FILE_MODE)
    except FileExistsError:
        return
    except PermissionError as error:
        raise ReadOnlyStorage(path) from error
    except OSError as error:
        raise StorageUnavailable(f"{path}: {error.strerror or error}") from error
    os.close(descriptor)


def database_path(data_dir: Path) -> Path:
    return data_dir / paths.DATABASE_NAME


def backups_path(data_dir: Path) -> Path:
    return data_dir / paths.BACKUP_FOLDER


def open_user_database(
    data_dir: Path, *, fresh_ok: bool = False, check_later: bool = False
) -> Database:
    """Open the database in a data folder (created private if missing).

    A missing or zero-byte data file where good backups exist is not a new diary: it is
    :class:`DataFileMissing` (a failed copy or sync, a crash during a restore), unless the
    person chose a fresh start (``fresh_ok``). ``check_later``: see :func:`open_database`."""
    paths.ensure_private_dir(data_dir)
    path, backups = database_path(data_dir), backups_path(data_dir)
    if not fresh_ok:
        refuse_a_silent_fresh_start(path, backups)
    return open_database(path, backups_dir=backups, check_later=check_later)


def open_snapshot(data_dir: Path) -> Database:
    """The data of ``data_dir`` for reading only, as a copy in memory: nothing is created or
    written (no folder, no file, no -wal/-shm), so reading works on a full disk or a
    read-only medium. No data file yet: an empty, up-to-date database."""
    path = database_path(data_dir)
    if not path.is_file() or path.stat().st_size == 0:
        refuse_a_silent_fresh_start(path, backups_path(data_dir))
        return open_database(":memory:")
    return copy_in_memory(path)


def refuse_a_silent_fresh_start(path: Path, backups: Path) -> None:
    from taperdesk.store.backup import newest_good_backup

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        detail = "it is missing"
    except OSError:
        return  # open_database says what is wrong with it
    else:
        if size:
            return
        detail = "it is empty, 0 bytes"
    if newest_good_backup(backups) is not None:
        raise DataFileMissing(path, detail, backups)


def copy_in_memory(source: Database | Path) -> Database:
    """A throwaway copy, in memory, of an open database or of a data file (a backup),
    brought up to date: what an import or a restore would make, worked out before either
    touches the real file. The file is opened read-only and never changed."""
    target = connect(":memory:")
    if isinstance(source, Database):
        source.connection.backup(target)
    else:
        check_header(source)
        try:
            reader = sqlite3.connect(read_only_uri(source), uri=True)
            try:
                reader.backup(target)
            finally:
                reader.close()
        except sqlite3.Error as error:
            target.close()
            known = translate(error, source)
            raise (known or StorageUnavailable(f"{source}: {error}")) from error
    try:
        migrations.migrate(target)
    except sqlite3.Error as error:
        target.close()
        raise StorageUnavailable(f"{source}: {error}") from error
    return Database(target, None)
