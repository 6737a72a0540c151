"""Taper plan inputs: what the user chose, as immutable values.

A :class:`TaperPlan` holds only the user's choices. The day-by-day schedule is
computed from it by :func:`taperdesk.core.schedule.build_schedule`. Field
validation of typed text (shared by the GUI form and the command line) lives
in :mod:`taperdesk.core.plan_fields`; the one-click actions (hold, resume,
re-plan from what was actually taken) are here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from taperdesk.core.measure import EPSILON, clean

#: Default smallest measurable dose step (mg).
DEFAULT_ROUNDING_MG = 0.001
#: Most dosing times a plan may divide the daily dose into.
MAX_DOSING_TIMES = 4
#: Most parts a dose may move to the new drug in, during a crossover.
MAX_SWITCH_PARTS = 8


class ReductionKind(Enum):
    """How big each cut is."""

    PERCENT_OF_CURRENT = "percent"  # value is a percent of the dose before the cut
    FIXED_MG = "fixed_mg"  # value is mg of the drug being tapered


class TaperStyle(Enum):
    """How a step's cut is taken."""

    CUT_AND_HOLD = "hold"  # whole cut on the step's first day, then hold
    DAILY_MICRO = "daily"  # the cut spread evenly over each day of the step


@dataclass(frozen=True, slots=True)
class ReductionModel:
    """A cut rule: ``value`` percent of the current dose, or ``value`` mg per step."""

    kind: ReductionKind
    value: float

    @classmethod
    def percent(cls, percent: float) -> ReductionModel:
        return cls(ReductionKind.PERCENT_OF_CURRENT, percent)

    @classmethod
    def fixed_mg(cls, cut_mg: float) -> ReductionModel:
        return cls(ReductionKind.FIXED_MG, cut_mg)

    def describe(self) -> str:
        from taperdesk.core.measure import format_mg, format_percent

        if self.kind is ReductionKind.PERCENT_OF_CURRENT:
            return f"{format_percent(self.value)} of the current dose"
        return f"{format_mg(self.value)} per step"


@dataclass(frozen=True, slots=True)
class DosingTime:
    """A named part of the daily dose, e.g. ``DosingTime("morning", 0.5, "08:00")``."""

    label: str
    dose_mg: float
    clock_time: str | None = None


@dataclass(frozen=True, slots=True)
class CutOrder:
    """Which dosing time is cut: all proportionally (empty ``sequence``), or one at a time.

    With a sequence, each cut comes off the first listed dosing time until it is
    zero, then the next (as NHS and Ashton schedules do). Dosing times missing
    from the sequence are cut last, in their plan order.
    """

    sequence: tuple[str, ...] = ()

    @property
    def proportional(self) -> bool:
        return not self.sequence


@dataclass(frozen=True, slots=True)
class Hold:
    """Dates (inclusive) on which the dose stays put; ``end=None`` means not resumed yet."""

    start: dt.date
    end: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.end is None

    def contains(self, day: dt.date, open_until: dt.date | None = None) -> bool:
        """Whether ``day`` is held; an open hold lasts until ``open_until`` (default: its start)."""
        end = self.end if self.end is not None else max(self.start, open_until or self.start)
        return self.start <= day <= end


@dataclass(frozen=True, slots=True)
class Crossover:
    """Switch to another drug before tapering, one dosing time per stage.

    ``swap_order`` lists dosing-time labels (empty: the plan's order); each stage
    lasts ``stage_days``. With ``parts`` above 1 each dosing time moves in that many
    stages, a share at a time (4: a quarter of the dose a stage), the diazepam-equivalent
    total kept: the ASAM 2025 equivalence table notes that moving over 1-2 weeks may be
    more successful than all at once. After the last stage the taper continues on
    ``to_drug_key`` (a fixed cut is then in mg of that drug).
    """

    to_drug_key: str
    swap_order: tuple[str, ...] = ()
    stage_days: int = 7
    parts: int = 1


@dataclass(frozen=True, slots=True)
class TaperPlan:
    """Everything the user chose for one revision of a taper.

    ``start_date`` is the day of the first cut (or of the first crossover stage).
    ``final_dose_mg`` of ``None`` means the default rule: the smaller of 5% of
    the starting dose and the dose equivalent to 1 mg diazepam. It is in mg of
    the drug being tapered (the crossover drug when there is one).
    ``equivalence_overrides`` are ``(drug_key, mg per diazepam 10 mg)`` pairs
    used by this plan on top of the catalogue. ``original_start_dose_mg`` and
    ``original_drug_key`` remember where revision 1 started, so a re-planned
    revision keeps the same final-dose rule.
    """

    drug_key: str
    dosing_times: tuple[DosingTime, ...]
    start_date: dt.date
    reduction: ReductionModel
    interval_days: int = 14
    style: TaperStyle = TaperStyle.CUT_AND_HOLD
    cut_order: CutOrder = CutOrder()
    rounding_mg: float = DEFAULT_ROUNDING_MG
    final_dose_mg: float | None = None
    holds: tuple[Hold, ...] = ()
    crossover: Crossover | None = None
    equivalence_overrides: tuple[tuple[str, float], ...] = ()
    revision: int = 1
    original_start_dose_mg: float | None = None
    original_drug_key: str | None = None

    def __post_init__(self) -> None:
        labels = self.labels
        if not 1 <= len(labels) <= MAX_DOSING_TIMES:
            raise ValueError(f"A plan needs 1 to {MAX_DOSING_TIMES} dosing times")
        if len(set(labels)) != len(labels):
            raise ValueError("Dosing time names must differ")
        if any(t.dose_mg < 0 for t in self.dosing_times) or self.start_dose_mg <= EPSILON:
            raise ValueError("Doses must not be negative and the daily dose must be above 0 mg")
        if self.interval_days < 1 or self.rounding_mg <= 0 or self.reduction.value <= 0:
            raise ValueError("Interval, rounding and cut must be positive")
        for label in (
            *self.cut_order.sequence,
            *(self.crossover.swap_order if self.crossover else ()),
        ):
            if label not in labels:
                raise ValueError(f"Unknown dosing time {label!r}")
        if self.crossover is not None and self.crossover.stage_days < 1:
            raise ValueError("Crossover stages must last at least 1 day")
        if self.crossover is not None and not 1 <= self.crossover.parts <= MAX_SWITCH_PARTS:
            raise ValueError(f"A dose moves in 1 to {MAX_SWITCH_PARTS} parts")
        for hold in self.holds:
            if hold.end is not None and hold.end < hold.start:
                raise ValueError("A hold must end on or after its start")

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(t.label for t in self.dosing_times)

    @property
    def start_dose_mg(self) -> float:
        """The daily total before the first cut, in mg of ``drug_key``."""
        return clean(sum(t.dose_mg for t in self.dosing_times))

    @property
    def taper_drug_key(self) -> str:
        """The drug being cut: the crossover target if there is one."""
        return self.crossover.to_drug_key if self.crossover else self.drug_key

    @property
    def overrides(self) -> dict[str, float]:
        return dict(self.equivalence_overrides)

    @property
    def open_hold(self) -> Hold | None:
        return next((h for h in self.holds if h.is_open), None)


def hold_from(plan: TaperPlan, today: dt.date) -> TaperPlan:
    """ "Hold from today": the dose stays put from ``today`` until resumed."""
    if plan.open_hold is not None:
        return plan
    return replace(plan, holds=(*plan.holds, Hold(today, None)))


def resume(plan: TaperPlan, today: dt.date) -> TaperPlan:
    """ "Resume": close the open hold so the plan continues from ``today``.

    The hold ends yesterday; a hold started today and resumed today vanishes.
    """
    hold = plan.open_hold
    if hold is None:
        return plan
    end = today - dt.timedelta(days=1)
    others = tuple(h for h in plan.holds if h is not hold)
    if end < hold.start:
        return replace(plan, holds=others)
    return replace(plan, holds=(*others, Hold(hold.start, end)))


def replan_from_actual(
    plan: TaperPlan,
    on_date: dt.date,
    actual_doses_by_label: Mapping[str, float],
    *,
    drug_key: str | None = None,
    first_cut_date: dt.date | None = None,
) -> TaperPlan:
    """A new revision starting from the doses actually taken on ``on_date``.

    Every other setting is kept. ``actual_doses_by_label`` must give every
    dosing time (mg of ``drug_key``, default the plan's drug; pass the
    crossover drug once the switch is done, and the crossover is dropped).
    The first cut of the new revision is one interval after ``on_date`` unless
    ``first_cut_date`` says otherwise. Holds that ended before it are dropped.
    """
    labels = plan.labels
    unknown = set(actual_doses_by_label) - set(labels)
    missing = set(labels) - set(actual_doses_by_label)
    if unknown or missing:
        raise ValueError("Give the dose actually taken for each dosing time: " + ", ".join(labels))
    if any(v < 0 for v in actual_doses_by_label.values()):
        raise ValueError("Doses actually taken cannot be negative")
    if sum(actual_doses_by_label.values()) <= EPSILON:
        raise ValueError("Nothing was taken on that day, so there is no dose to re-plan from")
    key = drug_key or plan.drug_key
    if key not in (plan.drug_key, plan.taper_drug_key):
        raise ValueError(f"{key!r} is not a drug of this plan")
    crossover = plan.crossover if key == plan.drug_key else None
    start = first_cut_date or on_date + dt.timedelta(days=plan.interval_days)
    return replace(
        plan,
        drug_key=key,
        dosing_times=tuple(
            replace(t, dose_mg=float(actual_doses_by_label[t.label])) for t in plan.dosing_times
        ),
        start_date=start,
        crossover=crossover,
        holds=tuple(h for h in plan.holds if h.end is None or h.end >= start),
        revision=plan.revision + 1,
        original_start_dose_mg=plan.original_start_dose_mg or plan.start_dose_mg,
        original_drug_key=plan.original_drug_key or plan.drug_key,
    )


def plan_to_dict(plan: TaperPlan) -> dict[str, Any]:
    """A JSON-ready dict of ``plan`` (dates as ISO text, enums as their values)."""
    return {
        "drug_key": plan.drug_key,
        "dosing_times": [
            {"label": t.label, "dose_mg": t.dose_mg, "clock_time": t.clock_time}
            for t in plan.dosing_times
        ],
        "start_date": plan.start_date.isoformat(),
        "reduction": {"kind": plan.reduction.kind.value, "value": plan.reduction.value},
        "interval_days": plan.interval_days,
        "style": plan.style.value,
        "cut_order": list(plan.cut_order.sequence),
        "rounding_mg": plan.rounding_mg,
        "final_dose_mg": plan.final_dose_mg,
        "holds": [
            {"start": h.start.isoformat(), "end": h.end.isoformat() if h.end else None}
            for h in plan.holds
        ],
        "crossover": None
        if plan.crossover is None
        else {
            "to_drug_key": plan.crossover.to_drug_key,
            "swap_order": list(plan.crossover.swap_order),
            "stage_days": plan.crossover.stage_days,
            "parts": plan.crossover.parts,
        },
        "equivalence_overrides": {k: v for k, v in plan.equivalence_overrides},
        "revision": plan.revision,
        "original_start_dose_mg": plan.original_start_dose_mg,
        "original_drug_key": plan.original_drug_key,
    }


def plan_from_dict(data: Mapping[str, Any]) -> TaperPlan:
    """The inverse of :func:`plan_to_dict`; raises ``ValueError``/``KeyError`` on bad data."""
    day = dt.date.fromisoformat
    crossover = data.get("crossover")
    return TaperPlan(
        drug_key=data["drug_key"],
        dosing_times=tuple(
            DosingTime(t["label"], float(t["dose_mg"]), t.get("clock_time"))
            for t in data["dosing_times"]
        ),
        start_date=day(data["start_date"]),
        reduction=ReductionModel(
            ReductionKind(data["reduction"]["kind"]), float(data["reduction"]["value"])
        ),
        interval_days=int(data.get("interval_days", 14)),
        style=TaperStyle(data.get("style", TaperStyle.CUT_AND_HOLD.value)),
        cut_order=CutOrder(tuple(data.get("cut_order", ()))),
        rounding_mg=float(data.get("rounding_mg", DEFAULT_ROUNDING_MG)),
        final_dose_mg=None if data.get("final_dose_mg") is None else float(data["final_dose_mg"]),
        holds=tuple(
            Hold(day(h["start"]), day(h["end"]) if h.get("end") else None)
            for h in data.get("holds", ())
        ),
        crossover=None
        if not crossover
        else Crossover(
            crossover["to_drug_key"],
            tuple(crossover.get("swap_order", ())),
            int(crossover.get("stage_days", 7)),
            int(crossover.get("parts", 1)),
        ),
        equivalence_overrides=tuple(
            (k, float(v)) for k, v in dict(data.get("equivalence_overrides", {})).items()
        ),
        revision=int(data.get("revision", 1)),
        original_start_dose_mg=data.get("original_start_dose_mg"),
        original_drug_key=data.get("original_drug_key"),
    )
