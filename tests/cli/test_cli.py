"""The top-level command line: version, help, data folder, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from taperdesk import __version__, cli


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"TaperDesk {__version__}"


def test_help_mentions_data_dir_and_env(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "--data-dir" in out and "TAPERDESK_DATA_DIR" in out
    assert "opens the window" in out


def test_no_subcommand_opens_the_window_in_the_chosen_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    import taperdesk.ui.app

    monkeypatch.setattr(
        taperdesk.ui.app, "run_app", lambda folder, argv: opened.append(folder) or 0
    )
    assert cli.main(["--data-dir", str(tmp_path / "portable")]) == 0
    assert opened == [tmp_path / "portable"]


def test_environment_variable_chooses_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    import taperdesk.ui.app

    monkeypatch.setenv("TAPERDESK_DATA_DIR", str(tmp_path / "from-env"))
    monkeypatch.setattr(
        taperdesk.ui.app, "run_app", lambda folder, argv: opened.append(folder) or 0
    )
    assert cli.main([]) == 0
    assert opened == [tmp_path / "from-env"]


def test_unknown_subcommand_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["frobnicate"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "frobnicate" in err


def test_known_store_error_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "taperdesk.sqlite3").write_bytes(b"garbage" * 200)
    code = cli.main(["--data-dir", str(folder), "export", str(tmp_path / "out.json")])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "cannot be read" in err
    assert (folder / "taperdesk.sqlite3").read_bytes() == b"garbage" * 200


def test_self_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--self-check"]) == 0
    out = capsys.readouterr().out
    assert "self-check passed" in out
    assert "FAIL" not in out


@pytest.mark.parametrize("hostile", ["0\x1e0", "dia\nzepam", "x\u2028y", "a\rb", "tab\there"])
def test_error_quoting_user_input_stays_on_one_line(
    hostile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["schedule", "--drug", hostile, "--dose", "1"])
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.splitlines()) == 1, err


def test_matplotlib_gets_a_lasting_cache_folder(tmp_path, monkeypatch) -> None:
    """Issue 18: the frozen app rebuilt matplotlib's font cache at every start."""
    import os

    from taperdesk import __version__
    from taperdesk.mpl_cache import use_lasting_matplotlib_cache

    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = use_lasting_matplotlib_cache()
    assert folder == tmp_path / "cache" / "TaperDesk" / f"matplotlib-{__version__}"
    assert os.environ["MPLCONFIGDIR"] == str(folder) and folder.is_dir()
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mine"))
    assert use_lasting_matplotlib_cache() is None  # the person's own choice stays


@pytest.mark.parametrize(
    ("argv", "light"),
    [
        ([], True),
        (["--data-dir", "folder"], True),
        (["--data-dir=folder"], True),
        (["--self-check"], True),
        (["--data-dir", "folder", "--self-check"], True),
        (["--help"], False),
        (["-h"], False),
        (["--version"], False),
        (["--data-dir"], False),  # the full parser says a value is missing
        (["--data-dir", "--self-check"], False),
        (["--data"], False),  # an abbreviation: the full parser reads it as before
        (["schedule", "--help"], False),
        (["--data-dir", "folder", "diary"], False),
    ],
)
def test_a_start_of_the_window_builds_no_subcommand_parser(argv: list[str], light: bool) -> None:
    """Issue 18: the window's start built every subcommand's parser (importing every
    command module) before the first paint. Arguments that name no subcommand parse
    alike with and without them."""
    assert cli._names_a_command(argv) is not light
    if light:
        full = vars(cli.build_parser().parse_args(argv))
        assert vars(cli.build_parser(with_commands=False).parse_args(argv)) == full


def test_the_window_starts_without_importing_the_commands(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, taperdesk.ui.app as a; a.run_app = lambda folder, argv: 0; "
        "from taperdesk import cli; cli.main(['--data-dir', sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m.startswith('taperdesk.commands')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert result.stdout.strip() == "[]"
