"""``taperdesk pharmacy``: the compounding request for the saved plan, one-line errors."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from support.printing_samples import pdf_pages, sample_plan

from taperdesk.commands import CommandContext, CommandError
from taperdesk.commands import pharmacy as pharmacy_command


@pytest.fixture(autouse=True)
def _app(qapp):
    return qapp


@pytest.fixture
def saved_plan(tmp_path: Path) -> None:
    from taperdesk.store.opening import open_user_database
    from taperdesk.store.plans import save_new_plan

    database = open_user_database(tmp_path / "data")
    save_new_plan(database, sample_plan(), "Mine")
    database.close()


def parsed(*argv: str) -> argparse.Namespace:
    root = argparse.ArgumentParser(prog="taperdesk")
    pharmacy_command.register(root.add_subparsers(dest="command"))
    return root.parse_args(["pharmacy", *argv])


def run(tmp_path: Path, *argv: str) -> str:
    args, out = parsed(*argv), io.StringIO()
    assert args.handler(args, CommandContext(data_dir=tmp_path / "data", out=out)) == 0
    return out.getvalue()


def test_writes_the_request_with_drug_strengths_counts_and_supply(tmp_path, saved_plan) -> None:
    from taperdesk.printing.pharmacy_request import compounding_for
    from taperdesk.printing.sources import inputs_for_plan

    out = tmp_path / "request.pdf"
    argv = ("--from", "2027-01-18", "--days", "28", "--step", "0.01", "--max-capsules", "2")
    text = run(tmp_path, *argv, "--page", "letter", "-o", str(out))
    assert text == f"Wrote 1 page (Letter) to {out}\n"
    ((page_text, width, height),) = pdf_pages(out)
    assert (width, height) == (612, 792)
    import datetime as dt

    result = compounding_for(inputs_for_plan(sample_plan()), dt.date(2027, 1, 18), 28, 0.01, 2)
    assert "Clonazepam" in page_text and "28 days: 18 Jan 2027 – 14 Feb 2027" in page_text
    for count in result.counts:
        assert f"{count.strength_mg:g} mg {count.count}" in page_text
    assert result.summary in page_text


def test_listed_in_the_main_command_line(tmp_path, capsys) -> None:
    from taperdesk import cli

    assert cli.main(["--data-dir", str(tmp_path / "d"), "pharmacy", "-o", "x.pdf"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--from" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--days", "28"], "--from: give the first day of supply"),
        (["--from", "2027-13-01", "--days", "28"], "--from: use a date like"),
        (["--from", "2027-01-18"], "--days: give the days of supply"),
        (["--from", "2027-01-18", "--days", "0"], "--days: give a whole number from 1 to 120"),
        (["--from", "2027-01-18", "--days", "x"], "--days: give a whole number"),
        (["--from", "2027-01-18", "--days", "9", "--step", "a"], "--step: give the step in mg"),
        (["--from", "2027-01-18", "--days", "9", "--step", "-1"], "--step: give a step above 0"),
        (["--from", "2027-01-18", "--days", "9", "--step", "0.3"], "--step: "),
        (["--from", "2027-01-18", "--days", "9", "--max-capsules", "9"], "--max-capsules: give"),
        (["--from", "2040-01-01", "--days", "9"], "--from: the plan has no dose in these days"),
        (["--from", "2027-01-18", "--days", "9", "--page", "a5"], "--page: use a4 or letter."),
    ],
)
def test_bad_options_give_one_line(tmp_path, saved_plan, argv, message) -> None:
    args = parsed(*argv, "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError) as caught:
        args.handler(args, CommandContext(data_dir=tmp_path / "data", out=io.StringIO()))
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert caught.value.exit_code != 0


def test_without_a_saved_plan(tmp_path) -> None:
    args = parsed("--from", "2027-01-18", "--days", "9", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="No saved plan"):
        args.handler(args, CommandContext(data_dir=tmp_path / "data", out=io.StringIO()))


def test_an_unwritable_output_is_exit_code_1(tmp_path, saved_plan) -> None:
    args = parsed("--from", "2027-01-18", "--days", "9", "-o", str(tmp_path / "no" / "x.pdf"))
    with pytest.raises(CommandError) as caught:
        args.handler(args, CommandContext(data_dir=tmp_path / "data", out=io.StringIO()))
    assert caught.value.exit_code == 1 and "does not exist" in str(caught.value)


def test_the_weekly_sheet_takes_the_capsules_of_the_pharmacy_request(tmp_path) -> None:
    """A sheet worked out its own capsule set for its week: "capsules 0.164 + 0.164 + 0.001"
    where the pharmacy request (the capsules dispensed) made 0.329 mg as 0.165 + 0.164."""
    import argparse as ap
    import datetime as dt
    import io

    from support.printing_samples import sample_plan

    from taperdesk.commands import CommandContext
    from taperdesk.commands import pharmacy as pharmacy_command
    from taperdesk.core.plan import TaperStyle
    from taperdesk.printing.sources import load_inputs
    from taperdesk.printing.weekly_sheet import WeeklySheetDocument, week_start
    from taperdesk.store.opening import open_user_database
    from taperdesk.store.plans import save_new_plan
    from taperdesk.store.settings import set_setting

    data = tmp_path / "data"
    database = open_user_database(data)
    plan = sample_plan(style=TaperStyle.DAILY_MICRO, rounding_mg=0.005, holds=())
    save_new_plan(database, plan, "Mine")
    set_setting(database, "titration.method",
                {"kind": "compounded", "compounded_step_mg": 0.005, "page": 3})  # fmt: skip
    database.close()
    first = plan.start_date
    root = ap.ArgumentParser()
    pharmacy_command.register(root.add_subparsers(dest="command"))
    args = root.parse_args(["pharmacy", "--from", first.isoformat(), "--days", "90",
                            "-o", str(tmp_path / "request.pdf")])  # fmt: skip
    context = CommandContext(data_dir=data, out=io.StringIO())
    assert args.handler(args, context) == 0
    context.close()

    database = open_user_database(data)
    inputs = load_inputs(database)
    assert inputs.capsules is not None
    dispensed = set(inputs.capsules.strengths_mg)
    later = week_start(first + dt.timedelta(days=40))
    document = WeeklySheetDocument(inputs, later, weeks=2)
    for week in document.weeks():
        assert "as on your pharmacy request" in week.equipment_text
        for day in week.days:
            for dose in day.doses:
                capsules = [float(n) for n in dose.measure.split()[1::2]]
                assert set(capsules) <= dispensed, (dose.measure, dispensed)
                assert sum(capsules) == pytest.approx(dose.total_mg)
    database.close()
