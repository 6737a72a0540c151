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


def test_print_goes_through_the_print_dialog(qtbot, app_state, saved_plan, monkeypatch, tmp_path):
    target = tmp_path / "printed.pdf"

    def fake_ask(printer: QPrinter, parent) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(print_dialogs, "ask_printer", fake_ask)
    dialog = PrintSheetDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.week_edit.setDate(QDate(2027, 1, 18))
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    from pypdf import PdfReader

    assert len(PdfReader(str(target)).pages) == 1
    assert dialog.message.text() == "Sent to the printer."


@pytest.mark.parametrize("kind", ["weekly", "overview", "report"])
def test_export_pdf_of_each_document(qtbot, app_state, saved_plan, monkeypatch, tmp_path, kind):
    target = tmp_path / f"{kind}.pdf"
    monkeypatch.setattr(print_dialogs, "ask_save_path", lambda parent, suggested: str(target))
    dialog = PrintSheetDialog(app_state, export=True)
    qtbot.addWidget(dialog)
    dialog.document_box.setCurrentIndex(print_dialogs.DOCUMENTS.index(kind))
    assert dialog.from_edit.isEnabled() == (kind == "report")
    dialog.from_edit.setDate(QDate(2027, 1, 6))
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
