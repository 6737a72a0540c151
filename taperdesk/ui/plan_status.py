"""Today's planned dose in words, for the status bar and the Plan tab's Today panel.

Kept apart from the Plan tab so the main window can show the status line at
start-up without building the tab (or importing matplotlib).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDateTime, QObject, QTime, QTimer
from PySide6.QtWidgets import QLabel

from taperdesk.app import clock
from taperdesk.app.lived_plan import DayKind, LivedPlan, PlanDay, PlanUnreadable, active_plan
from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.measure import format_mg
from taperdesk.errors import KnownError
from taperdesk.ui.state import AppState

NO_PLAN_TEXT = "No plan yet: create one with File > New plan…"


def today() -> dt.date:
    """Today's date: the application layer's one clock."""
    return clock.today()


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


def describe_doses(day: PlanDay | None, catalogue: DrugCatalogue) -> str:
    """ "0.9 mg clonazepam (morning 0.45 mg, night 0.45 mg)" for every drug taken on the day."""
    if day is None:
        return ""
    parts = []
    for drug in day.taken_drugs:
        text = f"{format_mg(drug.total_mg, 4)} {catalogue.get(drug.drug_key).name.lower()}"
        if len(day.labels) > 1:
            split = ", ".join(
                f"{label} {format_mg(mg, 4)}"
                for label, mg in zip(day.labels, drug.doses_mg, strict=True)
            )
            text += f" ({split})"
        parts.append(text)
    return " + ".join(parts)


def describe_today(lived: LivedPlan, today: dt.date) -> TodayText:
    """Today's dose, step and next cut, from the plan as lived."""
    catalogue = lived.catalogue
    schedule = lived.schedule
    planned = lived.on(today)
    next_cut = lived.next_cut(today)
    cut_text = ""
    if next_cut is not None:
        days = next_cut.days_until
        when = "tomorrow" if days == 1 else f"in {days} days"
        # The new dose, not only the cut: "(0.09 mg)" read as the dose to take.
        drug = catalogue.get(next_cut.drug_key).name.lower()
        cut_text = (
            f"next cut {when}: to {format_mg(next_cut.dose_after_mg, 4)} {drug} a day "
            f"({format_mg(next_cut.cut_mg, 4)} less)"
        )
    if planned is None:
        return TodayText("no dose planned yet", "before the plan", cut_text, False)
    dose = describe_doses(planned, catalogue)
    if planned.kind is DayKind.FINISHED:
        return TodayText("0 mg", "taper finished", "", False)
    if planned.kind is DayKind.LEAD_IN:
        return TodayText(dose, "before the first cut", cut_text, False)
    if planned.open_hold:
        # Nothing is due until the person resumes.
        return TodayText(dose, "on hold", "no cut until you resume", True)
    step = planned.step
    # Steps are numbered as in the schedule table, the sheets and the overview (switch
    # stages count): "step 4 of 31" is the same day on every screen and paper.
    total = schedule.summary.step_count
    if planned.hold:
        step_text = "on hold"
    elif step is not None and step.is_cut:
        step_text = f"step {step.number} of {total}"
    elif step is not None:
        step_text = f"step {step.number} of {total}, switching drug"
    else:
        step_text = ""
    return TodayText(dose, step_text, cut_text, planned.hold)


def status_line(state: AppState, day: dt.date | None = None) -> str:
    """The status bar's today line, from the application layer."""
    today_ = day or today()
    try:
        lived = active_plan(state.database, today_)
        if lived is None:
            return NO_PLAN_TEXT
    except PlanUnreadable:
        return "Today's dose could not be worked out: open the Plan tab."
    except KnownError:
        return "Today's dose could not be read from the data file."
    return describe_today(lived, today_).status_line


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
