"""The app icon at every hicolor size, and the Windows/macOS containers built from it."""

from __future__ import annotations

import importlib.util
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from taperdesk.resource_files import ICON_SIZES_PX, icon_file

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"


def make_icons():
    spec = importlib.util.spec_from_file_location(
        "taperdesk_packaging_make_icons", ROOT / "packaging" / "make_icons.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_hicolor_sizes_are_all_shipped() -> None:
    assert ICON_SIZES_PX == (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.mark.parametrize("size", ICON_SIZES_PX)
def test_png_icon_is_a_png_of_its_size(size: int) -> None:
    data = icon_file(size).read_bytes()
    assert make_icons().png_size(data) == (size, size)


@pytest.mark.parametrize("size", ICON_SIZES_PX)
def test_png_icon_loads_in_qt(qapp, size: int) -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(icon_file(size)))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_svg_icon_is_square_svg() -> None:
    root = ET.parse(icon_file()).getroot()
    assert root.tag.endswith("svg")
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    assert width == height


def test_ico_holds_every_windows_size() -> None:
    module = make_icons()
    sizes = module.read_ico_sizes((ICONS / "taperdesk.ico").read_bytes())
    assert sizes == [(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]


def test_icns_holds_every_macos_size() -> None:
    module = make_icons()
    chunks = module.read_icns_chunks((ICONS / "taperdesk.icns").read_bytes())
    assert chunks == {kind.decode(): (s, s) for kind, s in module.ICNS_TYPES.items()}


def test_pillow_reads_the_ico_and_icns_too() -> None:
    """An independent reader agrees with ours (Pillow comes with matplotlib)."""
    image_module = pytest.importorskip("PIL.Image")
    with image_module.open(ICONS / "taperdesk.ico") as ico:
        assert ico.format == "ICO"
        assert sorted(ico.info["sizes"]) == [(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]
    with image_module.open(ICONS / "taperdesk.icns") as icns:
        assert icns.format == "ICNS"
        assert {size[0] * size[2] for size in icns.info["sizes"]} == {
            32,
            64,
            128,
            256,
            512,
            1024,
        }


def test_ico_is_up_to_date_with_the_pngs() -> None:
    """Changing a PNG without running packaging/make_icons.py fails here."""
    module = make_icons()
    pngs = {s: icon_file(s).read_bytes() for s in module.ICO_SIZES_PX}
    assert (ICONS / "taperdesk.ico").read_bytes() == module.ico_bytes(pngs)


def test_icns_pngs_below_1024_are_the_shipped_pngs() -> None:
    module = make_icons()
    data = (ICONS / "taperdesk.icns").read_bytes()
    payloads, offset = {}, 8
    while offset < len(data):
        kind, length = struct.unpack_from(">4sI", data, offset)
        payloads[kind] = data[offset + 8 : offset + length]
        offset += length
    for kind, size in module.ICNS_TYPES.items():
        if size != 1024:
            assert payloads[kind] == icon_file(size).read_bytes(), kind


def test_ico_writer_rejects_a_wrong_size() -> None:
    module = make_icons()
    with pytest.raises(ValueError):
        module.ico_bytes({32: icon_file(16).read_bytes()})
