"""Known-bad dependency behaviour that would hurt users is caught here."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def test_void_qt_calls_do_not_leak_references_to_none() -> None:
    """PySide6 6.12.0 lost a reference to None on every void call, aborting Python 3.11.

    Run in a child process: with the bug, the child dies ("none_dealloc").
    """
    code = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QObject, QRectF
        from PySide6.QtGui import QFont
        rect, obj, font = QRectF(), QObject(), QFont()
        before = sys.getrefcount(None)
        for _ in range(20000):
            rect.setWidth(1.0)
            obj.setObjectName("x")
            font.setBold(True)
        after = sys.getrefcount(None)
        print(before - after)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert run.returncode == 0, run.stderr[-500:]
    assert int(run.stdout.strip()) < 100  # a few stray references at most, not one per call
