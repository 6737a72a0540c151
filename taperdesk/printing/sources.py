"""Where printouts get their data: the one adapter between the data and the renderers.

The renderers take :class:`PrintInputs` (the plan as lived, from the application
layer: every dose printed is :meth:`LivedPlan.on`) and :class:`DiaryDay` values,
and never see SQL or a database. This module gathers them from an open
:class:`~taperdesk.store.database.Database` (the plan and settings through
``taperdesk.app``; the diary and symptoms from the store), or builds them from a
plan given directly (command-line plan options, tests, the self-check).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from taperdesk.app.lived_plan import LivedPlan, active_plan, new_lived_plan
from taperdesk.core.drugs import DrugCatalogue, load_catalogue
from taperdesk.core.schedule import Schedule
from taperdesk.core.settings_registry import PERSON_NAME

if TYPE_CHECKING:
    from taperdesk.core.compounding import DispensedCapsules
    from taperdesk.core.diary import DiaryEntry
    from taperdesk.core.plan import TaperPlan
    from taperdesk.core.titration import MethodSettings
    from taperdesk.store.database import Database

NAME_KEY = PERSON_NAME.key
#: Most tracked symptoms a weekly sheet has room for.
MAX_SHEET_SYMPTOMS = 6


class NoPlanError(LookupError):
    """There is no saved plan to print."""


@dataclass(frozen=True)
class PrintInputs:
    """Everything a weekly sheet or plan overview needs."""

    lived: LivedPlan
    method: MethodSettings | None = None
    person_name: str | None = None
    tracked_symptoms: tuple[str, ...] = ()
    #: The capsule strengths of the last pharmacy request (what the person has at home).
    capsules: DispensedCapsules | None = None

    @property
    def schedule(self) -> Schedule:
        """The newest revision's schedule (its steps; days come from ``lived.on``)."""
        return self.lived.schedule

    @property
    def catalogue(self) -> DrugCatalogue:
        return self.lived.catalogue

    @property
    def plan(self) -> TaperPlan:
        return self.lived.plan


@dataclass(frozen=True)
class DiaryDay:
    """One diary entry as the report reads it (mg of the drug being tapered).

    ``taken_mg`` and ``planned_mg`` map dosing-time labels to mg; a label
    missing from ``taken_mg`` was not logged.
    """

    day: dt.date
    taken_mg: Mapping[str, float] = field(default_factory=dict)
    planned_mg: Mapping[str, float] = field(default_factory=dict)
    ratings: Mapping[str, int] = field(default_factory=dict)
    notes: str = ""
    deviation_reason: str = ""
    marker: str = "neutral"
    #: No dose of the drug asked for was logged: ``taken_mg`` holds another drug's
    #: (before a crossover), which counts as logged but is never charted as that drug.
    other_drug: bool = False
    #: Every dose logged, by drug then dosing time (mg): what a crossover report shows.
    taken_by_drug: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    @property
    def taken_total_mg(self) -> float | None:
        return sum(self.taken_mg.values()) if self.taken_mg else None


def inputs_for_plan(
    plan: TaperPlan,
    catalogue: DrugCatalogue | None = None,
    *,
    method: MethodSettings | None = None,
    person_name: str | None = None,
    tracked_symptoms: Iterable[str] = (),
    today: dt.date | None = None,
) -> PrintInputs:
    """Print inputs for a plan given directly (no database)."""
    from taperdesk.app import clock

    lived = new_lived_plan(plan, catalogue or load_catalogue(), today or clock.today())
    return PrintInputs(
        lived=lived,
        method=method,
        person_name=(person_name or "").strip() or None,
        tracked_symptoms=tuple(tracked_symptoms),
    )


def load_plan(database: Database, today: dt.date | None = None) -> LivedPlan:
    """The active plan as lived; :class:`NoPlanError` when none is saved."""
    lived = active_plan(database, today)
    if lived is None:
        raise NoPlanError("No saved plan yet: create one in the app first.")
    return lived


def load_method(database: Database) -> MethodSettings | None:
    """The saved titration method, or ``None`` (none saved, or unreadable)."""
    from taperdesk.app.settings import titration_method

    return titration_method(database)


def load_person_name(database: Database) -> str | None:
    from taperdesk.app.settings import person_name

    return person_name(database)


def load_tracked_symptoms(database: Database) -> tuple[str, ...]:
    """Names of the symptoms the user tracks (tracked and not hidden), in their order."""
    from taperdesk.store.symptoms import tracked_symptoms

    return tuple(s.name for s in tracked_symptoms(database))


def load_inputs(
    database: Database, plan: TaperPlan | None = None, today: dt.date | None = None
) -> PrintInputs:
    """Print inputs from the database (the saved plan unless ``plan`` is given)."""
    from taperdesk.store.drugs import load_user_catalogue

    method = load_method(database)
    name = load_person_name(database)
    tracked = load_tracked_symptoms(database)
    if plan is not None:
        return inputs_for_plan(
            plan,
            load_user_catalogue(database),
            method=method,
            person_name=name,
            tracked_symptoms=tracked,
            today=today,
        )
    from taperdesk.app.settings import dispensed_capsules

    return PrintInputs(
        load_plan(database, today), method, name, tracked, dispensed_capsules(database)
    )


def load_diary(
    database: Database, first: dt.date, last: dt.date, drug_key: str | None = None
) -> tuple[DiaryDay, ...]:
    """Diary entries from ``first`` to ``last`` (inclusive), oldest first."""
    from taperdesk.store.diary import entries_between
    from taperdesk.store.symptoms import list_symptoms

    names = {s.id: s.name for s in list_symptoms(database)}
    return tuple(
        diary_day_from_entry(e, names, drug_key) for e in entries_between(database, first, last)
    )


def diary_day_from_entry(
    entry: DiaryEntry, symptom_names: Mapping[int, str], drug_key: str | None = None
) -> DiaryDay:
    """A :class:`DiaryDay` from a diary entry: doses of ``drug_key`` (default: all) by label."""
    matching = [d for d in entry.doses if drug_key is None or d.drug_key == drug_key]
    doses = matching or list(entry.doses)
    taken: dict[str, float] = {}
    planned: dict[str, float] = {}
    by_drug: dict[str, dict[str, float]] = {}
    for dose in entry.doses:
        labels = by_drug.setdefault(dose.drug_key, {})
        labels[dose.label] = labels.get(dose.label, 0.0) + dose.dose_mg
    for dose in doses:
        taken[dose.label] = taken.get(dose.label, 0.0) + dose.dose_mg
        if dose.planned_mg is not None:
            planned[dose.label] = planned.get(dose.label, 0.0) + dose.planned_mg
    return DiaryDay(
        day=entry.entry_date,
        taken_mg=taken,
        planned_mg=planned,
        ratings={symptom_names.get(k, f"symptom {k}"): v for k, v in entry.ratings.items()},
        notes=entry.notes,
        deviation_reason=entry.deviation_reason,
        marker=entry.day_marker,
        other_drug=bool(entry.doses) and not matching,
        taken_by_drug=by_drug,
    )


def supply_doses(
    inputs: PrintInputs, first: dt.date, supply_days: int
) -> tuple[tuple[float, ...], ...]:
    """mg of the drug being tapered at each dosing time, one tuple per day from ``first``.

    Every day is the plan as lived (an open hold keeps today's dose; before the first
    cut, the starting doses); days after it ends, or before the plan, none.
    """
    plan = inputs.plan
    key = plan.taper_drug_key
    days = []
    for i in range(supply_days):
        planned = inputs.lived.on(first + dt.timedelta(days=i))
        # By dosing-time name: an earlier revision may have had other dosing times.
        days.append(tuple(planned.mg(label, key) if planned else 0.0 for label in plan.labels))
    return tuple(days)
