"""Write the multi-size Windows ``.ico`` and macOS ``.icns`` from TaperDesk's icons.

    python packaging/make_icons.py

Reads ``resources/icons/taperdesk-<size>.png`` (16-512 px) and renders the
1024 px image the ``.icns`` also wants from ``taperdesk.svg`` with Qt. Both
containers are simple, so they are written here rather than trusting Qt's
single-image writers:

- ICO: a directory of entries, each a complete PNG (Windows Vista and later
  read PNG entries at every size; 256 px is written as width/height 0).
- ICNS: ``icns`` + length, then typed chunks, each holding a PNG: ic07-ic10 at
  128-1024 px and ic11-ic14 for the "@2x" (Retina) variants, as Apple's
  ``iconutil`` writes them, with a ``TOC `` chunk first.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES_PX = (16, 24, 32, 48, 64, 128, 256)
#: ICNS chunk type -> pixel size of its PNG.
ICNS_TYPES: dict[bytes, int] = {
    b"ic11": 32,  # 16x16@2x
    b"ic12": 64,  # 32x32@2x
    b"ic07": 128,
    b"ic13": 256,  # 128x128@2x
    b"ic08": 256,
    b"ic14": 512,  # 256x256@2x
    b"ic09": 512,
    b"ic10": 1024,  # 512x512@2x
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding one PNG entry per size (ascending)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        if png_size(data) != (size, size):
            raise ValueError(f"the {size} px image is {png_size(data)}")
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file with one PNG chunk per type in :data:`ICNS_TYPES`."""
    chunks = []
    for kind, size in ICNS_TYPES.items():
        data = pngs[size]
        if png_size(data) != (size, size):
            raise ValueError(f"the {size} px image is {png_size(data)}")
        chunks.append((kind, data))
    toc = b"".join(struct.pack(">4sI", kind, len(data) + 8) for kind, data in chunks)
    body = struct.pack(">4sI", b"TOC ", len(toc) + 8) + toc
    body += b"".join(struct.pack(">4sI", kind, len(data) + 8) + data for kind, data in chunks)
    return struct.pack(">4sI", b"icns", len(body) + 8) + body


def read_ico_sizes(data: bytes) -> list[tuple[int, int]]:
    """(width, height) of every image in an ICO, from the PNGs themselves."""
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    if (reserved, kind) != (0, 1):
        raise ValueError("not an ICO file")
    sizes = []
    for index in range(count):
        width, height, _c, _r, _p, _b, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        image = png_size(data[offset : offset + length])
        if image != (width or 256, height or 256):
            raise ValueError(f"entry {index} says {width}x{height} but holds {image}")
        sizes.append(image)
    return sizes


def read_icns_chunks(data: bytes) -> dict[str, tuple[int, int]]:
    """Chunk type -> PNG (width, height) for every PNG chunk of an ICNS."""
    magic, total = struct.unpack_from(">4sI", data, 0)
    if magic != b"icns" or total != len(data):
        raise ValueError("not an ICNS file (or a truncated one)")
    chunks, offset = {}, 8
    while offset < total:
        kind, length = struct.unpack_from(">4sI", data, offset)
        payload = data[offset + 8 : offset + length]
        if payload.startswith(PNG_SIGNATURE):
            chunks[kind.decode("ascii")] = png_size(payload)
        offset += length
    return chunks


def render_svg_png(svg: Path, size_px: int) -> bytes:
    """The SVG rendered at ``size_px`` square, as PNG bytes (Qt, offscreen)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    image = QImage(size_px, size_px, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    buffer_bytes = QByteArray()
    buffer = QBuffer(buffer_bytes)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(buffer_bytes.data())


def main() -> int:
    pngs = {
        size: (ICONS / f"taperdesk-{size}.png").read_bytes()
        for size in (16, 24, 32, 48, 64, 128, 256, 512)
    }
    pngs[1024] = render_svg_png(ICONS / "taperdesk.svg", 1024)
    (ICONS / "taperdesk.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES_PX}))
    (ICONS / "taperdesk.icns").write_bytes(icns_bytes(pngs))
    print("taperdesk.ico:", read_ico_sizes((ICONS / "taperdesk.ico").read_bytes()))
    print("taperdesk.icns:", read_icns_chunks((ICONS / "taperdesk.icns").read_bytes()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
