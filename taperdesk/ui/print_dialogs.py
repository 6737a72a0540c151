"""File > Print weekly sheet… and File > Export PDF…: week picker, preview, print, export.

The documents come from :mod:`taperdesk.printing` (the same as the command
line). The modal Qt dialogs are opened through the module-level functions
:func:`open_preview`, :func:`ask_printer` and :func:`ask_save_path`, which
tests replace with ``monkeypatch``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from taperdesk.errors import KnownError
from taperdesk.printing.document import PageSize, default_page_size, paint_document, prepare_device
from taperdesk.printing.weekly_sheet import MAX_WEEKS, coming_monday, week_start
from taperdesk.ui import dialogs
from taperdesk.ui.state import AppState

DOCUMENTS = ("weekly", "overview", "report")


def open_preview(printer: QPrinter, document: object, parent: QWidget | None) -> int:
    """Show the real pages in ``QPrintPreviewDialog``; its Print button prints them."""
    preview = QPrintPreviewDialog(printer, parent)
    preview.setWindowTitle("Print preview")
    preview.paintRequested.connect(lambda p: print_document(document, p))
    return preview.exec()


def ask_printer(printer: QPrinter, parent: QWidget | None) -> bool:
    """Qt's print dialog (any installed printer); True when the user chose to print."""
    return QPrintDialog(printer, parent).exec() == QDialog.DialogCode.Accepted


def ask_save_path(parent: QWidget | None, suggested: str) -> str | None:
    path, _filter = QFileDialog.getSaveFileName(parent, "Export PDF", suggested, "PDF (*.pdf)")
    return path or None


def new_printer(page: PageSize) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    prepare_device(printer, page)
    return printer


def printer_page(printer: QPrinter) -> PageSize:
    from PySide6.QtGui import QPageSize

    from taperdesk.printing.document import page_size_of

    return page_size_of(printer.pageLayout().pageSize().size(QPageSize.Unit.Point))


def print_document(document: object, printer: QPrinter) -> int:
    """Paint ``document`` on ``printer`` (preview or real printer) at the printer's paper size."""
    page = printer_page(printer)
    printer.setFullPage(True)
    prepare_device(printer, page)
    return paint_document(document, printer, page)  # type: ignore[arg-type]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class PrintSheetDialog(QDialog):
    """Choose the document, the week(s) or date range, and the paper; then preview or export."""

    def __init__(self, state: AppState, parent: QWidget | None = None, export: bool = False):
        super().__init__(parent)
        self.state = state
        self.export = export
        self.setWindowTitle("Export PDF" if export else "Print weekly sheet")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.document_box = QComboBox()
        self.document_box.addItem("Weekly dosing sheet(s)", "weekly")
        self.document_box.addItem("Plan overview", "overview")
        self.document_box.addItem("Report for the prescriber", "report")
        self.document_box.setVisible(export)
        if export:
            form.addRow("&Document:", self.document_box)
        self.week_edit = QDateEdit(_qdate(coming_monday()))
        self.week_edit.setCalendarPopup(True)
        self.week_edit.setDisplayFormat("ddd d MMM yyyy")
        self.week_edit.dateChanged.connect(self._snap_to_monday)
        form.addRow("&Week starting:", self.week_edit)
        self.weeks_spin = QSpinBox()
        self.weeks_spin.setRange(1, MAX_WEEKS)
        self.weeks_spin.setSuffix(" week(s), one page each")
        form.addRow("&Number of weeks:", self.weeks_spin)
        today = dt.date.today()
        self.from_edit = QDateEdit(_qdate(today - dt.timedelta(days=27)))
        self.to_edit = QDateEdit(_qdate(today))
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        form.addRow("Report &from:", self.from_edit)
        form.addRow("Report &to:", self.to_edit)
        self.page_box = QComboBox()
        for page in PageSize:
            self.page_box.addItem(page.label, page.value)
        self.page_box.setCurrentIndex(list(PageSize).index(default_page_size()))
        form.addRow("&Paper:", self.page_box)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.preview_button = QPushButton("Pre&view…")
        self.print_button = QPushButton("&Print…")
        self.export_button = QPushButton("&Export PDF…")
        for button in (self.preview_button, self.print_button, self.export_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_)
        self.export_button.clicked.connect(self.export_pdf)
        self.document_box.currentIndexChanged.connect(self._update_fields)
        self._update_fields()

    # -- choices -------------------------------------------------------------------------

    @property
    def document_kind(self) -> str:
        return self.document_box.currentData()

    @property
    def page(self) -> PageSize:
        return PageSize(self.page_box.currentData())

    def _snap_to_monday(self, day: QDate) -> None:
        monday = _qdate(week_start(_pydate(day)))
        if monday != day:
            self.week_edit.setDate(monday)

    def _update_fields(self) -> None:
        weekly, report = self.document_kind == "weekly", self.document_kind == "report"
        for widget, show in (
            (self.week_edit, weekly),
            (self.weeks_spin, weekly),
            (self.from_edit, report),
            (self.to_edit, report),
        ):
            widget.setEnabled(show)

    def build_document(self) -> object | None:
        """The chosen document, or None after showing why it cannot be made."""
        from taperdesk.printing import sources
        from taperdesk.printing.plan_overview import PlanOverviewDocument
        from taperdesk.printing.prescriber_report import PrescriberReportDocument
        from taperdesk.printing.weekly_sheet import WeeklySheetDocument

        database = self.state.database
        try:
            inputs = sources.load_inputs(database)
            if self.document_kind == "overview":
                return PlanOverviewDocument(inputs)
            if self.document_kind == "report":
                first, last = _pydate(self.from_edit.date()), _pydate(self.to_edit.date())
                diary = sources.load_diary(database, first, last, inputs.plan.taper_drug_key)
                return PrescriberReportDocument(inputs, diary, first, last)
            monday = _pydate(self.week_edit.date())
            return WeeklySheetDocument(inputs, monday, self.weeks_spin.value())
        except (sources.NoPlanError, ValueError, KnownError) as error:
            self.message.setText(str(error))
            return None

    # -- actions -------------------------------------------------------------------------

    def preview(self) -> None:
        document = self.build_document()
        if document is not None:
            open_preview(new_printer(self.page), document, self)

    def print_(self) -> None:
        document = self.build_document()
        if document is None:
            return
        printer = new_printer(self.page)
        if ask_printer(printer, self):
            print_document(document, printer)
            self.message.setText("Sent to the printer.")

    def export_pdf(self) -> None:
        from taperdesk.printing.document import write_pdf

        document = self.build_document()
        if document is None:
            return
        suggested = str(self.state.data_dir.parent / f"taperdesk-{self.document_kind}.pdf")
        path = ask_save_path(self, suggested)
        if not path:
            return
        try:
            pages = write_pdf(document, path, self.page)  # type: ignore[arg-type]
        except OSError as error:
            dialogs.show_error(self, KnownError("Could not export the PDF", str(error)))
            return
        self.message.setText(f"Saved {pages} page(s) to {path}.")
