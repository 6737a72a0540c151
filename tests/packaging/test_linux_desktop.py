"""The freedesktop launcher and AppStream metadata: valid, and naming the same app."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from taperdesk import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def desktop_entry(path: Path = DESKTOP) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def test_desktop_file_passes_desktop_file_validate() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (apt install desktop-file-utils)")
    run = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "error" not in run.stdout.lower()


def test_desktop_file_names_the_app_as_qt_does() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Exec"] == "taperdesk"  # install.sh points it at the installed bundle
    assert entry["Icon"] == APP_ID  # hicolor icons are installed under this name
    # Wayland: Qt's app id is setDesktopFileName(APP_ID), this file's name.
    # X11: Qt's WM_CLASS class is the application name.
    assert DESKTOP.name == f"{APP_ID}.desktop"
    assert entry["StartupWMClass"] == APP_NAME
    assert entry["Terminal"] == "false"
    assert "MedicalSoftware" in entry["Categories"].split(";")


def test_metainfo_passes_appstreamcli_validate() -> None:
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed (apt install appstream)")
    run = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_metainfo_matches_the_project() -> None:
    root = metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_NAME
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == "taperdesk"
    license_text = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "license"
    ]["text"]
    assert root.findtext("project_license") == license_text
    assert root.find("content_rating").get("type") == "oars-1.1"
    assert root.findtext("description/p")


def test_newest_release_in_metainfo_is_this_version() -> None:
    """Bumping __version__ without a <release> entry fails here."""
    releases = metainfo().findall("releases/release")
    assert releases, "no <release> in the metainfo"
    assert releases[0].get("version") == __version__
    assert releases[0].get("date")
