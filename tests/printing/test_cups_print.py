"""A real print through CUPS: the app's own print path to a CUPS-PDF queue (issue 17).

``.ci/run`` installs CUPS and CUPS-PDF, starts ``cupsd`` and adds a queue whose device is
``cups-pdf:/``. This test prints a 3-page weekly sheet with "Pages from 2 to 3" through
:func:`taperdesk.ui.print_dialogs.print_document` (QPrinter -> CUPS), then reads the PDF
CUPS-PDF wrote (where the ``Out`` line of ``cups-pdf.conf`` says, by default the job
owner's ``~/PDF``): 2 pages, the same text as pages 2-3 of the exported PDF, and the
job's title. Where CUPS is not installed the test is skipped, and says so.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import shutil
import subprocess
import time
import unicodedata
import warnings
from pathlib import Path

import pytest
from support.printing_samples import LIQUID, START, pdf_pages, sample_plan

from taperdesk.core.titration import MethodSettings
from taperdesk.printing.document import PageSize, write_pdf
from taperdesk.printing.sources import inputs_for_plan
from taperdesk.printing.weekly_sheet import WeeklySheetDocument

MONDAY = dt.date(2027, 1, 18)


def _cups_pdf_queue() -> str | None:
    """The name of a CUPS queue printing to CUPS-PDF, or None."""
    if shutil.which("lpstat") is None:
        return None
    try:
        found = subprocess.run(
            ["lpstat", "-v"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in found.stdout.splitlines():  # "device for TaperDeskPDF: cups-pdf:/"
        match = re.match(r"device for (\S+?):\s+cups-pdf:/", line)
        if match:
            return match.group(1)
    return None


def _out_dir() -> Path:
    """Where CUPS-PDF writes: the ``Out`` line of cups-pdf.conf (``${HOME}`` expanded)."""
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(errors="replace").splitlines():
            if line.startswith("Out "):
                out = line[4:].strip()
    return Path(out.replace("${HOME}", str(Path.home())).replace("${USER}", getpass.getuser()))


def test_a_page_range_prints_through_cups_as_exported(qapp, tmp_path: Path) -> None:
    queue = _cups_pdf_queue()
    if queue is None:
        pytest.skip(
            "CUPS with a CUPS-PDF queue is not installed here (.ci/run installs cups, "
            "cups-bsd and printer-driver-cups-pdf and adds one): the real print test did "
            "not run"
        )
    from PySide6.QtPrintSupport import QPrinter

    from taperdesk.ui.print_dialogs import new_printer, print_document

    inputs = inputs_for_plan(
        sample_plan(), method=MethodSettings.from_dict(LIQUID), person_name="Alex Example",
        today=START,
    )  # fmt: skip
    document = WeeklySheetDocument(inputs, MONDAY, weeks=3)
    exported = tmp_path / "exported.pdf"
    assert write_pdf(document, exported, PageSize.A4) == 3

    out_dir = _out_dir()
    started = time.time() - 1  # CUPS-PDF may overwrite an earlier job's file of that name
    printer = new_printer(PageSize.A4)
    printer.setPrinterName(queue)
    assert printer.isValid() and printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert print_document(document, printer) == 2
    del printer  # the job is sent when the printer's painter is done

    deadline = time.monotonic() + 90
    new: list[Path] = []
    while time.monotonic() < deadline:
        new = [p for p in out_dir.glob("*.pdf") if p.stat().st_mtime >= started]
        if new and new[-1].stat().st_size > 0:
            time.sleep(1.0)  # let CUPS-PDF finish writing
            break
        time.sleep(0.5)
    assert new, f"CUPS-PDF wrote nothing into {out_dir} in 90 s"
    printed = pdf_pages(new[-1])
    assert len(printed) == 2
    assert all(round(w) == 595 and round(h) == 842 for _t, w, h in printed)  # A4
    # The job's title: CUPS-PDF names the file after it.
    assert "TaperDesk_weekly_sheet_18_Jan" in new[-1].name, new[-1].name
    # The same text as pages 2-3 of the export. CUPS-PDF's Ghostscript re-encodes Qt's
    # fonts without their Unicode map (pdffonts: "uni no"), so the text CUPS printed is
    # read from the job file CUPS received (kept a day by default: PreserveJobFiles);
    # the PDF CUPS-PDF wrote must then look like the export's pages 2-3 (same layout:
    # no blank, shifted, scaled or cut page; its glyphs are rasterised too differently
    # for a pixel test to tell one week's figures from another's).
    wanted = pdf_pages(exported)[1:3]
    job = _job_file(started)
    if job is None:
        warnings.warn("CUPS's spool folder is not readable: the job's text was not compared",
                      stacklevel=1)  # fmt: skip
    else:
        received = pdf_pages(job)
        assert len(received) == 2
        for (got, *_g), (want, *_w) in zip(received, wanted, strict=True):
            assert _words(got) == _words(want)
    wanted_images = _gray_pages(exported, tmp_path / "exported", first=2, last=3)
    printed_images = _gray_pages(new[-1], tmp_path / "printed")
    assert len(printed_images) == 2
    for got, want in zip(printed_images, wanted_images, strict=True):
        assert got.size() == want.size()
        assert _differing_blocks(got, want) < 0.05


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).split()


def _job_file(started: float) -> Path | None:
    """The newest document file CUPS kept in its spool folder since ``started`` (None when
    the spool cannot be read, as for a user who is not root or in group lp)."""
    spool = Path("/var/spool/cups")
    try:
        found = [p for p in spool.glob("d*-001") if p.stat().st_mtime >= started]
    except OSError:
        return None
    if not found:
        return None
    job = max(found, key=lambda p: p.stat().st_mtime)
    return job if os.access(job, os.R_OK) else None


def _gray_pages(path: Path, prefix: Path, first: int = 1, last: int = 99) -> list:
    from PySide6.QtGui import QImage

    subprocess.run(
        ["pdftoppm", "-r", "60", "-gray", "-f", str(first), "-l", str(last), str(path),
         str(prefix)],
        check=True, stderr=subprocess.DEVNULL,  # "Bad bounding box in Type 3 glyph"
    )  # fmt: skip
    return [
        QImage(str(p)).convertToFormat(QImage.Format.Format_Grayscale8)
        for p in sorted(prefix.parent.glob(f"{prefix.name}-*.pgm"))
    ]


def _differing_blocks(one, other, block: int = 4) -> float:
    """Share of 4 x 4 pixel blocks that hold ink in one page and none in the other (a
    line, a row or a word missing or moved shows; glyphs rasterised a little
    differently, as Ghostscript's Type 3 fonts are, do not)."""
    width, height = one.width(), one.height()

    def inked(image) -> set[tuple[int, int]]:
        data = bytes(image.constBits())
        stride = image.bytesPerLine()
        return {
            (x // block, y // block)
            for y in range(height)
            for x, value in enumerate(data[y * stride : y * stride + width])
            if value < 140
        }

    a, b = inked(one), inked(other)
    blocks = (width // block + 1) * (height // block + 1)
    return len(a ^ b) / blocks
