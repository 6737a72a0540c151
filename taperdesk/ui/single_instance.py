"""One window per data folder.

The window holds the data folder's lock (:mod:`taperdesk.store.folder_lock`). A second
start on the same folder finds the lock taken, leaves a "show" request file in the folder
and exits once the first window has taken it (the first window watches the folder with
QFileSystemWatcher and comes forward). If nobody takes it — a command such as
``taperdesk import`` holds the folder for a moment — the second start says so and exits.
Nothing here opens a socket: TaperDesk never uses the network, not even a local server.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, QTimer, Signal

REQUEST_NAME = "taperdesk.show-request"


def ask_window_to_show(data_dir: Path, timeout_s: float = 3.0) -> bool:
    """Ask the window open on ``data_dir`` to come forward; True once it took the request."""
    request = data_dir / REQUEST_NAME
    try:
        descriptor = os.open(request, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        os.close(descriptor)
    except OSError:
        return False
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not request.exists():
            return True
        time.sleep(0.05)
    request.unlink(missing_ok=True)  # nobody took it: leave nothing behind
    return False


class InstanceWatcher(QObject):
    """Notices a second start's request; ``show_requested`` when one arrives."""

    show_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent or QCoreApplication.instance())
        self.request = data_dir / REQUEST_NAME
        self.request.unlink(missing_ok=True)  # left by a start that gave up
        self.watcher = QFileSystemWatcher([str(data_dir)], self)
        self.watcher.directoryChanged.connect(lambda _path: self.check())
        # Some file systems (network shares) send no change events: look now and then too.
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        if self.request.exists():
            self.request.unlink(missing_ok=True)
            self.show_requested.emit()
