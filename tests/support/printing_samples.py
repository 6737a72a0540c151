"""A sample plan and PDF/PNG reading helpers for the printing tests."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from taperdesk.core.plan import DosingTime, Hold, ReductionModel, TaperPlan

START = dt.date(2027, 1, 6)  # a Wednesday
SYMPTOMS = ("Anxiety", "Insomnia", "Depression", "Headaches", "Muscle pain and stiffness")
LIQUID = {"kind": "liquid", "tablet_mg": 1.0, "tablet_count": 1, "volume_ml": 10.0}


def sample_plan(**changes: object) -> TaperPlan:
    values: dict[str, object] = {
        "drug_key": "clonazepam",
        "dosing_times": (DosingTime("morning", 0.5, "08:00"), DosingTime("night", 0.5, "21:00")),
        "start_date": START,
        "reduction": ReductionModel.percent(10),
        "rounding_mg": 0.01,
        "holds": (Hold(dt.date(2027, 1, 22), dt.date(2027, 1, 24)),),
    }
    values.update(changes)
    return TaperPlan(**values)  # type: ignore[arg-type]


def pdf_pages(path: Path) -> list[tuple[str, float, float]]:
    """(text with whitespace collapsed, width pt, height pt) per page."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [
        (
            re.sub(r"\s+", " ", page.extract_text() or ""),
            float(page.mediabox.width),
            float(page.mediabox.height),
        )
        for page in reader.pages
    ]


def png_pages(path: Path, tmp_path: Path, dpi: int = 50) -> list:
    """Each page as a QImage rendered by poppler's pdftoppm."""
    from PySide6.QtGui import QImage

    prefix = tmp_path / f"{path.stem}-png"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(prefix)], check=True)
    return [QImage(str(p)) for p in sorted(tmp_path.glob(f"{prefix.name}*.png"))]


def ink_box(image) -> tuple[int, int, int, int] | None:
    """Bounding box (left, top, right, bottom) of the non-white pixels, or None if blank."""
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = image.width(), image.height()
    data = bytes(image.constBits())[: image.bytesPerLine() * height]
    stride = image.bytesPerLine()
    rows = [y for y in range(height) if min(data[y * stride : y * stride + width]) < 200]
    if not rows:
        return None
    cols = [
        x
        for x in range(width)
        if any(data[y * stride + x] < 200 for y in range(rows[0], rows[-1] + 1, 2))
    ]
    return cols[0], rows[0], cols[-1], rows[-1]
