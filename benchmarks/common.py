"""Shared pieces of the benchmark suite: timing, results, the table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One line of the benchmark table.

    ``value`` is the median of TaperDesk's runs, ``baseline`` the median of the
    baseline's runs measured in the same run (same machine, same moment), in
    the same unit. ``goal_met`` says whether every stated goal holds.
    """

    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float | None
    goal: str
    goal_met: bool

    @property
    def ratio(self) -> float | None:
        return None if not self.baseline else self.value / self.baseline


def median_seconds(function: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def interleaved_medians(
    first: Callable[[], object], second: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Median seconds of two functions measured alternately, so drift hits both alike."""
    first()
    second()
    a, b = [], []
    for _ in range(runs):
        start = time.perf_counter()
        first()
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        second()
        b.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def _number(value: float) -> str:
    """One decimal, or two significant digits below 1 (a 0.25 ms save is not "0.2")."""
    return f"{value:.1f}" if abs(value) >= 1 else f"{value:.2g}"


def format_table(results: list[Result]) -> str:
    header = ("benchmark", "TaperDesk", "baseline", "ratio", "goal", "met")
    rows = [header]
    for r in results:
        baseline = (
            "-" if r.baseline is None else f"{_number(r.baseline)} {r.unit} ({r.baseline_name})"
        )
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}x"
        rows.append(
            (
                r.name,
                f"{_number(r.value)} {r.unit}",
                baseline,
                ratio,
                r.goal,
                "yes" if r.goal_met else "NO",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
