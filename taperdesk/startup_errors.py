"""Start-up failures that are bugs or broken installs: never vanish silently.

A frozen TaperDesk (and ``pythonw`` on Windows) has no console, so a
traceback printed to stderr is lost and the app seems not to start at all.
:func:`run_guarded` runs the GUI start; if an exception escapes it, the
traceback goes to a log file in the user log folder (appdirs, see
:func:`taperdesk.store.paths.log_dir`), a message box says in a plain sentence
what went wrong and where the log is, and the exit status is non-zero.

Errors a user can meet (:class:`taperdesk.errors.KnownError`) are normally
shown by the app itself; one that escapes anyway is shown the same way, with
its own sentence and advice instead of "a bug".

Nothing here imports Qt at module level: the failure may be that Qt itself
cannot be imported.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from taperdesk import APP_NAME, __version__
from taperdesk.errors import KnownError
from taperdesk.store.paths import log_dir

#: Exit status after a start-up failure (EX_SOFTWARE from sysexits.h).
FAILURE_EXIT_CODE = 70
#: How many start-up failure logs to keep (the oldest are removed).
KEEP_LOGS = 20
LOG_PREFIX = "startup-failure-"


def run_guarded(start: Callable[[], int]) -> int:
    """Run ``start()`` (the GUI); report any exception escaping it and return non-zero."""
    try:
        return start()
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        report_startup_failure(error)
        return FAILURE_EXIT_CODE


def report_startup_failure(error: BaseException) -> Path | None:
    """Log ``error``, print it if there is a console, show it; the log file (if written)."""
    log_path = write_failure_log(error)
    message = failure_message(error, log_path)
    if sys.stderr is not None:
        try:
            traceback.print_exception(error, file=sys.stderr)
            print(message, file=sys.stderr)
        except (OSError, ValueError):  # a closed or broken stream
            pass
    show_failure_dialog(message, _traceback_text(error))
    return log_path


def reason(error: BaseException) -> str:
    """What went wrong, as a plain sentence a user can repeat to someone."""
    if isinstance(error, KnownError):
        return str(error)
    if isinstance(error, ImportError):
        missing = getattr(error, "name", None) or str(error)
        return (
            f"A part of {APP_NAME} is missing ({missing}), so this installation looks "
            f"incomplete. Reinstalling {APP_NAME} usually fixes this."
        )
    if isinstance(error, FileNotFoundError) and _is_own_file(error.filename):
        return (
            f"A file {APP_NAME} needs is missing ({error.filename}), so this installation "
            f"looks incomplete. Reinstalling {APP_NAME} usually fixes this."
        )
    detail = str(error).strip()
    kind = type(error).__name__
    what = f"{kind}: {detail}" if detail else kind
    return f"{APP_NAME} met an unexpected error while starting ({what})."


def _is_own_file(filename: object) -> bool:
    """Whether ``filename`` lies inside the installed taperdesk package (or the bundle)."""
    if not isinstance(filename, str | os.PathLike):
        return False
    import taperdesk

    package = Path(taperdesk.__file__).resolve().parent
    return Path(filename).resolve().is_relative_to(package)


#: What a person can do from a terminal when the window does not start.
WAYS_OUT = (
    "From a terminal, 'taperdesk check' says what is wrong with the data folder, and "
    "'taperdesk restore' lists your backups and puts one back."
)


def failure_message(error: BaseException, log_path: Path | None) -> str:
    text = f"{APP_NAME} could not start. {reason(error)}\n\n{WAYS_OUT}"
    if log_path is not None:
        text += (
            f"\n\nThe details are in this file:\n{log_path}\n\nPlease send it to the "
            f"{APP_NAME} developers (it is plain text: you can read it first)."
        )
    else:
        text += "\n\nThe details could not be written to a log file."
    return text


def write_failure_log(error: BaseException, folder: Path | None = None) -> Path | None:
    """Write the traceback and the facts around it; None if no log could be written."""
    try:
        folder = log_dir() if folder is None else folder
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = folder / f"{LOG_PREFIX}{stamp}.log"
        path.write_text(_log_text(error), encoding="utf-8")
        _prune_old_logs(folder)
    except Exception:  # the log is a courtesy: never let it hide the real error
        return None
    return path


def _log_text(error: BaseException) -> str:
    import platform

    frozen = bool(getattr(sys, "frozen", False))
    lines = [
        f"{APP_NAME} {__version__} could not start.",
        f"time: {dt.datetime.now().isoformat(timespec='seconds')}",
        f"python: {sys.version.split()[0]} ({sys.executable})",
        f"platform: {platform.platform()}",
        f"frozen: {frozen}",
        f"argv: {sys.argv!r}",
        f"QT_QPA_PLATFORM: {os.environ.get('QT_QPA_PLATFORM', '')}",
        "",
        _traceback_text(error),
    ]
    return "\n".join(lines)


def _traceback_text(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


def _prune_old_logs(folder: Path) -> None:
    logs = sorted(folder.glob(f"{LOG_PREFIX}*.log"))
    for old in logs[:-KEEP_LOGS]:
        old.unlink(missing_ok=True)


def show_failure_dialog(message: str, details: str = "") -> bool:
    """A critical message box, if Qt can make one; whether it was shown."""
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        app = QApplication.instance()
        if app is None:
            app = QApplication([sys.argv[0] if sys.argv else "taperdesk"])
        box = QMessageBox(QMessageBox.Icon.Critical, f"{APP_NAME} could not start", message)
        if details:
            box.setDetailedText(details)
        box.exec()
    except Exception:  # Qt itself is broken: the log and stderr are all we have
        return False
    return True


def ensure_std_streams() -> None:
    """Give a windowed app (no console: ``sys.stdout is None``) somewhere to write.

    Output then goes to ``output.log`` in the user log folder, so ``--help`` or
    ``--self-check`` of a windowed Windows build still leave their report, and a
    stray ``print`` cannot crash the app.
    """
    if sys.stdout is not None and sys.stderr is not None:
        return
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stream = open(folder / "output.log", "w", encoding="utf-8", buffering=1)  # noqa: SIM115
    except OSError:
        stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream
