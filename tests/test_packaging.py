"""The package as a user installs it: resources inside, entry points working."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_source_package_is_listed_in_pyproject() -> None:
    listed = set(pyproject()["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "taperdesk").rglob("__init__.py")
    }
    found.add("taperdesk.resources")
    assert found == listed


def test_every_resource_file_is_covered_by_package_data() -> None:
    patterns = pyproject()["tool"]["setuptools"]["package-data"]["taperdesk.resources"]
    resources = ROOT / "resources"
    uncovered = [
        str(p.relative_to(resources))
        for p in resources.rglob("*")
        if p.is_file()
        and p.suffix != ".py"
        and "__pycache__" not in p.parts
        and not any(p.relative_to(resources).match(pattern) for pattern in patterns)
    ]
    assert uncovered == []


@pytest.mark.slow
def test_built_wheel_installs_and_runs_outside_the_source_tree(tmp_path: Path) -> None:
    """A plain (non-editable) install finds every resource and passes the self-check."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheel_dir.glob("taperdesk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for required in (
        "taperdesk/resources/icons/taperdesk.svg",
        "taperdesk/resources/icons/taperdesk-256.png",
        "taperdesk/store/sql/0001_foundation.sql",
    ):
        assert required in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "[gui_scripts]\ntaperdesk = taperdesk.cli:main"
        in zipfile.ZipFile(wheel).read(entry_points).decode()
    )

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = dict(os.environ, PYTHONPATH=str(target), QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import taperdesk, sys; print(taperdesk.__file__); from taperdesk.cli import main; "
            "sys.exit(main(['--self-check']))",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[0].startswith(str(target))
    assert "self-check passed" in run.stdout


def test_module_entry_point_prints_version() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "taperdesk", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT.parent,
    )
    assert run.returncode == 0
    assert run.stdout.startswith("TaperDesk ")


def test_tests_do_not_import_the_tests_folder_as_a_package() -> None:
    """CI runs the tests against the installed package, where ``tests`` is no package.

    Shared helpers live in ``tests/support`` and are imported as ``support.…``.
    """
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "tests").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(("from tests.", "import tests"))
    ]
    assert offenders == []
