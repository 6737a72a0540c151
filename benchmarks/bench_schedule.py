"""Five-year daily schedule generation (goal < 50 ms).

Baseline, measured in the same run: the least work any schedule must do, a
plain loop that makes one (date, dose) tuple per day for the same span with
the same percent-per-step arithmetic.
"""

from __future__ import annotations

import datetime as dt

from benchmarks.common import Result, interleaved_medians
from taperdesk.core.drugs import load_catalogue
from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan, TaperStyle
from taperdesk.core.schedule import build_schedule

START = dt.date(2027, 1, 4)


def five_year_plan(style: TaperStyle) -> TaperPlan:
    # Diazepam 40 mg in four doses at 2.75% every 14 days: just over five years.
    return TaperPlan(
        drug_key="diazepam",
        dosing_times=tuple(
            DosingTime(label, 10.0) for label in ("morning", "noon", "evening", "night")
        ),
        start_date=START,
        reduction=ReductionModel.percent(2.75),
        interval_days=14,
        style=style,
        rounding_mg=0.01,
    )


def bare_loop(days: int) -> list[tuple[dt.date, float]]:
    rows = []
    dose = 40.0
    for i in range(days):
        if i % 14 == 0:
            dose *= 1 - 0.0275
        rows.append((START + dt.timedelta(days=i), dose))
    return rows


def measure(runs: int = 15) -> list[Result]:
    catalogue = load_catalogue()
    results = []
    for style, label in (
        (TaperStyle.CUT_AND_HOLD, "cut-and-hold"),
        (TaperStyle.DAILY_MICRO, "daily micro taper"),
    ):
        plan = five_year_plan(style)
        days = len(build_schedule(plan, catalogue).rows)
        ours, bare = interleaved_medians(
            lambda plan=plan: build_schedule(plan, catalogue),
            lambda days=days: bare_loop(days),
            runs,
        )
        results.append(
            Result(
                f"5-year schedule, {label} ({days} days)",
                ours * 1000,
                "ms",
                "bare date loop",
                bare * 1000,
                "< 50 ms",
                ours * 1000 < 50,
            )
        )
    return results


if __name__ == "__main__":
    from benchmarks.common import format_table

    print(format_table(measure()))
