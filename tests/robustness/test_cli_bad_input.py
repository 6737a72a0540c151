"""Every command-line option against hostile values: a one-line error, never a traceback.

Each case runs the real ``taperdesk`` entry point in-process. A value is either
accepted (exit 0) or refused with exactly one line on stderr that names the
problem, and a non-zero exit; an exception escaping ``main`` fails the test.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taperdesk import cli

HOSTILE_NUMBERS = [
    "-1",
    "0",
    "-0",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "1e-320",
    "99999999999",
    "abc",
    "",
    " ",
    "1,5",
    "1.2.3",
    "0x10",
    "1e5",
    "½",
    "１",
    "--",
    "%",
    "mg",
    "10%%",
    "1mgmg",
    "\x00",
]
HOSTILE_DATES = ["2027-02-30", "0000-01-01", "9999-12-31", "27-01-04", "tomorrow", "", "2027/01/04"]


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_info:  # argparse usage errors
            code = exit_info.code if isinstance(exit_info.code, int) else 1
    return int(code or 0), out.getvalue(), err.getvalue()


def assert_clean_outcome(argv: list[str], code: int, err: str) -> None:
    assert "Traceback" not in err, argv
    if code != 0:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, (argv, err)
        assert "error" in lines[0], (argv, err)


SCHEDULE_BASE = [
    "schedule",
    "--drug",
    "clonazepam",
    "--dose",
    "1",
    "--start",
    "2027-01-04",
    "--cut",
    "10%",
    "--every",
    "14",
    "--format",
    "csv",
]


def with_option(base: list[str], option: str, value: str) -> list[str]:
    argv = list(base)
    if option in argv:
        index = argv.index(option)
        argv[index + 1] = value
    else:
        argv += [option, value]
    return argv


@pytest.mark.parametrize(
    "option", ["--dose", "--every", "--round", "--final", "--stage-days", "--cut"]
)
@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_schedule_numeric_options(option: str, value: str, tmp_path: Path) -> None:
    argv = ["--data-dir", str(tmp_path), *with_option(SCHEDULE_BASE, option, value)]
    if option == "--stage-days":
        argv += ["--crossover", "diazepam"]
    code, _out, err = run_cli(argv)
    assert_clean_outcome(argv, code, err)
    if value in ("-1", "nan", "inf", "-inf", "abc", "", "1e309"):
        assert code != 0, argv


@pytest.mark.parametrize("value", HOSTILE_DATES)
def test_schedule_start_dates(value: str, tmp_path: Path) -> None:
    argv = ["--data-dir", str(tmp_path), *with_option(SCHEDULE_BASE, "--start", value)]
    code, _out, err = run_cli(argv)
    assert_clean_outcome(argv, code, err)
    if value not in ("9999-12-31",):
        assert code != 0 or value == "", argv


@pytest.mark.parametrize(
    "option, value",
    [
        ("--drug", "unobtainium"),
        ("--drug", ""),
        ("--doses", "morning=,night=1"),
        ("--doses", "a=1,a=1"),
        ("--doses", "a=1,b=1,c=1,d=1,e=1"),
        ("--style", "sometimes"),
        ("--order", "lunch"),
        ("--format", "xml"),
        ("--crossover", "water"),
    ],
)
def test_schedule_other_options(option: str, value: str, tmp_path: Path) -> None:
    base = (
        [a for a in SCHEDULE_BASE if a not in ("--dose", "1")]
        if option == "--doses"
        else SCHEDULE_BASE
    )
    argv = ["--data-dir", str(tmp_path), *with_option(base, option, value)]
    code, _out, err = run_cli(argv)
    assert_clean_outcome(argv, code, err)
    assert code != 0, argv


TITRATE_LIQUID = [
    "titrate",
    "liquid",
    "--tablet-mg",
    "1",
    "--tablets",
    "1",
    "--volume-ml",
    "100",
    "--dose-mg",
    "0.87",
    "--syringe-ml",
    "0.1",
]
TITRATE_SCALE = [
    "titrate",
    "scale",
    "--tablet-mg",
    "1",
    "--tablet-weight-mg",
    "120",
    "--dose-mg",
    "0.87",
    "--readability-mg",
    "1",
]


@pytest.mark.parametrize(
    "option", ["--tablet-mg", "--tablets", "--volume-ml", "--dose-mg", "--syringe-ml"]
)
@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_titrate_liquid_options(option: str, value: str, tmp_path: Path) -> None:
    argv = ["--data-dir", str(tmp_path), *with_option(TITRATE_LIQUID, option, value)]
    code, _out, err = run_cli(argv)
    assert_clean_outcome(argv, code, err)
    if value in ("-1", "nan", "inf", "abc", ""):
        assert code != 0, argv


@pytest.mark.parametrize(
    "option", ["--tablet-mg", "--tablet-weight-mg", "--dose-mg", "--readability-mg"]
)
@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_titrate_scale_options(option: str, value: str, tmp_path: Path) -> None:
    argv = ["--data-dir", str(tmp_path), *with_option(TITRATE_SCALE, option, value)]
    code, _out, err = run_cli(argv)
    assert_clean_outcome(argv, code, err)
    if value in ("-1", "nan", "inf", "abc", ""):
        assert code != 0, argv


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    dose=st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr), st.text(max_size=8)),
    cut=st.one_of(
        st.floats().map(lambda f: f"{f}%"), st.floats().map(lambda f: f"{f}mg"), st.text(max_size=6)
    ),
    every=st.one_of(st.integers(-10, 10_000).map(str), st.text(max_size=4)),
)
def test_schedule_fuzz(dose: str, cut: str, every: str, tmp_path: Path) -> None:
    argv = [
        "--data-dir",
        str(tmp_path),
        "schedule",
        "--drug",
        "diazepam",
        "--dose",
        dose,
        "--cut",
        cut,
        "--every",
        every,
        "--start",
        "2027-01-04",
        "--format",
        "json",
    ]
    code, _out, err = run_cli(argv)
    assert_clean_outcome(argv, code, err)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tablet=st.one_of(st.floats().map(repr), st.text(max_size=6)),
    volume=st.one_of(st.floats().map(repr), st.text(max_size=6)),
    dose=st.one_of(st.floats().map(repr), st.text(max_size=6)),
    syringe=st.sampled_from(["0.01", "0.05", "0.1", "1", "0", "-0.1", "nan", "5000"]),
)
def test_titrate_liquid_fuzz(
    tablet: str, volume: str, dose: str, syringe: str, tmp_path: Path
) -> None:
    argv = [
        "--data-dir",
        str(tmp_path),
        "titrate",
        "liquid",
        "--tablet-mg",
        tablet,
        "--tablets",
        "1",
        "--volume-ml",
        volume,
        "--dose-mg",
        dose,
        "--syringe-ml",
        syringe,
    ]
    code, _out, err = run_cli(argv)
    assert_clean_outcome(argv, code, err)


@pytest.mark.parametrize("volume", ["1000001", "999999999"])
def test_titrate_liquid_large_volume_is_answered(volume: str, tmp_path: Path) -> None:
    """Regression: a mix over 1,000,000 mL crashed rounding the discard to 1e-9 mL."""
    argv = ["--data-dir", str(tmp_path), *with_option(TITRATE_LIQUID, "--volume-ml", volume)]
    code, _out, err = run_cli(argv)
    assert_clean_outcome(argv, code, err)
    assert code == 0, err
