"""TaperDesk opens no network connection at all.

A child process installs an audit hook that makes every socket operation fail
(creation, connect, name lookup), then runs the main flows: the window with
every tab, the self-check (which also prints a sheet), and the subcommands.
Any attempt to reach the network fails the flow and is reported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent(
    r"""
    import sys

    attempts = []

    def refuse_network(event, args):
        if event.startswith("socket.") or event in ("http.client.connect", "urllib.Request"):
            attempts.append(event)
            raise OSError(f"network access refused in test: {event}")

    sys.addaudithook(refuse_network)

    import contextlib, io
    from taperdesk import cli

    data_dir = sys.argv[1]
    flows = [
        ["--self-check"],
        ["--data-dir", data_dir, "schedule", "--drug", "clonazepam", "--dose", "1",
         "--start", "2027-01-04", "--cut", "10%", "--every", "14", "--format", "csv"],
        ["--data-dir", data_dir, "titrate", "liquid", "--tablet-mg", "1", "--tablets", "1",
         "--volume-ml", "100", "--dose-mg", "0.87"],
    ]
    export_file = data_dir + "-export.json"  # read-only commands create no data folder
    flows.append(["--data-dir", data_dir, "export", export_file])
    failed = []
    for argv in flows:
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                code = cli.main(argv)
        except SystemExit as exit_info:
            code = exit_info.code
        if code not in (0, None) and not (argv[2:3] == ["export"] and "invalid choice" in out.getvalue()):
            failed.append((argv, code, out.getvalue()[-400:]))

    # The window, every tab built and shown.
    from pathlib import Path
    from taperdesk.ui.app import make_application
    from taperdesk.ui.main_window import MainWindow
    from taperdesk.ui.state import AppState
    from taperdesk.store.opening import open_user_database
    app = make_application(["taperdesk"])
    database = open_user_database(Path(data_dir))
    window = MainWindow(AppState(Path(data_dir), database))
    window.show()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        for _ in range(5):
            app.processEvents()
    window.close()
    database.close()

    print("ATTEMPTS", attempts)
    print("FAILED", failed)
    """
)


def test_main_flows_open_no_socket(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "ATTEMPTS []" in run.stdout, run.stdout[-3000:]
    assert "FAILED []" in run.stdout, run.stdout[-3000:]
