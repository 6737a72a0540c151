"""The one rounding/formatting module: examples and invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taperdesk.core.measure import (
    RoundingMode,
    decimals_for_step,
    format_mg,
    format_ml,
    format_number,
    parse_decimal,
    round_many_to_step,
    round_to_step,
)


@pytest.mark.parametrize(
    "value, step, mode, expected",
    [
        (0.87, 0.1, RoundingMode.NEAREST, 0.9),
        (0.05, 0.1, RoundingMode.NEAREST, 0.1),  # ties away from zero
        (0.3, 0.1, RoundingMode.DOWN, 0.3),  # 0.30000000000000004 is a whole 3 steps
        (0.729, 0.01, RoundingMode.UP, 0.73),
        (0.729, 0.01, RoundingMode.DOWN, 0.72),
        (87.0, 0.1, RoundingMode.NEAREST, 87.0),
        (-0.05, 0.1, RoundingMode.NEAREST, -0.1),
    ],
)
def test_examples(value: float, step: float, mode: RoundingMode, expected: float) -> None:
    assert round_to_step(value, step, mode) == expected


@pytest.mark.parametrize("step", [0.0, -0.1, math.nan, math.inf])
def test_bad_steps_are_refused(step: float) -> None:
    with pytest.raises(ValueError):
        round_to_step(1.0, step)


@pytest.mark.parametrize("value, step", [(1.0, 1e-320), (math.inf, 0.1), (1e300, 1e-10)])
def test_values_that_cannot_be_counted_in_steps_are_refused(value: float, step: float) -> None:
    with pytest.raises(ValueError):
        round_to_step(value, step)


steps = st.sampled_from([0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0])
values = st.floats(min_value=0, max_value=1000, allow_nan=False)


@given(values, steps)
def test_nearest_is_within_half_a_step_and_on_the_grid(value: float, step: float) -> None:
    rounded = round_to_step(value, step)
    assert abs(rounded - value) <= step / 2 + 1e-9
    assert abs(rounded / step - round(rounded / step)) < 1e-6


@given(values, steps)
def test_down_never_exceeds_and_up_never_falls_short(value: float, step: float) -> None:
    # Within 1e-7 of a step counts as on the step (float noise), by design.
    noise = step * 1e-7 + 1e-9
    assert round_to_step(value, step, RoundingMode.DOWN) <= value + noise
    assert round_to_step(value, step, RoundingMode.UP) >= value - noise


@given(st.lists(values, max_size=20), steps, st.sampled_from(list(RoundingMode)))
def test_many_follows_the_same_rule(items: list[float], step: float, mode: RoundingMode) -> None:
    assert round_many_to_step(items, step, mode) == [round_to_step(v, step, mode) for v in items]


def test_formatting_has_no_float_noise() -> None:
    assert format_number(0.8700000001) == "0.87"
    assert format_number(2.0) == "2"
    assert format_number(-0.0) == "0"
    assert format_mg(0.875) == "0.875 mg"
    assert format_ml(8.7) == "8.7 mL"
    assert decimals_for_step(0.05) == 2
    assert decimals_for_step(1.0) == 0


@pytest.mark.parametrize(
    "text, expected",
    [("0.5", 0.5), ("0,5", 0.5), (" 12 ", 12.0), (".5", 0.5), ("5.", 5.0), ("-1,25", -1.25)],
)
def test_typed_decimals_are_read(text: str, expected: float) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", " ", "1e5", "1_000", "1.2.3", "1,000.5", "nan", "inf", "0x10", "½", "5 mg", "9" * 400],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_what_we_display_we_can_read_back(value: float) -> None:
    shown = format_number(value, 3)
    assert abs(parse_decimal(shown) - value) <= 0.0005 + 1e-9
    assert parse_decimal(shown.replace(".", ",")) == parse_decimal(shown)


def test_doses_keep_four_decimals_and_no_trailing_zeros() -> None:
    """Half a 0.125 mg tablet is 0.0625 mg, never '0.062' (no method measures that), and
    '1.0 mg' is an error-prone form (ISMP: read as 10 mg)."""
    from taperdesk.core.measure import format_mg

    assert format_mg(0.0625) == "0.0625 mg"
    assert format_mg(0.1875) == "0.1875 mg"
    assert format_mg(1.0) == "1 mg"
    assert format_mg(0.99400000001) == "0.994 mg"


def test_decimal_points_line_up_without_trailing_zeros() -> None:
    from taperdesk.core.measure import align_decimals

    assert align_decimals(["0.342", "0.34", "1", "eq 20"], " ") == [
        "0.342",
        "0.34 ",
        "1    ",
        "eq 20",
    ]
    assert align_decimals(["0.5", "0.25"]) == ["0.5\u2007", "0.25"]
