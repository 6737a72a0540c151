"""File > Print weekly sheet… and Export PDF…: week picker, real preview pages, print, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

from taperdesk.printing.document import PageSize
from taperdesk.ui import print_dialogs
from taperdesk.ui.print_dialogs import PrintSheetDialog


@pytest.fixture
def saved_plan(database):
    from support.printing_samples import sample_plan

    from taperdesk.store.plans import save_new_plan

    save_new_plan(database, sample_plan(), "Mine")


def test_actions_are_enabled_with_ctrl_p(main_window) -> None:
    assert main_window.action_print_sheet.isEnabled()
    assert main_window.action_export_pdf.isEnabled()
    assert main_window.action_print_sheet.shortcut().toString() == "Ctrl+P"


def test_ctrl_p_opens_the_print_dialog(main_window, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(PrintSheetDialog, "exec", lambda self: opened.append(self.export) or 0)
    main_window.action_print_sheet.trigger()
    main_window.action_export_pdf.trigger()
    assert opened == [False, True]


def test_week_picker_snaps_to_monday(qtbot, app_state) -> None:
    dialog = PrintSheetDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.week_edit.setDate(QDate(2027, 1, 21))  # a Thursday
    assert dialog.week_edit.date() == QDate(2027, 1, 18)
    assert dialog.week_edit.date().dayOfWeek() == 1


def test_preview_shows_the_real_pages(qtbot, app_state, saved_plan, monkeypatch) -> None:
    seen = {}

    class NonModalPreview(print_dialogs.QPrintPreviewDialog):
        def exec(self) -> int:
            self.show()
            qtbot.waitExposed(self)
            widget = self.findChild(QPrintPreviewWidget)
            widget.updatePreview()
            seen["pages"] = widget.pageCount()
            seen["page"] = self.printer().pageLayout().pageSize().id()
            self.close()
            return 0

    monkeypatch.setattr(print_dialogs, "QPrintPreviewDialog", NonModalPreview)
    dialog = PrintSheetDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.week_edit.setDate(QDate(2027, 1, 18))
    dialog.weeks_spin.setValue(3)
    dialog.page_box.setCurrentIndex(list(PageSize).index(PageSize.LETTER))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert seen["pages"] == 3
    from PySide6.QtGui import QPageSize

    assert seen["page"] == QPageSize.PageSizeId.Letter


def print_week_to_pdf(qtbot, app_state, monkeypatch, target, copies: int = 1):
    """The week of 18 Jan 2027 printed from the dialog, the person having chosen Qt's
    "Print to File" as ``target`` (and ``copies``); the dialog."""

    def fake_ask(printer: QPrinter, parent) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setCopyCount(copies)
        return True

    monkeypatch.setattr(print_dialogs, "ask_printer", fake_ask)
    dialog = PrintSheetDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.week_edit.setDate(QDate(2027, 1, 18))
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    return dialog


def test_print_goes_through_the_print_dialog(qtbot, app_state, saved_plan, monkeypatch, tmp_path):
    target = tmp_path / "printed.pdf"
    dialog = print_week_to_pdf(qtbot, app_state, monkeypatch, target)
    from pypdf import PdfReader

    assert len(PdfReader(str(target)).pages) == 1
    # Qt's "Print to File" is written like Export PDF: whole, private (issue 15 point 6).
    assert dialog.message.text() == f"Saved to {target}."
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("kind", ["weekly", "overview", "report", "pharmacy"])
def test_export_pdf_of_each_document(qtbot, app_state, saved_plan, monkeypatch, tmp_path, kind):
    target = tmp_path / f"{kind}.pdf"
    monkeypatch.setattr(print_dialogs, "ask_save_path", lambda parent, suggested: str(target))
    dialog = PrintSheetDialog(app_state, export=True)
    qtbot.addWidget(dialog)
    dialog.document_box.setCurrentIndex(print_dialogs.DOCUMENTS.index(kind))
    assert dialog.from_edit.isEnabled() == (kind == "report")
    assert dialog.supply_spin.isEnabled() == (kind == "pharmacy")
    # Only the rows the document uses are shown.
    assert dialog.week_edit.isVisibleTo(dialog) == (kind == "weekly")
    assert dialog.to_edit.isVisibleTo(dialog) == (kind == "report")
    assert dialog.supply_from_edit.isVisibleTo(dialog) == (kind == "pharmacy")
    dialog.from_edit.setDate(QDate(2027, 1, 6))
    dialog.supply_from_edit.setDate(QDate(2027, 1, 6))
    dialog.to_edit.setDate(QDate(2027, 2, 6))
    dialog.week_edit.setDate(QDate(2027, 1, 18))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF")
    assert dialog.message.text().startswith("Saved ")


def test_without_a_plan_the_dialog_says_so(qtbot, app_state, monkeypatch) -> None:
    called = []
    monkeypatch.setattr(print_dialogs, "open_preview", lambda *a: called.append(a))
    dialog = PrintSheetDialog(app_state)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert called == [] and "No saved plan" in dialog.message.text()


def test_cancelled_export_writes_nothing(qtbot, app_state, saved_plan, monkeypatch, tmp_path):
    monkeypatch.setattr(print_dialogs, "ask_save_path", lambda parent, suggested: None)
    dialog = PrintSheetDialog(app_state, export=True)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "" and not list(Path(tmp_path).glob("*.pdf"))


def pdf_text(path: Path) -> str:
    import re

    from pypdf import PdfReader

    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(path)).pages))


def test_name_on_printouts_is_saved_and_printed(
    qtbot, app_state, saved_plan, monkeypatch, tmp_path
):
    from taperdesk.printing.sources import NAME_KEY
    from taperdesk.store.settings import get_setting

    target = tmp_path / "named.pdf"
    monkeypatch.setattr(print_dialogs, "ask_save_path", lambda parent, suggested: str(target))
    dialog = PrintSheetDialog(app_state, export=True)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == ""
    qtbot.keyClicks(dialog.name_edit, "  Robin Q. Example ")
    dialog.week_edit.setDate(QDate(2027, 1, 18))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert get_setting(app_state.database, NAME_KEY) == "Robin Q. Example"
    assert "Robin Q. Example" in pdf_text(target)
    again = PrintSheetDialog(app_state)
    qtbot.addWidget(again)
    assert again.name_edit.text() == "Robin Q. Example"
    again.name_edit.clear()
    again.save_name()
    assert get_setting(app_state.database, NAME_KEY) == ""


def test_pharmacy_request_from_the_export_dialog(
    qtbot, app_state, saved_plan, monkeypatch, tmp_path
):
    target = tmp_path / "pharmacy.pdf"
    monkeypatch.setattr(print_dialogs, "ask_save_path", lambda parent, suggested: str(target))
    dialog = PrintSheetDialog(app_state, export=True)
    qtbot.addWidget(dialog)
    dialog.document_box.setCurrentIndex(print_dialogs.DOCUMENTS.index("pharmacy"))
    assert dialog.form.labelForField(dialog.supply_from_edit).text() == "Supply &from:"
    assert dialog.supply_from_edit.date() == QDate.currentDate()  # a supply starts now
    dialog.supply_from_edit.setDate(QDate(2027, 1, 18))
    dialog.supply_spin.setValue(14)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    text = pdf_text(target)
    assert "Compounding request" in text and "14 days: 18 Jan 2027 – 31 Jan 2027" in text
    dialog.supply_from_edit.setDate(QDate(2040, 1, 1))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("No pharmacy request for these days")


def test_compounding_page_prints_its_result(qtbot, app_state, saved_plan, monkeypatch, tmp_path):
    from taperdesk.ui.titration_tab import TitrationTab

    target = tmp_path / "request.pdf"
    monkeypatch.setattr(print_dialogs, "ask_save_path", lambda parent, suggested: str(target))
    previews = []
    monkeypatch.setattr(print_dialogs, "open_preview", lambda *args: previews.append(args) or 0)

    def run_dialog(self) -> int:
        qtbot.mouseClick(self.preview_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(self.export_button, Qt.MouseButton.LeftButton)
        return 0

    monkeypatch.setattr(print_dialogs.PharmacyRequestDialog, "exec", run_dialog)
    tab = TitrationTab(app_state)
    qtbot.addWidget(tab)
    tab.date_edit.setDate(QDate(2027, 1, 18))
    tab.method_list.setCurrentRow(tab.pages.index(tab.compounding_page))
    assert not tab.pharmacy_button.isEnabled()
    tab.compounding_page.compute_now()
    result = tab.compounding_page.last_result
    assert result is not None and tab.pharmacy_button.isEnabled()
    qtbot.mouseClick(tab.pharmacy_button, Qt.MouseButton.LeftButton)
    assert len(previews) == 1
    text = pdf_text(target)
    assert "Clonazepam" in text
    import datetime as dt

    from taperdesk.printing.weekly_sheet import short_date

    last = dt.date(2027, 1, 18) + dt.timedelta(days=result.supply_days - 1)
    assert f"{result.supply_days} days: 18 Jan 2027 – {short_date(last, True)}" in text
    for count in result.counts:
        assert f"{count.strength_mg:g} mg {count.count}" in text
    assert "When each dose is taken" in text
    tab.save_settings()  # nothing left waiting for the database after the test


def test_the_print_dialogs_page_range_and_a_job_name(
    qtbot, app_state, saved_plan, monkeypatch, tmp_path
) -> None:
    """Issue 17 point 4: "Pages from 2 to 3" printed every page, and the job had no name."""
    target = tmp_path / "two-pages.pdf"
    used: list[QPrinter] = []

    def fake_ask(printer: QPrinter, parent) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 3)
        used.append(printer)
        return True

    monkeypatch.setattr(print_dialogs, "ask_printer", fake_ask)
    dialog = PrintSheetDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.week_edit.setDate(QDate(2027, 1, 18))
    dialog.weeks_spin.setValue(4)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    from pypdf import PdfReader

    pages = PdfReader(str(target)).pages
    assert len(pages) == 2
    first = " ".join(pages[0].extract_text().split())
    assert "Page 2 of 4" in first and "Mon 25 Jan" in first  # the second week, first
    assert used[0].docName() == "TaperDesk weekly sheet 18 Jan – 14 Feb 2027"


def test_the_sheet_measures_as_chosen_in_the_dialog_and_remembers(
    qtbot, app_state, saved_plan, database
) -> None:
    """Issue 17 point 8: the sheet used whichever Titration page was looked at last (after a
    look at Tablets, every dose printed "no exact tablets for 0.479 mg")."""
    from support.printing_samples import LIQUID

    from taperdesk.store.settings import set_setting

    tablets_last = {
        **LIQUID, "kind": "tablets", "page": 2,
        "strengths": [{"strength_mg": 0.5, "scoring": "scored"}],
    }  # fmt: skip
    set_setting(database, "titration.method", tablets_last)
    dialog = PrintSheetDialog(app_state)
    qtbot.addWidget(dialog)
    offered = [dialog.measure_box.itemData(i) for i in range(dialog.measure_box.count())]
    assert offered[0] == "tablets" and "liquid" in offered and offered[-1] == "none"
    dialog.measure_box.setCurrentIndex(offered.index("liquid"))
    dialog.per_page_box.setCurrentIndex(1)
    dialog.page_box.setCurrentIndex(list(PageSize).index(PageSize.LETTER))
    dialog.week_edit.setDate(QDate(2027, 1, 18))
    document = dialog._document()
    measures = {d.measure for w in document.weeks() for day in w.days for d in day.doses}
    assert measures and all(m.strip().endswith("mL") for m in measures), measures
    assert document.weeks_per_page == 2
    again = PrintSheetDialog(app_state)
    qtbot.addWidget(again)
    assert again.measure_box.currentData() == "liquid"
    assert again.per_page_box.currentData() == 2
    assert again.page == PageSize.LETTER
    again.measure_box.setCurrentIndex(again.measure_box.count() - 1)  # only the mg
    document = again._document()
    cells = [d for w in document.weeks() for day in w.days for d in day.doses]
    assert all(d.measure == d.amounts[0] for d in cells)


def test_copies_are_drawn_only_when_the_printer_cannot_make_them(
    qtbot, app_state, saved_plan, monkeypatch, tmp_path
) -> None:
    """N copies: looping when the printer makes copies itself would print N x N."""
    target = tmp_path / "copies.pdf"
    dialog = print_week_to_pdf(qtbot, app_state, monkeypatch, target, copies=2)
    from pypdf import PdfReader

    assert len(PdfReader(str(target)).pages) == 2  # a PDF file cannot make copies itself
    printed: list[int] = []

    class Copier(QPrinter):
        def supportsMultipleCopies(self) -> bool:
            return True

    printer = Copier(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "once.pdf"))
    printer.setCopyCount(3)
    printed.append(print_dialogs.print_document(dialog._document(), printer))
    assert printed == [1]  # the printer makes the 3 copies


def test_print_report_opens_the_dialog_on_the_report(main_window, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(
        PrintSheetDialog, "exec", lambda self: opened.append(self.document_kind) or 0
    )
    main_window.action_print_report.trigger()
    assert opened == ["report"]


def test_the_compounding_request_names_the_other_drug_during_a_switch(
    qtbot, app_state, database
) -> None:
    """Titration > Compounding's request said "no capsule" where the other drug is taken."""
    import datetime as dt

    from support.printing_samples import sample_plan

    from taperdesk.core.plan import Crossover
    from taperdesk.printing import sources
    from taperdesk.printing.pharmacy_request import compounding_for, supply_doses
    from taperdesk.store.plans import save_new_plan
    from taperdesk.ui.print_dialogs import PharmacyRequestDialog

    plan = sample_plan(crossover=Crossover("diazepam", (), 7), holds=(), rounding_mg=0.5)
    save_new_plan(database, plan, "Switch")
    inputs = sources.load_inputs(database)
    first = plan.start_date + dt.timedelta(days=1)  # one dose moved, the other not yet
    result = compounding_for(inputs, first, 14, step_mg=0.5)
    dialog = PharmacyRequestDialog(
        app_state, result, first, supply_doses(inputs, first, 14), "diazepam"
    )
    qtbot.addWidget(dialog)
    document = dialog.build_document()
    named = {text for day in document.other_doses for text in day if text}
    assert any("clonazepam" in text for text in named), named
