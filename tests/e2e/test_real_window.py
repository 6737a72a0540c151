"""The daily flows in a real X window, at a laptop's and a desktop's screen size (issue 16).

Each run starts its own Xvfb of the size under test and a fresh TaperDesk process
(``person.py``) that clicks and types with real input events: first start, a new plan,
today's diary entry by keyboard only, a dose above the plan with "Record and hold", and a
weekly sheet saved as PDF. It asserts what is stored and what a person sees."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PERSON = Path(__file__).with_name("person.py")


@pytest.fixture
def xvfb(request):
    """An Xvfb display of ``request.param`` (width, height); its DISPLAY value."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    width, height = request.param
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("xvfb", [(1366, 768), (1920, 1080)], indirect=True,
                         ids=["1366x768", "1920x1080"])  # fmt: skip
def test_a_day_with_taperdesk_in_a_real_window(xvfb: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", TAPERDESK_DATA_DIR=str(tmp_path / "unused"))
    out = tmp_path / "seen.json"
    run = subprocess.run(
        [sys.executable, str(PERSON), str(tmp_path / "data"), str(out)],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=400, check=False,
    )  # fmt: skip
    assert out.exists(), run.stderr[-3000:]
    seen = json.loads(out.read_text(encoding="utf-8"))
    assert run.returncode == 0, (seen, run.stderr[-3000:])
    assert seen["problems"] == []
    assert seen["stages"][-1] == "print dialog"
    # Stored: doses as planned, then the dose above the plan with its reason; five
    # ratings; the note; a hold from today.
    entry = seen["entry"]
    assert sorted(entry["ratings"]) == [1, 2, 3, 4, 5]
    assert entry["notes"] == "calm morning" and entry["reason"] == "bad night"
    (_label, taken, planned), *_ = entry["doses"]
    assert taken == pytest.approx(planned + 0.25)
    assert seen["open_hold"] is not None
    assert seen["deviation"].startswith("0.25 mg above the plan")
    # The keyboard-only daily entry: no more than 15 key presses (the note's letters aside).
    assert seen["daily_keys"] <= 15
    assert seen["pdf"] and Path(seen["pdf"]).read_bytes().startswith(b"%PDF")
    # The window fits the screen.
    assert seen["window"][0] <= seen["screen"][0] and seen["window"][1] <= seen["screen"][1]
