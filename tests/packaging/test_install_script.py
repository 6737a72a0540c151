"""packaging/linux/install.sh puts a bundle, launcher, icons and metadata under $HOME.

A fake bundle (a shell script standing in for the frozen executable, plus the
real icons where PyInstaller puts them) is installed into a temporary HOME,
checked file by file, then uninstalled.
"""

from __future__ import annotations

import configparser
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from taperdesk import APP_ID
from taperdesk.resource_files import ICON_SIZES_PX

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
INSTALL_SH = LINUX / "install.sh"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="install.sh is for Linux desktops"
)


def make_fake_bundle(folder: Path, with_scripts: bool = False) -> Path:
    """A folder shaped like PyInstaller's output for TaperDesk."""
    exe = folder / "taperdesk"
    icons = folder / "_internal" / "taperdesk" / "resources" / "icons"
    icons.mkdir(parents=True)
    exe.write_text("#!/bin/sh\necho fake TaperDesk\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    for icon in (ROOT / "resources" / "icons").iterdir():
        shutil.copy(icon, icons / icon.name)
    if with_scripts:  # as the spec copies them into a Linux build
        for name in ("install.sh", f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml"):
            shutil.copy2(LINUX / name, folder / name)
    return folder


def run_install(script: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        ["sh", str(script), *args], env=env, capture_output=True, text=True, timeout=120
    )


def installed_files(home: Path) -> dict[str, Path]:
    share = home / ".local" / "share"
    files = {
        "launcher": share / "applications" / f"{APP_ID}.desktop",
        "metainfo": share / "metainfo" / f"{APP_ID}.metainfo.xml",
        "svg": share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        "exe": home / ".local" / "opt" / "TaperDesk" / "taperdesk",
        "command": home / ".local" / "bin" / "taperdesk",
    }
    for size in ICON_SIZES_PX:
        files[f"png{size}"] = (
            share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        )
    return files


def desktop_exec(launcher: Path) -> str:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read(launcher, encoding="utf-8")
    return parser["Desktop Entry"]["Exec"]


def test_install_puts_every_file_in_place_and_uninstall_removes_them(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    bundle = make_fake_bundle(tmp_path / "dist" / "taperdesk")

    run = run_install(INSTALL_SH, home, "--bundle", str(bundle))
    assert run.returncode == 0, run.stdout + run.stderr

    files = installed_files(home)
    for name, path in files.items():
        assert path.exists(), name
    for size in ICON_SIZES_PX:
        assert (
            files[f"png{size}"].read_bytes()
            == (ROOT / "resources" / "icons" / f"taperdesk-{size}.png").read_bytes()
        )
    exe = files["exe"]
    assert os.access(exe, os.X_OK)
    assert desktop_exec(files["launcher"]) == str(exe)
    assert files["command"].is_symlink() and files["command"].resolve() == exe
    assert subprocess.run([str(files["command"])], capture_output=True, text=True).stdout == (
        "fake TaperDesk\n"
    )
    tool = shutil.which("desktop-file-validate")
    if tool:
        check = subprocess.run([tool, str(files["launcher"])], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr

    run = run_install(INSTALL_SH, home, "--uninstall")
    assert run.returncode == 0, run.stdout + run.stderr
    for name, path in files.items():
        assert not path.exists() and not path.is_symlink(), name
    left = [p for p in home.rglob("*") if p.is_file() and "icon-theme.cache" not in p.name]
    assert left == [p for p in left if p.name == "mimeinfo.cache"]


def test_install_from_inside_a_built_bundle_and_uninstall_with_the_installed_copy(
    tmp_path: Path,
) -> None:
    home = tmp_path / "my home"  # a space: Exec= must be quoted
    home.mkdir()
    bundle = make_fake_bundle(tmp_path / "download" / "taperdesk", with_scripts=True)

    run = run_install(bundle / "install.sh", home)
    assert run.returncode == 0, run.stdout + run.stderr
    files = installed_files(home)
    assert desktop_exec(files["launcher"]) == f'"{files["exe"]}"'
    tool = shutil.which("desktop-file-validate")
    if tool:
        check = subprocess.run([tool, str(files["launcher"])], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr

    # Installing again (an update) replaces the bundle in place.
    (bundle / "NEW-FILE").write_text("x", encoding="utf-8")
    assert run_install(bundle / "install.sh", home).returncode == 0
    assert (files["exe"].parent / "NEW-FILE").is_file()

    installed_script = files["exe"].parent / "install.sh"
    run = run_install(installed_script, home, "--uninstall")
    assert run.returncode == 0, run.stdout + run.stderr
    assert not files["exe"].parent.exists()
    assert not files["launcher"].exists()


def test_install_leaves_a_command_it_does_not_own_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    own = home / ".local" / "bin" / "taperdesk"
    own.parent.mkdir(parents=True)
    own.write_text("#!/bin/sh\necho pip-installed\n", encoding="utf-8")
    bundle = make_fake_bundle(tmp_path / "taperdesk")
    assert run_install(INSTALL_SH, home, "--bundle", str(bundle)).returncode == 0
    assert not own.is_symlink()
    assert run_install(INSTALL_SH, home, "--uninstall").returncode == 0
    assert own.read_text(encoding="utf-8").endswith("pip-installed\n")


def test_install_without_a_bundle_fails_with_a_reason(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    run = run_install(INSTALL_SH, home, "--bundle", str(tmp_path / "nothing"))
    assert run.returncode != 0
    assert "no TaperDesk bundle" in run.stderr
    assert not (home / ".local").exists()


def test_uninstall_never_touches_user_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = home / ".local" / "share" / "TaperDesk" / "taperdesk.sqlite3"
    data.parent.mkdir(parents=True)
    data.write_bytes(b"health data")
    bundle = make_fake_bundle(tmp_path / "taperdesk")
    assert run_install(INSTALL_SH, home, "--bundle", str(bundle)).returncode == 0
    assert run_install(INSTALL_SH, home, "--uninstall").returncode == 0
    assert data.read_bytes() == b"health data"
