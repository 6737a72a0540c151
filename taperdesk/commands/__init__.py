"""Subcommands of the ``taperdesk`` command line.

Each module here exposes ``register(subparsers)``, which adds one subparser
and sets ``handler=run`` on it, where ``run(args, context) -> int`` does the
work and returns the exit code. Modules must import nothing heavy (Qt,
matplotlib) at module level: ``taperdesk --help`` imports them all.

Errors a user can cause (a bad option value, an unreadable file, a refused
database) are raised as :class:`CommandError` with one plain sentence; the
CLI prints it on one line and exits non-zero. Anything else is a bug.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from taperdesk.store.database import Database

#: Modules in this package that provide a subcommand, in ``--help`` order.
COMMAND_MODULES: tuple[str, ...] = (
    "schedule",
    "titrate",
    "diary",
    "data_io",
    "sheet",
    "pharmacy",
    "restore",
    "check",
)


class CommandError(Exception):
    """A user-facing error: one sentence, naming the option or file at fault."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class CommandContext:
    """What a subcommand needs from the outside world."""

    data_dir: Path
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _open_store: Callable[[], Database] | None = None
    _store: Database | None = None
    _lock: object | None = None
    _reader: Database | None = None

    def store(self) -> Database:
        """Open (once) the user's database in ``data_dir``, migrating it if needed."""
        if self._store is None:
            if self._open_store is None:
                from taperdesk.store.opening import open_user_database

                self._store = open_user_database(self.data_dir)
            else:
                self._store = self._open_store()
        return self._store

    def reader(self) -> Database:
        """The data for a command that only reads: a snapshot in memory of the data file
        (opened read-only, brought up to date in memory). It never writes or creates a
        file, so it works on a full disk, a read-only medium, or with the window open."""
        if self._store is not None:
            return self._store
        if self._reader is None:
            if self._open_store is not None:
                self._reader = self._open_store()
            else:
                from taperdesk.store.opening import open_snapshot

                self._reader = open_snapshot(self.data_dir)
        return self._reader

    def make_data_folder_for(self, path: Path) -> None:
        """A file written into the data folder before it exists: create the folder (private)
        as the window would. Reading creates nothing; writing a file there may."""
        if path.absolute().parent == self.data_dir.absolute() and not self.data_dir.exists():
            from taperdesk.store.paths import ensure_private_dir

            ensure_private_dir(self.data_dir)

    def lock_for_writing(self) -> None:
        """Hold the data folder for this command (it changes data); refuse while the window,
        or another command that writes, has it."""
        from taperdesk.store.folder_lock import FolderLock

        if self._lock is None:
            lock = FolderLock(self.data_dir)
            if not lock.try_acquire():
                raise CommandError("TaperDesk is open on this data folder; close it first.", 1)
            self._lock = lock

    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._reader is not None:
            if self._open_store is None:  # a snapshot of ours (tests close their own)
                self._reader.close()
            self._reader = None

    def close(self) -> None:
        self.close_store()
        if self._lock is not None:
            self._lock.release()  # type: ignore[attr-defined]
            self._lock = None


def add_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str
) -> argparse.ArgumentParser:
    """Add a subcommand parser with the house style (description = help)."""
    return subparsers.add_parser(name, help=help_text, description=help_text)
