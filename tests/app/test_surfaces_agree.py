"""Every surface states the same dose per dosing time and drug, for generated plans.

Plans of both styles, percent and fixed cuts, 1-3 dosing times, holds open and
closed, crossovers and a second revision are saved to a database; then for days
around "today" the doses stated by the Today text and status line, the Plan
table (day rows, step rows), the plan chart's data, the weekly sheet, the
Titration tab's plan days, the Diary's "plan" hints, the pharmacy supply, the report, the overview rows and
``taperdesk schedule`` (CSV, JSON, table) are each read back and compared with
:meth:`LivedPlan.on` (or, for the step views, ``projected_on``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from taperdesk.app.lived_plan import LivedPlan, PlanDay, PlanUnreadable, active_plan
from taperdesk.core.measure import decimals_for_step
from taperdesk.core.plan import (
    Crossover,
    DosingTime,
    Hold,
    ReductionModel,
    TaperPlan,
    TaperStyle,
)
from taperdesk.store import plans as plan_store
from taperdesk.store.opening import open_database

TODAY = dt.date(2027, 3, 10)
LABELS = ("morning", "afternoon", "night")


@st.composite
def saved_plans(draw):
    drug, unit = draw(st.sampled_from([("clonazepam", 0.125), ("lorazepam", 0.25)]))
    times = draw(st.integers(1, 3))
    doses = tuple(DosingTime(LABELS[i], unit * draw(st.integers(1, 8)), None) for i in range(times))
    style = draw(st.sampled_from(list(TaperStyle)))
    reduction = (
        ReductionModel.percent(draw(st.sampled_from([5, 10, 12.5, 25])))
        if draw(st.booleans())
        else ReductionModel.fixed_mg(draw(st.sampled_from([0.025, 0.05, 0.1])))
    )
    crossover = Crossover("diazepam", (), draw(st.integers(2, 8))) if draw(st.booleans()) else None
    start = TODAY - dt.timedelta(days=draw(st.integers(0, 80)))
    holds: tuple[Hold, ...] = ()
    hold_kind = draw(st.sampled_from(["none", "closed", "open"]))
    if hold_kind == "closed":
        first = start + dt.timedelta(days=draw(st.integers(0, 40)))
        holds = (Hold(first, first + dt.timedelta(days=draw(st.integers(0, 12)))),)
    elif hold_kind == "open":
        holds = (Hold(TODAY - dt.timedelta(days=draw(st.integers(0, 10))), None),)
    plan = TaperPlan(
        drug_key=drug,
        dosing_times=doses,
        start_date=start,
        reduction=reduction,
        interval_days=draw(st.sampled_from([7, 10, 14, 21])),
        style=style,
        rounding_mg=draw(st.sampled_from([0.001, 0.01, 0.0625])),
        holds=holds,
        crossover=crossover,
    )
    revision_2 = None
    if draw(st.booleans()):
        changes: dict[str, object] = {
            "reduction": ReductionModel.percent(draw(st.sampled_from([5, 8, 10]))),
            "interval_days": draw(st.sampled_from([14, 28])),
        }
        if draw(st.booleans()):  # the dose split differently (2 -> 3 dosing times, ...)
            new_times = draw(st.integers(1, 3))
            changes["dosing_times"] = tuple(
                DosingTime(LABELS[-1 - i], unit * draw(st.integers(1, 8)), None)
                for i in range(new_times)
            )
            changes["crossover"] = None
        revision_2 = (
            TaperPlan(**{**{f: getattr(plan, f) for f in plan.__dataclass_fields__}, **changes}),
            TODAY - dt.timedelta(days=draw(st.integers(0, 30))),
        )
    return plan, start, revision_2


def save(plan: TaperPlan, saved_on: dt.date, revision_2) -> object:
    database = open_database(":memory:")
    plan_store.save_new_plan(database, plan, "Generated")
    stamps = [(1, saved_on)]
    if revision_2 is not None:
        plan_id = plan_store.active_plan_id(database)
        plan_store.save_revision(database, plan_id, revision_2[0], "Edited")
        stamps.append((2, max(saved_on, revision_2[1])))
    with database.transaction() as connection:
        for number, day in stamps:
            connection.execute(
                "UPDATE plan_revisions SET created_at = ? WHERE revision = ?",
                (dt.datetime.combine(day, dt.time(12)).astimezone().isoformat(), number),
            )
    return database


def reference(day: PlanDay) -> dict[tuple[str, str], float]:
    """(dosing time, drug) -> mg of every dose above zero."""
    return {(d.label, d.drug_key): d.dose_mg for d in day.doses() if d.dose_mg > 0}


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]


def close(stated: float, exact: float, places: int) -> bool:
    return abs(stated - exact) <= 0.5 * 10**-places + 1e-9


def check_day_surfaces(lived: LivedPlan, database, day: dt.date, qapp) -> None:
    from taperdesk.app import exports
    from taperdesk.app.titration_days import planned_doses_between
    from taperdesk.printing.pharmacy_request import supply_doses
    from taperdesk.printing.prescriber_report import PrescriberReportDocument
    from taperdesk.printing.sources import load_inputs
    from taperdesk.printing.weekly_sheet import sheet_week, week_start

    planned = lived.on(day)
    if planned is None:
        return
    expected = reference(planned)
    places = max(3, decimals_for_step(lived.plan.rounding_mg))

    # taperdesk schedule --format csv / json (and the GUI's CSV export)
    if lived.first_day <= day <= lived.last_day:
        out = io.StringIO()
        exports.write_csv(lived, out)
        rows = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["date"] == str(day)]
        from_csv = {
            (label, r["drug"]): float(r[f"{label}_mg"])
            for r in rows
            for label in lived.all_labels
            if r[f"{label}_mg"] and float(r[f"{label}_mg"]) > 0
        }
        assert from_csv.keys() == expected.keys(), (day, from_csv, expected)
        assert all(close(from_csv[k], v, places) for k, v in expected.items())
        data = json.loads(json.dumps(exports.schedule_to_dict(lived)))
        from_json = {
            (label, r["drug"]): mg
            for r in data["rows"]
            if r["date"] == str(day)
            for label, mg in r["doses_mg"].items()
            if mg > 0
        }
        assert from_json == expected

    # Titration tab and taperdesk titrate: the drug being tapered that day
    titration = planned_doses_between(database, day, day)
    assert titration is not None and len(titration) == 1
    assert titration[0].doses_mg == planned.taper.doses_mg

    # The weekly sheet of that week
    inputs = load_inputs(database, today=lived.today)
    week = sheet_week(inputs, week_start(day))
    sheet_day = next(d for d in week.days if d.day == day)
    sheet_places = max(2, decimals_for_step(lived.plan.rounding_mg))
    headings = [h.split(" · ")[0].lower() for h in week.labels]
    for label in planned.labels:
        cell = sheet_day.doses[headings.index(label)]
        stated = [n for text in cell.amounts for n in numbers(text)]
        wanted = [mg for (lb, _k), mg in expected.items() if lb == label] or [0.0]
        assert len(stated) == len(wanted), (day, cell.amounts, wanted)
        assert all(close(a, b, sheet_places) for a, b in zip(stated, wanted, strict=True))
    assert sheet_day.hold == planned.hold
    # A cut mark only on a day the dose goes down; on every such day of a cut-and-hold
    # plan (a daily micro taper marks only a fall larger than its steady daily one).
    assert not sheet_day.cut or planned.is_cut
    stop = planned.kind.value == "stop"  # the first day at zero: marked STOP, not one more cut
    assert (sheet_day.mark.name == "STOP") == stop
    if lived.plan.style.value == "hold" and not planned.hold:
        assert sheet_day.cut == (planned.is_cut and not stop)

    # The pharmacy supply (the drug being tapered)
    (supply,) = supply_doses(inputs, day, 1)
    taper = planned.drug(lived.plan.taper_drug_key)
    assert supply == tuple(
        planned.mg(label, taper.drug_key) if taper else 0.0 for label in lived.plan.labels
    )

    # The prescriber report: planned per drug
    report = PrescriberReportDocument(inputs, (), day, day)
    stated = numbers(report._planned_text(planned))
    drugs = planned.taken_drugs if report.several_drugs else (planned.taper,)
    assert len(stated) == len(drugs)
    assert all(close(a, d.total_mg, report.places) for a, d in zip(stated, drugs, strict=True))


def check_diary(lived: LivedPlan, database, days: list[dt.date]) -> None:
    """The Diary tab's dose rows: 'plan X mg' beside each dosing time and drug."""
    from pathlib import Path

    from taperdesk.ui.diary_tab import DiaryTab
    from taperdesk.ui.state import AppState

    tab = DiaryTab(AppState(Path("/nonexistent"), database))
    try:
        for day in days:
            planned = lived.on(day)
            tab.day = day
            slots = {(s.label, s.drug_key): s.planned_mg for s in tab._slots()}
            if planned is None:
                assert all(mg is None for mg in slots.values())
                continue
            assert slots == {(d.label, d.drug_key): d.dose_mg for d in planned.doses()}
    finally:
        tab.deleteLater()


def check_today(lived: LivedPlan) -> None:
    from taperdesk.ui.plan_status import describe_today

    planned = lived.on(lived.today)
    text = describe_today(lived, lived.today)
    if planned is None:
        return
    for drug in planned.taken_drugs:
        assert f"{drug.total_mg:.4f}".rstrip("0").rstrip(".") in text.dose
    assert text.holding == planned.open_hold or text.holding == planned.hold


def check_tables(lived: LivedPlan, qapp) -> None:
    from taperdesk.app.plan_steps import step_lines
    from taperdesk.commands.schedule import write_table
    from taperdesk.ui.plan_table import ScheduleTableModel

    model = ScheduleTableModel()
    model.set_plan(lived, day_by_day=True)
    labels = model.labels
    header = model.header
    multi = "Drug" in header
    dose_columns = (
        [header.index(f"{lb} (mg)") for lb in labels]
        if len(labels) > 1
        else [header.index("Dose (mg)")]
    )
    stated: dict[tuple[str, str], dict[str, float]] = {}
    for row in model.rows:
        cells = row.cells
        drug = cells[header.index("Drug")] if multi else None
        for label, column in zip(labels, dose_columns, strict=True):
            if cells[column] != "–":  # that day's revision had no such dosing time
                stated.setdefault((cells[0], label), {})[drug or ""] = float(cells[column])
    names = {k: lived.catalogue.get(k).name for k in lived.catalogue.keys}
    for day in list(lived.all_days())[:: max(1, len(list(lived.all_days())) // 40)]:
        for dose in day.doses():
            if dose.dose_mg <= 0:
                continue
            drug = names[dose.drug_key] if multi else ""
            assert close(stated[(str(day.day), dose.label)][drug], dose.dose_mg, model._places())
    # Step rows (the projection): last day of each step, in the Plan table and the CLI.
    model.set_plan(lived)
    out = io.StringIO()
    write_table(lived, out)
    cli = out.getvalue()
    for line in step_lines(lived):
        if line.is_switch:
            continue
        last = line.last.taper.total_mg
        assert any(
            f"{last:.4f}".rstrip("0").rstrip(".") in cell
            for row in model.rows
            for cell in row.cells
        )
        assert f"{last:.4f}".rstrip("0").rstrip(".") in cli


def check_chart(lived: LivedPlan) -> None:
    from taperdesk.ui.plan_chart import _series

    schedule = lived.schedule
    for key in schedule.drug_keys:
        days, values = _series(schedule, key)
        for day, mg in list(zip(days, values, strict=True))[::7]:
            projected = lived.projected_on(day)
            assert projected is not None
            found = projected.drug(key)
            assert found is not None and abs(found.total_mg - mg) < 1e-9


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=saved_plans(), offsets=st.lists(st.integers(-60, 30), min_size=3, max_size=6))
def test_every_surface_states_the_same_dose(qapp, case, offsets) -> None:
    from unittest import mock

    from taperdesk.app import clock

    plan, start, revision_2 = case
    database = save(plan, start, revision_2)
    with (
        contextlib.closing(database),
        mock.patch.object(clock, "today", lambda: TODAY),  # the one clock, pinned
    ):
        try:
            lived = active_plan(database, TODAY)
        except PlanUnreadable:  # longer than 20 years: refused, nothing to compare
            reject()
        assert lived is not None
        days = [TODAY + dt.timedelta(days=offset) for offset in sorted({0, *offsets})]
        for day in days:
            check_day_surfaces(lived, database, day, qapp)
        check_diary(lived, database, [d for d in days if d <= TODAY])
        check_today(lived)
        check_tables(lived, qapp)
        check_chart(lived)
