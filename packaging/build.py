"""Build TaperDesk's one-folder desktop bundle from a clean venv and smoke-test it.

    python packaging/build.py                 # temporary venv, build, smoke test
    python packaging/build.py --venv .venv    # reuse a venv that has taperdesk + PyInstaller
    python packaging/build.py --skip-smoke

The bundle lands in ``packaging/dist/taperdesk/`` (``TaperDesk.app`` on macOS).
The smoke test runs the frozen ``taperdesk --version`` and ``taperdesk
--self-check`` offscreen, in a temporary data folder, and fails the build if
either does not exit 0. Only the Linux build is built and tested by CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from project_info import PACKAGING, ROOT, ProjectInfo, read_project

SPEC = PACKAGING / "taperdesk.spec"
DIST = PACKAGING / "dist"
WORK = PACKAGING / "build"
SMOKE_TIMEOUT_S = 300


def venv_python(venv: Path) -> Path:
    if sys.platform == "win32":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def run(command: list[str | os.PathLike[str]], **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(str(part) for part in command), flush=True)
    return subprocess.run([str(part) for part in command], check=True, **kwargs)


def make_venv(venv: Path) -> Path:
    """A fresh venv with TaperDesk (a normal, non-editable install) and PyInstaller."""
    run([sys.executable, "-m", "venv", venv])
    python = venv_python(venv)
    run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([python, "-m", "pip", "install", "-q", f"{ROOT}[package]"])
    return python


def check_venv(python: Path) -> None:
    """The reused venv must hold an installed (not editable) taperdesk and PyInstaller."""
    probe = subprocess.run(
        [str(python), "-c", "import PyInstaller, taperdesk.resources as r; print(r.__file__)"],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    if probe.returncode != 0:
        sys.exit(
            f"build.py: {python} lacks PyInstaller or taperdesk; "
            f"install them with: {python} -m pip install '{ROOT}[package]'\n{probe.stderr}"
        )
    resources_file = Path(probe.stdout.strip()).resolve()
    if resources_file.is_relative_to(ROOT / "resources"):
        sys.exit(
            "build.py: taperdesk is installed in editable mode in that venv; PyInstaller "
            "needs a normal install (pip install '.[package]'), or leave out --venv."
        )


def build(python: Path, dist: Path, work: Path) -> None:
    # Run from an empty folder so the checkout cannot shadow the installed package.
    with tempfile.TemporaryDirectory(prefix="taperdesk-pyinstaller-") as cwd:
        run(
            [
                python,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--clean",
                "--log-level",
                "WARN",
                "--distpath",
                dist,
                "--workpath",
                work,
                SPEC,
            ],
            cwd=cwd,
        )


def bundle_path(info: ProjectInfo, dist: Path) -> Path:
    if sys.platform == "darwin":
        return dist / f"{info.display_name}.app"
    return dist / info.dist_name


def executable_path(info: ProjectInfo, dist: Path) -> Path:
    if sys.platform == "darwin":
        return bundle_path(info, dist) / "Contents" / "MacOS" / info.dist_name
    suffix = ".exe" if sys.platform == "win32" else ""
    return dist / info.dist_name / f"{info.dist_name}{suffix}"


def folder_size_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


#: What a bundle must hold (relative to its _internal/ folder) and must not.
REQUIRED_IN_BUNDLE = (
    "taperdesk/resources/icons/taperdesk.svg",
    "taperdesk/resources/icons/taperdesk-512.png",
    "taperdesk/resources/drugs.json",
    "taperdesk/store/sql/0001_foundation.sql",
    "matplotlib/mpl-data/matplotlibrc",
)
FORBIDDEN_IN_BUNDLE = ("tkinter", "_tkinter", "libtk", "libQt6Qml", "libQt6Network", "libqvnc")


def check_bundle_contents(bundle: Path) -> None:
    """Resources are in, and what the spec excludes stayed out."""
    internal = next(bundle.rglob("_internal"), None) if bundle.suffix == ".app" else None
    internal = internal or bundle / "_internal"
    missing = [name for name in REQUIRED_IN_BUNDLE if not (internal / name).is_file()]
    if missing:
        sys.exit(f"bundle check FAILED: missing {', '.join(missing)}")
    found = [
        str(path.relative_to(bundle))
        for path in bundle.rglob("*")
        if path.name.startswith(FORBIDDEN_IN_BUNDLE)
    ]
    if found:
        sys.exit(f"bundle check FAILED: excluded files present: {', '.join(found)}")
    print(f"ok   bundle contents: {len(REQUIRED_IN_BUNDLE)} resources in, exclusions out")


def smoke_test(info: ProjectInfo, executable: Path) -> None:
    """The frozen app must report its version and pass its self-check offscreen."""
    with tempfile.TemporaryDirectory(prefix="taperdesk-smoke-") as scratch:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            TAPERDESK_DATA_DIR=str(Path(scratch) / "data"),
            MPLCONFIGDIR=str(Path(scratch) / "mpl"),
        )
        version = subprocess.run(
            [str(executable), "--version"],
            env=env,
            capture_output=True,
            text=True,
            timeout=SMOKE_TIMEOUT_S,
            cwd=scratch,
        )
        expected = f"{info.display_name} {info.version}"
        if version.returncode != 0 or version.stdout.strip() != expected:
            sys.exit(
                f"smoke test FAILED: --version gave {version.stdout!r} {version.stderr!r} "
                f"(exit {version.returncode}), expected {expected!r}"
            )
        print(f"ok   frozen --version: {expected}")
        check = subprocess.run(
            [str(executable), "--self-check"],
            env=env,
            capture_output=True,
            text=True,
            timeout=SMOKE_TIMEOUT_S,
            cwd=scratch,
        )
        print(check.stdout, end="")
        if check.stderr.strip():
            print(check.stderr, end="", file=sys.stderr)
        if check.returncode != 0:
            sys.exit(f"smoke test FAILED: frozen --self-check exited {check.returncode}")
        print("smoke test passed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--venv", type=Path, help="reuse this venv (with taperdesk and PyInstaller installed)"
    )
    parser.add_argument("--skip-smoke", action="store_true", help="build only")
    parser.add_argument("--dist", type=Path, default=DIST, help=f"output folder ({DIST})")
    parser.add_argument("--work", type=Path, default=WORK, help=f"build folder ({WORK})")
    args = parser.parse_args(argv)
    info = read_project()
    started = time.monotonic()
    print(f"== building {info.display_name} {info.version} for {sys.platform}", flush=True)

    dist, work = args.dist.absolute(), args.work.absolute()
    with tempfile.TemporaryDirectory(prefix="taperdesk-build-venv-") as temporary:
        if args.venv is None:
            python = make_venv(Path(temporary) / "venv")
        else:
            python = venv_python(args.venv.absolute())
            check_venv(python)
        venv_seconds = time.monotonic() - started
        shutil.rmtree(bundle_path(info, dist), ignore_errors=True)
        build(python, dist, work)
    build_seconds = time.monotonic() - started

    bundle = bundle_path(info, dist)
    size_mb = folder_size_bytes(bundle) / 1e6
    print(f"== bundle: {bundle} ({size_mb:.0f} MB)")
    print(f"== time: {build_seconds:.0f} s (venv {venv_seconds:.0f} s)")
    if not args.skip_smoke:
        print("== smoke test", flush=True)
        check_bundle_contents(bundle)
        smoke_test(info, executable_path(info, dist))
    return 0


if __name__ == "__main__":
    sys.exit(main())
