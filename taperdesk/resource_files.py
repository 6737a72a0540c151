"""Access to the files in ``resources/`` (installed as ``taperdesk.resources``)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

ICON_SIZES_PX: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256, 512)


def resource(*parts: str) -> Traversable:
    """A shipped resource, e.g. ``resource("drugs.json")``."""
    node = resources.files("taperdesk.resources")
    for part in parts:
        node = node.joinpath(part)
    return node


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def icon_file(size_px: int | None = None) -> Path:
    """The app icon on disk: the SVG, or the PNG of one of :data:`ICON_SIZES_PX`."""
    name = "taperdesk.svg" if size_px is None else f"taperdesk-{size_px}.png"
    return Path(str(resource("icons", name)))
