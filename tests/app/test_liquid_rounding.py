"""A daily micro taper measured with a liquid rounds once, to the syringe (issue 14 point 7).

Worked example (BenzoBuddies, in the domain reference): lorazepam 1 mg a day, one 0.5 mg
tablet taken whole and one suspended in 35 mL, a 10% cut over 7 days: remove 1 mL on day 1,
2 mL on day 2, ... 7 mL (0.1 mg) on day 7.
"""

from __future__ import annotations

import datetime as dt
import itertools

from taperdesk.app.lived_plan import new_lived_plan
from taperdesk.core import titration as t
from taperdesk.core.drugs import load_catalogue
from taperdesk.core.plan_fields import validate_plan_fields

START = dt.date(2026, 12, 1)
METHOD = t.MethodSettings(
    t.MethodKind.LIQUID, tablet_mg=0.5, tablet_count=1, volume_ml=35, graduation_ml=0.1
)


def _rows(rounding: str) -> list[t.DailyVolumeRow]:
    catalogue = load_catalogue()
    plan, errors = validate_plan_fields(
        {"drug": "lorazepam", "doses": "1", "cut": "10%", "every": "7", "style": "daily",
         "round": rounding, "start": START.isoformat()},
        catalogue=catalogue,
    )  # fmt: skip
    assert plan is not None, errors
    lived = new_lived_plan(plan, catalogue, START)
    days = [START + dt.timedelta(days=i) for i in range(14)]
    totals = [(d, sum(lived.on(d).doses_by_label("lorazepam").values())) for d in days]
    return t.daily_volumes(METHOD.liquid_mix(), totals)


def test_the_worked_example_removes_one_more_ml_each_day() -> None:
    rows = _rows(repr(t.measurable_step_mg(METHOD)))
    assert [r.remove_ml for r in rows[:7]] == [1, 2, 3, 4, 5, 6, 7]
    assert rows[6].target_dose_mg == 0.9
    # The dose stored is the volume times the concentration: nothing rounded twice.
    assert all(abs(r.delivered_dose_mg - r.target_dose_mg) < 1e-9 for r in rows)
    removed = [r.remove_ml for r in rows[7:]]  # the second cut, 0.09 mg over 7 days
    assert [round(b - a, 6) for a, b in itertools.pairwise(removed)] == [0.9] * 6


def test_rounding_to_0_001_mg_first_made_the_volumes_uneven() -> None:
    """The defect: doses rounded to 0.001 mg, then volumes to 0.1 mL, gave 1, 2, 2.9, 4."""
    rows = _rows("0.001")
    assert [r.remove_ml for r in rows[:4]] == [1, 2, 2.9, 4]


def test_the_liquid_step_keeps_every_digit() -> None:
    """Cut to 9 decimals (0.001428571), 690 graduations counted as 690.0002 and rounded up
    to 691: day 1 removed 0.9 mL."""
    step = t.measurable_step_mg(METHOD)
    assert step == 0.5 / 35 * 0.1
    one_mg = t.MethodSettings(t.MethodKind.LIQUID, tablet_mg=1, tablet_count=1, volume_ml=100)
    assert t.measurable_step_mg(one_mg) == 0.001  # no float noise where there is none
