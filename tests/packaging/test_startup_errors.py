"""A start-up failure is logged and shown, never lost (the frozen app has no console)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from taperdesk import startup_errors
from taperdesk.cli import main
from taperdesk.errors import KnownError


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setattr(startup_errors, "log_dir", lambda: folder)
    return folder


@pytest.fixture
def shown(qapp, monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """Message boxes that would have been shown (exec is patched, nothing blocks)."""
    boxes: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:
        boxes.append(box)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return boxes


def failing_run_app(error: BaseException):
    def run_app(*args, **kwargs) -> int:
        raise error

    return run_app


def test_a_bug_at_start_is_logged_shown_and_exits_non_zero(
    monkeypatch: pytest.MonkeyPatch, log_folder: Path, shown: list[QMessageBox], capsys
) -> None:
    monkeypatch.setattr(
        "taperdesk.ui.app.run_app", failing_run_app(RuntimeError("the window fell over"))
    )

    assert main([]) == startup_errors.FAILURE_EXIT_CODE != 0

    (log,) = log_folder.glob("startup-failure-*.log")
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: the window fell over" in text
    assert "Traceback (most recent call last)" in text
    assert "TaperDesk 0." in text and "frozen: False" in text
    (box,) = shown
    assert box.icon() == QMessageBox.Icon.Critical
    assert "TaperDesk could not start" in box.text()
    assert "RuntimeError: the window fell over" in box.text()
    assert str(log) in box.text()
    assert "'taperdesk check'" in box.text() and "'taperdesk restore'" in box.text()
    assert "RuntimeError" in box.detailedText()
    assert "the window fell over" in capsys.readouterr().err


def test_a_missing_module_reads_as_a_broken_install(
    monkeypatch: pytest.MonkeyPatch, log_folder: Path, shown: list[QMessageBox]
) -> None:
    error = ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")
    monkeypatch.setattr("taperdesk.ui.app.run_app", failing_run_app(error))
    assert main([]) != 0
    (box,) = shown
    assert "missing (matplotlib)" in box.text()
    assert "Reinstalling TaperDesk" in box.text()


def test_a_missing_file_of_the_app_reads_as_a_broken_install(
    monkeypatch: pytest.MonkeyPatch, log_folder: Path, shown: list[QMessageBox]
) -> None:
    import taperdesk

    missing = Path(taperdesk.__file__).parent / "store" / "sql" / "9999_missing.sql"
    error = FileNotFoundError(2, "No such file or directory", str(missing))
    monkeypatch.setattr("taperdesk.ui.app.run_app", failing_run_app(error))
    assert main([]) != 0
    assert f"A file TaperDesk needs is missing ({missing})" in shown[0].text()
    # A missing file elsewhere is not the installation's fault.
    other = FileNotFoundError(2, "No such file or directory", "/elsewhere/file")
    assert "unexpected error" in startup_errors.reason(other)


def test_a_known_error_that_escapes_keeps_its_own_sentence(
    monkeypatch: pytest.MonkeyPatch, log_folder: Path, shown: list[QMessageBox]
) -> None:
    error = KnownError("The disk is full.", "Free some space and start TaperDesk again.")
    monkeypatch.setattr("taperdesk.ui.app.run_app", failing_run_app(error))
    assert main([]) != 0
    assert "The disk is full. Free some space" in shown[0].text()
    assert "unexpected" not in shown[0].text()


def test_without_a_writable_log_folder_the_box_still_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: list[QMessageBox]
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(startup_errors, "log_dir", lambda: blocker / "logs")
    code = startup_errors.run_guarded(failing_run_app(ValueError("bad")))
    assert code != 0
    assert "could not be written to a log file" in shown[0].text()


def test_the_log_goes_to_appdirs_user_log_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: list[QMessageBox]
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG_CACHE_HOME decides appdirs' log folder on Linux only")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    startup_errors.run_guarded(failing_run_app(RuntimeError("x")))
    logs = list((tmp_path / "cache" / "TaperDesk" / "log").glob("startup-failure-*.log"))
    assert len(logs) == 1


def test_a_successful_start_returns_the_app_exit_code(shown: list[QMessageBox]) -> None:
    assert startup_errors.run_guarded(lambda: 0) == 0
    assert startup_errors.run_guarded(lambda: 3) == 3
    assert shown == []


def test_ctrl_c_at_start_is_not_a_failure(shown: list[QMessageBox]) -> None:
    assert startup_errors.run_guarded(failing_run_app(KeyboardInterrupt())) == 130
    assert shown == []


def test_old_failure_logs_are_pruned(log_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log_folder.mkdir()
    for index in range(startup_errors.KEEP_LOGS + 5):
        (log_folder / f"startup-failure-20200101-0000{index:02d}.log").write_text("old")
    (log_folder / "output.log").write_text("not ours to prune")
    path = startup_errors.write_failure_log(RuntimeError("new"))
    logs = sorted(log_folder.glob("startup-failure-*.log"))
    assert len(logs) == startup_errors.KEEP_LOGS
    assert path in logs
    assert (log_folder / "output.log").exists()


def test_no_dialog_when_qt_cannot_be_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtWidgets", None)  # import fails
    assert startup_errors.show_failure_dialog("broken") is False


def test_a_windowed_app_without_stdout_writes_to_the_log_folder(
    log_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    startup_errors.ensure_std_streams()
    assert sys.stdout is not None
    print("self-check passed")
    sys.stdout.flush()
    stream = sys.stdout
    monkeypatch.undo()
    stream.close()
    assert (log_folder / "output.log").read_text(encoding="utf-8") == "self-check passed\n"


def test_console_streams_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    startup_errors.ensure_std_streams()
    assert (sys.stdout, sys.stderr) == (out, err)
