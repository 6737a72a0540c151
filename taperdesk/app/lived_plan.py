"""The plan as the person lives it: one answer to "what do I take on day D".

A saved plan is a list of revisions (every edit and re-plan adds one) and the
plan's holds. Which revision applied on a day depends on when it was saved; an
open hold keeps today's dose until the person resumes; before its first cut a
revision gives its starting doses; during a crossover two drugs are taken on
one day. :class:`LivedPlan` puts those rules in one place and
:func:`active_plan` caches it per database, invalidated by a fingerprint of the
plan tables (so a change made by any window or command is seen).

Every surface that states a dose (Today panel, status line, Plan table and
chart, Diary, Titration, weekly sheet, overview, report, ``taperdesk schedule``)
asks :meth:`LivedPlan.on`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

from taperdesk.app import clock
from taperdesk.core.measure import clean
from taperdesk.core.plan import Hold, TaperPlan
from taperdesk.core.schedule import NextCut, Schedule, Step, StepKind, build_schedule
from taperdesk.errors import KnownError

if TYPE_CHECKING:
    from taperdesk.core.drugs import DrugCatalogue
    from taperdesk.store.database import Database


class PlanUnreadable(KnownError):
    """The saved plan cannot be worked out (a drug missing from the catalogue, too long)."""

    title = "The plan could not be worked out"


class DayKind(Enum):
    """What happens on a day, for marks on screens and paper."""

    LEAD_IN = "lead_in"  # before the first cut: the starting doses
    STEADY = "steady"  # an ordinary day of a step
    CUT = "cut"  # the dose goes down today
    SWITCH = "switch"  # a dosing time changes drug today
    HOLD = "hold"  # held: the dose stays put
    STOP = "stop"  # the first day at zero
    FINISHED = "finished"  # after the stop


@dataclass(frozen=True, slots=True)
class DrugDoses:
    """One drug on one day: mg at each dosing time (in the plan's label order)."""

    drug_key: str
    doses_mg: tuple[float, ...]
    total_mg: float
    diazepam_eq_mg: float


@dataclass(frozen=True, slots=True)
class DoseAt:
    """One dose to take: a dosing time, a drug and mg."""

    label: str
    drug_key: str
    dose_mg: float
    clock_time: str | None = None


@dataclass(frozen=True)
class PlanDay:
    """Everything the plan says about one day."""

    day: dt.date
    revision: int
    labels: tuple[str, ...]
    clock_times: tuple[str | None, ...]
    #: Every drug of the day (the drug being tapered last); a switch stage has two.
    drugs: tuple[DrugDoses, ...]
    kind: DayKind
    #: The schedule's step (switch stages count); ``None`` before the first step and after
    #: the stop.
    step: Step | None
    hold: bool = False
    #: Held by a hold that has not been resumed (the dose stays until the person resumes).
    open_hold: bool = False
    #: Days since the taper reached zero (0 = the first day at zero); ``None`` before.
    days_since_zero: int | None = None
    #: How much the dose of the drug being tapered went down today (0 on other days).
    cut_mg: float = 0.0
    cut_percent: float = 0.0

    @property
    def step_number(self) -> int | None:
        return self.step.number if self.step is not None else None

    @property
    def taper(self) -> DrugDoses:
        """The drug being tapered on this day."""
        return self.drugs[-1]

    @property
    def total_diazepam_eq_mg(self) -> float:
        return clean(sum(d.diazepam_eq_mg for d in self.drugs))

    @property
    def taken_drugs(self) -> tuple[DrugDoses, ...]:
        """The drugs with a dose above zero (the tapered drug at 0 mg when none)."""
        return tuple(d for d in self.drugs if d.total_mg > 0) or (self.taper,)

    @property
    def is_cut(self) -> bool:
        return self.kind in (DayKind.CUT, DayKind.STOP)

    def drug(self, drug_key: str) -> DrugDoses | None:
        return next((d for d in self.drugs if d.drug_key == drug_key), None)

    def mg(self, label: str, drug_key: str) -> float:
        """mg of ``drug_key`` at dosing time ``label`` (0 when not taken, or when this
        day's revision has no such dosing time)."""
        found = self.drug(drug_key)
        if found is None or label not in self.labels:
            return 0.0
        return found.doses_mg[self.labels.index(label)]

    def has_label(self, label: str) -> bool:
        """The revision of this day has the dosing time ``label``."""
        return label in self.labels

    def doses_by_label(self, drug_key: str | None = None) -> dict[str, float]:
        """``label -> mg`` of one drug (default: the drug being tapered)."""
        found = self.taper if drug_key is None else self.drug(drug_key)
        return dict(zip(self.labels, found.doses_mg, strict=True)) if found else {}

    def doses(self) -> tuple[DoseAt, ...]:
        """Every dose to take, by dosing time then drug; a dosing time with nothing to
        take gives one 0 mg dose of the drug being tapered."""
        out: list[DoseAt] = []
        for i, (label, clock_time) in enumerate(zip(self.labels, self.clock_times, strict=True)):
            taken = [d for d in self.drugs if d.doses_mg[i] > 0]
            if not taken:
                out.append(DoseAt(label, self.taper.drug_key, 0.0, clock_time))
            out += [DoseAt(label, d.drug_key, d.doses_mg[i], clock_time) for d in taken]
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Revision:
    """One saved revision: its number, the local day it was saved, why, and the plan.

    ``saved_on`` of ``None`` (a plan given directly, not saved) applies from the start:
    every day before its first cut gives the starting doses.
    """

    number: int
    saved_on: dt.date | None
    reason: str
    plan: TaperPlan


class LivedPlan:
    """The active plan: its revisions, holds and schedules, answering for any day.

    Schedules are built when first needed (the current one at once, so a plan
    that cannot be worked out fails here, with a sentence, not later).
    """

    def __init__(
        self,
        plan_id: int | None,
        name: str,
        revisions: Sequence[Revision],
        catalogue: DrugCatalogue,
        today: dt.date,
    ) -> None:
        if not revisions:
            raise ValueError("A plan has at least one revision")
        self.plan_id = plan_id
        self.name = name
        self.revisions = tuple(revisions)
        self.catalogue = catalogue
        self.today = today
        self._schedules: dict[int, Schedule | None] = {}
        self._starts: dict[int, list[dt.date]] = {}
        self._saved = [r.saved_on or dt.date.min for r in self.revisions]
        self.schedule  # noqa: B018 - build (and check) the current schedule now

    # -- the revisions ----------------------------------------------------------

    @property
    def current(self) -> Revision:
        return self.revisions[-1]

    @property
    def plan(self) -> TaperPlan:
        """The newest revision, with the plan's holds."""
        return self.current.plan

    @property
    def schedule(self) -> Schedule:
        """The newest revision's schedule (an open hold projected as resumed tomorrow)."""
        found = self._schedule_of(len(self.revisions) - 1, strict=True)
        assert found is not None
        return found

    @property
    def holds(self) -> tuple[Hold, ...]:
        return self.plan.holds

    @property
    def open_hold(self) -> Hold | None:
        return self.plan.open_hold

    @property
    def held_until(self) -> dt.date | None:
        """The last day the projection holds for an open hold (today, or its start)."""
        hold = self.open_hold
        return None if hold is None else max(hold.start, self.today)

    def _schedule_of(self, index: int, strict: bool = False) -> Schedule | None:
        if index not in self._schedules:
            plan = self.revisions[index].plan
            try:
                # A saved plan is shown as it was saved, even if today's engine would refuse
                # its rounding (the steps concerned get a strong warning); a plan given
                # directly is checked strictly.
                self._schedules[index] = build_schedule(
                    plan, self.catalogue, self.today, strict=self.plan_id is None
                )
            except (KeyError, ValueError) as exc:
                if strict:
                    detail = str(exc.args[0] if exc.args else exc).rstrip(".")
                    raise PlanUnreadable(
                        f"Your plan could not be worked out: {detail}.",
                        "Edit the plan (Plan tab), or restore a backup from the File menu.",
                    ) from exc
                self._schedules[index] = None
        return self._schedules[index]

    def schedule_of(self, revision: Revision) -> Schedule | None:
        """The schedule of ``revision`` (``None`` if an old revision cannot be worked out)."""
        return self._schedule_of(self.revisions.index(revision))

    def revision_index_on(self, day: dt.date) -> int:
        """Index of the revision that applied on ``day``: the newest saved on or before it
        (the first revision for days before any was saved)."""
        return max(0, bisect.bisect_right(self._saved, day) - 1)

    def revision_on(self, day: dt.date) -> Revision:
        return self.revisions[self.revision_index_on(day)]

    # -- days -------------------------------------------------------------------

    def on(self, day: dt.date) -> PlanDay | None:
        """What the plan says for ``day``; ``None`` before the plan applies."""
        index = self.revision_index_on(day)
        schedule = self._schedule_of(index)
        if schedule is None:
            return None
        revision = self.revisions[index]
        held_until = self.held_until
        hold = self.open_hold
        if held_until is not None and hold is not None and day > held_until >= hold.start:
            base = self._day_from(revision, index, schedule, held_until)
            if base is not None:
                return replace(
                    base, day=day, kind=DayKind.HOLD, hold=True, open_hold=True, cut_mg=0.0,
                    cut_percent=0.0,
                )  # fmt: skip
        return self._day_from(revision, index, schedule, day)

    def days(self, first: dt.date, last: dt.date) -> Iterator[PlanDay]:
        """:meth:`on` for every day from ``first`` to ``last`` that has a plan."""
        day = first
        one = dt.timedelta(days=1)
        while day <= last:
            found = self.on(day)
            if found is not None:
                yield found
            day += one

    def projected_on(self, day: dt.date) -> PlanDay | None:
        """What the newest revision's schedule says for ``day``, an open hold projected as
        resumed tomorrow: the plan's steps (step table, chart), not the days lived."""
        index = len(self.revisions) - 1
        return self._day_from(self.current, index, self.schedule, day)

    @property
    def all_labels(self) -> tuple[str, ...]:
        """Every dosing time of any revision (a revision may split a dose in three): the
        newest revision's in its order, and each one only an earlier revision had placed
        after the dosing time it followed there (morning, afternoon, night)."""
        labels = list(self.plan.labels)
        for revision in reversed(self.revisions[:-1]):
            for i, label in enumerate(revision.plan.labels):
                if label in labels:
                    continue
                before = revision.plan.labels[i - 1] if i else None
                labels.insert(labels.index(before) + 1 if before in labels else 0, label)
        return tuple(labels)

    @property
    def first_day(self) -> dt.date:
        """The first step of the first revision (exports and tables begin here)."""
        return self.revisions[0].plan.start_date

    @property
    def last_day(self) -> dt.date:
        """The first day at zero of the newest revision."""
        return self.schedule.summary.end_date

    def all_days(self) -> Iterator[PlanDay]:
        """Every day from :attr:`first_day` to :attr:`last_day`."""
        return self.days(self.first_day, self.last_day)

    def next_cut(self, after: dt.date) -> NextCut | None:
        """The next day the dose goes down; ``None`` while an open hold lasts."""
        if self.open_hold is not None and after >= self.open_hold.start:
            return None
        return self.schedule.next_cut(after)

    def _day_from(
        self, revision: Revision, index: int, schedule: Schedule, day: dt.date
    ) -> PlanDay | None:
        plan = revision.plan
        labels = plan.labels
        clocks = tuple(t.clock_time for t in plan.dosing_times)
        planned = schedule.doses_on(day)
        if planned is None:
            end = schedule.summary.end_date
            if day > end:
                zero = tuple(0.0 for _ in labels)
                drugs = (DrugDoses(plan.taper_drug_key, zero, 0.0, 0.0),)
                return PlanDay(
                    day, revision.number, labels, clocks, drugs, DayKind.FINISHED, None,
                    days_since_zero=(day - end).days,
                )  # fmt: skip
            if revision.saved_on is not None and day < revision.saved_on:
                return None  # not before the revision existed
            lead_in = schedule.lead_in_on(day)
            if lead_in is None:
                return None
            planned = lead_in
        drugs = tuple(
            DrugDoses(r.drug_key, tuple(r.doses_mg), r.total_mg, r.diazepam_eq_mg)
            for r in planned.rows
        )
        if planned.step_number == 0 and not planned.hold:
            return PlanDay(day, revision.number, labels, clocks, drugs, DayKind.LEAD_IN, None)
        step = self._step_on(index, schedule, day)
        taper_row = planned.rows[-1]
        kind = DayKind.STEADY
        cut_mg = cut_percent = 0.0
        if planned.hold:
            kind = DayKind.HOLD
        elif step is not None and step.kind is StepKind.SWITCH and step.start_date == day:
            kind = DayKind.SWITCH
        elif taper_row.is_cut_day:
            kind = DayKind.STOP if taper_row.total_mg <= 0 else DayKind.CUT
            before = self._taper_total_before(schedule, day, taper_row.drug_key)
            cut_mg = clean(before - taper_row.total_mg)
            cut_percent = clean(100 * cut_mg / before) if before > 0 else 0.0
        since = 0 if kind is DayKind.STOP else None
        return PlanDay(
            day, revision.number, labels, clocks, drugs, kind, step, planned.hold,
            planned.hold and self.open_hold is not None and day >= self.open_hold.start,
            since, cut_mg, cut_percent,
        )  # fmt: skip

    def _step_on(self, index: int, schedule: Schedule, day: dt.date) -> Step | None:
        starts = self._starts.get(index)
        if starts is None:
            starts = self._starts[index] = [s.start_date for s in schedule.steps]
        i = bisect.bisect_right(starts, day) - 1
        if i < 0 or day > schedule.steps[i].end_date:
            return None
        return schedule.steps[i]

    @staticmethod
    def _taper_total_before(schedule: Schedule, day: dt.date, drug_key: str) -> float:
        rows = schedule.rows_on(day - dt.timedelta(days=1))
        found = next((r.total_mg for r in rows if r.drug_key == drug_key), None)
        if found is not None:
            return found
        start = schedule.start_row
        if start is not None and start.drug_key == drug_key:
            return start.total_mg
        steps = [s for s in schedule.steps if s.start_date <= day and s.is_cut]
        return steps[-1].dose_before_mg if steps else 0.0

    # -- variants for previews ----------------------------------------------------

    def with_revision(self, plan: TaperPlan, saved_on: dt.date, reason: str) -> LivedPlan:
        """This plan as it would be after saving ``plan`` as a new revision on ``saved_on``."""
        number = self.current.number + 1
        plan = replace(plan, holds=self.holds, revision=number)
        return LivedPlan(
            self.plan_id,
            self.name,
            (*self.revisions, Revision(number, saved_on, reason, plan)),
            self.catalogue,
            self.today,
        )

    def with_holds(self, holds: tuple[Hold, ...]) -> LivedPlan:
        """This plan with other holds (holds belong to the plan, so to every revision)."""
        return LivedPlan(
            self.plan_id,
            self.name,
            tuple(replace(r, plan=replace(r.plan, holds=holds)) for r in self.revisions),
            self.catalogue,
            self.today,
        )


def new_lived_plan(
    plan: TaperPlan, catalogue: DrugCatalogue, today: dt.date, name: str = ""
) -> LivedPlan:
    """A plan given directly, not saved (plan options on the CLI, a preview, tests):
    its starting doses apply on every day before its first cut."""
    return LivedPlan(None, name, (Revision(1, None, "Created", plan),), catalogue, today)


# -- the cache -------------------------------------------------------------------------

_cache: weakref.WeakKeyDictionary[Database, tuple[tuple[object, ...], LivedPlan | None]] = (
    weakref.WeakKeyDictionary()
)


def active_plan(database: Database, today: dt.date | None = None) -> LivedPlan | None:
    """The active plan as lived, or ``None`` without one.

    Cached per database: the cache is checked against a fingerprint of the plan
    tables (a few cheap queries), so a plan, revision, hold or custom-drug change
    by any writer is seen. Raises :class:`PlanUnreadable` when the plan cannot be
    worked out and :class:`~taperdesk.errors.KnownError` when the file cannot be read.
    """
    from taperdesk.store import plans as plan_store

    today = today or clock.today()
    key = (plan_store.plan_fingerprint(database), today)
    cached = _cache.get(database)
    if cached is not None and cached[0] == key:
        return cached[1]
    lived = _load(database, today)
    _cache[database] = (key, lived)
    return lived


def forget(database: Database) -> None:
    """Drop the cached plan (the file was replaced by a restore or an import)."""
    _cache.pop(database, None)


def _load(database: Database, today: dt.date) -> LivedPlan | None:
    from taperdesk.store import plans as plan_store
    from taperdesk.store.drugs import load_user_catalogue

    try:
        record = plan_store.load_active_plan_record(database)
        if record is None:
            return None
        saved = plan_store.load_revisions(database, record.plan_id)
        catalogue = load_user_catalogue(database)
    except (KeyError, ValueError, TypeError) as exc:  # a row no plan can be made of
        raise PlanUnreadable(
            f"Your saved plan could not be read ({exc}).",
            "Restore a backup from the File menu, or start a new plan.",
        ) from exc
    revisions = [
        Revision(r.revision, plan_store.local_date(r.created_at), r.reason, r.plan) for r in saved
    ]
    return LivedPlan(record.plan_id, record.name, revisions, catalogue, today)
