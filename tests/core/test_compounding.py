"""Compounding: fewest capsule strengths for every dose of a period."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taperdesk.core.titration import (
    CompoundingRequest,
    TitrationInputError,
    plan_compounding,
)


def _makes(dose: float, capsules: tuple[float, ...]) -> bool:
    return abs(sum(capsules) - dose) <= 1e-9


def test_small_set_is_optimal_and_counts_add_up() -> None:
    doses = tuple((round(0.005 * k, 3),) for k in range(1, 11))  # 0.005 .. 0.05 mg
    result = plan_compounding(CompoundingRequest(doses, drug_name="clonazepam"))
    # 2 strengths give at most 9 sums of <= 3 capsules, so 3 is the minimum.
    assert len(result.strengths_mg) == 3
    for (dose,) in doses:
        assert _makes(dose, result.dose_capsules[dose])
        assert len(result.dose_capsules[dose]) <= 3
    total = sum(c.strength_mg * c.count for c in result.counts)
    assert total == pytest.approx(sum(d for (d,) in doses))
    assert result.summary.startswith("Please compound clonazepam capsules in 3 strengths")
    assert "10-day supply" in result.summary


def test_supply_days_and_divided_doses() -> None:
    days = ((0.5, 0.25), (0.5, 0.245), (0.495, 0.245), (0.49, 0.24))
    result = plan_compounding(CompoundingRequest(days, supply_days=2))
    assert result.supply_days == 2
    used = sum(c.strength_mg * c.count for c in result.counts)
    assert used == pytest.approx(0.5 + 0.25 + 0.5 + 0.245)
    for day in days:
        for dose in day:
            assert _makes(dose, result.dose_capsules[dose])


def test_suspension_alternative() -> None:
    days = tuple((d,) for d in (1.0, 0.9, 0.8, 0.75))
    result = plan_compounding(CompoundingRequest(days, graduation_ml=0.1))
    # 0.05 mg steps: 0.5 mg/mL x 0.1 mL graduation makes each dose whole graduations.
    assert result.suspension_mg_per_ml == 0.5
    assert result.suspension_total_ml == pytest.approx(3.45 / 0.5)
    assert "0.5 mg/mL" in result.suspension_summary


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (CompoundingRequest(()), "daily_doses_mg"),
        (CompoundingRequest(((0.0,),)), "daily_doses_mg"),
        (CompoundingRequest(((0.123,),)), "daily_doses_mg"),  # not on the 0.005 grid
        (CompoundingRequest(((-0.5,),)), "daily_doses_mg"),
        (CompoundingRequest(((0.5,),), base_step_mg=0), "base_step_mg"),
        (CompoundingRequest(((0.5,),), max_capsules_per_dose=0), "max_capsules_per_dose"),
        (CompoundingRequest(((0.5,),), supply_days=3), "supply_days"),
    ],
)
def test_bad_requests(request_: CompoundingRequest, field: str) -> None:
    with pytest.raises(TitrationInputError) as raised:
        plan_compounding(request_)
    assert field in raised.value.errors


def test_sixty_doses_are_fast() -> None:
    doses = tuple((round(0.6 + 0.005 * k, 3),) for k in range(60))
    started = time.perf_counter()
    result = plan_compounding(CompoundingRequest(doses))
    assert time.perf_counter() - started < 0.1
    for (dose,) in doses:
        assert _makes(dose, result.dose_capsules[dose])


@settings(deadline=None, max_examples=40)
@given(
    units=st.lists(st.integers(1, 300), min_size=1, max_size=40),
    max_capsules=st.integers(1, 3),
)
def test_every_dose_is_covered(units: list[int], max_capsules: int) -> None:
    doses = tuple((round(u * 0.005, 3),) for u in units)
    result = plan_compounding(CompoundingRequest(doses, max_capsules_per_dose=max_capsules))
    strengths = set(result.strengths_mg)
    for (dose,) in doses:
        capsules = result.dose_capsules[dose]
        assert _makes(dose, capsules)
        assert len(capsules) <= max_capsules
        assert set(capsules) <= strengths
        assert all(round(c / 0.005, 6).is_integer() for c in capsules)
    # Never more strengths than distinct doses (each dose alone is a valid set).
    assert len(strengths) <= len(set(units))
