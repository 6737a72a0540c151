"""``taperdesk titrate`` through its own parser, as the main CLI will call it."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from taperdesk.commands import CommandContext, CommandError, titrate


def _run(tmp_path: Path, *argv: str) -> str:
    parser = argparse.ArgumentParser(prog="taperdesk")
    titrate.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["titrate", *argv])
    context = CommandContext(data_dir=tmp_path, out=io.StringIO(), err=io.StringIO())
    assert args.handler(args, context) == 0
    return context.out.getvalue()  # type: ignore[attr-defined]


def test_liquid(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "liquid", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "100",
        "--dose-mg", "0,87", "--syringe-ml", "0.1",
    )  # fmt: skip
    assert "Volume to take: 87 mL" in out
    assert "Volume to discard: 13 mL" in out
    assert out.rstrip().endswith(
        "Instruction: Suspend 1 x 1 mg tablet in 100 mL water, shake, take 87 mL (0.87 mg), "
        "discard 13 mL"
    )


def test_liquid_whole_tablets_none_and_commercial(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        _run(
            tmp_path,
            "liquid", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "100",
            "--dose-mg", "1.87", "--whole-tablets", "none",
        )  # fmt: skip
    assert str(raised.value).startswith("--dose-mg:")
    out = _run(tmp_path, "liquid", "--liquid-mg-per-ml", "2", "--volume-ml", "30",
               "--dose-mg", "0.5", "--syringe-ml", "0.01")  # fmt: skip
    assert "0.25 mL of the 2 mg/mL liquid" in out


def test_scale(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "scale", "--tablet-mg", "1", "--tablet-weight-mg", "120", "--dose-mg", "0.87",
    )  # fmt: skip
    assert "Powder to take: 104 mg" in out
    assert "Instruction: Weigh 104 mg of powder from crushed 1 mg tablets" in out
    assert "unevenly spread" in out


def test_tablets(tmp_path: Path) -> None:
    out = _run(tmp_path, "tablets", "--drug-strengths", "0.5s,1,2", "--dose-mg", "1.75")
    assert out.strip() == "Take 1 x 1 mg + 1 x 0.5 mg + 1 half of 0.5 mg (1.75 mg)"


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["liquid", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "100",
          "--dose-mg", "abc"], "--dose-mg"),
        (["liquid", "--tablet-mg", "-1", "--tablets", "1", "--volume-ml", "100",
          "--dose-mg", "0.5"], "--tablet-mg"),
        (["liquid", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "100",
          "--dose-mg", "0"], "--dose-mg"),
        (["liquid", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "5",
          "--dose-mg", "0.5", "--syringe-ml", "10"], "--syringe-ml"),
        (["liquid", "--tablet-mg", "1", "--tablets", "1.5", "--volume-ml", "5",
          "--dose-mg", "0.5"], "--tablets"),
        (["scale", "--tablet-mg", "1", "--tablet-weight-mg", "nan", "--dose-mg", "0.5"],
         "--tablet-weight-mg"),
        (["scale", "--tablet-mg", "1", "--tablet-weight-mg", "120", "--dose-mg", "0.5",
          "--readability-mg", "0"], "--readability-mg"),
        (["tablets", "--drug-strengths", "", "--dose-mg", "1"], "--drug-strengths"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_naming_the_option(
    tmp_path: Path, argv: list[str], option: str
) -> None:
    with pytest.raises(CommandError) as raised:
        _run(tmp_path, *argv)
    message = str(raised.value)
    assert message.startswith(option + ":")
    assert "\n" not in message
    assert raised.value.exit_code != 0


def test_daily_with_doses(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "daily", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "100",
        "--dose", "0.87,0.865",
    )  # fmt: skip
    lines = out.strip().splitlines()
    assert lines[0].startswith("Mix: 1 mg / 100 mL mix")
    assert "take 87 mL  remove 13 mL" in lines[1]
    assert "take 86.5 mL  remove 13.5 mL" in lines[2]


def test_daily_names_the_whole_tablets_that_are_part_of_the_dose(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "daily", "--tablet-mg", "0.5", "--tablets", "1", "--volume-ml", "35",
        "--syringe-ml", "1", "--dose", "0.9857",
    )  # fmt: skip
    assert "take 1 x 0.5 mg tablet whole + 34 mL  remove 1 mL" in out


def test_compound_with_doses(tmp_path: Path) -> None:
    doses = ",".join(str(round(0.005 * k, 3)) for k in range(1, 11))
    out = _run(tmp_path, "compound", "--dose", doses)
    assert "in 3 strengths" in out
    assert "3 is the fewest strengths" in out


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["compound", "--dose", "0.123"], "--dose"),
        (["compound", "--dose", "0.5", "--max-capsules", "0"], "--max-capsules"),
        (["compound", "--dose", "x"], "--dose"),
        (["daily", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "100",
          "--dose", "0.5,-1"], "--dose"),
    ],
)  # fmt: skip
def test_period_bad_input(tmp_path: Path, argv: list[str], option: str) -> None:
    with pytest.raises(CommandError) as raised:
        _run(tmp_path, *argv)
    assert str(raised.value).startswith(option + ":")
    assert "\n" not in str(raised.value)


def test_compound_for_the_plan_makes_each_dose_not_the_days_total(tmp_path: Path) -> None:
    """Morning 0.5 + night 0.5 mg: capsules for 0.5 mg doses, named for the drug."""
    import datetime as dt

    from support.printing_samples import sample_plan

    from taperdesk.store.opening import open_user_database
    from taperdesk.store.plans import save_new_plan

    database = open_user_database(tmp_path)
    save_new_plan(database, sample_plan(start_date=dt.date.today() + dt.timedelta(days=30)), "T")
    database.close()
    out = _run(tmp_path, "compound", "--days", "3")
    assert out.startswith("Please compound Clonazepam capsules")
    import re

    strengths = re.search(r"strengths?: (.*?)\. For", out)
    assert strengths, out
    mgs = [float(m) for m in re.findall(r"([\d.]+) mg", strengths.group(1))]
    assert mgs and max(mgs) <= 0.5  # capsules for a 0.5 mg dose, not for the 1 mg day
    daily = _run(tmp_path, "daily", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "10",
                 "--days", "2")  # fmt: skip
    assert "whole-day amounts" in daily


def test_extended_release_tablets_are_never_titrated(tmp_path) -> None:
    """Every method that would crush, split, weigh or suspend refuses an XR tablet, saying
    why and that a change of form is the prescriber's decision."""
    import subprocess
    import sys

    def cli(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "taperdesk", "--data-dir", str(tmp_path), *argv],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    for argv in (
        ("liquid", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "10", "--dose-mg", "0.5"),
        ("scale", "--tablet-mg", "1", "--tablet-weight-mg", "100", "--dose-mg", "0.5"),
        ("tablets", "--drug-strengths", "0.5,1s", "--dose-mg", "0.5"),
        ("daily", "--tablet-mg", "1", "--tablets", "1", "--volume-ml", "10", "--dose", "0.5"),
    ):
        refused = cli("titrate", *argv, "--form", "xr")
        assert refused.returncode != 0 and "swallowed whole" in refused.stderr, argv
        assert "prescriber" in refused.stderr
    whole = cli("titrate", "tablets", "--form", "xr", "--drug-strengths", "0.5,1", "--dose-mg",
                "1.5")  # fmt: skip
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout.splitlines() == [
        "Take 1 x 1 mg XR tablet + 1 x 0.5 mg XR tablet (1.5 mg)",
        "Swallow extended-release tablets whole.",
    ]
    planned = cli("schedule", "--drug", "Xanax XR", "--dose", "3")
    assert planned.returncode == 0 and planned.stdout.startswith("Alprazolam 3 mg a day")
    assert "swallowed whole" in planned.stderr
