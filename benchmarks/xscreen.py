"""Time what a person waits for on a real X screen: process start to pixels drawn.

A private Xvfb runs each measurement (a display number from 150-199 that is
free). The observer asks the X server's DAMAGE extension to report every
rectangle drawn on the root window (x11vnc watches a screen the same way): a
damage event is the X server saying it changed those pixels, so it is proof
that something was put on screen, not a Qt-side signal that a paint was meant.

- *First paint*: the first damage of at least ``min_area`` pixels after the
  process was started (nothing else draws on a private Xvfb without a window
  manager; a Qt window's background is None, so mapping it draws nothing).
- *Chart drawn*: the first damage after which a region holds at least
  ``min_pixels`` pixels of the chart's line colour, read with GetImage only
  when damage touches that region (so no polling adds latency).

Needs python-xlib (a benchmark-only dependency: ``pip install python-xlib``).
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from Xlib import X, display
from Xlib.ext import damage


def _free_display() -> int:
    for number in range(150, 200):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise RuntimeError("no free X display between :150 and :199")


@contextmanager
def xvfb(width: int = 1920, height: int = 1080):
    """A private Xvfb; yields its DISPLAY name."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed")
    number = _free_display()
    server = subprocess.Popen(
        [
            "Xvfb",
            f":{number}",
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    name = f":{number}"
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb {name} did not start")
            time.sleep(0.02)
        for _ in range(100):  # the socket exists a moment before the server answers
            try:
                display.Display(name).close()
                break
            except Exception:  # not up yet
                time.sleep(0.02)
        yield name
    finally:
        server.terminate()
        server.wait(5)


@dataclass(frozen=True)
class Region:
    x: int
    y: int
    width: int
    height: int


class DamageWatch:
    """Damage events of a whole screen, with the time each was received."""

    def __init__(self, name: str) -> None:
        self.display = display.Display(name)
        if not self.display.has_extension("DAMAGE"):
            raise RuntimeError("the X server has no DAMAGE extension")
        self.display.damage_query_version()
        self.root = self.display.screen().root
        self.damage = self.root.damage_create(damage.DamageReportRawRectangles)
        self.display.flush()
        self._damage_code = self.display.extension_event.DamageNotify

    def close(self) -> None:
        self.display.damage_destroy(self.damage)
        self.display.close()

    def server_time_ms(self) -> int:
        """The X server's clock now (ms), read from the event of a property change.

        Damage events carry the server's time of the drawing, so a figure does not
        include how late this observer read its events (it shares two cores with the
        app, and checks pixels between events)."""
        atom = self.display.intern_atom("TAPERDESK_BENCH_CLOCK")
        self.root.change_attributes(event_mask=X.PropertyChangeMask)
        self.root.change_property(atom, self.display.intern_atom("STRING"), 8, b"t")
        self.display.flush()
        while True:
            event = self.display.next_event()
            if event.type == X.PropertyNotify and event.atom == atom:
                self.root.change_attributes(event_mask=0)
                return int(event.time)

    def events(self, timeout_s: float):
        """Yield ``(server_ms, rectangle)`` for each damage until ``timeout_s``."""
        deadline = time.perf_counter() + timeout_s
        while True:
            while self.display.pending_events():
                event = self.display.next_event()
                if event.type == self._damage_code:
                    yield int(event.timestamp), event.area
            left = deadline - time.perf_counter()
            if left <= 0:
                return
            select.select([self.display.fileno()], [], [], left)
            # Reading happens in pending_events(); a select wake-up with nothing queued
            # (a reply or an error) loops back here.

    def count_colour(self, region: Region, matches: Callable[..., object]) -> int:
        """Pixels of ``region`` whose colour ``matches(r, g, b)`` (numpy arrays in, a
        boolean array out): GetImage, 24-bit ZPixmap stored as BGRX."""
        import numpy as np

        image = self.root.get_image(
            region.x, region.y, region.width, region.height, X.ZPixmap, 0xFFFFFFFF
        )
        pixels = np.frombuffer(image.data, dtype=np.uint8).reshape(-1, 4).astype(np.int16)
        return int(np.count_nonzero(matches(pixels[:, 2], pixels[:, 1], pixels[:, 0])))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # An installed app starts from compiled bytecode (see benchmarks/startup.py).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("QT_QPA_PLATFORM", None)
    env["QT_QPA_PLATFORM"] = "xcb"
    return env


def _time_until(
    name: str,
    command: Sequence[str],
    timeout_s: float,
    done: Callable[[DamageWatch, object], bool],
    what: str,
) -> float:
    """Seconds from starting ``command`` on display ``name`` to the first damage event
    for which ``done(watch, area)`` holds (by the X server's own clock). The process is
    ended afterwards."""
    watch = DamageWatch(name)
    env = _env() | {"DISPLAY": name}
    try:
        start = watch.server_time_ms()
        process = subprocess.Popen(
            list(command), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            for received, area in watch.events(timeout_s):
                if done(watch, area):
                    return (received - start) / 1000
                if process.poll() is not None:
                    break
            raise RuntimeError(
                f"no {what}: " + (process.stderr.read().decode() if process.stderr else "")
            )
        finally:
            _end(process)
    finally:
        watch.close()


def time_to_first_paint(
    name: str, command: Sequence[str], min_area: int = 200 * 200, timeout_s: float = 30
) -> float:
    """Seconds from starting ``command`` on display ``name`` to its first damage of
    ``min_area`` pixels or more. The process is ended afterwards."""
    return _time_until(
        name, command, timeout_s,
        lambda _watch, area: area.width * area.height >= min_area, "first paint",
    )  # fmt: skip


def time_to_colour(
    name: str,
    command: Sequence[str],
    matches: Callable[..., object],
    min_pixels: int,
    timeout_s: float = 60,
    region: Region | None = None,
) -> float:
    """Seconds from starting ``command`` to the first damage after which ``region`` (the
    whole screen's top-left 1920x1080 by default) holds ``min_pixels`` matching pixels."""
    screen = region or Region(0, 0, 1920, 1080)

    def drawn(watch: DamageWatch, area) -> bool:
        if area.width * area.height < 64 * 64:
            return False  # text and cursor blinks; a chart blit is large
        return watch.count_colour(screen, matches) >= min_pixels

    return _time_until(name, command, timeout_s, drawn, "chart drawn")


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # The root window is repainted where the window was: let that pass before the next
    # measurement starts its clock (it is not timed).
    time.sleep(0.15)


def _overlaps(area, region: Region) -> bool:
    return (
        area.x < region.x + region.width
        and region.x < area.x + area.width
        and area.y < region.y + region.height
        and region.y < area.y + area.height
    )


class InputTimer:
    """Real input events (XTest) and the damage they cause, timed by the X server's clock."""

    def __init__(self, name: str) -> None:
        from Xlib.ext import xtest  # noqa: F401 - registers the extension's methods

        self.watch = DamageWatch(name)
        self.display = self.watch.display

    def close(self) -> None:
        self.watch.close()

    def wait_quiet(self, region: Region, quiet_s: float = 0.5, timeout_s: float = 10) -> None:
        """Until ``region`` had no damage for ``quiet_s`` (a chart drawn, a cursor...)."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            if not any(_overlaps(a, region) for _t, a in self.watch.events(quiet_s)):
                return

    def _act(self, send: Callable[[], None]) -> int:
        start = self.watch.server_time_ms()
        send()
        self.display.flush()
        return start

    def focus_window_at(self, x: int, y: int) -> None:
        """Move the pointer to (x, y) and give that top-level window the keyboard focus
        (no window manager does it on this screen; Qt's shortcuts need an active window)."""
        self.display.xtest_fake_input(X.MotionNotify, x=x, y=y)
        self.display.sync()
        child = self.watch.root.query_pointer().child
        if child:
            self.display.set_input_focus(child, X.RevertToPointerRoot, X.CurrentTime)
        self.display.sync()

    def click(self, x: int, y: int) -> int:
        """Click at (x, y); the server time (ms) just before the click."""

        def send() -> None:
            self.display.xtest_fake_input(X.MotionNotify, x=x, y=y)
            self.display.xtest_fake_input(X.ButtonPress, 1)
            self.display.xtest_fake_input(X.ButtonRelease, 1)

        return self._act(send)

    def key(self, *keysyms: int) -> int:
        """Press keys in order and release them in reverse (Control, Tab: Ctrl+Tab); the
        server time (ms) just before."""
        codes = [self.display.keysym_to_keycode(k) for k in keysyms]

        def send() -> None:
            for code in codes:
                self.display.xtest_fake_input(X.KeyPress, code)
            for code in reversed(codes):
                self.display.xtest_fake_input(X.KeyRelease, code)

        return self._act(send)

    def first_damage(self, region: Region, start_ms: int, timeout_s: float = 5) -> float:
        """Seconds from ``start_ms`` to the first damage in ``region``."""
        for when, area in self.watch.events(timeout_s):
            if when >= start_ms and _overlaps(area, region):
                return (when - start_ms) / 1000
        raise RuntimeError("no repaint after the input")

    def last_damage(
        self, region: Region, start_ms: int, quiet_s: float = 0.25, timeout_s: float = 5
    ) -> float:
        """Seconds from ``start_ms`` to the last damage in ``region`` before it stays quiet
        for ``quiet_s``: everything the input made the app repaint."""
        last = None
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            found = [
                when
                for when, area in self.watch.events(quiet_s)
                if when >= start_ms and _overlaps(area, region)
            ]
            if not found:
                break
            last = max(found)
        if last is None:
            raise RuntimeError("no repaint after the input")
        return (last - start_ms) / 1000
