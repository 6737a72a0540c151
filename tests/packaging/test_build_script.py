"""packaging/build.py's checks, on fake bundles (the real build is test_frozen_build)."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_build() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        "taperdesk_packaging_build", ROOT / "packaging" / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def fake_bundle(folder: Path, build: types.ModuleType) -> Path:
    for name in build.REQUIRED_IN_BUNDLE:
        path = folder / "_internal" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    return folder


def test_bundle_check_accepts_a_complete_bundle(tmp_path: Path, capsys) -> None:
    build = load_build()
    build.check_bundle_contents(fake_bundle(tmp_path / "taperdesk", build))
    assert "ok   bundle contents" in capsys.readouterr().out


def test_bundle_check_refuses_a_missing_resource(tmp_path: Path) -> None:
    build = load_build()
    bundle = fake_bundle(tmp_path / "taperdesk", build)
    (bundle / "_internal" / "taperdesk" / "store" / "sql" / "0001_foundation.sql").unlink()
    with pytest.raises(
        SystemExit, match=re.escape("missing taperdesk/store/sql/0001_foundation.sql")
    ):
        build.check_bundle_contents(bundle)


def test_bundle_check_refuses_what_the_spec_excludes(tmp_path: Path) -> None:
    build = load_build()
    bundle = fake_bundle(tmp_path / "taperdesk", build)
    (bundle / "_internal" / "tkinter").mkdir()
    with pytest.raises(SystemExit, match="excluded files present: _internal/tkinter"):
        build.check_bundle_contents(bundle)


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("linux", "taperdesk/taperdesk"),
        ("win32", "taperdesk/taperdesk.exe"),
        ("darwin", "TaperDesk.app/Contents/MacOS/taperdesk"),
    ],
)
def test_smoke_test_runs_the_right_executable(
    monkeypatch: pytest.MonkeyPatch, platform: str, expected: str
) -> None:
    build = load_build()
    monkeypatch.setattr(sys, "platform", platform)
    info = build.read_project()
    dist = Path("dist")
    assert build.executable_path(info, dist).as_posix() == f"dist/{expected}"
    assert build.executable_path(info, dist).is_relative_to(build.bundle_path(info, dist))


@pytest.mark.skipif(os.name != "posix", reason="the fake interpreter is a shell script")
def test_a_venv_without_pyinstaller_is_refused_with_the_fix(tmp_path: Path) -> None:
    build = load_build()
    fake_python = tmp_path / "python"
    fake_python.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    fake_python.chmod(0o755)
    with pytest.raises(SystemExit, match=r"pip install '.*\[package\]'"):
        build.check_venv(fake_python)
