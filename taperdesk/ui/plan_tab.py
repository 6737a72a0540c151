"""The Plan tab: today's dose, warnings, the schedule table and the chart.

The tab reads the plan from the application layer (``taperdesk.app``: the plan
as lived, and the actions that change it, shown to the person before they are
saved); after every write it emits :attr:`AppState.plan_changed`, and it reloads
on that signal and on ``database_replaced``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from taperdesk.app import taken as taken_doses
from taperdesk.app.lived_plan import LivedPlan, active_plan
from taperdesk.core.drugs import DrugCatalogue
from taperdesk.core.measure import format_number
from taperdesk.core.plan import TaperPlan
from taperdesk.core.schedule import Schedule
from taperdesk.errors import KnownError
from taperdesk.ui import dialogs, plan_status
from taperdesk.ui.after_paint import call_after_first_paint
from taperdesk.ui.plan_chart import ChartData, PlanChart, earlier_revisions
from taperdesk.ui.plan_table import ScheduleTableModel
from taperdesk.ui.plan_today import TodayPanel
from taperdesk.ui.plan_warnings_view import WarningsPanel, make_hint
from taperdesk.ui.state import AppState
from taperdesk.ui.widgets import EmptyState

if TYPE_CHECKING:
    from taperdesk.app.plan_actions import TakenDose

# Imported when a button needs them, not before the first paint (~12 ms at start-up):
# the plan actions, the exports, the file and confirmation dialogs.

#: Rows measured to size the schedule's columns.
RESIZE_ROWS = 60
#: After diary edits, the hidden Plan chart redraws its doses taken once they pause this long
#: (a redraw at ten years is ~60-120 ms: done while the person is on the Diary tab, not when
#: they come to the Plan tab).
TAKEN_REFRESH_PAUSE_MS = 1500


class PlanTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.lived: LivedPlan | None = None

        self.empty_state = EmptyState(
            "No plan yet",
            "Your taper plan will live here: the dose for every day, the size and pace of each "
            "cut, holds, warnings when a step is faster than the guidance, and a chart of the "
            "whole taper. Start with New plan… and enter your current dose.",
            "New plan…",
        )
        self.empty_state.action_clicked.connect(self.new_plan)

        self.title_label = QLabel()
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("hint")
        self.subtitle_label.setWordWrap(True)
        self.edit_button = QPushButton("Edit plan…")
        self.replan_button = QPushButton("Re-plan from actual…")
        self.new_button = QPushButton("New plan…")
        self.edit_button.clicked.connect(self.edit_plan)
        self.replan_button.clicked.connect(self.replan)
        self.new_button.clicked.connect(self.new_plan)

        self.today_panel = TodayPanel()
        self.today_panel.hold_clicked.connect(self.hold_from_today)
        self.today_panel.resume_clicked.connect(self.resume)
        self.warnings_panel = WarningsPanel()

        self.model = ScheduleTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.day_toggle = QCheckBox("Day by day")
        self.day_toggle.toggled.connect(self._toggle_days)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the table to the clipboard (paste into a spreadsheet)")
        self.csv_button = QPushButton("Export CSV…")
        self.ics_button = QPushButton("Export calendar…")
        self.ics_button.setToolTip("An .ics file with one event on each cut day")
        self.copy_button.clicked.connect(self.copy_table)
        self.csv_button.clicked.connect(self.export_csv)
        self.ics_button.clicked.connect(self.export_ics)
        self._chart_waiting = False
        self._taken_waiting = False
        self.chart = PlanChart()

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self._plan_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        for label in self.findChildren(QLabel, "hint"):
            make_hint(label)
        state.plan_changed.connect(self.reload)
        # The chart shows the doses taken: refresh it when next shown after diary edits
        # (the diary autosaves every field; rebuilding the plan each time is wasted work).
        self._diary_stale = False
        #: The days whose doses taken the chart has not read again yet (None: every day).
        self._stale_days: set[dt.date] | None = set()
        # ... or, when the chart is built, once the diary edits pause (the person is still
        # on the Diary tab): the tab then shows at once, its chart already redrawn.
        self._taken_timer = QTimer(self)
        self._taken_timer.setSingleShot(True)
        self._taken_timer.setInterval(TAKEN_REFRESH_PAUSE_MS)
        self._taken_timer.timeout.connect(self._refresh_taken_while_hidden)
        state.diary_changed.connect(self._diary_changed)
        state.database_replaced.connect(self.reload)
        self.reload()

    def _plan_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 10, 12, 8)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        header.addLayout(titles, 1)
        for button in (self.edit_button, self.replan_button, self.new_button):
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        layout.addWidget(self.today_panel)
        layout.addWidget(self.warnings_panel)

        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        schedule_label = QLabel("<b>Schedule</b>")
        bar.addWidget(schedule_label)
        bar.addWidget(self.day_toggle)
        bar.addStretch(1)
        for button in (self.copy_button, self.csv_button, self.ics_button):
            bar.addWidget(button)
        table_layout.addLayout(bar)
        table_layout.addWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(table_box)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 280])  # the table a little taller than the chart at first
        layout.addWidget(self.splitter, 1)
        return page

    # -- loading -------------------------------------------------------------

    @property
    def schedule(self) -> Schedule | None:
        return self.lived.schedule if self.lived is not None else None

    @property
    def catalogue(self) -> DrugCatalogue | None:
        return self.lived.catalogue if self.lived is not None else None

    def reload(self) -> None:
        day = plan_status.today()
        try:
            self.lived = active_plan(self.state.database, day)
        except KnownError as error:  # PlanUnreadable too
            self.lived = None
            dialogs.show_error(self, error)
        if self.lived is None:
            self.model.set_plan(None)
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        self._show(self.lived, day)
        if self.isVisible():
            self._build_chart_after_paint()

    def _show(self, lived: LivedPlan, day: dt.date) -> None:
        schedule, catalogue = lived.schedule, lived.catalogue
        summary = schedule.summary
        plan = lived.plan
        drug = catalogue.get(plan.drug_key).name
        if plan.crossover is not None:
            drug += f" → {catalogue.get(plan.taper_drug_key).name}"
        number = lived.current.number
        revision = f" · revision {number}" if number > 1 else ""
        self.title_label.setText(f"{lived.name}{revision}")
        months = summary.duration_days / 30.44
        subtitle = (
            f"{drug}, {plan.reduction.describe()} every {plan.interval_days} days · "
            f"{summary.start_date.isoformat()} to {summary.end_date.isoformat()} "
            f"(~{format_number(months, 1)} months, {summary.step_count} steps)"
        )
        if lived.open_hold is not None:
            subtitle += (
                f"\nOn hold since {lived.open_hold.start.isoformat()}: the same dose until you "
                "resume. The steps and chart show the dates if you resume tomorrow."
            )
        self.subtitle_label.setText(subtitle)
        self.today_panel.set_today(lived, day)
        self.warnings_panel.set_warnings(summary.warnings)
        self.model.set_plan(lived, self.day_toggle.isChecked())
        self._size_columns()
        self.chart.set_data(self._chart_data(lived, day))

    def _chart_data(self, lived: LivedPlan, day: dt.date) -> ChartData:
        taken: dict[dt.date, float] = {}
        in_eq = False
        if self.chart.is_built:
            taken, in_eq = self._taken(lived)
            self._stale_days = set()  # every day read
        else:  # read when the chart is built, after the first paint (the whole diary)
            self._taken_waiting = True
        return ChartData(
            lived.schedule,
            lived.catalogue,
            day,
            lambda: earlier_revisions(lived),  # built when the chart is drawn
            tuple(sorted(taken.items())),
            in_eq,
            tuple((h.start, h.end or max(h.start, day)) for h in lived.holds),
            self._lead_in(lived),
        )

    @staticmethod
    def _lead_in(lived: LivedPlan) -> tuple[dt.date, str, float] | None:
        from taperdesk.app.plan_steps import lead_in

        before = lead_in(lived)
        if before is None:
            return None
        return (before.first, before.day.taper.drug_key, before.day.taper.total_mg)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Measure the first rows only: every cell of a five-year plan day by day
        # (2 000 rows) cost ~50 ms per step table and seconds day by day, and the
        # widest figures (the biggest doses, the first dates) come first anyway.
        header.setResizeContentsPrecision(RESIZE_ROWS)
        self.table.resizeColumnsToContents()
        last = self.model.columnCount() - 1
        for column in range(last):
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 14)
        header.setStretchLastSection(True)

    def _toggle_days(self, on: bool) -> None:
        self.model.set_day_by_day(on)
        self._size_columns()
        row = self.model.row_of_day(plan_status.today())  # open at today, not the first cut
        if row is not None:
            index = self.model.index(row, 0)
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
            self.table.selectRow(row)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._taken_timer.stop()
        if self._diary_stale:
            self._diary_stale = False
            self._refresh_taken()
        self._build_chart_after_paint()

    def _diary_changed(self, days: tuple[dt.date, ...] | None = None) -> None:
        if days is None or self._stale_days is None:
            self._stale_days = None
        else:
            self._stale_days.update(days)
        if self.isVisible():
            self._refresh_taken()
        else:
            self._diary_stale = True
            if self.chart.is_built:
                self._taken_timer.start()

    def _refresh_taken_while_hidden(self) -> None:
        if self._diary_stale and not self.isVisible():
            self._diary_stale = False
            self._refresh_taken()

    def _refresh_taken(self) -> None:
        """A diary edit changes only the chart's doses taken: not the schedule, the table or
        the warnings (the whole tab was rebuilt after every diary edit, 158 ms)."""
        data = self.chart.data
        days, self._stale_days = self._stale_days, set()
        if self.lived is None or data is None:
            self.reload()
            return
        if days is not None and not self._taken_waiting:
            # The days saved since the last read, alone (at ten years the whole diary's
            # doses took ~15 ms to read, when the Plan tab was clicked after a save).
            fresh, in_eq = self._taken(self.lived, days)
            if in_eq == data.taken_in_eq:
                taken = {d: mg for d, mg in data.taken if d not in days} | fresh
                self.chart.set_data(replace(data, taken=tuple(sorted(taken.items()))))
                return
        self._taken_waiting = False
        taken, in_eq = self._taken(self.lived)
        self.chart.set_data(replace(data, taken=tuple(sorted(taken.items())), taken_in_eq=in_eq))

    def _taken(
        self, lived: LivedPlan, days: set[dt.date] | None = None
    ) -> tuple[dict[dt.date, float], bool]:
        try:
            return taken_doses.taken_for_chart(self.state.database, lived, days)
        except KnownError:
            return {}, False

    def _build_chart_after_paint(self) -> None:
        """matplotlib (a few hundred ms) loads once the tab is on screen, not before."""
        if not self.chart.is_built and not self._chart_waiting:
            self._chart_waiting = True
            call_after_first_paint(self.chart, self._build_chart_when_visible)

    def _build_chart_when_visible(self) -> None:
        from taperdesk.ui import preload

        # At start-up matplotlib is being imported in idle-time steps: build once it is in.
        preload.when_loaded(preload.CHART_MODULES, self._build_chart_if_visible)

    def _build_chart_if_visible(self) -> None:
        self._chart_waiting = False
        if self.chart.isVisible():
            if self._taken_waiting:
                self._refresh_taken()
            self.chart.ensure_built()

    # -- actions -------------------------------------------------------------

    def _titration_step_mg(self) -> tuple[float | None, bool]:
        """The saved titration method's finest step (None without one), and whether it is
        a liquid."""
        from taperdesk.app import settings
        from taperdesk.core.titration import MethodKind, measurable_step_mg

        try:
            method = settings.titration_method(self.state.database)
            if method is None:
                return None, False
            return measurable_step_mg(method), method.kind is MethodKind.LIQUID
        except (KnownError, ValueError, TypeError):
            return None, False

    def _form(self, plan: TaperPlan | None, name: str):  # -> PlanFormDialog
        from taperdesk.store.drugs import load_user_catalogue
        from taperdesk.ui.plan_form import PlanFormDialog

        step_mg, liquid = self._titration_step_mg()
        return PlanFormDialog(
            load_user_catalogue(self.state.database),
            plan,
            name,
            step_mg,
            plan_status.today(),
            self,
            self.lived if plan is not None else None,
            titration_liquid=liquid,
        )

    def _apply(self, make_change, yes: str | None, always_ask: bool = False) -> bool | None:
        """Work out the change, show it and ask when a dose changes (``yes`` is the
        button's text; ``None`` to save without asking), then save it. True when saved,
        False when the person said no to the change, None when it could not be made."""
        from taperdesk.app import plan_actions
        from taperdesk.ui import plan_guard

        try:
            change = make_change()
            if yes is not None and not plan_guard.confirm_change(self, change, yes, always_ask):
                return False
            change.save()
        except plan_actions.NoActivePlan:
            return None
        except KnownError as error:
            dialogs.show_error(self, error)
            return None
        except ValueError as exc:
            dialogs.show_error(self, KnownError(str(exc), "Check the doses and try again."))
            return None
        self.state.plan_changed.emit()
        return True

    def _form_until_saved(self, dialog, preview, yes: str) -> None:
        """Show the form; on its OK show what changes. Saying no to the change goes back
        to the form with every edit kept (it was lost), Cancel in the form ends."""
        while True:
            try:
                if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_plan is None:
                    return
            except KnownError as error:
                dialogs.show_error(self, error)
                return
            chosen = (dialog.result_plan, dialog.plan_name, list(dialog.new_custom_drugs))
            if self._apply(lambda chosen=chosen: preview(*chosen), yes) is not False:
                return

    def new_plan(self) -> None:
        from taperdesk.app import plan_actions

        if self.lived is not None and not dialogs.confirm(
            self,
            "New plan",
            "Start a new plan?",
            f"“{self.lived.name}” is kept but no longer shown; the new plan becomes your plan.",
            yes="Start a new plan",
        ):
            return
        try:
            dialog = self._form(None, "")
        except KnownError as error:
            dialogs.show_error(self, error)
            return
        database = self.state.database
        self._form_until_saved(
            dialog,
            lambda plan, name, drugs: plan_actions.preview_new_plan(database, plan, name, drugs),
            "Save the new plan",
        )

    def edit_plan(self) -> None:
        from taperdesk.app import plan_actions

        if self.lived is None:
            return
        try:
            dialog = self._form(self.lived.plan, self.lived.name)
        except KnownError as error:
            dialogs.show_error(self, error)
            return
        database = self.state.database
        self._form_until_saved(
            dialog,
            lambda plan, name, drugs: plan_actions.preview_edit(database, plan, name, drugs),
            "Save as new revision",
        )

    def _doses_for_day(self, day: dt.date) -> dict[str, TakenDose]:
        """Each dosing time's dose on ``day`` with its drug: what the diary logged, else
        what the plan gave (during a switch stage each dosing time has its own drug).
        Two drugs logged at one dosing time give the drug ``MIXED_DRUGS``."""
        from taperdesk.app import plan_actions
        from taperdesk.app.plan_actions import TakenDose

        try:
            logged = taken_doses.doses_taken_on(self.state.database, day)
        except KnownError:
            logged = []
        found: dict[str, TakenDose] = {}
        for dose in logged:
            previous = found.get(dose.label)
            drug, mg = dose.drug_key, dose.dose_mg
            if previous is not None:
                mg += previous.dose_mg
                drug = drug if previous.drug_key == drug else plan_actions.MIXED_DRUGS
            found[dose.label] = TakenDose(dose.label, drug, mg)
        planned = self.lived.on(day) if self.lived else None
        for dose in planned.doses() if planned is not None else ():
            if dose.label not in found:  # not logged: the plan's dose at that time, its drug
                found[dose.label] = TakenDose(dose.label, dose.drug_key, dose.dose_mg)
        return found

    def replan(self) -> None:
        from taperdesk.app import plan_actions
        from taperdesk.ui import plan_files

        lived = self.lived
        if lived is None:
            return
        answer = plan_files.ask_replan(
            self, lived.plan.labels, plan_status.today(), self._doses_for_day, lived.catalogue
        )
        if answer is None:
            return
        day, taken = answer
        self._apply(
            lambda: plan_actions.preview_replan(self.state.database, day, taken),
            "Save the new revision",
        )

    def hold_from_today(self) -> None:
        from taperdesk.app import plan_actions

        if self.lived is not None:
            day = plan_status.today()
            # On a cut day a hold keeps yesterday's dose, a rise: shown and asked like any
            # change of dose (the upcoming cut disappears too).
            self._apply(lambda: plan_actions.preview_hold(self.state.database, day), "Hold")

    def resume(self) -> None:
        """Resume always asks (it was one click), showing when the next cut comes; with
        today's doses logged, the plan continues tomorrow."""
        from taperdesk.app import plan_actions

        if self.lived is not None:
            today = plan_status.today()
            day = plan_actions.resume_day(self.state.database, today)
            self._apply(
                lambda: plan_actions.preview_resume(self.state.database, today, day),
                "Resume the plan",
                always_ask=True,
            )

    # -- exports -------------------------------------------------------------

    def copy_table(self) -> None:
        from taperdesk.app.exports import rows_tsv

        QApplication.clipboard().setText(rows_tsv(self.model.header, self.model.text_rows()))

    def _export(self, title: str, suggested: str, file_filter: str, text: str) -> None:
        from taperdesk.store.paths import os_error_text, write_private_text
        from taperdesk.ui import plan_files

        path = plan_files.ask_save_path(self, title, suggested, file_filter)
        if path is None:
            return
        try:
            write_private_text(path, text)
        except OSError as exc:
            dialogs.show_error(
                self,
                KnownError(
                    f"TaperDesk could not write {path} ({os_error_text(exc)}).",
                    "Choose another folder, or check there is free space.",
                ),
            )

    def export_csv(self) -> None:
        from taperdesk.app.exports import schedule_csv

        if self.lived is not None:
            text = schedule_csv(self.lived)
            self._export("Export schedule", "taper-schedule.csv", "CSV files (*.csv)", text)

    def export_ics(self) -> None:
        from taperdesk.app.exports import schedule_ics

        if self.lived is not None:
            text = schedule_ics(self.lived.schedule, self.lived.catalogue, self.lived.name)
            self._export("Export calendar", "taper-cuts.ics", "Calendar files (*.ics)", text)
