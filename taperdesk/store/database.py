"""Opening TaperDesk's SQLite file safely.

One module opens the connection (a path, or ``:memory:`` in tests), sets the
pragmas (foreign keys on, WAL journal, ``synchronous=FULL`` so a committed
entry survives a power cut), checks the file, backs it up before migrating,
and runs the migrations. Every write goes through :meth:`Database.transaction`,
which commits or rolls back as one unit and turns the errors a user can meet
into :class:`~taperdesk.store.errors.StoreError`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from taperdesk.store import migrations, paths
from taperdesk.store.errors import (
    DatabaseDamaged,
    DatabaseTooNew,
    ReadOnlyStorage,
    StorageUnavailable,
    StoreError,
    translate,
)

SQLITE_HEADER = b"SQLite format 3\x00"
#: How long a write waits for another connection's lock before giving up.
BUSY_TIMEOUT_S = 3.0


def utc_now_text() -> str:
    """Timestamp for ``updated_at`` columns: ISO 8601, UTC, seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Database:
    """An open TaperDesk database. Reads use :attr:`connection`; writes use
    :meth:`transaction`."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self.connection = connection
        self.path = path
        self._integrity: IntegrityCheck | None = None
        self._damage: DatabaseDamaged | None = None

    def check_integrity_meanwhile(self) -> None:
        """Start ``PRAGMA quick_check`` of the file on a connection of its own, in a
        thread (SQLite lets go of Python's lock while it reads), so the window can be
        built and shown meanwhile; :meth:`confirm_intact` has the answer. The check reads
        the whole file: ~15-35 ms at ten years of diary, more with every year."""
        if self.path is not None and self._integrity is None:
            self._integrity = IntegrityCheck(self.path)

    def confirm_intact(self) -> None:
        """Wait for a check started by :meth:`check_integrity_meanwhile` (nothing when none
        was); raise :class:`DatabaseDamaged` if it failed, then and at every later call.
        Every write transaction asks first: nothing is written to a damaged file."""
        check, self._integrity = self._integrity, None
        if check is not None:
            result = check.result()
            if result is None:  # the thread could not read the file (busy, read-only): here
                try:
                    result = str(self.connection.execute("PRAGMA quick_check").fetchone()[0])
                except sqlite3.Error as error:
                    result = str(error)
            if result != "ok":
                self._damage = DatabaseDamaged(self.path, integrity_detail(result))
        if self._damage is not None:
            raise self._damage

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed when the block ends, rolled back on error.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so a busy file fails
        before any work is done rather than half way.
        """
        self.confirm_intact()
        connection = self.connection
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _as_store_error(error, self.path) from error
        try:
            yield connection
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            _rollback(connection)
            raise _as_store_error(error, self.path) from error
        except BaseException:
            _rollback(connection)
            raise
        # No chmod here: the file was made 0600 when opened, and SQLite gives a
        # -wal or -shm file it (re)creates the permissions of the database file.

    def query(
        self, sql: str, parameters: tuple[object, ...] | dict[str, object] = ()
    ) -> list[sqlite3.Row]:
        """Run a read query and return all rows (translated errors)."""
        try:
            return self.connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise _as_store_error(error, self.path) from error

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.connection)

    def _keep_private(self) -> None:
        if self.path is not None:
            for suffix in ("", "-wal", "-shm"):
                paths.make_private_file(self.path.with_name(self.path.name + suffix))

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()


def integrity_detail(result: str) -> str:
    """A failed ``quick_check`` in a line a dialog can show: its first problem and how many
    more (it listed up to a hundred, each on its own line, in the recovery dialog)."""
    problems = [line for line in result.splitlines() if line and not line.startswith("***")]
    if not problems:
        return f"integrity check failed: {result.strip()}"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"integrity check failed: {problems[0]}{more}"


class IntegrityCheck:
    """``PRAGMA quick_check`` of a data file in a thread, on a read-only connection of its
    own; :meth:`result` waits for it: "ok", what is wrong, or None when this connection
    could not read the file for another reason (a read-only folder without the WAL's
    shared-memory file, a lock): the caller checks on its own connection then."""

    #: SQLite's result codes that mean the file itself is damaged or not a database.
    DAMAGED_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB

    def __init__(self, path: Path) -> None:
        import threading

        self._path = path
        self._result: str | None = None
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(f"{self._path.absolute().as_uri()}?mode=ro", uri=True)
            try:
                self._result = str(connection.execute("PRAGMA quick_check").fetchone()[0])
            finally:
                connection.close()
        except sqlite3.Error as error:
            code = getattr(error, "sqlite_errorcode", None)
            self._result = (
                str(error) if code is not None and code & 0xFF in self.DAMAGED_CODES else None
            )

    def result(self) -> str | None:
        self._thread.join()
        return self._result


def _rollback(connection: sqlite3.Connection) -> None:
    if connection.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")


def _as_store_error(error: sqlite3.Error, path: Path | None) -> BaseException:
    known = translate(error, path)
    return known if known is not None else error


def connect(path: Path | str) -> sqlite3.Connection:
    """A raw connection with TaperDesk's pragmas (no checks, no migrations)."""
    connection = sqlite3.connect(
        str(path), isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=False
    )
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    return connection


def read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` and leaves nothing beside it: ``immutable`` when no WAL
    is waiting to be applied (a read-only open of a WAL file would leave -wal and -shm
    files behind), else ``mode=ro`` so the WAL's last commits are read too."""
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() and wal.stat().st_size > 0 else "immutable=1"
    return f"{path.absolute().as_uri()}?{mode}"


def check_header(path: Path) -> None:
    """Refuse, from its first 100 bytes and before SQLite touches it, a file that is not
    SQLite, belongs to another program, or comes from a newer TaperDesk: such a file is
    left byte-identical, with nothing created beside it (SQLite would switch it to WAL)."""
    try:
        size = path.stat().st_size
        if size == 0:
            return  # an empty file is a valid, empty database
        with path.open("rb") as handle:
            header = handle.read(100)
    except PermissionError as error:
        raise ReadOnlyStorage(path) from error
    except OSError as error:
        raise StorageUnavailable(f"{path}: {error.strerror or error}") from error
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise DatabaseDamaged(path, "it is not an SQLite database")
    if size < 512 or len(header) < 100:
        raise DatabaseDamaged(path, "the file is truncated")
    schema_cookie = int.from_bytes(header[40:44], "big")
    user_version = int.from_bytes(header[60:64], "big")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, migrations.APPLICATION_ID) or (
        app_id == 0 and (schema_cookie != 0 or user_version != 0)
    ):
        raise DatabaseDamaged(path, "it belongs to another program")
    if user_version > migrations.LATEST_VERSION:
        raise DatabaseTooNew(path, user_version, migrations.LATEST_VERSION)


def verify(connection: sqlite3.Connection, path: Path, quick_check: bool = True) -> None:
    """Quick integrity check and "is this TaperDesk's file" check (``quick_check`` False:
    the second only; the caller checks integrity otherwise, see
    :meth:`Database.check_integrity_meanwhile`)."""
    try:
        result = connection.execute("PRAGMA quick_check").fetchone()[0] if quick_check else "ok"
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = migrations.schema_version(connection)
        table_count = connection.execute(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
        ).fetchone()[0]
    except sqlite3.Error as error:
        known = translate(error, path)
        if known is None or isinstance(known, DatabaseDamaged):
            raise DatabaseDamaged(path, str(error)) from error
        raise known from error
    if result != "ok":
        raise DatabaseDamaged(path, integrity_detail(result))
    if app_id not in (0, migrations.APPLICATION_ID) or (
        app_id == 0 and (version != 0 or table_count != 0)
    ):
        raise DatabaseDamaged(path, "it belongs to another program")
    if version > migrations.LATEST_VERSION:
        raise DatabaseTooNew(path, version, migrations.LATEST_VERSION)


__all__ = [
    "Database",
    "StoreError",
    "connect",
    "utc_now_text",
]
