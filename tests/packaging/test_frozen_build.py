"""The real PyInstaller build and its smoke test (slow: minutes, downloads a venv).

Skipped unless TAPERDESK_FROZEN_TEST=1. CI runs ``packaging/build.py``
directly in its own block of ``.ci/run``; this test is for a developer who
wants the same check from pytest. TAPERDESK_FROZEN_VENV may name a venv that
already holds taperdesk and PyInstaller (otherwise build.py makes a clean one).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from taperdesk import __version__

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("TAPERDESK_FROZEN_TEST") != "1",
        reason="builds the frozen app (minutes); set TAPERDESK_FROZEN_TEST=1 to run it",
    ),
]


def test_frozen_bundle_builds_and_passes_its_self_check(tmp_path: Path) -> None:
    command = [
        sys.executable,
        str(ROOT / "packaging" / "build.py"),
        "--dist",
        str(tmp_path / "dist"),
        "--work",
        str(tmp_path / "build"),
    ]
    if os.environ.get("TAPERDESK_FROZEN_VENV"):
        command += ["--venv", os.environ["TAPERDESK_FROZEN_VENV"]]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert f"frozen --version: TaperDesk {__version__}" in run.stdout
    assert "self-check passed" in run.stdout
    assert "smoke test passed" in run.stdout
    bundle = tmp_path / "dist" / "taperdesk"
    assert (bundle / "taperdesk").is_file()
    assert (bundle / "install.sh").is_file()
