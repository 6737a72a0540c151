"""Where TaperDesk keeps its data: one function decides.

Order of precedence: the ``--data-dir`` option, then the environment variable
``TAPERDESK_DATA_DIR``, then appdirs' per-user data folder for "TaperDesk".
The folder holds health data, so it is created private (0700) and the files
in it are made 0600.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from taperdesk.store.errors import ReadOnlyStorage, StorageUnavailable

ENV_VAR = "TAPERDESK_DATA_DIR"
DATABASE_NAME = "taperdesk.sqlite3"
BACKUP_FOLDER = "backups"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def default_data_dir() -> Path:
    """appdirs' user data folder for TaperDesk (e.g. ~/.local/share/TaperDesk)."""
    import appdirs

    return Path(appdirs.user_data_dir("TaperDesk", appauthor=False))


def data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use, without creating it."""
    if cli_value:
        return Path(cli_value).expanduser().absolute()
    env_value = os.environ.get(ENV_VAR, "").strip()
    if env_value:
        return Path(env_value).expanduser().absolute()
    return default_data_dir()


def log_dir() -> Path:
    """appdirs' user log folder for TaperDesk (start-up failures are written there)."""
    import appdirs

    return Path(appdirs.user_log_dir("TaperDesk", appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and take away others' access (0700 at most).

    Permissions are only ever narrowed: a folder the user made read-only stays
    read-only and is reported as such, never quietly made writable.
    """
    if path.is_symlink() and not path.exists():
        raise StorageUnavailable(
            f"{path} is a link to {os.readlink(path)}, which does not exist (a drive not "
            "connected?); connect it, or remove the link"
        )
    if path.exists() and not path.is_dir():
        raise StorageUnavailable(
            f"{path} is a file where TaperDesk needs a folder; move the file away"
        )
    try:
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & ~PRIVATE_DIR_MODE:
            path.chmod(mode & PRIVATE_DIR_MODE)
    except PermissionError as error:
        raise ReadOnlyStorage(path) from error
    except OSError as error:
        raise StorageUnavailable(f"{path}: {error.strerror or error}") from error
    if not os.access(path, os.W_OK | os.X_OK):
        raise ReadOnlyStorage(path)
    return path


def make_private_file(path: Path) -> None:
    """Take away others' access to an existing file (0600 at most; never widened).

    Ignored if the file vanished meanwhile.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & ~PRIVATE_FILE_MODE:
            path.chmod(mode & PRIVATE_FILE_MODE)
    except FileNotFoundError:
        pass
    except PermissionError as error:
        raise ReadOnlyStorage(path) from error


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, line ends as given) with :func:`write_private_bytes`."""
    write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a private (0600) file, whole or not at all.

    The bytes go to a temporary file beside ``path``, created 0600 whatever the umask,
    flushed and fsynced, and only then renamed over ``path`` (the folder is fsynced too):
    a full disk or a crash never leaves half a file under the chosen name. Raises
    ``OSError``; :func:`os_error_text` turns it into a sentence.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    temporary.unlink(missing_ok=True)  # left by a crashed process that had this id
    descriptor = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, PRIVATE_FILE_MODE
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, PRIVATE_FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system allows opening a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def os_error_text(error: OSError) -> str:
    """A plain reason for a failed write: "the disk is full" when it is."""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full"
    if isinstance(error, PermissionError):
        return "you do not have permission to write there"
    return str(error.strerror or error)
