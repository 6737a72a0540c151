"""Today's planned dose in words, for the status bar and the Plan tab's Today panel.

Kept apart from the Plan tab so the main window can show the status line at
start-up without building the tab (or importing matplotlib).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDateTime, QObject, QTime, QTimer
from PySide6.QtWidgets import QLabel

from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.measure import format_mg
from taperdesk.core.schedule import Schedule
from taperdesk.errors import KnownError
from taperdesk.ui.state import AppState

NO_PLAN_TEXT = "No plan yet: create one with File > New plan…"


def today() -> dt.date:
    """Today's date; the one clock of the plan views (tests patch it)."""
    return dt.date.today()


@dataclass(frozen=True, slots=True)
class TodayText:
    """What the plan says about one day, as short phrases."""

    dose: str  # "0.9 mg clonazepam (morning 0.45 mg, night 0.45 mg)"
    step: str  # "step 2 of 24", "on hold", "before the first cut", "taper finished"
    next_cut: str  # "next cut in 5 days (0.09 mg)", or ""
    holding: bool

    @property
    def status_line(self) -> str:
        parts = [f"Today: {self.dose}", self.step]
        if self.next_cut:
            parts.append(self.next_cut)
        return " · ".join(p for p in parts if p)


def describe_doses(schedule: Schedule, catalogue: DrugCatalogue, day: dt.date) -> str:
    """ "0.9 mg clonazepam (morning 0.45 mg, night 0.45 mg)" for every drug taken on ``day``."""
    planned = schedule.doses_on(day)
    if planned is None:
        return ""
    parts = []
    for row in planned.rows:
        if row.total_mg <= 0 and len(planned.rows) > 1:
            continue
        text = f"{format_mg(row.total_mg)} {catalogue.get(row.drug_key).name.lower()}"
        if len(schedule.labels) > 1:
            split = ", ".join(
                f"{label} {format_mg(mg)}"
                for label, mg in zip(schedule.labels, row.doses_mg, strict=True)
            )
            text += f" ({split})"
        parts.append(text)
    return " + ".join(parts)


def describe_today(schedule: Schedule, catalogue: DrugCatalogue, today: dt.date) -> TodayText:
    summary = schedule.summary
    cut_total = summary.cut_step_count
    planned = schedule.doses_on(today)
    next_cut = schedule.next_cut(today)
    cut_text = ""
    if next_cut is not None:
        days = next_cut.days_until
        when = "tomorrow" if days == 1 else f"in {days} days"
        cut_text = f"next cut {when} ({format_mg(next_cut.cut_mg)})"
    if today < schedule.plan.start_date:
        first = schedule.plan.dosing_times
        dose = format_mg(sum(t.dose_mg for t in first))
        name = catalogue.get(schedule.plan.drug_key).name.lower()
        return TodayText(f"{dose} {name}", "before the first cut", cut_text, False)
    if planned is None:
        return TodayText("0 mg", "taper finished", "", False)
    step = schedule.step_on(today)
    if planned.hold and schedule.plan.open_hold is not None:
        # The projection assumes a resume tomorrow; today nothing is due until the person resumes.
        cut_text = "no cut until you resume"
    if planned.hold:
        step_text = "on hold"
    elif step is not None and step.is_cut:
        number = sum(1 for s in schedule.steps[: step.number] if s.is_cut)
        step_text = f"step {number} of {cut_total}"
    elif step is not None:
        step_text = f"switching drug (stage {step.number})"
    else:
        step_text = ""
    return TodayText(describe_doses(schedule, catalogue, today), step_text, cut_text, planned.hold)


def status_line(state: AppState, day: dt.date | None = None) -> str:
    """The status bar's today line, read straight from the store."""
    from taperdesk.store.plans import load_active_schedule

    today_ = day or today()
    try:
        active = load_active_schedule(state.database, today_)
        if active is None:
            return NO_PLAN_TEXT
    except KnownError:
        return "Today's dose could not be read from the data file."
    except (KeyError, ValueError):
        return "Today's dose could not be worked out: open the Plan tab."
    return describe_today(active.schedule, active.catalogue, today_).status_line


class TodayLine(QObject):
    """Keeps a label showing today's planned dose: at start, on plan changes, at midnight."""

    def __init__(self, state: AppState, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.label = label
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self.refresh)
        state.plan_changed.connect(self.refresh)
        state.database_replaced.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.label.setText(status_line(self.state))
        now = QDateTime.currentDateTime()
        midnight = QDateTime(now.date().addDays(1), QTime(0, 0, 5))
        self._midnight.start(max(1000, now.msecsTo(midnight)))
