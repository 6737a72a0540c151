"""The plan's steps as every step table states them (Plan tab, overview, CLI).

A step row says what really happens during the step: for a daily micro taper
the dose of its first and of its last day ("0.994 → 0.9 mg"), for a switch
stage every drug taken ("Lorazepam 1 mg morning + Diazepam 10 mg night").
Both days come from :meth:`LivedPlan.projected_on`, so a row never states a
dose that the day-by-day view does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from taperdesk.app.lived_plan import DrugDoses, LivedPlan, PlanDay
from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.measure import EPSILON, format_mg, format_number
from taperdesk.core.schedule import Step, StepKind


@dataclass(frozen=True)
class StepLine:
    """One step with the first and the last day it is taken (held days aside)."""

    step: Step
    first: PlanDay
    last: PlanDay

    @property
    def is_switch(self) -> bool:
        return self.step.kind is StepKind.SWITCH

    @property
    def changes_within(self) -> bool:
        """The dose moves during the step (a daily micro taper)."""
        return abs(self.first.taper.total_mg - self.last.taper.total_mg) > EPSILON

    @property
    def taken(self) -> tuple[DrugDoses, ...]:
        """The drugs taken on the step's last day (two during a switch stage)."""
        return self.last.taken_drugs


@dataclass(frozen=True)
class LeadIn:
    """The days from saving the newest revision to its first cut: its starting doses."""

    first: dt.date
    last: dt.date
    day: PlanDay


def lead_in(lived: LivedPlan) -> LeadIn | None:
    """The newest revision's days before its first cut (after a re-plan, or a plan whose
    first cut is ahead), or ``None``."""
    saved, start = lived.current.saved_on, lived.plan.start_date
    if saved is None or saved >= start:
        return None
    day = lived.projected_on(saved)
    if day is None:
        return None
    return LeadIn(saved, start - dt.timedelta(days=1), day)


def step_lines(lived: LivedPlan) -> list[StepLine]:
    """Every step of the newest revision, with its first and last day."""
    lines = []
    one = dt.timedelta(days=1)
    for step in lived.schedule.steps:
        first = lived.projected_on(step.start_date)
        last_day = step.end_date
        last = lived.projected_on(last_day)
        while last is not None and last.hold and last_day > step.start_date:
            last_day -= one
            last = lived.projected_on(last_day)
        if first is None or last is None:  # pragma: no cover - every step has days
            continue
        lines.append(StepLine(step, first, last))
    return lines


def mg_range(first_mg: float, last_mg: float, places: int) -> str:
    """ "0.9" or "0.994 → 0.9" (no unit)."""
    if abs(first_mg - last_mg) <= EPSILON:
        return format_number(last_mg, places)
    return f"{format_number(first_mg, places)} → {format_number(last_mg, places)}"


def drugs_text(day: PlanDay, catalogue: DrugCatalogue, places: int) -> str:
    """Every drug taken on ``day`` with its dosing times:
    "Lorazepam 0.5 mg afternoon, 1 mg night + Diazepam 10 mg morning"
    (one drug: "Clonazepam 0.5 mg")."""
    parts = []
    several_times = len(day.labels) > 1
    for drug in day.taken_drugs:
        name = catalogue.get(drug.drug_key).name
        if several_times and len(day.taken_drugs) > 1:
            doses = ", ".join(
                f"{format_mg(mg, places)} {label}"
                for label, mg in zip(day.labels, drug.doses_mg, strict=True)
                if mg > 0
            )
            parts.append(f"{name} {doses}")
        else:
            parts.append(f"{name} {format_mg(drug.total_mg, places)}")
    return " + ".join(parts)


def last_dose_mg(lived: LivedPlan) -> float:
    """The last daily dose taken before stopping (what the plan really ends on; rounding
    can leave it above the final-dose target)."""
    steps = lived.schedule.steps
    return steps[-1].dose_before_mg if steps else 0.0
