"""One writer per data folder.

Whichever process changes the data (the window, or ``import``, ``diary --import-csv``,
``restore``) holds an exclusive lock on ``taperdesk.lock`` in the data folder. The lock
is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows), so it
goes away with the process that held it: a crash never leaves a stale lock behind.
Commands that only read take no lock.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from taperdesk.store import paths
from taperdesk.store.errors import FolderInUse, StorageUnavailable

LOCK_NAME = "taperdesk.lock"


class FolderLock:
    """The exclusive lock on a data folder; :meth:`acquire` never waits."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_NAME
        self._descriptor: int | None = None

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; False when another process does."""
        if self._descriptor is not None:
            return True
        paths.ensure_private_dir(self.data_dir)
        try:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, paths.PRIVATE_FILE_MODE)
        except OSError as error:
            raise StorageUnavailable(f"{self.path}: {paths.os_error_text(error)}") from error
        if not _lock(descriptor):
            os.close(descriptor)
            return False
        try:  # for a person looking at the folder: which process holds it
            os.ftruncate(descriptor, 0)
            os.write(descriptor, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        self._descriptor = descriptor
        return True

    def acquire(self) -> FolderLock:
        """Take the lock or raise :class:`FolderInUse`."""
        if not self.try_acquire():
            raise FolderInUse(self.data_dir)
        return self

    def release(self) -> None:
        if self._descriptor is None:
            return
        descriptor, self._descriptor = self._descriptor, None
        _unlock(descriptor)
        os.close(descriptor)

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(descriptor: int) -> bool:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        try:
            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
