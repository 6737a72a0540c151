"""The schedule as a table: one row per step (with hold rows), or one row per day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from taperdesk.app.lived_plan import DayKind, DrugDoses, LivedPlan, PlanDay
from taperdesk.app.plan_steps import LeadIn, StepLine, drugs_text, lead_in, mg_range, step_lines
from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.measure import DOSE_DECIMALS, align_decimals, format_number, format_percent
from taperdesk.core.plan_warnings import Severity
from taperdesk.core.schedule import DayRow, Schedule, StepKind

_Index = QModelIndex | QPersistentModelIndex
HOLD_TINT = QColor(120, 144, 200, 45)
CAUTION_TINT = QColor(214, 158, 46, 50)
STRONG_TINT = QColor(198, 40, 40, 45)


@dataclass(frozen=True, slots=True)
class HoldRun:
    """Consecutive held days, shown as their own row in the step view."""

    start: dt.date
    end: dt.date
    step_number: int
    rows: tuple[DayRow, ...]


@dataclass(frozen=True, slots=True)
class TableRow:
    """One displayed row: its cells, and how it is marked."""

    cells: tuple[str, ...]
    kind: str  # "step", "switch", "jump", "hold", "day"
    severity: Severity | None = None


def hold_runs(schedule: Schedule) -> list[HoldRun]:
    runs: list[HoldRun] = []
    current: list[DayRow] = []
    for row in schedule.rows:
        if row.hold and current and row.day - current[-1].day <= dt.timedelta(days=1):
            current.append(row)
        elif row.hold:
            if current:
                runs.append(_run(current))
            current = [row]
        elif current:
            runs.append(_run(current))
            current = []
    if current:
        runs.append(_run(current))
    return runs


def _run(rows: list[DayRow]) -> HoldRun:
    return HoldRun(rows[0].day, rows[-1].day, rows[0].step_number, tuple(rows))


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGN_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_ALIGN_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)


class ScheduleTableModel(QAbstractTableModel):
    """Rows of a schedule for a QTableView; :meth:`text_rows` feeds Copy."""

    def __init__(self) -> None:
        super().__init__()
        self.lived: LivedPlan | None = None
        self.day_by_day = False
        self.header: list[str] = []
        self.labels: tuple[str, ...] = ()
        self.rows: list[TableRow] = []
        #: The cells as shown: numbers of a column padded so their decimal points line up
        #: (``rows`` keeps the plain figures, for Copy).
        self.shown: list[tuple[str, ...]] = []

    @property
    def schedule(self) -> Schedule | None:
        return self.lived.schedule if self.lived is not None else None

    @property
    def catalogue(self) -> DrugCatalogue | None:
        return self.lived.catalogue if self.lived is not None else None

    def set_plan(self, lived: LivedPlan | None, day_by_day: bool = False) -> None:
        """Show ``lived``: its steps (with holds), or every day as lived."""
        self.beginResetModel()
        self.lived, self.day_by_day = lived, day_by_day
        self.header, self.rows = [], []
        if lived is not None:
            self._build()
        self.shown = _aligned(self.rows)
        self.endResetModel()

    def set_day_by_day(self, on: bool) -> None:
        self.set_plan(self.lived, on)

    # -- building rows -------------------------------------------------------

    def _drug(self, key: str) -> str:
        assert self.catalogue is not None
        return self.catalogue.get(key).name

    def _places(self) -> int:
        return DOSE_DECIMALS

    def _mg(self, value: float) -> str:
        return format_number(value, self._places())

    def _build(self) -> None:
        lived, schedule = self.lived, self.schedule
        assert lived is not None and schedule is not None
        days = list(lived.all_days()) if self.day_by_day else []
        multi = len(schedule.drug_keys) > 1 or any(len(d.taken_drugs) > 1 for d in days)
        multi = multi or len({d.taper.drug_key for d in days}) > 1
        # Day by day, every revision's dosing times (a revision may split a dose in three).
        self.labels = lived.all_labels if self.day_by_day else schedule.labels
        labels = [f"{label} (mg)" for label in self.labels]
        if len(labels) == 1:
            labels = ["Dose (mg)"]
        first = ["Date"] if self.day_by_day else ["Dates"]
        self.header = [
            *first,
            "Step",
            *(["Drug"] if multi else []),
            *([] if len(self.labels) == 1 else labels),
            "Total (mg)" if len(self.labels) > 1 else labels[0],
            "Diazepam eq (mg)",
            "Cut (mg)",
            "Cut %",
            "% per 14 days",
            "Notes",
        ]
        severities: dict[int, Severity] = {}
        notes: dict[int, str] = {}
        for w in schedule.summary.warnings:
            if w.step_number is None or w.severity is Severity.INFO:
                continue
            if severities.get(w.step_number) is not Severity.STRONG:
                severities[w.step_number] = w.severity
            word = "Faster than guidance" if w.severity is Severity.CAUTION else "Much faster"
            if "stops from" in w.text:
                word = "Stops from above the default final dose"
            notes.setdefault(w.step_number, word)
        if self.day_by_day:
            for day in days:
                self.rows += self._day_rows(day, multi, severities)
            return
        runs_by_step: dict[int, list[HoldRun]] = {}
        for run in hold_runs(schedule):
            runs_by_step.setdefault(run.step_number, []).append(run)
        self.rows += [self._hold_row(run, multi) for run in runs_by_step.get(0, [])]
        before = lead_in(lived)
        if before is not None:  # from the day the revision was saved to its first cut
            self.rows.append(self._lead_in_row(before, multi))
        for line in step_lines(lived):
            step = line.step
            self.rows.append(self._step_row(line, multi, severities, notes))
            self.rows += [self._hold_row(run, multi) for run in runs_by_step.get(step.number, [])]

    def _dose_cells(self, doses: tuple[float, ...], total: float) -> list[str]:
        assert self.schedule is not None
        cells = [] if len(self.schedule.labels) == 1 else [self._mg(d) for d in doses]
        return [*cells, self._mg(total)]

    def _day_cells(self, day: PlanDay, drug: DrugDoses) -> list[str]:
        """One cell per dosing time of the table ("–" where that day's revision had no
        such dosing time), then the day's total of the drug."""
        cells = (
            []
            if len(self.labels) == 1
            else [
                self._mg(day.mg(label, drug.drug_key)) if day.has_label(label) else "–"
                for label in self.labels
            ]
        )
        return [*cells, self._mg(drug.total_mg)]

    def _range_cells(self, line: StepLine) -> list[str]:
        """Dose cells of a step: "0.994 → 0.9" when the dose moves during it."""
        assert self.schedule is not None
        first, last = line.first.taper, line.last.taper
        places = self._places()
        cells = (
            []
            if len(self.schedule.labels) == 1
            else [
                mg_range(a, b, places) for a, b in zip(first.doses_mg, last.doses_mg, strict=True)
            ]
        )
        return [*cells, mg_range(first.total_mg, last.total_mg, places)]

    def _step_row(
        self, line: StepLine, multi: bool, severities: dict[int, Severity], notes: dict[int, str]
    ) -> TableRow:
        step = line.step
        dates = step.start_date.isoformat()
        if step.end_date > step.start_date:
            dates += f" – {step.end_date.isoformat()}"
        eq = format_number(line.last.total_diazepam_eq_mg, 2)
        if step.kind is StepKind.SWITCH:
            cut, percent, rate = "", "", ""
            note = step.note or f"Switching to {self._drug(step.drug_key).lower()}"
            assert self.catalogue is not None
            # Every drug taken during the stage: each dosing time says which drug it is on.
            day = line.last
            labels = day.labels
            if len(day.taken_drugs) == 1:  # every dosing time switched: that drug's mg
                drug = f"{self._drug(day.taper.drug_key)} (switch)"
                doses = self._dose_cells(day.taper.doses_mg, day.taper.total_mg)
            elif len(labels) == 1:
                drug = drugs_text(day, self.catalogue, self._places())
                doses = [f"eq {eq}"]
            else:
                drug = " + ".join(self._drug(d.drug_key) for d in day.taken_drugs)
                doses = [
                    " + ".join(
                        f"{self._mg(d.doses_mg[i])} {self._drug(d.drug_key).lower()}"
                        for d in day.taken_drugs
                        if d.doses_mg[i] > 0
                    )
                    or "0"
                    for i in range(len(labels))
                ]
                doses.append(f"eq {eq}")
        else:
            drug = self._drug(step.drug_key)
            doses = self._range_cells(line)
            cut = self._mg(step.cut_mg)
            percent = format_percent(step.cut_percent)
            rate = format_percent(step.effective_rate_percent_per_14_days)
            parts = [notes.get(step.number, "")]
            if step.is_jump:
                parts.append("Last step: stop")
            if line.changes_within:
                daily = format_number(step.cut_mg / step.interval_days, 4)
                parts.append(
                    f"Goes down a little every day (about {daily} mg a day)"
                    if daily != "0"
                    else "Goes down a little every day"
                )
            if step.rounding_note:
                parts.append(step.rounding_note)
            if step.hold_days:
                parts.append(f"includes {step.hold_days} held days")
            note = "; ".join(p for p in parts if p)
        return TableRow(
            (
                dates,
                str(step.number),
                *([drug] if multi else []),
                *doses,
                eq,
                cut,
                percent,
                rate,
                note,
            ),
            step.kind.value if step.kind is not StepKind.CUT else "step",
            severities.get(step.number),
        )

    def _lead_in_row(self, before: LeadIn, multi: bool) -> TableRow:
        day = before.day
        dates = before.first.isoformat()
        if before.last > before.first:
            dates += f" – {before.last.isoformat()}"
        return TableRow(
            (
                dates,
                "–",
                *([self._drug(day.taper.drug_key)] if multi else []),
                *self._dose_cells(day.taper.doses_mg, day.taper.total_mg),
                format_number(day.total_diazepam_eq_mg, 2),
                "",
                "",
                "",
                "Before the first cut: the starting doses",
            ),
            "hold",
        )

    def _hold_row(self, run: HoldRun, multi: bool) -> TableRow:
        last = run.rows[-1]
        days = (run.end - run.start).days + 1
        dates = run.start.isoformat()
        if run.end > run.start:
            dates += f" – {run.end.isoformat()}"
        return TableRow(
            (
                dates,
                "Hold",
                *([self._drug(last.drug_key)] if multi else []),
                *self._dose_cells(last.doses_mg, last.total_mg),
                format_number(last.diazepam_eq_mg, 2),
                "",
                "",
                "",
                f"Held {days} day{'s' if days != 1 else ''}: the dose stays put, later steps move",
            ),
            "hold",
        )

    def _day_rows(
        self, day: PlanDay, multi: bool, severities: dict[int, Severity]
    ) -> list[TableRow]:
        """One row per drug of the day; the cut is the day's own (a daily micro taper cuts
        a little every day)."""
        rows = []
        step_number = day.step_number
        for drug in day.taken_drugs:
            cut = percent = rate = ""
            if day.is_cut and drug is day.taper:
                cut, percent = self._mg(day.cut_mg), format_percent(day.cut_percent)
                if day.step is not None:
                    rate = format_percent(day.step.effective_rate_percent_per_14_days)
            note = {
                DayKind.HOLD: "Hold" + (" (until you resume)" if day.open_hold else ""),
                DayKind.LEAD_IN: "Before the first cut",
                DayKind.SWITCH: "Switch day",
                DayKind.STOP: "Stop",
                DayKind.FINISHED: "Taper finished",
            }.get(day.kind, "Cut day" if cut else "")
            if day.revision != self.lived.current.number:  # type: ignore[union-attr]
                note = f"{note} (revision {day.revision})".strip()
            rows.append(
                TableRow(
                    (
                        day.day.isoformat(),
                        str(step_number) if step_number else "",
                        *([self._drug(drug.drug_key)] if multi else []),
                        *self._day_cells(day, drug),
                        format_number(drug.diazepam_eq_mg, 2),
                        cut,
                        percent,
                        rate,
                        note,
                    ),
                    "hold" if day.hold else "day",
                    severities.get(step_number) if cut and step_number else None,
                )
            )
        return rows

    # -- Qt model ------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.header)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.header[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called thousands of times when columns are sized: roles are compared as
        # plain ints (a Qt enum attribute lookup costs more than the rest of it).
        if not index.isValid():
            return None
        role = int(role)
        if role in (_DISPLAY, _TOOLTIP):
            return self.shown[index.row()][index.column()]
        if role == _ALIGNMENT:
            return _ALIGN_RIGHT if 0 < index.column() < len(self.header) - 1 else _ALIGN_LEFT
        if role == _BACKGROUND:
            row = self.rows[index.row()]
            if row.kind == "hold":
                return QBrush(HOLD_TINT)
            if row.severity is Severity.STRONG:
                return QBrush(STRONG_TINT)
            if row.severity is Severity.CAUTION:
                return QBrush(CAUTION_TINT)
            return None
        if role == _FONT:
            row = self.rows[index.row()]
            if row.kind in ("hold", "switch", "jump"):
                font = QFont()
                font.setItalic(row.kind == "hold")
                font.setBold(row.kind == "jump")
                return font
        return None

    def row_of_day(self, day: dt.date) -> int | None:
        """The first row showing ``day`` (day by day) or the step containing it."""
        text = day.isoformat()
        for i, row in enumerate(self.rows):
            first = row.cells[0]
            if first == text or (" – " in first and first[:10] <= text <= first[-10:]):
                return i
        return None

    def text_rows(self) -> list[tuple[str, ...]]:
        return [row.cells for row in self.rows]


def _aligned(rows: list[TableRow]) -> list[tuple[str, ...]]:
    """Each column's numbers padded with figure spaces so decimal points line up."""
    if not rows:
        return []
    columns = [
        align_decimals(list(column)) for column in zip(*(r.cells for r in rows), strict=True)
    ]
    return [tuple(cells) for cells in zip(*columns, strict=True)]
