"""Compounding: the fewest capsule strengths for 30 and 60 distinct doses.

    python -m benchmarks.bench_compounding

Prints the median time of :func:`plan_compounding` and its ratio against a
baseline measured in the same run: one plain greedy pass over the same doses
(add the strength that makes the most missing doses until all are made), the
least work any answer needs. Also prints how many strengths each finds.
Timing lives here, never in the unit tests.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import Result, format_table, interleaved_medians  # noqa: E402
from taperdesk.core.compounding import (  # noqa: E402
    CompoundingRequest,
    _greedy,
    plan_compounding,
)

STEP_MG = 0.005


def dose_sets() -> list[tuple[str, tuple[float, ...]]]:
    rng = random.Random(20270104)
    consecutive = tuple(round(0.6 + STEP_MG * k, 3) for k in range(60))
    # A daily micro taper of clonazepam 0.5 -> 0.35 mg over 30 days (0.005 mg rounding).
    micro = tuple(round(round((0.5 - 0.005 * k) / STEP_MG) * STEP_MG, 3) for k in range(30))
    scattered = tuple(sorted(round(u * STEP_MG, 3) for u in rng.sample(range(60, 300), 40)))
    return [
        ("60 consecutive doses 0.6-0.895 mg", consecutive),
        ("30-day micro taper 0.5-0.355 mg", micro),
        ("40 scattered doses 0.3-1.5 mg", scattered),
    ]


def greedy_units(doses: tuple[float, ...]) -> list[int]:
    units = sorted({round(d / STEP_MG) for d in doses})
    mask = 0
    for unit in units:
        mask |= 1 << unit
    return _greedy(mask, units[-1], 3)


def measure(runs: int = 7) -> list[Result]:
    results = []
    for name, doses in dose_sets():
        request = CompoundingRequest(tuple((d,) for d in doses))
        ours, greedy = interleaved_medians(
            lambda request=request: plan_compounding(request),
            lambda doses=doses: greedy_units(doses),
            runs,
        )
        found = plan_compounding(request)
        proof = "proven fewest" if found.proven_fewest else f"at least {found.lower_bound}"
        results.append(
            Result(
                f"compounding, {name}: {len(found.strengths_mg)} strengths ({proof}); "
                f"greedy {len(greedy_units(doses))}",
                ours * 1000,
                "ms",
                "one greedy pass",
                greedy * 1000,
                "< 1000 ms",
                ours < 1.0,
            )
        )
    return results


if __name__ == "__main__":
    print(format_table(measure()))
