"""``taperdesk sheet``, ``report`` and ``overview``: PDFs from the command line, one-line errors."""

from __future__ import annotations

import argparse
import datetime as dt
import io
from pathlib import Path

import pytest

from taperdesk.commands import CommandContext, CommandError
from taperdesk.commands import sheet as sheet_command

PLAN = ["--drug", "clonazepam", "--doses", "morning=0.5,night=0.5", "--start", "2027-01-04"]


@pytest.fixture(autouse=True)
def _app(qapp):
    """A QApplication first (the command line itself makes a QGuiApplication when alone)."""
    return qapp


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="taperdesk")
    sheet_command.register(root.add_subparsers(dest="command"))
    return root


def run(tmp_path: Path, *argv: str) -> str:
    args = parser().parse_args(list(argv))
    out = io.StringIO()
    assert args.handler(args, CommandContext(data_dir=tmp_path / "data", out=out)) == 0
    return out.getvalue()


def error_of(tmp_path: Path, *argv: str) -> CommandError:
    args = parser().parse_args(list(argv))
    with pytest.raises(CommandError) as caught:
        args.handler(args, CommandContext(data_dir=tmp_path / "data", out=io.StringIO()))
    assert "\n" not in str(caught.value) and caught.value.exit_code != 0
    return caught.value


def page_count_and_size(path: Path) -> tuple[int, float, float]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    box = reader.pages[0].mediabox
    return len(reader.pages), float(box.width), float(box.height)


def test_sheet_for_plan_options_writes_one_page_a_week(tmp_path: Path) -> None:
    out = tmp_path / "weeks.pdf"
    text = run(
        tmp_path,
        "sheet",
        *PLAN,
        "--week",
        "2027-01-20",
        "--weeks",
        "3",
        "--page",
        "letter",
        "-o",
        str(out),
    )
    assert text == f"Wrote 3 pages (Letter) to {out}\n"
    pages, width, height = page_count_and_size(out)
    assert (pages, round(width), round(height)) == (3, 612, 792)
    from pypdf import PdfReader

    first = " ".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "18 Jan" in first and "24 Jan" in first  # the week containing 20 Jan


def test_sheet_defaults_to_the_coming_week_on_a4(tmp_path: Path, monkeypatch) -> None:
    from taperdesk.printing import document

    monkeypatch.setattr(document, "default_page_size", lambda locale=None: document.PageSize.A4)
    out = tmp_path / "week.pdf"
    start = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    run(tmp_path, "sheet", "--drug", "diazepam", "--dose", "10", "--start", start, "-o", str(out))
    pages, width, height = page_count_and_size(out)
    assert (pages, round(width), round(height)) == (1, 595, 842)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sheet", *PLAN], "-o: give the PDF file to write"),
        (["sheet", *PLAN, "-o", "x.pdf", "--week", "next week"], "--week: use a date like"),
        (["sheet", *PLAN, "-o", "x.pdf", "--weeks", "0"], "--weeks: give a whole number"),
        (["sheet", *PLAN, "-o", "x.pdf", "--weeks", "abc"], "--weeks: give a whole number"),
        (["sheet", *PLAN, "-o", "x.pdf", "--page", "a3"], "--page: use a4 or letter."),
        (["sheet", *PLAN, "-o", "x.pdf", "--week", "2040-01-01"], "--week: the plan ends on"),
        (["sheet", "--drug", "clonazepam", "-o", "x.pdf"], "--dose: give the daily dose"),
        (["sheet", "-o", "x.pdf"], "No saved plan yet"),
        (["report", "-o", "x.pdf", "--to", "2027-01-01"], "--from: give the first day"),
        (["report", "-o", "x.pdf", "--from", "2027-01-01"], "--to: give the last day"),
        (["report", "-o", "x.pdf", "--from", "2027-02-01", "--to", "2027-01-01"], "--to: the last"),
        (["report", "-o", "x.pdf", "--from", "2027-01-01", "--to", "2027-02-01"], "No saved plan"),
        (["overview", "-o", "x.pdf"], "No saved plan yet"),
    ],
)
def test_bad_options_give_one_line(tmp_path: Path, argv: list[str], message: str) -> None:
    assert message in str(error_of(tmp_path, *argv))


def test_an_unwritable_output_is_exit_code_1(tmp_path: Path) -> None:
    error = error_of(tmp_path, "sheet", *PLAN, "-o", str(tmp_path / "missing" / "x.pdf"))
    assert error.exit_code == 1 and "does not exist" in str(error)


def test_saved_plan_report_and_overview(tmp_path: Path) -> None:
    from support.printing_samples import START, sample_plan

    from taperdesk.core.diary import DiaryEntry, DoseTaken
    from taperdesk.store.diary import save_entry
    from taperdesk.store.opening import open_user_database
    from taperdesk.store.plans import save_new_plan

    database = open_user_database(tmp_path / "data")
    save_new_plan(database, sample_plan(), "Mine")
    save_entry(database, DiaryEntry(START, doses=(DoseTaken("morning", "clonazepam", 0.45),)))
    database.close()
    report = tmp_path / "report.pdf"
    assert "Wrote 1 page " in run(
        tmp_path,
        "report",
        "--from",
        "2027-01-06",
        "--to",
        "2027-02-06",
        "-o",
        str(report),
        "--page",
        "a4",
    )
    overview = tmp_path / "overview.pdf"
    run(tmp_path, "overview", "-o", str(overview))
    assert page_count_and_size(overview)[0] >= 2
    sheet = tmp_path / "sheet.pdf"
    run(tmp_path, "sheet", "--week", "2027-01-06", "-o", str(sheet))
    assert page_count_and_size(sheet)[0] == 1


def test_through_the_main_command_line(tmp_path: Path, capsys) -> None:
    from taperdesk import cli

    out = tmp_path / "main.pdf"
    assert cli.main(["sheet", *PLAN, "--week", "2027-01-04", "-o", str(out)]) == 0
    assert out.stat().st_size > 1000
    assert cli.main(["sheet", *PLAN, "--weeks", "500", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("taperdesk sheet: error: --weeks:")


def test_sheet_measures_as_asked_and_prints_two_weeks_a_page(tmp_path: Path) -> None:
    """The print dialog's "Measure with" and "Weeks a page", from the command line."""
    from support.printing_samples import LIQUID, sample_plan

    from taperdesk.store.opening import open_user_database
    from taperdesk.store.plans import save_new_plan
    from taperdesk.store.settings import set_setting

    database = open_user_database(tmp_path / "data")
    save_new_plan(database, sample_plan(), "Mine")
    set_setting(database, "titration.method", {**LIQUID, "kind": "tablets", "page": 2,
                "strengths": [{"strength_mg": 0.5, "scoring": "scored"}]})  # fmt: skip
    database.close()
    out = tmp_path / "liquid.pdf"
    run(tmp_path, "sheet", "--week", "2027-01-18", "--weeks", "2", "--per-page", "2",
        "--measure", "liquid", "-o", str(out))  # fmt: skip
    from support.printing_samples import pdf_pages

    pages = pdf_pages(out)
    assert len(pages) == 1 and "4.5 mL" in pages[0][0]
    assert "--measure: Milligram scale: no such equipment" in str(
        error_of(tmp_path, "sheet", "--measure", "scale", "-o", str(out))
    )
    assert "--measure: use one of" in str(error_of(tmp_path, "sheet", "--measure", "x", "-o", "a"))
    assert "--per-page" in str(error_of(tmp_path, "sheet", "--per-page", "3", "-o", str(out)))
