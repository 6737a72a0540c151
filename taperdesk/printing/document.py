"""Page layout for TaperDesk's printouts: page sizes, a point-based canvas, tables, footer.

Every printed document (weekly sheets, plan overview, prescriber report,
pharmacy request) is a :class:`PrintDocument`: it lays itself out on a
:class:`Canvas` (measuring text with the real device's fonts) and returns one
drawing function per page. :func:`paint_document` then draws the pages on any
paged Qt device (``QPdfWriter`` for PDF files, ``QPrinter`` for the print
dialog and the preview), adding the footer every page carries: the safety line,
the date printed and "Page x of y". The same code serves the GUI, the command
line and the tests.

All coordinates are in typographic points (1/72 inch) from the paper's top
left corner; the canvas converts to device pixels. Nothing is drawn outside
the margins.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLocale,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from taperdesk.core.safety import SHORT_LINE
from taperdesk.store.paths import os_error_text, write_private_bytes

if TYPE_CHECKING:
    from PySide6.QtGui import QPagedPaintDevice

#: Distance from every paper edge to the nearest ink, in points (about 14 mm).
MARGIN_PT = 40.0
#: Height reserved at the bottom of the content area for the footer, in points.
FOOTER_PT = 30.0
#: Device resolution of PDF files: fine enough for hairlines and exact glyph placement.
PDF_DPI = 1200
FONT_FAMILIES = ["Helvetica", "Arial", "Liberation Sans", "DejaVu Sans"]
INK = QColor(0, 0, 0)
GREY = QColor(70, 70, 70)
RULE = QColor(110, 110, 110)
SHADE = QColor(232, 232, 232)
LIGHT_SHADE = QColor(245, 245, 245)


#: Countries whose paper is US Letter (the rest of the world uses A4).
_LETTER_COUNTRIES = {
    getattr(QLocale.Country, name)
    for name in (
        "UnitedStates",
        "Canada",
        "Mexico",
        "Philippines",
        "Chile",
        "Colombia",
        "Venezuela",
        "CostaRica",
        "Guatemala",
        "Panama",
        "DominicanRepublic",
        "PuertoRico",
        "ElSalvador",
        "Nicaragua",
        "Honduras",
    )
    if hasattr(QLocale.Country, name)
}


class PageSize(Enum):
    """The two paper sizes TaperDesk prints on."""

    A4 = "a4"
    LETTER = "letter"

    @property
    def label(self) -> str:
        return "A4" if self is PageSize.A4 else "Letter"

    @property
    def size_pt(self) -> tuple[float, float]:
        """Width and height in points (A4 595 x 842, Letter 612 x 792)."""
        size = self.q_page_size().size(QPageSize.Unit.Point)
        return size.width(), size.height()

    def q_page_size(self) -> QPageSize:
        return QPageSize(
            QPageSize.PageSizeId.A4 if self is PageSize.A4 else QPageSize.PageSizeId.Letter
        )


def default_page_size(locale: QLocale | None = None) -> PageSize:
    """Letter in the US, Canada, Mexico, the Philippines and a few more; A4 elsewhere."""
    locale = locale or QLocale()
    return PageSize.LETTER if locale.territory() in _LETTER_COUNTRIES else PageSize.A4


def ensure_gui_application() -> QGuiApplication:
    """The running Qt application, or a new ``QGuiApplication`` (offscreen without a display).

    Fonts need an application. The command line has no window, so when neither
    ``DISPLAY`` nor ``WAYLAND_DISPLAY`` is set it asks Qt for the offscreen
    platform before creating the application.
    """
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(["taperdesk"])


def font(size_pt: float, bold: bool = False, italic: bool = False) -> QFont:
    """The printouts' one typeface at ``size_pt``."""
    result = QFont()
    result.setFamilies(FONT_FAMILIES)
    result.setPointSizeF(size_pt)
    result.setBold(bold)
    result.setItalic(italic)
    result.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return result


class Canvas:
    """A page seen in points, with the drawing helpers the documents share."""

    def __init__(self, device: QPagedPaintDevice, page: PageSize) -> None:
        self.device = device
        self.page = page
        self.width, self.height = page.size_pt
        self.scale = device.logicalDpiX() / 72.0
        self.painter: QPainter | None = None
        self._metrics: dict[tuple[str, float, bool, bool], QFontMetricsF] = {}

    # -- geometry ------------------------------------------------------------------

    @property
    def left(self) -> float:
        return MARGIN_PT

    @property
    def right(self) -> float:
        return self.width - MARGIN_PT

    @property
    def top(self) -> float:
        return MARGIN_PT

    @property
    def bottom(self) -> float:
        """The lowest y content may reach (the footer lies below)."""
        return self.height - MARGIN_PT - FOOTER_PT

    @property
    def content_width(self) -> float:
        return self.right - self.left

    def _r(self, x: float, y: float, w: float, h: float) -> QRectF:
        s = self.scale
        return QRectF(x * s, y * s, w * s, h * s)

    # -- measuring -----------------------------------------------------------------

    def metrics(self, text_font: QFont) -> QFontMetricsF:
        key = (text_font.family(), text_font.pointSizeF(), text_font.bold(), text_font.italic())
        found = self._metrics.get(key)
        if found is None:
            found = self._metrics[key] = QFontMetricsF(text_font, self.device)
        return found

    def text_width(self, text: str, text_font: QFont) -> float:
        return self.metrics(text_font).horizontalAdvance(text) / self.scale

    def line_height(self, text_font: QFont) -> float:
        return self.metrics(text_font).lineSpacing() / self.scale

    def text_height(self, text: str, text_font: QFont, width: float) -> float:
        """Height of ``text`` wrapped into ``width`` points."""
        if not text:
            return 0.0
        flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft)
        box = self.metrics(text_font).boundingRect(self._r(0, 0, width, 10_000), flags, text)
        return box.height() / self.scale

    def elide(self, text: str, text_font: QFont, width: float) -> str:
        return self.metrics(text_font).elidedText(
            text, Qt.TextElideMode.ElideRight, width * self.scale
        )

    # -- drawing -------------------------------------------------------------------

    def _p(self) -> QPainter:
        if self.painter is None:
            raise RuntimeError("The canvas is only measuring; nothing may be drawn yet.")
        return self.painter

    def text(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        text_font: QFont,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
        color: QColor = INK,
        wrap: bool = True,
    ) -> float:
        """Draw ``text`` in the box; return the height it used (points)."""
        painter = self._p()
        painter.setFont(text_font)
        painter.setPen(color)
        flags = int(align) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0)
        used = painter.drawText(self._r(x, y, w, h), flags, text)
        return used.height() / self.scale

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        width: float = 0.5,
        color: QColor = INK,
        style: Qt.PenStyle = Qt.PenStyle.SolidLine,
    ) -> None:
        painter = self._p()
        pen = QPen(color, width * self.scale, style)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        s = self.scale
        painter.drawLine(QPointF(x1 * s, y1 * s), QPointF(x2 * s, y2 * s))

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        width: float = 0.5,
        fill: QColor | None = None,
        color: QColor | None = INK,
        radius: float = 0.0,
    ) -> None:
        painter = self._p()
        pen = QPen(color, width * self.scale) if color is not None else QPen(Qt.PenStyle.NoPen)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill) if fill is not None else Qt.BrushStyle.NoBrush)
        if radius:
            painter.drawRoundedRect(self._r(x, y, w, h), radius * self.scale, radius * self.scale)
        else:
            painter.drawRect(self._r(x, y, w, h))
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def hatch(
        self, x: float, y: float, w: float, h: float, spacing: float = 4.0, color: QColor = RULE
    ) -> None:
        """Diagonal hatching inside the box: a highlight that survives black-and-white print."""
        painter = self._p()
        painter.setPen(QPen(color, 0.4 * self.scale))
        s = self.scale
        offset = -h
        while offset < w:
            # the line (x + offset + t, y + h - t), 0 <= t <= h, cut to the box's width
            t0, t1 = max(0.0, -offset), min(h, w - offset)
            if t1 > t0:
                painter.drawLine(
                    QPointF((x + offset + t0) * s, (y + h - t0) * s),
                    QPointF((x + offset + t1) * s, (y + h - t1) * s),
                )
            offset += spacing

    def tick_box(self, x: float, y: float, size: float = 8.0) -> None:
        self.rect(x, y, size, size, width=0.7)

    def svg(self, data: bytes, x: float, y: float, w: float, h: float) -> None:
        """Paint an SVG image (a chart) as vectors into the box."""
        from PySide6.QtSvg import QSvgRenderer

        renderer = QSvgRenderer(QByteArray(data))
        renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        renderer.render(self._p(), self._r(x, y, w, h))

    def heading(self, y: float, text: str, size: float = 10.5) -> float:
        """A section heading with a rule under it; returns the y below it."""
        heading_font = font(size, bold=True)
        h = self.line_height(heading_font)
        self.text(self.left, y, self.content_width, h, text, heading_font, wrap=False)
        self.line(self.left, y + h + 1.5, self.right, y + h + 1.5, 0.6)
        return y + h + 6

    def footer(self, page: int, pages: int, printed_on: dt.date, title: str) -> None:
        """Safety line, date printed and page numbers, below the content area."""
        y = self.height - MARGIN_PT - FOOTER_PT + 6
        self.line(self.left, y, self.right, y, 0.5, GREY)
        small = font(6.8)
        right_w = 110.0
        self.text(
            self.left,
            y + 3,
            self.content_width - right_w - 8,
            FOOTER_PT - 9,
            SHORT_LINE,
            font(6.8, bold=True),
        )
        self.text(
            self.right - right_w,
            y + 3,
            right_w,
            FOOTER_PT - 9,
            f"Page {page} of {pages}\nPrinted {printed_on.isoformat()}",
            small,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
            GREY,
        )
        del title


PageDrawer = Callable[[Canvas], None]


class PrintDocument(Protocol):
    """A document: a title and a layout pass that returns one drawer per page."""

    title: str

    def layout(self, canvas: Canvas) -> list[PageDrawer]: ...


def paint_document(
    document: PrintDocument,
    device: QPagedPaintDevice,
    page: PageSize,
    printed_on: dt.date | None = None,
    page_range: tuple[int, int] | None = None,
    copies: int = 1,
) -> int:
    """Draw the pages of ``document`` on ``device``; return the number drawn.

    ``page_range`` (first, last), counted from 1, draws only those pages (the print
    dialog's "Pages from … to …"); the footers still say "page 2 of 4". ``copies`` draws
    them that many times over, for a printer that cannot make copies itself. The device
    must already have its page size set with zero margins (see :func:`prepare_device`).
    """
    printed_on = printed_on or dt.date.today()
    canvas = Canvas(device, page)
    pages = document.layout(canvas)
    first, last = page_range or (1, len(pages))
    chosen = [n for n in range(1, len(pages) + 1) if first <= n <= last] or [1]
    chosen = chosen * max(1, copies)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("The page could not be opened for drawing.")
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    canvas.painter = painter
    try:
        for index, number in enumerate(chosen):
            if index:
                device.newPage()
            pages[number - 1](canvas)
            canvas.footer(number, len(pages), printed_on, document.title)
    finally:
        canvas.painter = None
        painter.end()
    return len(chosen)


def prepare_device(device: QPagedPaintDevice, page: PageSize) -> None:
    """Paper size ``page`` in portrait, zero device margins (the canvas keeps its own)."""
    device.setPageLayout(
        QPageLayout(
            page.q_page_size(),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Point,
        )
    )


def write_pdf(
    document: PrintDocument,
    path: Path | str,
    page: PageSize,
    printed_on: dt.date | None = None,
    page_range: tuple[int, int] | None = None,
    copies: int = 1,
) -> int:
    """Write ``document`` (or the pages of ``page_range``, ``copies`` times over) as a PDF
    file; return the number of pages written.

    Raises ``OSError`` with a plain sentence when the file cannot be written.
    """
    ensure_gui_application()
    target = Path(path)
    if target.is_dir():
        raise OSError(f"{target} is a folder; give a file name ending in .pdf.")
    if not target.parent.is_dir():
        raise OSError(f"The folder {target.parent} does not exist.")
    # Painted into memory, then written with write_private_bytes: a full disk can no longer
    # leave a truncated PDF reported as written, and the file is private (0600).
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setTitle(document.title)
    writer.setCreator("TaperDesk")
    prepare_device(writer, page)
    pages = paint_document(document, writer, page, printed_on, page_range, copies)
    del writer  # finishes the PDF in the buffer
    buffer.close()
    try:
        write_private_bytes(target, bytes(buffer.data().data()))
    except OSError as error:
        raise OSError(f"Could not write {target}: {os_error_text(error)}.") from None
    return pages


# -- tables --------------------------------------------------------------------------------


@dataclass
class Column:
    """A table column: heading, width in points, text alignment."""

    title: str
    width: float
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


@dataclass
class Cell:
    """One table cell: text (wrapped), optional bold, and a hatched background flag."""

    text: str = ""
    bold: bool = False
    hatched: bool = False
    italic: bool = False


@dataclass
class Table:
    """A simple grid table that repeats its header on every page it spans."""

    columns: Sequence[Column]
    rows: list[Sequence[Cell | str]] = field(default_factory=list)
    size: float = 8.0
    pad: float = 3.0

    def _cell(self, value: Cell | str) -> Cell:
        return value if isinstance(value, Cell) else Cell(value)

    def header_height(self, canvas: Canvas) -> float:
        heading = font(self.size, bold=True)
        return self.pad * 2 + max(
            canvas.text_height(c.title, heading, c.width - 2 * self.pad) for c in self.columns
        )

    def row_height(self, canvas: Canvas, row: Sequence[Cell | str]) -> float:
        tallest = canvas.line_height(font(self.size))
        for column, value in zip(self.columns, row, strict=True):
            cell = self._cell(value)
            cell_font = font(self.size, cell.bold, cell.italic)
            tallest = max(
                tallest, canvas.text_height(cell.text, cell_font, column.width - 2 * self.pad)
            )
        return tallest + 2 * self.pad

    def paginate(self, canvas: Canvas, first_top: float, later_top: float) -> list[list[int]]:
        """Row indices per page: page 1 starts at ``first_top``, later pages at ``later_top``."""
        head = self.header_height(canvas)
        pages: list[list[int]] = [[]]
        y = first_top + head
        for index, row in enumerate(self.rows):
            h = self.row_height(canvas, row)
            if y + h > canvas.bottom and pages[-1]:
                pages.append([])
                y = later_top + head
            pages[-1].append(index)
            y += h
        return pages

    def draw(self, canvas: Canvas, top: float, indices: Sequence[int]) -> float:
        """Draw the header and the given rows from ``top``; return the y below the table."""
        x0 = canvas.left
        total_w = sum(c.width for c in self.columns)
        head = self.header_height(canvas)
        canvas.rect(x0, top, total_w, head, 0, fill=SHADE, color=None)
        heading = font(self.size, bold=True)
        x = x0
        for column in self.columns:
            canvas.text(
                x + self.pad,
                top + self.pad,
                column.width - 2 * self.pad,
                head,
                column.title,
                heading,
                column.align | Qt.AlignmentFlag.AlignTop,
            )
            x += column.width
        y = top + head
        canvas.line(x0, y, x0 + total_w, y, 0.8)
        for n, index in enumerate(indices):
            row = self.rows[index]
            h = self.row_height(canvas, row)
            if n % 2 == 1:
                canvas.rect(x0, y, total_w, h, 0, fill=LIGHT_SHADE, color=None)
            x = x0
            for column, value in zip(self.columns, row, strict=True):
                cell = self._cell(value)
                if cell.hatched:
                    canvas.hatch(x, y, column.width, h)
                canvas.text(
                    x + self.pad,
                    y + self.pad,
                    column.width - 2 * self.pad,
                    h - self.pad,
                    cell.text,
                    font(self.size, cell.bold, cell.italic),
                    column.align | Qt.AlignmentFlag.AlignTop,
                )
                x += column.width
            y += h
            canvas.line(x0, y, x0 + total_w, y, 0.5, RULE)
        canvas.rect(x0, top, total_w, y - top, 0.8)
        x = x0
        for column in self.columns[:-1]:
            x += column.width
            canvas.line(x, top, x, y, 0.5, RULE)
        return y


def scale_columns(widths: Sequence[float], total: float) -> list[float]:
    """Stretch relative ``widths`` to fill ``total`` points."""
    whole = sum(widths)
    return [w * total / whole for w in widths]


def page_size_of(size: QSizeF) -> PageSize:
    """The :class:`PageSize` closest to a size in points (for a printer chosen in a dialog)."""
    a4 = abs(size.width() - 595.28) + abs(size.height() - 841.89)
    letter = abs(size.width() - 612) + abs(size.height() - 792)
    return PageSize.A4 if a4 <= letter else PageSize.LETTER
