"""Data folders as a person has them, for the start-up and chart benchmarks.

Each is written by a child process (``python -m benchmarks.datasets KIND FOLDER``) so
the benchmark process itself never imports TaperDesk's store.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

#: What each data folder holds, in the words of the table.
KINDS: dict[str, str] = {
    "empty": "new data folder",
    "diary10": "5-year plan + 10 years of diary",
    "plan20": "20-year daily micro taper plan",
    "revisions30": "5-year plan with 30 revisions",
    # The Diary tab shown at start (the save benchmark edits today's entry there).
    "diary1-tab": "5-year plan + 1 year of diary, Diary tab",
    "diary10-tab": "5-year plan + 10 years of diary, Diary tab",
}


def twenty_year_plan():
    """Diazepam 40 mg in four doses, 0.82% every 14 days, a daily micro taper started a
    year ago: 7,237 days (19.8 years, just under the 20 the app accepts), each its own
    dose, 515 steps."""
    from taperdesk.core.plan import DosingTime, ReductionModel, TaperPlan, TaperStyle

    return TaperPlan(
        drug_key="diazepam",
        dosing_times=tuple(
            DosingTime(label, 10.0) for label in ("morning", "noon", "evening", "night")
        ),
        start_date=dt.date.today() - dt.timedelta(days=365),
        reduction=ReductionModel.percent(0.82),
        interval_days=14,
        style=TaperStyle.DAILY_MICRO,
        rounding_mg=0.01,
    )


def prepare(kind: str, folder: Path) -> None:
    from dataclasses import replace

    from benchmarks.bench_diary import seed_diary
    from benchmarks.bench_schedule import five_year_plan
    from taperdesk.core import safety
    from taperdesk.core.plan import ReductionModel, TaperStyle
    from taperdesk.store import plans
    from taperdesk.store.opening import open_user_database
    from taperdesk.store.settings import set_setting

    if kind not in KINDS:
        raise SystemExit(f"unknown data set {kind!r}: one of {', '.join(KINDS)}")
    database = open_user_database(folder)
    set_setting(database, "safety.acknowledged_version", safety.NOTICE_VERSION)
    if kind.startswith("diary"):
        plan = five_year_plan(TaperStyle.CUT_AND_HOLD)
        plans.save_new_plan(database, plan, "Diazepam taper")
        # The diary logs the plan's drug at its dosing times: the Plan chart draws every
        # day's dose taken (3,650 dots at ten years), as a person's would.
        labels = tuple(t.label for t in plan.dosing_times)
        seed_diary(database, years=1 if kind.startswith("diary1-") else 10, end=dt.date.today(),
                   drug_key=plan.drug_key, start_mg=40.0, labels=labels)  # fmt: skip
        if kind.endswith("-tab"):
            set_setting(database, "window.tab", 2)
    elif kind == "plan20":
        plans.save_new_plan(database, twenty_year_plan(), "Diazepam micro taper")
    elif kind == "revisions30":
        plan = replace(
            five_year_plan(TaperStyle.CUT_AND_HOLD),
            start_date=dt.date.today() - dt.timedelta(days=900),
        )
        plan_id = plans.save_new_plan(database, plan, "Diazepam taper")
        for number in range(2, 31):  # each revision a slightly different pace
            revised = replace(plan, reduction=ReductionModel.percent(2.75 - number * 0.03))
            plans.save_revision(database, plan_id, revised, "Edited")
        # Saved a month apart over the last 30 months, so each applied on days of its own
        # (the chart draws each earlier revision's line). Benchmark set-up only.
        with database.transaction() as connection:
            for number in range(1, 31):
                saved = dt.datetime.now(dt.UTC) - dt.timedelta(days=30 * (30 - number))
                connection.execute(
                    "UPDATE plan_revisions SET created_at = ? WHERE plan_id = ? AND revision = ?",
                    (saved.replace(microsecond=0).isoformat(), plan_id, number),
                )
    database.close()


if __name__ == "__main__":
    prepare(sys.argv[1], Path(sys.argv[2]))
