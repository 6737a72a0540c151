"""The Diary tab: doses taken, symptoms, sleep and notes, day by day.

Every change is saved at once in its own transaction (notes after a 500 ms
pause, on focus-out and on changing day). Each save is an undo step that puts
the day back exactly as it was in the database.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from taperdesk.app.lived_plan import PlanUnreadable
from taperdesk.core.diary import (
    MAX_DATE,
    MIN_DATE,
    DeviationKind,
    DiaryEntry,
    EntryInvalid,
    FieldError,
    classify_deviation,
    diverging_days,
)
from taperdesk.errors import KnownError
from taperdesk.store import diary as diary_store
from taperdesk.store import symptoms as symptom_store
from taperdesk.ui import dialogs, diary_dialogs, plan_guard
from taperdesk.ui.after_paint import call_after_first_paint
from taperdesk.ui.diary_browse import DiaryBrowser, pydate, qdate
from taperdesk.ui.diary_form import DiaryForm, DoseSlot
from taperdesk.ui.state import AppState

if TYPE_CHECKING:
    from taperdesk.app.lived_plan import PlanDay
    from taperdesk.ui.diary_chart import DiaryChart

#: Days in a row the log must part ways with the plan before "Hold / Re-plan" is offered.
DIVERGING_DAYS_FOR_BANNER = 3


class SaveDay(QUndoCommand):
    """One saved change of one day; undo puts back the day as it was saved before."""

    def __init__(self, tab: DiaryTab, day: dt.date, before: DiaryEntry | None,
                 after: DiaryEntry | None, field_name: str) -> None:  # fmt: skip
        super().__init__(f"Edit {field_name} of {day.isoformat()}")
        self.tab, self.day, self.before, self.after, self.field = (
            tab,
            day,
            before,
            after,
            field_name,
        )

    def id(self) -> int:
        return 5001 if self.field == "notes" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # typing notes: one step
        if not isinstance(other, SaveDay) or other.day != self.day or other.field != self.field:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.tab.write_day(self.day, self.after)

    def undo(self) -> None:
        self.tab.write_day(self.day, self.before)


class DiaryTab(QWidget):
    #: The person chose "Hold" or "Re-plan from actual" (for the Plan tab, if it listens).
    hold_requested = Signal(object)
    replan_requested = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.day = dt.date.today()
        self.saved: DiaryEntry | None = None
        self.chart: DiaryChart | None = None
        self.undo_stack = QUndoStack(self)
        self._writing = False

        self.form = DiaryForm()
        self.form.edited.connect(self._edited)
        self.form.rating_left.connect(self.save_pending)
        self.form.taken_as_planned.connect(self.take_as_planned)
        self.form.enter_pressed.connect(lambda: self.save_now("doses"))
        self.notes_timer = QTimer(self)
        self.notes_timer.setSingleShot(True)
        self.notes_timer.setInterval(500)
        self.notes_timer.timeout.connect(lambda: self.save_now("notes"))
        # Ratings are saved once the value rests: a held spin arrow saved at every step.
        # Never lost: leaving the box, another save, a change of day or tab, and closing
        # the window save what waits.
        self.rating_timer = QTimer(self)
        self.rating_timer.setSingleShot(True)
        self.rating_timer.setInterval(350)
        self.rating_timer.timeout.connect(lambda: self.save_now("rating"))
        self.form.notes_edit.installEventFilter(self)

        # -- day navigation and actions
        top = QHBoxLayout()
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip("Previous day (Alt+Left)")
        self.prev_button.setShortcut(QKeySequence("Alt+Left"))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName("Day")
        self.date_edit.setDateRange(qdate(MIN_DATE), qdate(MAX_DATE))  # the days an entry may have
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip("Next day (Alt+Right)")
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        self.today_button = QPushButton("Toda&y")  # Alt+T is the Titration tab
        self.symptoms_button = QPushButton("Sy&mptoms…")
        for button in (self.prev_button, self.next_button):
            button.setFixedWidth(36)
        top.addWidget(self.prev_button)
        top.addWidget(self.date_edit)
        top.addWidget(self.next_button)
        top.addWidget(self.today_button)
        top.addStretch(1)
        self.status_label = QLabel()
        # One short line, at most 260 px (a long one widened the form's column until the
        # chart left the window), never wrapped ("Plan on hold from Tue 01 Dec" wrapped to
        # three lines and pushed the whole form down under the mouse; reviews). What needs
        # more words is said under the doses.
        self.status_label.setWordWrap(False)
        self.status_label.setMaximumWidth(260)
        # ...but the usual short ones ("Not logged yet", "Saved") stay on one line.
        metrics = self.status_label.fontMetrics()
        self.status_label.setMinimumWidth(metrics.horizontalAdvance("Not logged yet") + 6)
        top.addWidget(self.status_label)
        top.addWidget(self.symptoms_button)
        self.prev_button.clicked.connect(lambda: self.go_to(self.day - dt.timedelta(days=1)))
        self.next_button.clicked.connect(lambda: self.go_to(self.day + dt.timedelta(days=1)))
        self.today_button.clicked.connect(lambda: self.go_to(dt.date.today()))
        self.date_edit.dateChanged.connect(lambda d: self.go_to(pydate(d)))
        self.symptoms_button.clicked.connect(self.edit_symptoms)

        # -- banner when the log and the plan part ways
        self.banner = QFrame()
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner_row = QHBoxLayout(self.banner)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.hold_button = QPushButton("Ho&ld")  # Alt+H is the Help menu
        self.replan_button = QPushButton("&Re-plan from actual")
        banner_row.addWidget(self.banner_label, 1)
        banner_row.addWidget(self.hold_button)
        banner_row.addWidget(self.replan_button)
        self.hold_button.clicked.connect(lambda: self.hold())
        self.replan_button.clicked.connect(self.replan)
        self.banner.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(top)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.form, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(left)
        scroll.setMinimumWidth(540)

        self.browser = DiaryBrowser()
        self.browser.day_chosen.connect(self.go_to)
        self._chart_waiting = False
        self.chart_holder = QWidget()
        holder_layout = QVBoxLayout(self.chart_holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_placeholder = QLabel("Drawing the chart…")
        self.chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_placeholder.setEnabled(False)  # muted text, like other hints
        self.chart_placeholder.setMinimumHeight(300)  # about the chart's own size
        holder_layout.addWidget(self.chart_placeholder)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.chart_holder)
        right.addWidget(self.browser)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)  # never squeezed below what they need
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([540, 860])
        # Never a field hidden under the chart: the form's column is as wide as its content
        # needs, whenever that changes (a banner, more symptoms); a scroll bar at worst.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._form_scroll, self._form_column = scroll, left
        left.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo diary edit")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo diary edit")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        state.plan_changed.connect(self.reload)
        state.database_replaced.connect(self._database_replaced)
        state.settings_changed.connect(self.reload)
        self.reload()

    @property
    def database(self):
        return self.state.database

    # -- showing a day -------------------------------------------------------

    def go_to(self, day: dt.date) -> None:
        day = min(max(day, MIN_DATE), MAX_DATE)  # ◀ on the first day stays there
        if day == self.day and self.saved == diary_store.load_entry(self.database, day):
            return
        self.save_now("notes")
        self.day = day
        self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.form.notes_edit and event.type() == QEvent.Type.FocusOut:
            self.save_now("notes")
        if watched is getattr(self, "_form_column", None) and event.type() in (
            QEvent.Type.LayoutRequest,
            QEvent.Type.Show,
        ):
            QTimer.singleShot(0, self, self._fit_form_column)
        return super().eventFilter(watched, event)

    def _fit_form_column(self) -> None:
        """Widen the form's column to what its content needs (the splitter gives the room)."""
        bar = self._form_scroll.verticalScrollBar().sizeHint().width()
        need = self._form_column.minimumSizeHint().width() + bar + 4
        # Never more than 55% of the tab: the chart keeps its room; past that the form
        # scrolls sideways rather than pushing the chart out of the window.
        need = min(need, int(self.width() * 0.55)) if self.width() > 0 else need
        if need > self._form_scroll.minimumWidth() or need < 540:
            self._form_scroll.setMinimumWidth(max(540, need))

    def reload(self) -> None:
        """Show ``self.day`` from the database (and refresh the browser and chart)."""
        try:
            self.saved = diary_store.load_entry(self.database, self.day)
            slots = self._slots()
            symptoms = symptom_store.tracked_symptoms(self.database)
        except KnownError as error:
            dialogs.show_error(self, error)
            return
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(qdate(self.day))
        self.date_edit.blockSignals(False)
        self.next_button.setEnabled(self.day < dt.date.today())
        self.form.show_entry(self.saved, slots, symptoms)
        self._show_deviation()
        self.status_label.setText("Saved" if self.saved else "Not logged yet")
        self.browser.reload(self.database, self.day)
        self._refresh_chart()

    def _plan_day(self, day: dt.date) -> PlanDay | None:
        """What the plan said for ``day`` (the revision that applied then), or None."""
        from taperdesk.app.lived_plan import active_plan

        try:
            lived = active_plan(self.database)
        except PlanUnreadable:
            return None
        return lived.on(day) if lived is not None else None

    def _slots(self) -> list[DoseSlot]:
        planned = self._plan_day(self.day)
        if planned is not None:
            doses = planned.doses()
            several = len(planned.taken_drugs) > 1 or len({d.drug_key for d in doses}) > 1
            names = self._drug_names() if several else {}
            return [
                DoseSlot(
                    d.label, d.drug_key, d.dose_mg, d.clock_time,
                    drug_name=names.get(d.drug_key, d.drug_key) if several else None,
                )
                for d in doses
            ]  # fmt: skip
        last = diary_store.last_entry_before(self.database, self.day)
        if last is not None:
            return [DoseSlot(d.label, d.drug_key) for d in last.doses]
        if not self.form.drug_keys:
            from taperdesk.store.drugs import load_user_catalogue

            self.form.drug_keys = list(load_user_catalogue(self.database).keys)
        return [DoseSlot("Daily dose", "clonazepam", choose_drug=True)]

    def _deviation(self, entry: DiaryEntry):
        planned = self._plan_day(entry.entry_date)
        since = planned.days_since_zero if planned else None
        return classify_deviation(entry.doses, since)

    def _show_deviation(self) -> None:
        entry = self.saved
        if entry is None or not entry.doses:
            self.form.show_deviation("", False)
        else:
            deviation = self._deviation(entry)
            text = deviation.message
            if deviation.kind is DeviationKind.ABOVE_PLAN:
                text = f"{deviation.headline}. Recorded with your reason."
            self.form.show_deviation(text, deviation.needs_reason)
        self._update_banner()

    def _update_banner(self) -> None:
        start = self.day - dt.timedelta(days=13)
        recent = diary_store.entries_between(self.database, start, self.day)
        days = diverging_days(recent) if self._plan_day(self.day) else 0
        self.banner.setVisible(days >= DIVERGING_DAYS_FOR_BANNER)
        self.banner_label.setText(
            f"Your log and your plan have differed for {days} days in a row. You can hold "
            "at the current dose, or make a new plan revision that starts from what you "
            "actually take."
        )

    # -- saving ----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter anywhere in the form (a spin box, a field) saves the day."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.save_now():
                self.status_label.setText("Saved")
            return
        super().keyPressEvent(event)

    def _edited(self, field_name: str) -> None:
        if field_name == "notes":
            self.notes_timer.start()
            return
        if field_name.startswith("rating:") or field_name == "wellbeing":
            self.rating_timer.start()
            return
        self.save_now(field_name)

    def save_pending(self) -> None:
        """Save what waits for a pause (a rating, the notes) now."""
        if self.rating_timer.isActive() or self.notes_timer.isActive():
            self.save_now("pending")

    def hideEvent(self, event) -> None:
        """Another tab, or the window closing: nothing typed waits unsaved."""
        self.save_pending()
        super().hideEvent(event)

    def save_now(self, field_name: str = "entry") -> bool:
        """Save the form as the day's entry if it changed; False if a field is not accepted."""
        if self._writing:
            return False
        self.notes_timer.stop()
        self.rating_timer.stop()
        try:
            entry = self.form.read_entry(self.day)
        except FieldError:
            self.status_label.setText("Not saved: check the field marked in red")
            return False
        if entry.is_empty and self.saved is None:
            return True
        if entry == self.saved:
            self.status_label.setText("Saved")
            return True
        saved_doses = self.saved.doses if self.saved is not None else ()
        changed = entry.doses != saved_doses
        if entry.deviation_reason and changed and not self._deviation(entry).needs_reason:
            # Back at or below the plan: the reason given for a dose above it no longer
            # applies (it stayed, beside "6 mg less", for the prescriber's report).
            from dataclasses import replace

            entry = replace(entry, deviation_reason="")
            self.form.reason_edit.clear()
        if field_name in ("doses", "as planned") or entry.doses != saved_doses:
            # Whatever the edit that saves it (a rating, Enter), a changed dose is checked:
            # after Cancel the dose stays in its box, unsaved, and is asked about again.
            declined = getattr(self, "_declined", None)
            if (
                declined is not None
                and declined[0] == entry
                and time.monotonic() - declined[1] < 0.3
            ):
                return False  # the same save again at once (Return, then leaving the box)
            if getattr(self, "_asking", False):
                # A dialog about this dose is open: its own opening took the focus from
                # the dose box, whose "editing finished" saved again and asked a second
                # time; answering both crashed the app (found by review). One question.
                return False
            asked = entry
            self._asking = True
            try:
                entry = self._confirm_deviation(entry)
            finally:
                self._asking = False
            self._declined = (asked, time.monotonic()) if entry is None else None
            if entry is None:  # Cancel: the dose stays in its box, unsaved, and we say so
                # under the doses, in place of the line about the saved dose (it still said
                # "18 mg less ... recorded as taken" under an unsaved 30 mg), not in the
                # narrow status beside Today, where it wrapped to eight lines (review).
                self.status_label.setText("Not saved")
                self.form.show_deviation(
                    "Not saved: a dose above the plan is recorded only with a reason. "
                    "Change it back, or press Enter in its box and give the reason.",
                    False,
                )
                return False
        self.undo_stack.push(SaveDay(self, self.day, self.saved, entry, field_name))
        return True

    def _confirm_deviation(self, entry: DiaryEntry) -> DiaryEntry | None:
        deviation = self._deviation(entry)
        previous = self._deviation(self.saved) if self.saved else None
        same = previous is not None and previous.kind is deviation.kind
        if deviation.kind is DeviationKind.REINSTATEMENT and not same:
            diary_dialogs.show_reinstatement(self, deviation.message)
        if deviation.kind is DeviationKind.ABOVE_PLAN and not (same and entry.deviation_reason):
            answer = diary_dialogs.ask_above_plan(self, deviation.message, entry.deviation_reason)
            if answer.reason is None:
                return None
            from dataclasses import replace

            entry = replace(entry, deviation_reason=answer.reason)
            if answer.hold:  # "Record and hold": the hold starts today, whatever day this is
                QTimer.singleShot(0, lambda: self.hold(dt.date.today()))
        return entry

    def write_day(self, day: dt.date, entry: DiaryEntry | None) -> None:
        """Put ``day`` in the database as ``entry`` (None: no entry), then show it."""
        self._writing = True
        try:
            diary_store.restore_day(self.database, day, entry)
        except KnownError as error:
            dialogs.show_error(self, error)
            return
        except EntryInvalid as error:  # the form checks fields; this is the last safety net
            problems = "; ".join(error.errors.values())
            dialogs.show_error(
                self, KnownError(f"This day was not saved: {problems}", "Nothing was changed.")
            )
            return
        finally:
            self._writing = False
        if day != self.day or self.form.read_entry_safe(day) != entry:
            self.day = day
            self.reload()
        else:
            self.saved = entry
            self.status_label.setText("Saved")
            self._show_deviation()
            # Only this day's row, calendar cell and chart values (at ten years a save
            # rebuilt 3,650 list rows and re-read the whole diary); so is a day newer than
            # every logged one (the day's first save); a day logged between others rebuilds.
            browser = self.browser
            if not (browser.update_day(self.database, day) or browser.add_newest_day(
                    self.database, day)):  # fmt: skip
                browser.reload(self.database, self.day)
            if not self._refresh_chart_day(day):
                self._refresh_chart()
        self.state.diary_changed.emit((day,))

    def _refresh_chart_day(self, day: dt.date) -> bool:
        """Put ``day``'s saved values into the chart's series; False when the series must
        be read again (no chart yet, or a day no longer logged). A day newly logged is
        inserted at its place."""
        import numpy as np

        chart = self.chart
        series = chart.series if chart is not None else None
        partial = getattr(self, "_partial_mask", None)
        if series is None or partial is None or len(partial) != len(series.days):
            return False
        charted = getattr(self, "_chart_drug_keys", None)
        if charted is None:
            return False
        keys = diary_store.drug_keys_still_logged(self.database, charted, day)
        factors = self._diazepam_eq_per_mg(keys)
        if factors != getattr(self, "_chart_factors", None):
            return False  # a second drug logged or gone: every day's total changes unit
        self._chart_drug_keys = keys
        ordinal = float(day.toordinal())
        index = int(np.searchsorted(series.days, ordinal))
        known = index < len(series.days) and series.days[index] == ordinal
        fresh = diary_store.diary_series(self.database, factors, day)
        if len(fresh.days) != 1:
            return False
        names = ("wellbeing", "sleep_hours", "markers", "taken_mg", "planned_mg")
        if known:
            for name in names:
                getattr(series, name)[index] = getattr(fresh, name)[0]
            if series.dose_count is not None and fresh.dose_count is not None:
                series.dose_count[index] = fresh.dose_count[0]
        else:  # a day newly logged: its values go in at its place
            if (series.dose_count is None) != (fresh.dose_count is None):
                return False
            for name in ("days", *names, "dose_count"):
                column = getattr(series, name)
                if column is not None:
                    setattr(series, name, np.insert(column, index, getattr(fresh, name)[0]))
            partial = np.insert(partial, index, False)
            self._partial_mask = partial
        for symptom_id in set(series.ratings) | set(fresh.ratings):
            days, values = series.ratings.get(symptom_id, (np.empty(0), np.empty(0)))
            keep = days != ordinal
            days, values = days[keep], values[keep]
            if symptom_id in fresh.ratings:
                at = int(np.searchsorted(days, ordinal))
                days = np.insert(days, at, ordinal)
                values = np.insert(values, at, fresh.ratings[symptom_id][1][0])
            if len(days):
                series.ratings[symptom_id] = (days, values)
            else:
                series.ratings.pop(symptom_id, None)
        partial[index] = self._partly_logged(series, only=[index])[index]
        chart.set_data(series, chart.symptoms or symptom_store.list_symptoms(self.database),
                       chart.chosen, dose_unit=chart.dose_unit, partly_logged=partial)  # fmt: skip
        return True

    def take_as_planned(self) -> None:
        self.form.fill_planned()
        if self.save_now("as planned") and self.form.rating_boxes:
            # Next comes the first symptom: the daily entry goes on from the keyboard.
            first = next(iter(self.form.rating_boxes.values()))
            first.setFocus(Qt.FocusReason.TabFocusReason)
            first.selectAll()

    # -- plan actions ----------------------------------------------------------

    def hold(self, day: dt.date | None = None) -> None:
        """Hold the plan from ``day`` (default: the day shown); nothing if already holding."""
        start = self.day if day is None else day
        self.hold_requested.emit(start)
        from taperdesk.app import plan_actions

        try:
            lived = self._lived()
            if lived is None or lived.open_hold is not None:
                return
            change = plan_actions.preview_hold(self.database, start)
            # The person chose the hold; on a cut day it keeps yesterday's dose, a rise:
            # that is shown and asked.
            if change.today_rises and not plan_guard.confirm_change(self, change, "Hold"):
                return
            change.save()
        except KnownError as error:
            dialogs.show_error(self, error)
            return
        self.state.plan_changed.emit()
        self.status_label.setText(f"Plan on hold from {start:%a %d %b}")

    def _lived(self):
        from taperdesk.app.lived_plan import active_plan

        return active_plan(self.database)

    def replan(self) -> None:
        """A new revision from the doses logged on the day shown, each with its drug."""
        from taperdesk.app import plan_actions
        from taperdesk.app.taken import doses_taken_on

        entry = self.saved
        if entry is None or not entry.doses:
            return
        self.replan_requested.emit(self.day)
        try:
            doses = doses_taken_on(self.database, self.day)
            change = plan_actions.preview_replan(self.database, self.day, doses)
            if not plan_guard.confirm_change(self, change, "Save the new revision"):
                return
            change.save()
        except plan_actions.NoActivePlan:
            return
        except ValueError as error:
            dialogs.show_info(self, "Cannot re-plan from this day", str(error))
            return
        except KnownError as error:
            dialogs.show_error(self, error)
            return
        self.state.plan_changed.emit()

    # -- symptoms, chart ---------------------------------------------------------

    def edit_symptoms(self) -> None:
        from taperdesk.ui.symptom_dialog import SymptomDialog

        self.save_now("notes")
        dialog = SymptomDialog(self.database, self)
        dialog.changed.connect(self.reload)
        dialog.exec()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.chart is None and not self._chart_waiting:
            # matplotlib and ten years of data take a moment: show the day's form first
            self._chart_waiting = True
            call_after_first_paint(self.chart_holder, self._build_chart_if_shown)

    def _build_chart_if_shown(self) -> None:
        from taperdesk.ui import preload

        preload.when_loaded((*preload.CHART_MODULES, "taperdesk.ui.diary_chart"), self._build)

    def _build(self) -> None:
        self._chart_waiting = False
        if self.isVisible():
            self.build_chart()

    def build_chart(self) -> DiaryChart:
        """Build the chart (first showing of the tab): matplotlib is imported only now."""
        if self.chart is None:
            from taperdesk.app import settings
            from taperdesk.ui.diary_chart import DiaryChart

            self.chart = DiaryChart()
            days = settings.read(self.database, settings.registry.CHART_RANGE)
            self.chart.set_range(days or None)  # the range chosen last time
            self.chart.range_chosen.connect(self._remember_range)
            self.chart.symptoms_chosen.connect(self._remember_symptoms)
            self.chart_placeholder.hide()
            # Laid out at its place before its first draw: it was drawn at a default size,
            # then again once the layout resized it (~125 ms at ten years, wasted).
            self.chart_holder.layout().addWidget(self.chart)
            self.chart_holder.layout().activate()
            self.chart.show()  # its size now (a hidden widget's resizes wait until shown)
            self._refresh_chart()
        return self.chart

    def _remember_symptoms(self, ids: list[int]) -> None:
        """The symptoms ticked in the chart's menu stay drawn: after an undo, a restart or
        any full refresh (an undo went back to the three first ones; found by review)."""
        from taperdesk.app import settings

        try:
            settings.write(self.database, settings.registry.CHART_SYMPTOMS, ids)
        except KnownError as error:
            dialogs.show_error(self, error)

    def _remember_range(self, days: int) -> None:
        from taperdesk.app import settings

        try:
            settings.write(self.database, settings.registry.CHART_RANGE, days)
        except KnownError as error:
            dialogs.show_error(self, error)

    def _refresh_chart(self) -> None:
        if self.chart is None:
            return
        from taperdesk.app import settings

        symptoms = symptom_store.list_symptoms(self.database)
        default = [s.id for s in symptoms if s.tracked and not s.hidden][:3]
        chosen = settings.read(self.database, settings.registry.CHART_SYMPTOMS)
        chosen = default if chosen is None else chosen  # none ticked stays none
        keys = diary_store.logged_drug_keys(self.database)
        factors = self._diazepam_eq_per_mg(keys)
        series = diary_store.diary_series(self.database, factors)
        # A one-day update must chart in the same units, or rebuild.
        self._chart_drug_keys, self._chart_factors = keys, factors
        self._partial_mask = self._partly_logged(series)
        self.chart.set_data(
            series,
            symptoms,
            list(chosen),
            dose_unit="diazepam eq." if factors else "mg",
            partly_logged=self._partial_mask,
        )

    def _partly_logged(self, series: diary_store.DiarySeries, only=None):  # -> np.ndarray
        """Days that logged fewer doses than the plan had (the application layer says)."""
        import numpy as np

        from taperdesk.app.lived_plan import active_plan
        from taperdesk.app.taken import partly_logged

        try:
            lived = active_plan(self.database)
        except PlanUnreadable:
            lived = None
        if series.dose_count is None:
            return np.zeros(len(series.days), dtype=bool)
        return np.array(
            partly_logged(lived, series.days, series.dose_count, only), dtype=bool
        ).reshape(len(series.days))

    def _drug_names(self) -> dict[str, str]:
        from taperdesk.store.drugs import load_user_catalogue

        return {d.key: d.name.lower() for d in load_user_catalogue(self.database)}

    def _diazepam_eq_per_mg(self, keys: tuple[str, ...]) -> dict[str, float] | None:
        """Diazepam-eq mg per mg of each drug logged (``keys``), when the diary has more
        than one drug (a crossover): its doses are then charted as one total that means
        something."""
        from taperdesk.store.drugs import load_user_catalogue

        if len(keys) < 2:
            return None
        catalogue = load_user_catalogue(self.database)
        return {k: 10 / catalogue.get(k).mg_per_diazepam_10 for k in keys if k in catalogue}

    def _database_replaced(self) -> None:
        self.undo_stack.clear()
        self.reload()
