"""File > Print weekly sheet…, File > Export PDF… and the pharmacy request: preview, print, PDF.

The documents come from :mod:`taperdesk.printing` (the same as the command
line). Every dialog here has the same actions (Preview…, Print…, Export PDF…),
a paper choice and a "Name on printouts" field, saved as the ``person.name``
setting when a document is made (previewed, printed or exported).
The modal Qt dialogs are opened through the module-level functions
:func:`open_preview`, :func:`ask_printer` and :func:`ask_save_path`, which
tests replace with ``monkeypatch``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

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
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from taperdesk.app import settings
from taperdesk.errors import KnownError
from taperdesk.printing.document import PageSize, default_page_size, paint_document, prepare_device
from taperdesk.printing.weekly_sheet import MAX_WEEKS, coming_monday, week_start
from taperdesk.ui import dialogs
from taperdesk.ui.state import AppState

if TYPE_CHECKING:
    from taperdesk.core.compounding import CompoundingResult
    from taperdesk.core.titration import MethodSettings
    from taperdesk.printing.sources import PrintInputs

DOCUMENTS = ("weekly", "overview", "report", "pharmacy")
#: Longest name the header has room for, in characters.
MAX_NAME_LENGTH = 60


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
    """Paint ``document`` on ``printer`` (preview or real printer) at the printer's paper size.

    Qt's "Print to File" is written like Export PDF: whole or not at all, private (0600);
    raises ``OSError`` with a plain sentence when it cannot be written."""
    page = printer_page(printer)
    title = getattr(document, "title", "") or "TaperDesk"
    if not title.startswith("TaperDesk"):
        title = f"TaperDesk {title}"
    printer.setDocName(title)  # the job's name in the print queue ("TaperDesk weekly sheet …")
    # "Pages from 2 to 3" in the print dialog (it printed every page)
    page_range = None
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        page_range = (printer.fromPage(), printer.toPage() or printer.fromPage())
    # N copies: the printer makes them when it can (CUPS does); looping as well would
    # print N x N. Otherwise (print to file, some drivers) the pages are drawn N times.
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    target = printer.outputFileName()
    if target and printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        from taperdesk.printing.document import write_pdf

        return write_pdf(document, target, page, page_range=page_range, copies=copies)  # type: ignore[arg-type]
    printer.setFullPage(True)
    prepare_device(printer, page)
    return paint_document(document, printer, page, page_range=page_range, copies=copies)  # type: ignore[arg-type]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class DocumentDialog(QDialog):
    """The shared part: name on printouts, paper, message line, Preview/Print/Export buttons.

    Subclasses add their own rows to :attr:`form` and implement
    :meth:`build_document`.
    """

    #: File name suggested by Export PDF…, without ".pdf".
    file_stem = "taperdesk"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.name_edit = QLineEdit(self._saved_name())
        self.name_edit.setMaxLength(MAX_NAME_LENGTH)
        self.name_edit.setPlaceholderText("optional: printed in the header")
        self.name_edit.setClearButtonEnabled(True)
        self.page_box = QComboBox()
        for page in PageSize:
            self.page_box.addItem(page.label, page.value)
        self.page_box.setCurrentIndex(list(PageSize).index(self._saved_page()))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.preview_button = QPushButton("Pre&view…")
        self.print_button = QPushButton("&Print…")
        self.export_button = QPushButton("&Export PDF…")
        for button in (self.preview_button, self.print_button, self.export_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self._tail = (self.message, buttons)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_)
        self.export_button.clicked.connect(self.export_pdf)

    def finish_form(self) -> None:
        """Add the rows every dialog ends with (after the subclass's own rows)."""
        self.form.addRow("&Name on printouts:", self.name_edit)
        self.form.addRow("P&aper:", self.page_box)
        layout = self.layout()
        for widget in self._tail:
            layout.addWidget(widget)

    @property
    def page(self) -> PageSize:
        return PageSize(self.page_box.currentData())

    def _saved_page(self) -> PageSize:
        """The paper chosen last time, else the locale's."""
        try:
            saved = settings.read(self.state.database, settings.registry.PRINT_PAGE_SIZE)
        except KnownError:
            saved = ""
        return PageSize(saved) if saved else default_page_size()

    def save_choices(self) -> None:
        """Remember the paper (and a subclass's choices) for next time."""
        self._remember(settings.registry.PRINT_PAGE_SIZE, self.page.value)

    def remember(self, drug_key: str, result: CompoundingResult, first: dt.date) -> None:
        """Keep a pharmacy request's capsule strengths: the weekly sheets then say which of
        these capsules make each dose (not strengths worked out for the sheet's weeks)."""
        try:
            settings.remember_capsules(self.state.database, drug_key, result, first)
        except KnownError as error:
            self.message.setText(f"The capsule strengths could not be saved: {error}")

    def _remember(self, definition: settings.SettingDefinition, value: object) -> None:
        try:
            if settings.read(self.state.database, definition) != value:
                settings.write(self.state.database, definition, value)
        except KnownError as error:
            self.message.setText(f"Your choices could not be saved: {error}")

    # -- the name on printouts -----------------------------------------------------------

    def _saved_name(self) -> str:
        from taperdesk.printing.sources import load_person_name

        try:
            return load_person_name(self.state.database) or ""
        except KnownError:
            return ""

    @property
    def person_name(self) -> str | None:
        return self.name_edit.text().strip() or None

    def save_name(self) -> bool:
        """Store the field as the ``person.name`` setting; False (and a message) if refused."""
        from taperdesk.printing.sources import NAME_KEY
        from taperdesk.store.settings import set_setting

        name = self.person_name or ""
        if name == self._saved_name():
            return True
        try:
            set_setting(self.state.database, NAME_KEY, name)
        except KnownError as error:
            self.message.setText(f"The name could not be saved: {error}")
            return False
        return True

    # -- actions -------------------------------------------------------------------------

    def build_document(self) -> object | None:
        """The document to print, or None after showing why it cannot be made."""
        raise NotImplementedError

    def _document(self) -> object | None:
        self.save_name()
        self.save_choices()
        return self.build_document()

    def preview(self) -> None:
        document = self._document()
        if document is not None:
            open_preview(new_printer(self.page), document, self)

    def print_(self) -> None:
        document = self._document()
        if document is None:
            return
        printer = new_printer(self.page)
        if ask_printer(printer, self):
            try:
                print_document(document, printer)
            except OSError as error:  # "Print to File" on a full disk, say
                dialogs.show_error(self, KnownError("Could not print to the file", str(error)))
                return
            to_file = printer.outputFileName()
            self.message.setText(f"Saved to {to_file}." if to_file else "Sent to the printer.")

    def export_pdf(self) -> None:
        from taperdesk.printing.document import write_pdf

        document = self._document()
        if document is None:
            return
        suggested = str(self.state.data_dir.parent / f"{self.file_stem}.pdf")
        path = ask_save_path(self, suggested)
        if not path:
            return
        try:
            pages = write_pdf(document, path, self.page)  # type: ignore[arg-type]
        except OSError as error:
            dialogs.show_error(self, KnownError("Could not export the PDF", str(error)))
            return
        alone = getattr(document, "alone", 0)
        more = (
            f" {alone} week(s) did not fit two a page and had a page of their own." if alone else ""
        )
        self.message.setText(f"Saved {pages} page(s) to {path}.{more}")


class PrintSheetDialog(DocumentDialog):
    """Choose the document, the week(s) or date range, and the paper; then preview or export."""

    def __init__(
        self,
        state: AppState,
        parent: QWidget | None = None,
        export: bool = False,
        document: str = "weekly",
    ):
        super().__init__(state, parent)
        self.export = export
        titles = {"weekly": "Print weekly sheet", "report": "Print report for the prescriber"}
        self.setWindowTitle("Export PDF" if export else titles.get(document, "Print"))
        form = self.form
        self.document_box = QComboBox()
        self.document_box.addItem("Weekly dosing sheet(s)", "weekly")
        self.document_box.addItem("Plan overview", "overview")
        self.document_box.addItem("Report for the prescriber", "report")
        self.document_box.addItem("Pharmacy request (compounded capsules)", "pharmacy")
        self.document_box.setCurrentIndex(max(0, self.document_box.findData(document)))
        form.addRow("&Document:", self.document_box)
        self.week_edit = QDateEdit(_qdate(coming_monday()))
        self.week_edit.setCalendarPopup(True)
        self.week_edit.setDisplayFormat("ddd d MMM yyyy")
        self.week_edit.dateChanged.connect(self._snap_to_monday)
        form.addRow("&Week starting:", self.week_edit)
        self.weeks_spin = QSpinBox()
        self.weeks_spin.setRange(1, MAX_WEEKS)
        form.addRow("Num&ber of weeks:", self.weeks_spin)
        self.per_page_box = QComboBox()
        self.per_page_box.addItem("One week a page", 1)
        self.per_page_box.addItem("Two weeks a page, where they fit", 2)
        form.addRow("Wee&ks a page:", self.per_page_box)
        self.measure_box = QComboBox()
        self.measure_box.setToolTip(
            "What each dose on the sheet says to measure: the equipment saved on the "
            "Titration tab, measured one way or another, or only the mg."
        )
        form.addRow("&Measure with:", self.measure_box)
        self._fill_measures()
        today = dt.date.today()
        self.from_edit = QDateEdit(_qdate(today - dt.timedelta(days=27)))
        self.to_edit = QDateEdit(_qdate(today))
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        form.addRow("Report &from:", self.from_edit)
        form.addRow("Report &to:", self.to_edit)
        from taperdesk.printing.pharmacy_request import MAX_SUPPLY_DAYS

        # A supply starts now (not four weeks ago, like a report's range).
        self.supply_from_edit = QDateEdit(_qdate(today))
        self.supply_from_edit.setCalendarPopup(True)
        self.supply_from_edit.setDisplayFormat("ddd d MMM yyyy")
        form.addRow("Supply &from:", self.supply_from_edit)
        self.supply_spin = QSpinBox()
        self.supply_spin.setRange(1, MAX_SUPPLY_DAYS)
        self.supply_spin.setValue(28)
        self.supply_spin.setSuffix(" days")
        form.addRow("&Supply for:", self.supply_spin)
        self.finish_form()
        self.document_box.currentIndexChanged.connect(self._update_fields)
        self._update_fields()

    # -- choices -------------------------------------------------------------------------

    def _saved_method(self) -> MethodSettings | None:
        from taperdesk.printing.sources import load_method

        try:
            return load_method(self.state.database)
        except KnownError:
            return None

    def _fill_measures(self) -> None:
        """Each way the saved equipment can measure, the saved one first; then only the mg.
        The choice made last time is selected again when it is still offered."""
        from dataclasses import replace

        from taperdesk.core.sheet_measure import methods_offered, short_equipment

        saved = self._saved_method()
        offered = methods_offered(saved)
        for index, kind in enumerate(offered):
            label = short_equipment(replace(saved, kind=kind))  # type: ignore[type-var]
            label += " (the Titration tab's)" if index == 0 else ""
            self.measure_box.addItem(label, kind.value)
        self.measure_box.addItem("Only the mg (nothing to measure)", "none")
        try:
            saved = settings.read(self.state.database, settings.registry.PRINT_MEASURE)
            per_page = settings.read(self.state.database, settings.registry.PRINT_WEEKS_PER_PAGE)
        except KnownError:
            saved, per_page = "saved", 1
        found = self.measure_box.findData(saved)
        self.measure_box.setCurrentIndex(found if found >= 0 else 0)
        self.per_page_box.setCurrentIndex(max(0, self.per_page_box.findData(per_page)))

    def save_choices(self) -> None:
        super().save_choices()
        if self.document_kind != "weekly":
            return
        measure = self.measure_box.currentData()
        if self.measure_box.currentIndex() == 0 and measure != "none":
            measure = "saved"  # follows the Titration tab when its method changes
        self._remember(settings.registry.PRINT_MEASURE, measure)
        self._remember(settings.registry.PRINT_WEEKS_PER_PAGE, self.per_page_box.currentData())

    def _measured(self, inputs: PrintInputs) -> PrintInputs:
        """The inputs with the way of measuring chosen here."""
        from taperdesk.printing.weekly_sheet import measured_with

        return measured_with(inputs, self.measure_box.currentData())

    @property
    def document_kind(self) -> str:
        return self.document_box.currentData()

    @property
    def file_stem(self) -> str:  # type: ignore[override]
        return f"taperdesk-{self.document_kind}"

    def _snap_to_monday(self, day: QDate) -> None:
        monday = _qdate(week_start(_pydate(day)))
        if monday != day:
            self.week_edit.setDate(monday)

    def _update_fields(self) -> None:
        kind = self.document_kind
        weekly, report, pharmacy = kind == "weekly", kind == "report", kind == "pharmacy"
        for widget, show in (
            (self.week_edit, weekly),
            (self.weeks_spin, weekly),
            (self.per_page_box, weekly),
            (self.measure_box, weekly),
            (self.from_edit, report),
            (self.to_edit, report),
            (self.supply_from_edit, pharmacy),
            (self.supply_spin, pharmacy),
        ):
            widget.setEnabled(show)
            self.form.setRowVisible(widget, show)  # only the rows this document uses
        self.adjustSize()

    def build_document(self) -> object | None:
        """The chosen document, or None after showing why it cannot be made."""
        from taperdesk.core.titration import TitrationInputError
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
            if self.document_kind == "pharmacy":
                first = _pydate(self.supply_from_edit.date())
                document = pharmacy_document_for_plan(inputs, first, self.supply_spin.value())
                self.remember(inputs.plan.taper_drug_key, document.result, first)  # type: ignore[attr-defined]
                return document
            monday = _pydate(self.week_edit.date())
            return WeeklySheetDocument(
                self._measured(inputs),
                monday,
                self.weeks_spin.value(),
                weeks_per_page=self.per_page_box.currentData(),
            )
        except TitrationInputError as error:
            self.message.setText(f"No pharmacy request for these days: {error.message}")
            return None
        except (sources.NoPlanError, ValueError, KnownError) as error:
            self.message.setText(str(error))
            return None


def pharmacy_document_for_plan(inputs: PrintInputs, first: dt.date, supply_days: int) -> object:
    """The pharmacy request for ``supply_days`` days of the saved plan from ``first``.

    Raises ``TitrationInputError`` when the plan has no dose in those days.
    """
    from taperdesk.printing.pharmacy_request import (
        PharmacyRequestDocument,
        compounding_for,
        other_drug_doses,
        supply_doses,
    )

    plan = inputs.plan
    return PharmacyRequestDocument(
        compounding_for(inputs, first, supply_days),
        inputs.catalogue.get(plan.taper_drug_key).name,
        first,
        inputs.person_name,
        supply_doses(inputs, first, supply_days),
        plan.labels,
        other_drug_doses(inputs, first, supply_days),
    )


class PharmacyRequestDialog(DocumentDialog):
    """Print or export the Compounding page's current result as a pharmacy request."""

    file_stem = "taperdesk-pharmacy-request"

    def __init__(
        self,
        state: AppState,
        result: CompoundingResult,
        first: dt.date,
        daily_doses_mg: Sequence[tuple[float, ...]] = (),
        drug_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(state, parent)
        self.setWindowTitle("Pharmacy request")
        self.result = result
        self.first = first
        self.daily_doses_mg = tuple(daily_doses_mg)
        self.drug_name = drug_name
        last = first + dt.timedelta(days=result.supply_days - 1)
        strengths = len(result.strengths_mg)
        summary = QLabel(
            f"{strengths} capsule strength{'s' if strengths != 1 else ''} for "
            f"{result.supply_days} days, {first.isoformat()} to {last.isoformat()}."
        )
        summary.setWordWrap(True)
        self.form.addRow(summary)
        self.finish_form()

    def _labels(self) -> tuple[str, ...]:
        from taperdesk.printing import sources

        try:
            return sources.load_plan(self.state.database).plan.labels
        except (sources.NoPlanError, KnownError):
            return ()

    def build_document(self) -> object | None:
        from taperdesk.printing.pharmacy_request import PharmacyRequestDocument

        drug = self.drug_name or "Compounded capsules"
        from taperdesk.printing import sources

        try:
            key = sources.load_plan(self.state.database).plan.taper_drug_key
        except (sources.NoPlanError, KnownError):
            key = None
        if key is not None:
            self.remember(key, self.result, self.first)
        return PharmacyRequestDocument(
            self.result,
            drug[:1].upper() + drug[1:],
            self.first,
            self.person_name,
            self.daily_doses_mg,
            self._labels(),
            self._other_doses(),
        )

    def _other_doses(self) -> tuple[tuple[str, ...], ...]:
        """During a switch, the other drug still taken at each dosing time: the calendar
        names it where no capsule is taken (as the Export PDF request does)."""
        from taperdesk.printing import sources
        from taperdesk.printing.pharmacy_request import other_drug_doses

        try:
            inputs = sources.load_inputs(self.state.database)
        except (sources.NoPlanError, KnownError):
            return ()
        return other_drug_doses(inputs, self.first, self.result.supply_days)
