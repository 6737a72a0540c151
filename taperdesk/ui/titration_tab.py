"""The Titration tab: turn a planned dose into something a person can measure.

A method list on the left, one page per method (see titration_pages and
titration_daily), and above them the dose to measure, which defaults to the
active plan's dose for the chosen day (through titration_plan, the tab's one
door to the plan). The user's equipment and preferred method are saved as the
setting ``titration.method`` (``MethodSettings.to_dict()``), debounced while
typing, and ``AppState.settings_changed`` is emitted so the plan's rounding and
the weekly sheets pick them up.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from taperdesk.app import settings as app_settings
from taperdesk.app import titration_days as titration_plan
from taperdesk.core import titration as t
from taperdesk.core.drugs import load_catalogue
from taperdesk.core.measure import format_mg
from taperdesk.errors import KnownError
from taperdesk.store.settings import get_setting, set_setting
from taperdesk.ui import dialogs
from taperdesk.ui.state import AppState
from taperdesk.ui.titration_daily import CompoundingPage, DailyPage
from taperdesk.ui.titration_fields import QuantityField
from taperdesk.ui.titration_pages import LiquidPage, MethodPage, ScalePage, TabletsPage

SETTINGS_KEY = app_settings.registry.TITRATION_METHOD.key
#: Wait this long after the last keystroke before saving the equipment.
SAVE_DELAY_MS = 800

METHOD_NAMES = ("Liquid", "Daily micro-taper volumes", "Scale", "Tablets", "Compounding")


class TitrationTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.catalogue = load_catalogue()
        self._planned: titration_plan.PlannedDay | None = None
        self._dose_typed = False
        self._restoring = False

        # The dose to measure and the day it is for.
        self.dose_field = QuantityField("mg", width=110)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        # With doses at several times of day: which one to measure (each is measured
        # on its own; measuring the day's total at every dosing time would double it).
        self.portion_combo = QComboBox()
        self.portion_combo.setAccessibleName("Which planned dose")
        self.portion_combo.hide()
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        self.plan_label.setStyleSheet("color: palette(placeholder-text);")
        self.use_plan_button = QPushButton("Use planned dose")
        self.copy_button = QPushButton("Copy result")
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(QLabel("Dose to measure"))
        top.addWidget(self.dose_field, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(8)
        top.addWidget(QLabel("for"))
        top.addWidget(self.date_edit, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.portion_combo, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.use_plan_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(8)
        top.addWidget(self.plan_label, 1)
        top.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        top_frame = QFrame()
        top_frame.setLayout(top)

        # Method chooser and pages.
        self.method_list = QListWidget()
        self.method_list.addItems(METHOD_NAMES)
        self.method_list.setFixedWidth(200)
        self.method_list.setStyleSheet("QListWidget::item { padding: 7px 6px; }")
        self.liquid_page = LiquidPage(self.next_doses)
        self.daily_page = DailyPage(self._plan_days, self._liquid_mix)
        self.scale_page = ScalePage(self.next_doses)
        self.tablets_page = TabletsPage()
        self.compounding_page = CompoundingPage(self._plan_days, self._drug_name)
        self.pharmacy_button = QPushButton("Print pharmacy request…")
        self.pharmacy_button.setToolTip(
            "Preview, print or export these capsules as a request for a compounding pharmacy"
        )
        self.pharmacy_button.setEnabled(False)
        inputs = self.compounding_page.inputs
        inputs.insertWidget(inputs.count() - 1, self.pharmacy_button)  # above the stretch
        self.pages: tuple[MethodPage, ...] = (
            self.liquid_page,
            self.daily_page,
            self.scale_page,
            self.tablets_page,
            self.compounding_page,
        )
        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
            page.changed.connect(self._inputs_changed)
            page.result.updated.connect(self._result_updated)
        body = QHBoxLayout()
        body.setSpacing(20)
        body.addWidget(self.method_list)
        body.addWidget(self.stack, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(12)
        layout.addWidget(top_frame)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addLayout(body, 1)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_settings)

        self.method_list.currentRowChanged.connect(self._method_changed)
        self.dose_field.edited.connect(self._dose_edited)
        self.date_edit.dateChanged.connect(lambda _d: self.reload_plan())
        self.use_plan_button.clicked.connect(self._use_planned)
        self.portion_combo.activated.connect(lambda _i: self._use_planned())
        self.copy_button.clicked.connect(self.copy_result)
        self.pharmacy_button.clicked.connect(self.print_pharmacy_request)
        state.plan_changed.connect(self.reload_plan)
        state.database_replaced.connect(self._database_replaced)
        state.settings_changed.connect(self._settings_changed)

        self._restore_settings()
        self.reload_plan()

    # -- the dose and the plan ---------------------------------------------

    @property
    def day(self) -> dt.date:
        return self.date_edit.date().toPython()

    @property
    def current_page(self) -> MethodPage:
        return self.pages[self.stack.currentIndex()]

    @property
    def measures_one_dose(self) -> bool:
        """The current page measures the dose at the top (not a period of the plan)."""
        return self.current_page in (self.liquid_page, self.scale_page, self.tablets_page)

    def _plan_days(self, start: dt.date, days: int) -> list[titration_plan.PlannedDay] | None:
        return titration_plan.planned_doses_between(
            self.state.database, start, start + dt.timedelta(days=days - 1)
        )

    def next_doses(self) -> list[float]:
        """The plan's doses for the next 30 days from the chosen day, or the typed dose."""
        days = self._plan_days(self.day, 30)
        if days:
            label = self.portion_label()
            if label is None:
                return [d.total_mg for d in days]
            return [mg for d in days for name, mg in d.portions() if name == label]
        dose = self.dose_mg()
        return [dose] if dose is not None else []

    def _liquid_mix(self) -> t.LiquidMix | str | None:
        """The Liquid page's mix; the refusal when its tablets must stay intact; else None."""
        mix, errors = self.liquid_page.mix()
        return errors.get("tablet_form") or (None if errors else mix)

    def _drug_name(self) -> str:
        if self._planned and self._planned.drug_key in self.catalogue:
            return self.catalogue.get(self._planned.drug_key).name
        return ""

    def portion_label(self) -> str | None:
        """The dosing time being measured, or None for the whole day's dose."""
        if not self.portion_combo.isVisibleTo(self):
            return None
        return self.portion_combo.currentData() or None

    def _fill_portions(self, planned: titration_plan.PlannedDay) -> float:
        """List the day's doses to choose from (keeping the choice); the chosen dose in mg."""
        portions = planned.portions()
        chosen = self.portion_combo.currentData()
        self.portion_combo.clear()
        if not portions:
            self.portion_combo.hide()
            return planned.total_mg
        for label, mg in portions:
            self.portion_combo.addItem(f"{label} dose: {format_mg(mg, 4)}", label)
        if len(portions) > 1:
            self.portion_combo.addItem(f"whole day: {format_mg(planned.total_mg, 4)}", "")
        index = self.portion_combo.findData(chosen) if chosen is not None else -1
        self.portion_combo.setCurrentIndex(max(index, 0))
        self.portion_combo.show()
        label = self.portion_combo.currentData()
        return next((mg for name, mg in portions if name == label), planned.total_mg)

    def reload_plan(self) -> None:
        """Read the planned dose for the chosen day; use it unless the user typed one."""
        self._planned = titration_plan.planned_dose_for(self.state.database, self.day)
        self.daily_page.start = self.compounding_page.start = self.day
        if self._planned is None:
            self.plan_label.setText("No planned dose for this day: type the dose to measure.")
            self.use_plan_button.hide()
            self.portion_combo.hide()
        else:
            planned = self._planned
            key = planned.drug_key
            name = self.catalogue.get(key).name if key in self.catalogue else key
            dose = self._fill_portions(planned)
            split = " + ".join(
                f"{label} {format_mg(mg, 4).removesuffix(' mg')}"
                for label, mg in planned.portions()
            )
            others = "".join(
                f" + {format_mg(mg, 4)} {self._drug_display(other)} {label} (taken as it is; "
                "not measured here)"
                for other, label, mg in planned.other_doses
            )
            self.plan_label.setText(
                f"Planned: {format_mg(planned.total_mg, 4)} {name} a day"
                + (f" ({split})" if len(planned.portions()) > 1 else "")
                + others
            )
            self.use_plan_button.setVisible(self._dose_typed)
            if not self._dose_typed:
                self.dose_field.set_text(f"{dose:g}")
            self.tablets_page.set_drug(key)
        self.recompute()

    def _drug_display(self, key: str) -> str:
        return self.catalogue.get(key).name.lower() if key in self.catalogue else key

    def _use_planned(self) -> None:
        self._dose_typed = False
        self.reload_plan()

    def _dose_edited(self) -> None:
        self._dose_typed = True
        self.use_plan_button.setVisible(self._planned is not None)
        self.recompute()

    def dose_mg(self) -> float | None:
        try:
            return self.dose_field.value("dose_mg")
        except t.TitrationInputError:
            return None

    def _database_replaced(self) -> None:
        self._restore_settings()
        self.reload_plan()

    # -- computing ---------------------------------------------------------

    def _method_changed(self, row: int) -> None:
        self.stack.setCurrentIndex(max(row, 0))
        self.dose_field.setEnabled(self.measures_one_dose)
        self.recompute()
        self._schedule_save()

    def _inputs_changed(self) -> None:
        self.recompute()
        self._schedule_save()

    def recompute(self) -> None:
        """Validate the dose and the current page, and show a fresh result or what to fix."""
        page = self.current_page
        dose_error = None
        dose = None
        try:
            dose = self.dose_field.value("dose_mg")
        except t.TitrationInputError as error:
            dose_error = error.message
        if dose is not None and dose <= 0:
            dose_error, dose = "The dose must be more than zero.", None
        single_dose = self.measures_one_dose
        errors = page.compute(dose)
        if not single_dose:
            dose_error = None
        untouched = not self._dose_typed and not self.dose_field.text().strip()
        if untouched and single_dose:
            # Nothing typed yet (no plan): ask for the dose, without a red error.
            dose_error = None
            page.result.show_problem("Type the dose to measure, in mg, at the top.")
        self.dose_field.set_error(dose_error or errors.get("dose_mg"))
        dose_message = self.dose_field.error
        page.refresh_messages([("Dose to measure", dose_message)] if dose_message else [])
        self.copy_button.setEnabled(page.result.valid)

    def _result_updated(self) -> None:
        self.copy_button.setEnabled(self.current_page.result.valid)
        self.pharmacy_button.setEnabled(self.compounding_page.last_result is not None)

    # -- settings ----------------------------------------------------------

    def method_settings(self) -> t.MethodSettings | None:
        """The equipment on screen, or None when the current method's fields are not valid."""
        page = self.current_page
        kind = page.kind or t.MethodKind.LIQUID
        own = page.method_fields() if page is not self.daily_page else None
        if page is self.daily_page:
            own = self.liquid_page.method_fields()
        if own is None:
            return None
        values: dict[str, object] = {}
        for other in (self.compounding_page, self.tablets_page, self.scale_page, self.liquid_page):
            if other is not page:
                values.update(other.method_fields() or {})
        values.update(own)
        # The drug the equipment measures: the planned day's drug (after a crossover,
        # clonazepam tablets must never be read as diazepam ones on a weekly sheet).
        values["drug_key"] = self._planned.drug_key if self._planned else None
        if values["drug_key"] is None and kind is t.MethodKind.TABLETS:
            values["drug_key"] = self.tablets_page.drug.currentData()  # its tablets' drug
        settings = t.MethodSettings(kind=kind, **values)  # type: ignore[arg-type]
        if t.validate_settings(settings):
            return None
        return settings

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the tab (or closing the window) saves any equipment still waiting."""
        if self._save_timer.isActive():
            self.save_settings()
        super().hideEvent(event)

    def _schedule_save(self) -> None:
        if not self._restoring:
            self._save_timer.start()

    def _settings_data(self) -> dict[str, object] | None:
        """The equipment on screen and the page shown, as stored; None when not valid."""
        settings = self.method_settings()
        if settings is None:
            return None
        return {**settings.to_dict(), "page": self.stack.currentIndex()}

    def save_settings(self) -> bool:
        """Save the equipment now (one transaction); True when something was saved."""
        self._save_timer.stop()
        data = self._settings_data()
        if data is None:
            return False
        try:
            if get_setting(self.state.database, SETTINGS_KEY) == data:
                return False
            set_setting(self.state.database, SETTINGS_KEY, data)
        except KnownError as error:
            dialogs.show_error(self, error)
            return False
        self.state.settings_changed.emit()
        return True

    def _settings_changed(self) -> None:
        """Settings saved elsewhere (an import): show them, unless they are this tab's own."""
        if self._save_timer.isActive():
            return  # the person is typing: their equipment is about to be saved
        try:
            stored = get_setting(self.state.database, SETTINGS_KEY)
        except KnownError:
            return
        if stored is not None and stored != self._settings_data():
            self._restore_settings()
            self.recompute()

    def _restore_settings(self) -> None:
        self._restoring = True
        try:
            data = get_setting(self.state.database, SETTINGS_KEY)
        except KnownError:
            data = None
        page = 0
        try:
            if isinstance(data, dict):
                page = data.get("page", 0) if isinstance(data.get("page"), int) else 0
                settings = t.MethodSettings.from_dict(
                    {k: v for k, v in data.items() if k != "page"}
                )
                for each in (self.liquid_page, self.scale_page, self.tablets_page):
                    each.restore(settings)
                self.compounding_page.restore(settings)
                if not 0 <= page < len(self.pages) or self.pages[page].kind != settings.kind:
                    page = [p.kind for p in self.pages].index(settings.kind)
        except t.TitrationInputError:
            page = 0
        self.method_list.setCurrentRow(page)
        self._method_changed(page)
        self._restoring = False

    # -- print -------------------------------------------------------------

    def print_pharmacy_request(self) -> None:
        """Preview, print or export the Compounding page's result (print_dialogs does it)."""
        from taperdesk.ui.print_dialogs import PharmacyRequestDialog

        page = self.compounding_page
        result = page.last_result
        request, _errors, _problem = page.request()
        if result is None or request is None:
            return
        PharmacyRequestDialog(
            self.state, result, page.start, request.daily_doses_mg, self._drug_name(), self
        ).exec()

    # -- copy --------------------------------------------------------------

    def copy_result(self) -> None:
        page = self.current_page
        text = page.result.as_text()
        label = self.portion_label()
        if label and not self._dose_typed and self.measures_one_dose:
            text = f"{label} dose, {self.day:%a %d %b %Y}: {text}"
        if page is self.daily_page:
            headers, rows = self.daily_page.table_rows()
            text += "\n" + "\n".join("\t".join(r) for r in [headers, *rows])
        QApplication.clipboard().setText(text)


__all__ = ["SETTINGS_KEY", "TitrationTab"]
