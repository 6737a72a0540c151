"""``taperdesk schedule``: every option, output formats, one-line errors."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from taperdesk.commands import CommandContext, CommandError
from taperdesk.commands import schedule as schedule_command
from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan

BASE = ["--drug", "clonazepam", "--dose", "1", "--start", "2027-01-04"]


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="taperdesk")
    schedule_command.register(root.add_subparsers(dest="command"))
    return root


def run(tmp_path: Path, *argv: str) -> str:
    args = parser().parse_args(["schedule", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = args.handler(args, CommandContext(data_dir=tmp_path, out=out, err=err))
    # stderr carries the plan's STRONG warnings only (the output may go to a file)
    assert code == 0
    assert all(line.startswith("STRONG WARNING: ") for line in err.getvalue().splitlines())
    return out.getvalue()


def run_csv(tmp_path: Path, *argv: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run(tmp_path, *argv, "--format", "csv"))))


def error_of(tmp_path: Path, *argv: str) -> str:
    args = parser().parse_args(["schedule", *argv])
    with pytest.raises(CommandError) as caught:
        args.handler(args, CommandContext(data_dir=tmp_path, out=io.StringIO()))
    message = str(caught.value)
    assert "\n" not in message and caught.value.exit_code != 0
    return message


def test_table_shows_steps_summary_and_warnings(tmp_path: Path) -> None:
    text = run(tmp_path, *BASE, "--cut", "10%", "--every", "14")
    assert text.startswith("Clonazepam 1 mg a day; cut 10% of the current dose every 14 days")
    assert re.search(
        r"^1     2027-01-04  2027-01-17  Clonazepam +0\.9 ", text, re.M
    )  # right-aligned
    assert "Ends 2028-02-28 after 420 days" in text
    fast = run(tmp_path, *BASE, "--cut", "30%")
    assert "STRONG: Step 1 (2027-01-04) cuts 30% in 14 days" in fast


def test_csv_columns_and_one_row_per_day_per_drug(tmp_path: Path) -> None:
    text = run(tmp_path, *BASE[:2], "--doses", "morning=0.5,night=0.5", "--start", "2027-01-04",
               "--format", "csv")  # fmt: skip
    header = text.splitlines()[0].split(",")
    assert header[:6] == ["date", "step", "drug", "dose_mg", "diazepam_eq_mg", "hold"]
    assert header[-2:] == ["morning_mg", "night_mg"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0] == rows[0] | {
        "date": "2027-01-04", "step": "1", "drug": "clonazepam", "dose_mg": "0.9",
        "diazepam_eq_mg": "18", "hold": "no", "morning_mg": "0.45", "night_mg": "0.45",
    }  # fmt: skip
    assert len({r["date"] for r in rows}) == len(rows)
    assert rows[-1]["dose_mg"] == "0" and rows[-1]["date"] == "2028-02-28"


def test_json_has_summary_steps_rows_and_the_plan(tmp_path: Path) -> None:
    data = json.loads(run(tmp_path, *BASE, "--format", "json"))
    assert data["summary"]["end_date"] == "2028-02-28"
    assert data["steps"][0]["cut_mg"] == pytest.approx(0.1)
    assert data["rows"][0]["doses_mg"] == {"daily": 0.9}
    assert data["plan"]["drug_key"] == "clonazepam" and data["warnings"] == []


def test_fixed_cut_every_and_final(tmp_path: Path) -> None:
    rows = run_csv(tmp_path, *BASE, "--cut", "0.1mg", "--every", "7", "--final", "0.2")
    totals = [r["dose_mg"] for r in rows]
    assert totals[0] == "0.9" and totals[7] == "0.8" and totals[-1] == "0"
    assert totals[-2] == "0.2"  # held at the final dose, then the jump
    assert rows[-1]["date"] == (dt.date(2027, 1, 4) + dt.timedelta(days=8 * 7)).isoformat()


def test_style_daily_spreads_the_cut(tmp_path: Path) -> None:
    rows = run_csv(tmp_path, *BASE, "--style", "daily", "--round", "0.0001")
    assert [r["dose_mg"] for r in rows[:2]] == ["0.9929", "0.9858"]
    assert rows[13]["dose_mg"] == "0.9"


def test_order_and_round(tmp_path: Path) -> None:
    rows = run_csv(tmp_path, "--drug", "diazepam", "--doses", "morning=5,night=5",
                   "--order", "night,morning", "--cut", "2mg", "--round", "0.5")  # fmt: skip
    per_step = [(r["morning_mg"], r["night_mg"]) for r in rows[::14][:4]]
    assert per_step == [("5", "3"), ("5", "1"), ("4", "0"), ("2", "0")]
    proportional = run_csv(tmp_path, "--drug", "diazepam", "--doses", "morning=5,night=5",
                           "--order", "proportional", "--cut", "2mg")  # fmt: skip
    assert (proportional[0]["morning_mg"], proportional[0]["night_mg"]) == ("4", "4")


def test_crossover_options(tmp_path: Path) -> None:
    rows = run_csv(
        tmp_path, "--drug", "lorazepam", "--doses", "morning=1,night=1", "--cut", "1mg",
        "--every", "14", "--order", "morning,night", "--crossover", "diazepam",
        "--swap-order", "night,morning", "--stage-days", "7", "--start", "2027-01-04",
    )  # fmt: skip
    first_day = [r for r in rows if r["date"] == "2027-01-04"]
    assert [(r["drug"], r["morning_mg"], r["night_mg"]) for r in first_day] == [
        ("lorazepam", "1", "0"),
        ("diazepam", "0", "10"),
    ]
    assert all(r["diazepam_eq_mg"] == "10" for r in first_day)
    first_cut = [r for r in rows if r["date"] == "2027-01-18"]
    assert [(r["drug"], r["dose_mg"], r["morning_mg"]) for r in first_cut] == [
        ("diazepam", "19", "9")
    ]


def test_start_defaults_to_today(tmp_path: Path) -> None:
    rows = run_csv(tmp_path, "--drug", "diazepam", "--dose", "10")
    assert rows[0]["date"] == dt.date.today().isoformat()


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        (["--cut", "60%"], "--cut: Cut must be between 0.5% and 50%"),
        (["--cut", "abc"], "--cut: Write the cut as a percent"),
        (["--every", "0"], "--every: Interval must be a whole number of days from 1 to 365"),
        (["--start", "tomorrow"], "--start: tomorrow is not a date."),
        (["--style", "quick"], "--style: Style must be hold"),
        (["--order", "lunch"], "--order: Order (or proportional) must list dosing times"),
        (["--round", "-1"], "--round: Rounding must be between"),
        (["--final", "3"], "--final: Final dose must be at least 0 mg and less than"),
        (["--crossover", "aspirin"], "--crossover: Unknown drug aspirin"),
        (["--stage-days", "3"], "--stage-days: only used with --crossover"),
        (["--swap-order", "daily"], "--swap-order: only used with --crossover"),
        (["--crossover", "diazepam", "--stage-days", "0"], "--stage-days: Stage days must be"),
        (["--crossover", "diazepam", "--swap-order", "x"], "--swap-order: Swap order must list"),
        (["--format", "xml"], "--format: use table, csv or json."),
        (["--doses", "a=1"], "--dose: give either --dose or --doses, not both."),
        (["--cut", "10%", "--every", "365", "--final", "0"], "--cut: This plan would run for"),
    ],
)
def test_bad_options_give_one_line_naming_the_option(
    tmp_path: Path, argv: list[str], start: str
) -> None:
    assert error_of(tmp_path, *BASE, *argv).startswith(start)


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        (["--drug", "aspirin", "--dose", "1"], "--drug: Unknown drug aspirin"),
        (["--drug", "diazepam"], "--dose: give the daily dose in mg"),
        (["--dose", "1"], "--drug: name the drug"),
        (["--drug", "diazepam", "--dose", "-5"], "--dose: The daily dose must be more than 0"),
        (["--drug", "diazepam", "--dose", "a=1"], "--dose: give one daily total in mg"),
        (["--drug", "diazepam", "--doses", "a=x"], "--doses: x is not a number."),
    ],
)
def test_bad_drug_and_dose(tmp_path: Path, argv: list[str], start: str) -> None:
    assert error_of(tmp_path, *argv).startswith(start)


def test_without_plan_options_the_saved_plan_is_used(tmp_path: Path, database) -> None:
    from taperdesk.store.plans import save_new_plan

    saved = TaperPlan(
        "diazepam", (DosingTime("daily", 10),), dt.date(2027, 1, 4), ReductionModel.percent(10)
    )
    save_new_plan(database, saved, "Diazepam taper")
    args = parser().parse_args(["schedule", "--format", "csv"])
    out = io.StringIO()
    context = CommandContext(data_dir=tmp_path, out=out, _open_store=lambda: database)
    assert args.handler(args, context) == 0
    assert out.getvalue().splitlines()[1].startswith("2027-01-04,1,diazepam,9,")


def test_a_saved_plan_on_a_custom_drug_uses_the_users_catalogue(tmp_path: Path, database) -> None:
    from taperdesk.core.drugs import custom_drug
    from taperdesk.store.drugs import custom_drug_key, save_custom_drug
    from taperdesk.store.plans import save_new_plan

    key = custom_drug_key("Etizolam")
    save_custom_drug(database, custom_drug(key, "Etizolam", 1.0))
    save_new_plan(
        database,
        TaperPlan(key, (DosingTime("daily", 1),), dt.date(2027, 1, 4), ReductionModel.percent(10)),
        "Etizolam taper",
    )
    args = parser().parse_args(["schedule", "--format", "csv"])
    out = io.StringIO()
    context = CommandContext(data_dir=tmp_path, out=out, _open_store=lambda: database)
    assert args.handler(args, context) == 0
    first = out.getvalue().splitlines()[1].split(",")
    assert first[:4] == ["2027-01-04", "1", key, "0.9"]
    assert first[4] == "9"  # 0.9 mg at 1 mg ~ 10 mg diazepam


def test_without_a_saved_plan_the_message_says_what_to_do(tmp_path: Path, database) -> None:
    args = parser().parse_args(["schedule"])
    context = CommandContext(data_dir=tmp_path, out=io.StringIO(), _open_store=lambda: database)
    with pytest.raises(CommandError, match="No saved plan yet: create one in the app"):
        args.handler(args, context)


def test_through_the_main_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    cli = pytest.importorskip("taperdesk.cli")
    assert cli.main(["schedule", *BASE, "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("date,step,drug,dose_mg,diazepam_eq_mg,hold")
    assert cli.main(["schedule", *BASE, "--cut", "0%"]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err
        == "taperdesk schedule: error: --cut: Cut must be between 0.5% and 50% of the current dose."
    )


def test_a_cut_made_larger_by_rounding_is_spelt_out(tmp_path) -> None:
    """5% of 20 mg is 1 mg; rounding to 2 mg steps doubles it, and the table says so; the
    step lasts longer to keep the plan's pace (10% instead of 5%: 29 days, not 14)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "taperdesk", "--data-dir", str(tmp_path), "schedule",
         "--drug", "diazepam", "--dose", "20", "--cut", "5%", "--round", "2",
         "--start", "2027-01-04", "--final", "6"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "\n1!  " in result.stdout
    assert "! step 1: Rounding to whole 2 mg steps makes this cut 10% (planned 5%)" in (
        result.stdout
    )
    assert "lasts 29 days instead of 14" in result.stdout


def test_rounding_that_forces_big_cuts_is_refused_and_a_chosen_big_cut_is_not(tmp_path) -> None:
    """--round 0.25 forces 25%, 33%, 50% and a stop from 1 mg at 10%: refused, naming the
    step and a finer method; 50% every 7 days chosen by the person is accepted, warned on
    stderr and on the sheet."""
    import subprocess
    import sys

    def cli(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "taperdesk", "--data-dir", str(tmp_path), *argv],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    refused = cli("schedule", "--drug", "clonazepam", "--dose", "1", "--cut", "10%",
                  "--every", "14", "--round", "0.25")  # fmt: skip
    assert refused.returncode != 0 and refused.stdout == ""
    assert "Step 2" in refused.stderr and "33.3%" in refused.stderr
    assert "liquid or a milligram scale" in refused.stderr
    sheet = cli("sheet", "--drug", "clonazepam", "--dose", "1", "--cut", "10%", "--round", "0.25",
                "-o", str(tmp_path / "refused.pdf"))  # fmt: skip
    assert sheet.returncode != 0 and not (tmp_path / "refused.pdf").exists()
    tiny = cli("schedule", "--drug", "clonazepam", "--dose", "0.0625", "--round", "0.0625")
    assert tiny.returncode != 0 and "stop the plan from 0.0625 mg" in tiny.stderr
    chosen = cli("schedule", "--drug", "clonazepam", "--dose", "1", "--cut", "50%",
                 "--every", "7")  # fmt: skip
    assert chosen.returncode == 0 and "STRONG WARNING: Step 1" in chosen.stderr
    assert "STRONG: Step 1" in chosen.stdout
    paper = cli("sheet", "--drug", "clonazepam", "--dose", "1", "--cut", "50%", "--every", "7",
                "--week", "2026-12-07", "-o", str(tmp_path / "chosen.pdf"))  # fmt: skip
    assert paper.returncode == 0 and "STRONG WARNING: Step 2" in paper.stderr


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path) -> None:
    """``taperdesk schedule --format csv | head -1``: no BrokenPipeError traceback."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "taperdesk", "--data-dir", str(tmp_path), "schedule",
         "--drug", "clonazepam", "--dose", "1", "--start", "2027-01-04", "--format", "csv"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"date,")
    process.stdout.close()  # like head after its first line
    error = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 0 and "Traceback" not in error, error


def test_brand_names_are_accepted(tmp_path: Path) -> None:
    out = run(tmp_path, "--drug", "Klonopin", "--dose", "1", "--crossover", "Valium",
              "--start", "2027-01-04")  # fmt: skip
    assert out.startswith("Clonazepam 1 mg a day") and "Diazepam" in out


def test_round_method_uses_the_saved_liquid_step(tmp_path: Path) -> None:
    """--round method: one graduation of the saved mix, every digit (issue 14 point 7)."""
    from taperdesk.core.titration import MethodKind, MethodSettings
    from taperdesk.store.opening import open_database
    from taperdesk.store.settings import set_setting

    assert "no titration method is saved" in error_of(tmp_path, *BASE, "--round", "method")
    method = MethodSettings(MethodKind.LIQUID, tablet_mg=1, tablet_count=1, volume_ml=35)
    database = open_database(tmp_path / "taperdesk.sqlite3")
    set_setting(database, "titration.method", method.to_dict())
    database.close()
    out = json.loads(run(tmp_path, *BASE, "--style", "daily", "--round", "method",
                         "--format", "json"))  # fmt: skip
    assert out["plan"]["rounding_mg"] == 1 / 35 * 0.1


def test_round_method_never_uses_another_drugs_equipment(tmp_path: Path) -> None:
    """Found by review: alprazolam tablets saved on the Tablets page rounded a lorazepam
    plan to 0.25 mg steps."""
    from taperdesk.core.titration import MethodKind, MethodSettings, Scoring, TabletStrength
    from taperdesk.store.opening import open_database
    from taperdesk.store.settings import set_setting

    method = MethodSettings(MethodKind.TABLETS, strengths=(TabletStrength(2, Scoring.QUARTER_SCORED),),
                            drug_key="alprazolam")  # fmt: skip
    database = open_database(tmp_path / "taperdesk.sqlite3")
    set_setting(database, "titration.method", method.to_dict())
    database.close()
    message = error_of(tmp_path, "--drug", "lorazepam", "--dose", "1", "--round", "method")
    assert message == (
        "--round: the saved titration method measures alprazolam, not lorazepam; give the step "
        "in mg, or set up this drug's equipment in the Titration tab."
    )
