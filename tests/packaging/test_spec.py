"""The PyInstaller spec and build helpers take name and version from the project.

The spec is executed here with PyInstaller's build classes replaced by
recorders, so these tests run without PyInstaller installed and check what
the spec would ask it to build on each platform.
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import sys
import tomllib
import types
from pathlib import Path

import pytest

import taperdesk
from taperdesk import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "taperdesk.spec"


def load(name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"taperdesk_packaging_{name}", PACKAGING / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class Recorder:
    """Stands in for one of PyInstaller's Analysis/PYZ/EXE/COLLECT/BUNDLE."""

    calls: dict[str, Recorder]

    def __init__(self, kind: str, *args, **kwargs) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs
        self.pure = []
        self.scripts = [("pyi_rth_mplconfig", "/x.py", "PYSOURCE"), ("launcher", "/l", "PYSOURCE")]
        self.datas = list(kwargs.get("datas", []))
        self.binaries = [
            ("PySide6/Qt/plugins/platforms/libqvnc.so", "/x", "BINARY"),
            ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x", "BINARY"),
            ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "/x", "BINARY"),
        ]


def run_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str) -> dict:
    calls: dict[str, Recorder] = {}

    def recorder(kind: str):
        def make(*args, **kwargs):
            calls[kind] = Recorder(kind, *args, **kwargs)
            return calls[kind]

        return make

    def collect_submodules(package: str) -> list[str]:
        module = importlib.import_module(package)
        return [package] + [
            info.name for info in pkgutil.walk_packages(module.__path__, f"{package}.")
        ]

    def collect_data_files(package: str, includes=None, excludes=None) -> list[tuple[str, str]]:
        return [(f"/src/{package}/file", package.replace(".", "/"))]

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = collect_submodules
    hooks.collect_data_files = collect_data_files
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "path", list(sys.path))
    dist = tmp_path / "dist"
    (dist / "taperdesk").mkdir(parents=True)
    namespace = {
        "__file__": str(SPEC),
        "SPECPATH": str(PACKAGING),
        "DISTPATH": str(dist),
        "workpath": str(tmp_path),
        **{kind: recorder(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")},
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    calls["dist"] = dist  # type: ignore[assignment]
    return calls


def test_project_info_reads_name_and_version_from_the_project() -> None:
    info = load("project_info").read_project()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert info.dist_name == pyproject["project"]["name"] == "taperdesk"
    assert info.version == __version__ == taperdesk.__version__
    assert (info.display_name, info.app_id) == (APP_NAME, APP_ID)
    assert info.version_tuple[:3] == tuple(int(p) for p in __version__.split(".")[:3])


def test_project_info_follows_a_version_change(tmp_path: Path) -> None:
    (tmp_path / "taperdesk").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    source = (ROOT / "taperdesk" / "__init__.py").read_text(encoding="utf-8")
    (tmp_path / "taperdesk" / "__init__.py").write_text(
        source.replace(f'"{__version__}"', '"2.3.4rc1"'), encoding="utf-8"
    )
    info = load("project_info").read_project(tmp_path)
    assert info.version == "2.3.4rc1"
    assert info.version_tuple == (2, 3, 4, 1)


def test_spec_has_no_version_or_name_of_its_own() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert __version__ not in text
    assert "read_project()" in text


def test_windows_version_info_is_a_valid_expression_with_the_version() -> None:
    module = load("project_info")
    text = module.windows_version_info(module.read_project())
    tree = ast.parse(text, mode="eval")
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"
    numbers = module.read_project().version_tuple
    assert f"filevers={numbers}" in text
    assert f"'ProductVersion', '{__version__}'" in text


def test_linux_build_is_one_windowed_folder_with_every_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = run_spec(tmp_path, monkeypatch, "linux")
    analysis, exe, collect = calls["Analysis"], calls["EXE"], calls["COLLECT"]
    assert exe.kwargs["name"] == collect.kwargs["name"] == "taperdesk"
    assert exe.kwargs["console"] is False
    assert exe.kwargs["exclude_binaries"] is True  # one folder, not one file
    assert exe.kwargs["version"] is None
    assert exe.kwargs["icon"] is None  # the .desktop file names the icon
    assert "BUNDLE" not in calls
    hidden = analysis.kwargs["hiddenimports"]
    for module in (
        "taperdesk.ui.plan_tab",
        "taperdesk.ui.titration_tab",
        "taperdesk.ui.diary_tab",
        "taperdesk.commands.schedule",
        "taperdesk.commands.titrate",
        "taperdesk.startup_errors",
        "matplotlib.backends.backend_qtagg",
        "PySide6.QtPrintSupport",
    ):
        assert module in hidden
    excludes = analysis.kwargs["excludes"]
    for module in ("tkinter", "PySide6.QtQml", "PySide6.QtNetwork", "PySide6.QtWebEngineCore"):
        assert module in excludes
    assert analysis.kwargs["hooksconfig"]["matplotlib"]["backends"][0] == "QtAgg"
    destinations = {dest for _src, dest in analysis.kwargs["datas"]}
    assert {"taperdesk/resources", "taperdesk/store"} <= destinations
    # Unused Qt plugins are dropped, the printer plugin is kept.
    kept = [name for name, *_ in analysis.binaries]
    assert not any("libqvnc" in name for name in kept)
    assert any("libqxcb" in name for name in kept)
    assert any("cupsprintersupport" in name for name in kept)
    # matplotlib's font cache lasts: PyInstaller's temporary-folder hook is left out.
    assert [name for name, *_ in analysis.scripts] == ["launcher"]
    # The bundle carries its install script and desktop files.
    bundle = calls["dist"] / "taperdesk"
    for name in ("install.sh", f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml"):
        assert (bundle / name).is_file()


def test_windows_build_has_icon_and_version_resource(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exe = run_spec(tmp_path, monkeypatch, "win32")["EXE"]
    assert exe.kwargs["icon"].endswith("taperdesk.ico")
    assert Path(exe.kwargs["icon"]).is_file()
    version_file = Path(exe.kwargs["version"])
    assert version_file.parent == tmp_path
    assert f"'FileVersion', '{__version__}'" in version_file.read_text(encoding="utf-8")


def test_macos_build_is_an_app_bundle_with_identifier_and_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = run_spec(tmp_path, monkeypatch, "darwin")
    bundle = calls["BUNDLE"].kwargs
    assert bundle["name"] == f"{APP_NAME}.app"
    assert bundle["bundle_identifier"] == APP_ID == "org.taperdesk.TaperDesk"
    assert bundle["version"] == __version__
    assert bundle["icon"].endswith("taperdesk.icns") and Path(bundle["icon"]).is_file()
    assert bundle["info_plist"]["CFBundleShortVersionString"] == __version__
    assert calls["EXE"].kwargs["icon"].endswith("taperdesk.icns")
