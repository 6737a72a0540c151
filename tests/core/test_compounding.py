"""Compounding: fewest capsule strengths for every dose of a period."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taperdesk.core.compounding import counting_lower_bound, fewest_strengths
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


def test_sixty_consecutive_doses_beat_the_old_twelve() -> None:
    doses = tuple((round(0.6 + 0.005 * k, 3),) for k in range(60))
    result = plan_compounding(CompoundingRequest(doses))
    for (dose,) in doses:
        assert _makes(dose, result.dose_capsules[dose])
    # Counting: 5 strengths give at most C(8, 3) - 1 = 55 sums, so at least 6.
    assert result.lower_bound == 6
    assert len(result.strengths_mg) <= 9
    assert result.proven_fewest is (len(result.strengths_mg) == 6)
    if not result.proven_fewest:
        assert "at least 6 are needed" in result.optimality


@pytest.mark.parametrize(
    ("last_unit", "fewest"),
    [
        # Postage-stamp numbers n(3, k): the longest run 1..n that k strengths
        # make with at most 3 capsules (n(3,3) = 15, n(3,4) = 24, n(3,5) = 36,
        # n(3,6) = 52), so 1..n needs exactly k.
        (10, 3),
        (15, 3),
        (24, 4),
        (36, 5),
        (52, 6),
    ],
)
def test_known_minimum_is_found_and_proven(last_unit: int, fewest: int) -> None:
    search = fewest_strengths(list(range(1, last_unit + 1)), 3)
    assert len(search.strengths) == fewest
    assert search.proven_fewest
    assert search.lower_bound == fewest


def test_exhaustive_search_rules_out_a_size_counting_allows() -> None:
    # Counting allows 5 strengths for 1..37 (C(8,3) - 1 = 55 sums), but n(3,5) = 36:
    # only the exhaustive search can prove that 6 are needed.
    search = fewest_strengths(list(range(1, 38)), 3)
    assert search.lower_bound == 6
    assert len(search.strengths) == 6 and search.proven_fewest


def test_unfinished_search_says_so() -> None:
    search = fewest_strengths(list(range(1, 53)), 3, node_budget=10)
    assert len(search.strengths) >= 6
    assert not search.proven_fewest
    assert search.lower_bound <= len(search.strengths)


def test_same_doses_same_answer() -> None:
    doses = [u for u in range(90, 160, 3)]
    assert fewest_strengths(doses, 3) == fewest_strengths(doses, 3)


def test_counting_lower_bound() -> None:
    assert counting_lower_bound(9, 3) == 2
    assert counting_lower_bound(10, 3) == 3
    assert counting_lower_bound(60, 3) == 6
    assert counting_lower_bound(5, 1) == 5


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
    # No capsule holds more than one day's dose (issue 14, plausibility): a capsule is only
    # ever part of a dose.
    assert max(result.strengths_mg) <= max(dose for (dose,) in doses) + 1e-9
    # Never more strengths than distinct doses (each dose alone is a valid set),
    # and never fewer than the proven lower bound.
    assert result.lower_bound <= len(strengths) <= len(set(units))


@pytest.mark.parametrize(
    ("doses", "fewest"),
    [([1, 3, 13, 23, 30], 4), ([4, 10, 21, 33, 34, 35], 4)],
)
def test_a_strength_that_makes_no_dose_alone_is_still_considered(
    doses: list[int], fewest: int
) -> None:
    """{1, 3, 10, 20} makes 1, 3, 13 = 10 + 3, 23 = 20 + 3, 30 = 20 + 10 with two capsules;
    10 and 20 make none of the doses alone, and a search that skipped them 'proved' 5."""
    search = fewest_strengths(doses, 2)
    assert len(search.strengths) == fewest and search.proven_fewest


def _fewest_by_brute_force(doses: list[int], max_count: int) -> int:
    from itertools import combinations, combinations_with_replacement

    candidates = range(1, max(doses) + 1)
    for size in range(1, len(doses) + 1):
        for chosen in combinations(candidates, size):
            made = {
                sum(c)
                for n in range(1, max_count + 1)
                for c in combinations_with_replacement(chosen, n)
            }
            if all(d in made for d in doses):
                return size
    raise AssertionError("each dose alone is always a valid set")


@settings(deadline=None, max_examples=60)
@given(
    doses=st.lists(st.integers(1, 24), min_size=1, max_size=6, unique=True),
    max_count=st.integers(1, 3),
)
def test_proven_fewest_agrees_with_brute_force(doses: list[int], max_count: int) -> None:
    search = fewest_strengths(doses, max_count)
    if search.proven_fewest:
        assert len(search.strengths) == _fewest_by_brute_force(doses, max_count)


def test_the_step_that_fits_the_plans_doses_is_found() -> None:
    """Issue 16 point 7: the Compounding page opened on 0.005 mg with a plan of 0.403 mg."""
    from taperdesk.core.compounding import fitting_step_mg

    assert fitting_step_mg(((0.403,), (0.4,))) == 0.001
    assert fitting_step_mg(((0.87,), (0.865,))) == 0.005
    assert fitting_step_mg(((0.12345,),)) is None
