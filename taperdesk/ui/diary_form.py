"""The entry form of one diary day: doses, symptom ratings, wellbeing, sleep, marker, notes.

The form only shows and reads values; the Diary tab decides when to save.
A dose left blank is not logged (never assumed); a rating of "–" is not rated.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from taperdesk.core.diary import (
    DAY_MARKERS,
    DiaryEntry,
    DoseTaken,
    FieldError,
    Symptom,
    parse_dose_mg,
    parse_sleep_hours,
    parse_taken_time,
)
from taperdesk.core.measure import format_mg, format_number
from taperdesk.ui.widgets import field_error_label, set_field_error

NOT_RATED = -1


@dataclass(frozen=True, slots=True)
class DoseSlot:
    """A dosing time shown in the form: what the plan (if any) says for it."""

    label: str
    drug_key: str
    planned_mg: float | None = None
    clock_time: str | None = None
    choose_drug: bool = False
    #: Shown beside the dosing time when the day has doses of more than one drug (a
    #: crossover), so every box says which drug it records.
    drug_name: str | None = None


class _UndoKeysToTab(QObject):
    """Let Ctrl+Z / Ctrl+Shift+Z reach the diary's undo stack, not the editor's own undo."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
            or event.keyCombination().toCombined()
            == (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.ShiftModifier
                | Qt.Key.Key_Z
            ).toCombined()
        ):
            event.ignore()
            return True
        return False


class RatingBox(QSpinBox):
    """A 0-10 rating that takes the digit typed, whatever the text shows.

    A plain spin box showing "–" (not rated) swallowed a typed 4: the text "–4" is no
    number. Here a digit replaces the rating (after a "1", a "0" makes 10), Backspace or
    Delete clear it to "not rated", and clicking in the box selects it."""

    #: Focus left the box: a rating waiting to be saved is saved now.
    left = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._one_typed = False

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if plain and len(text) == 1 and text.isdigit():
            digit = int(text)
            value = 10 if self._one_typed and digit == 0 else digit
            self.setValue(value)
            self.selectAll()  # the next digit replaces it again
            self._one_typed = value == 1
            return
        self._one_typed = False
        if plain and event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.setValue(self.minimum())
            self.selectAll()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._one_typed = False
        QTimer.singleShot(0, self, self.selectAll)  # after the click has placed the cursor

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if not self.lineEdit().hasSelectedText():
            self.selectAll()


def rating_box(name: str) -> QSpinBox:
    box = RatingBox()
    box.setRange(NOT_RATED, 10)
    box.setSpecialValueText("–")
    box.setValue(NOT_RATED)
    box.setAccessibleName(name)
    box.setToolTip(f"{name}: 0 none … 10 worst; – not rated")
    box.setMinimumWidth(64)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    return box


class DoseRow:
    def __init__(self, slot: DoseSlot, drug_keys: list[str]) -> None:
        self.slot = slot
        self.name = QLabel(f"{slot.label} · {slot.drug_name}" if slot.drug_name else slot.label)
        self.name.setTextFormat(Qt.TextFormat.PlainText)  # a typed label is never markup
        self.drug: QComboBox | None = None
        if slot.choose_drug:
            self.drug = QComboBox()
            self.drug.addItems(drug_keys)
            if slot.drug_key in drug_keys:
                self.drug.setCurrentText(slot.drug_key)
            self.drug.setAccessibleName("Drug")
        self.edit = QLineEdit()
        self.edit.setAccessibleName(f"{slot.label} dose in mg")
        self.edit.setMaximumWidth(110)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        # "not logged", never the planned dose: an empty box must not look filled in (a
        # review read a grey "0.45" as logged, and saved a day with one dose missing); the
        # plan stands beside the box ("plan 0.45 mg")
        self.edit.setPlaceholderText("not logged")
        self.time = QLineEdit()
        self.time.setAccessibleName(f"{slot.label} time taken")
        self.time.setPlaceholderText(slot.clock_time or "hh:mm")
        self.time.setMaximumWidth(64)
        # Every digit the plan has (0.4375 is a 0.0625 mg step; 0.438 is no dose at all).
        plan = "no plan" if slot.planned_mg is None else f"plan {format_mg(slot.planned_mg, 4)}"
        self.plan_label = QLabel(f"mg  ·  {plan}")
        self.error = field_error_label()
        #: The dose this row shows as saved, and the texts it was shown with: a save of
        #: the day keeps it exactly when the person did not change them (see read_entry).
        self.saved: DoseTaken | None = None
        self.shown: tuple[str, str] = ("", "")

    @property
    def drug_key(self) -> str:
        return self.drug.currentText() if self.drug is not None else self.slot.drug_key


class DiaryForm(QWidget):
    """Emits :attr:`edited` with a field name whenever the person changes a value."""

    edited = Signal(str)
    #: A rating box lost the focus (its value is saved now, not after the pause).
    rating_left = Signal()
    taken_as_planned = Signal()
    enter_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._undo_keys = _UndoKeysToTab(self)
        self._other_ratings: dict[int, int] = {}
        self.dose_rows: list[DoseRow] = []
        self.rating_boxes: dict[int, QSpinBox] = {}
        self.drug_keys: list[str] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)

        self.doses_box = QGroupBox("Doses taken")
        doses_layout = QVBoxLayout(self.doses_box)
        self.dose_grid = QGridLayout()
        self.dose_grid.setHorizontalSpacing(8)
        self.dose_grid.setColumnStretch(5, 1)
        doses_layout.addLayout(self.dose_grid)
        buttons = QHBoxLayout()
        self.as_planned_button = QPushButton("T&aken as planned")  # Alt+P is the Plan tab
        self.as_planned_button.setToolTip("Fill every dose with the planned amount and save")
        self.as_planned_button.clicked.connect(self.taken_as_planned)
        buttons.addWidget(self.as_planned_button)
        buttons.addStretch(1)
        doses_layout.addLayout(buttons)
        self.deviation_label = QLabel()
        self.deviation_label.setWordWrap(True)
        # Its line is kept when it is empty: the form moved up and down by a line as it
        # came and went, and a click meant for one spin arrow landed on the next (review).
        policy = self.deviation_label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.deviation_label.setSizePolicy(policy)
        self.deviation_label.hide()
        doses_layout.addWidget(self.deviation_label)
        reason_row = QHBoxLayout()
        self.reason_caption = QLabel("Reason:")
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Reason for the change from the plan")
        self.reason_edit.setPlaceholderText("why more than planned was taken")
        reason_row.addWidget(self.reason_caption)
        reason_row.addWidget(self.reason_edit, 1)
        for widget in (self.reason_caption, self.reason_edit):  # no jump as it comes and goes
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
        doses_layout.addLayout(reason_row)
        layout.addWidget(self.doses_box)

        self.symptoms_box = QGroupBox("Symptoms (0 none – 10 worst)")
        self.symptom_grid = QGridLayout(self.symptoms_box)
        self.symptom_grid.setHorizontalSpacing(12)
        self.symptom_grid.setVerticalSpacing(6)
        layout.addWidget(self.symptoms_box)

        day_box = QGroupBox("The day")
        day_form = QFormLayout(day_box)
        day_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.wellbeing_box = rating_box("Overall wellbeing")
        self.wellbeing_box.setToolTip("Overall wellbeing: 0 worst … 10 best; – not rated")
        wellbeing_holder = _left(self.wellbeing_box)
        day_form.addRow("Overall &wellbeing (0-10):", wellbeing_holder)
        # A label's Alt+letter goes to its field only with a buddy: the field sits in a
        # holder here, so Alt+W did nothing and the next digit changed another rating.
        day_form.labelForField(wellbeing_holder).setBuddy(self.wellbeing_box)
        self.sleep_edit = QLineEdit()
        self.sleep_edit.setAccessibleName("Hours of sleep")
        self.sleep_edit.setPlaceholderText("hours")
        self.sleep_edit.setMaximumWidth(110)
        self.sleep_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.sleep_error = field_error_label()
        sleep_holder = QWidget()
        sleep_cell = QVBoxLayout(sleep_holder)
        sleep_cell.setContentsMargins(0, 0, 0, 0)
        sleep_cell.addWidget(self.sleep_edit)
        sleep_cell.addWidget(self.sleep_error)
        day_form.addRow("Hours of &sleep:", sleep_holder)
        day_form.labelForField(sleep_holder).setBuddy(self.sleep_edit)
        marker_row = QHBoxLayout()
        self.marker_group = QButtonGroup(self)
        self.marker_buttons: dict[str, QRadioButton] = {}
        for i, (marker, text) in enumerate(
            (("neutral", "&Neutral"), ("window", "W&indow"), ("wave", "Wa&ve"))
        ):
            button = QRadioButton(text)
            self.marker_group.addButton(button, i)
            self.marker_buttons[marker] = button
            marker_row.addWidget(button)
        marker_row.addStretch(1)
        day_form.addRow("This day was a:", marker_row)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setPlaceholderText("Anything you want to remember about today")
        self.notes_edit.setUndoRedoEnabled(False)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(70)
        self.notes_edit.setMaximumHeight(140)
        day_form.addRow("N&otes:", self.notes_edit)
        layout.addWidget(day_box)
        layout.addStretch(1)

        self.wellbeing_box.valueChanged.connect(lambda _v: self._emit("wellbeing"))
        self.wellbeing_box.left.connect(self.rating_left)
        self.sleep_edit.editingFinished.connect(lambda: self._emit("sleep_hours"))
        self.marker_group.idClicked.connect(lambda _i: self._emit("day_marker"))
        self.notes_edit.textChanged.connect(lambda: self._emit("notes"))
        self.reason_edit.editingFinished.connect(lambda: self._emit("deviation_reason"))
        for widget in (self.wellbeing_box, self.sleep_edit, self.notes_edit, self.reason_edit):
            widget.installEventFilter(self._undo_keys)
        self.sleep_edit.returnPressed.connect(self.enter_pressed)
        self.reason_edit.returnPressed.connect(self.enter_pressed)

    def _emit(self, field_name: str) -> None:
        if not self._loading:
            self.edited.emit(field_name)

    # -- filling -----------------------------------------------------------

    def show_entry(
        self,
        entry: DiaryEntry | None,
        slots: list[DoseSlot],
        symptoms: list[Symptom],
    ) -> None:
        """Show ``entry`` (None: a blank day) with a row per dosing slot and tracked symptom."""
        self._loading = True
        try:
            self._build_doses(entry, slots)
            self._build_symptoms(entry, symptoms)
            self.wellbeing_box.setValue(
                NOT_RATED if entry is None or entry.wellbeing is None else entry.wellbeing
            )
            sleep = entry.sleep_hours if entry else None
            self.sleep_edit.setText("" if sleep is None else format_number(sleep, 2))
            set_field_error(self.sleep_error, None)
            self.marker_buttons[entry.day_marker if entry else "neutral"].setChecked(True)
            notes = entry.notes if entry else ""
            if self.notes_edit.toPlainText() != notes:
                self.notes_edit.setPlainText(notes)
            self.reason_edit.setText(entry.deviation_reason if entry else "")
        finally:
            self._loading = False

    def _build_doses(self, entry: DiaryEntry | None, slots: list[DoseSlot]) -> None:
        _clear(self.dose_grid)
        self.dose_rows = []
        taken = {(d.label, d.drug_key): d for d in entry.doses} if entry else {}
        by_label = {d.label: d for d in entry.doses} if entry else {}
        seen = {(s.label, s.drug_key) for s in slots}
        # Doses logged for a time the plan no longer has are shown too (never dropped).
        # A dose logged of another drug than the plan's at that time gets a row of its own,
        # which names its drug (during a crossover both are taken at some times).
        extra = [
            DoseSlot(d.label, d.drug_key, d.planned_mg, drug_name=d.drug_key if slots else None)
            for d in (entry.doses if entry else ())
            if (d.label, d.drug_key) not in seen
        ]
        if any(s.choose_drug for s in slots) and entry and entry.doses:
            extra = [DoseSlot(d.label, d.drug_key, d.planned_mg) for d in entry.doses]
            slots = []
        for i, slot in enumerate([*slots, *extra]):
            row = DoseRow(slot, self.drug_keys)
            dose = taken.get((slot.label, slot.drug_key)) or (
                by_label.get(slot.label) if slot.choose_drug else None
            )
            if dose is not None:
                # Every digit saved (0.03125 mg read 0.0312, and was saved as 0.0312 at the
                # day's next save, a symptom's rating being enough).
                row.edit.setText(format_number(dose.dose_mg, 6))
                row.time.setText(dose.taken_time or "")
                row.saved = dose
                row.shown = (row.edit.text().strip(), row.time.text().strip())
            column = 0
            self.dose_grid.addWidget(row.name, 2 * i, column)
            if row.drug is not None:
                self.dose_grid.addWidget(row.drug, 2 * i, 1)
                row.drug.currentIndexChanged.connect(lambda _i: self._emit("doses"))
            self.dose_grid.addWidget(row.edit, 2 * i, 2)
            self.dose_grid.addWidget(row.plan_label, 2 * i, 3)
            self.dose_grid.addWidget(row.time, 2 * i, 4)
            self.dose_grid.addWidget(row.error, 2 * i + 1, 0, 1, 6)
            row.edit.editingFinished.connect(lambda: self._emit("doses"))
            row.time.editingFinished.connect(lambda: self._emit("doses"))
            row.edit.returnPressed.connect(self.enter_pressed)
            row.edit.installEventFilter(self._undo_keys)
            row.time.installEventFilter(self._undo_keys)
            self.dose_rows.append(row)
        has_plan = any(r.slot.planned_mg is not None for r in self.dose_rows)
        self.as_planned_button.setEnabled(has_plan)

    def _build_symptoms(self, entry: DiaryEntry | None, symptoms: list[Symptom]) -> None:
        _clear(self.symptom_grid)
        self.rating_boxes = {}
        ratings = dict(entry.ratings) if entry else {}
        shown = {s.id for s in symptoms}
        self._other_ratings = {k: v for k, v in ratings.items() if k not in shown}
        columns = 2
        rows = (len(symptoms) + columns - 1) // columns
        for i, symptom in enumerate(symptoms):
            box = rating_box(symptom.name)
            box.setValue(ratings.get(symptom.id, NOT_RATED))
            box.valueChanged.connect(lambda _v, sid=symptom.id: self._emit(f"rating:{sid}"))
            box.left.connect(self.rating_left)
            box.installEventFilter(self._undo_keys)
            label = QLabel(symptom.name)
            label.setTextFormat(Qt.TextFormat.PlainText)  # "<b>x</b>" is shown as typed
            label.setBuddy(box)
            label.setToolTip(symptom.name)
            row, column = i % rows, (i // rows) * 2
            self.symptom_grid.addWidget(label, row, column)
            self.symptom_grid.addWidget(box, row, column + 1)
            self.rating_boxes[symptom.id] = box
        if not symptoms:
            self.symptom_grid.addWidget(QLabel("No symptoms tracked: choose some with Symptoms…"))
        self.symptom_grid.setColumnStretch(0, 1)
        self.symptom_grid.setColumnStretch(2, 1)
        # Tab goes down the first column, then the second, like the eye reads the grid.
        chain = [self.rating_boxes[s.id] for s in symptoms]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        # then on to the rest of the day, every field of it (the boxes are built after the
        # day's fields, so only an explicit chain keeps sleep, the day type and the notes
        # in reach of Tab: after wellbeing, Tab went to the chart's buttons)
        rest = [self.wellbeing_box, self.sleep_edit, *self.marker_buttons.values(),
                self.notes_edit]  # fmt: skip
        for first, second in itertools.pairwise([*chain[-1:], *rest]):
            QWidget.setTabOrder(first, second)

    def fill_planned(self) -> None:
        """Put the planned amount into every dose field (the "Taken as planned" button)."""
        self._loading = True
        try:
            for row in self.dose_rows:
                if row.slot.planned_mg is not None:
                    # Every digit the plan has (a micro taper's 0.99286 mg): four decimals
                    # made "as planned" read as more than planned.
                    row.edit.setText(format_number(row.slot.planned_mg, 6))
                    set_field_error(row.error, None)
        finally:
            self._loading = False

    def show_deviation(self, text: str, needs_reason: bool) -> None:
        self.deviation_label.setText(text)
        self.deviation_label.setVisible(bool(text))
        show_reason = needs_reason or bool(self.reason_edit.text().strip())
        self.reason_caption.setVisible(show_reason)
        self.reason_edit.setVisible(show_reason)

    # -- reading -------------------------------------------------------------

    def read_entry(self, day: dt.date) -> DiaryEntry:
        """The entry the form shows; raises :class:`FieldError` (and marks the field)."""
        doses: list[DoseTaken] = []
        first_error: FieldError | None = None
        for row in self.dose_rows:
            set_field_error(row.error, None)
            text = row.edit.text().strip()
            if not text:
                continue
            untouched = row.saved is not None and row.saved.drug_key == row.drug_key
            if untouched and (text, row.time.text().strip()) == row.shown:
                # Not changed by the person: the dose as saved, every digit (a save of a
                # rating rewrote 0.03125 as the 0.0312 shown), against the plan shown beside
                # it, or the plan it was saved with where the day has none now (a save
                # cleared it).
                saved = row.saved
                assert saved is not None
                planned = saved.planned_mg if row.slot.planned_mg is None else row.slot.planned_mg
                doses.append(replace(saved, planned_mg=planned))
                continue
            try:
                mg = parse_dose_mg(text, f"dose:{row.slot.label}")
                taken_time = parse_taken_time(row.time.text(), f"time:{row.slot.label}")
            except FieldError as error:
                set_field_error(row.error, f"{row.slot.label}: {error.message}")
                first_error = first_error or error
                continue
            doses.append(
                DoseTaken(row.slot.label, row.drug_key, mg, row.slot.planned_mg, taken_time)
            )
        sleep: float | None = None
        set_field_error(self.sleep_error, None)
        if self.sleep_edit.text().strip():
            try:
                sleep = parse_sleep_hours(self.sleep_edit.text())
            except FieldError as error:
                set_field_error(self.sleep_error, error.message)
                first_error = first_error or error
        if first_error is not None:
            raise first_error
        ratings = dict(self._other_ratings)
        for symptom_id, box in self.rating_boxes.items():
            if box.value() != NOT_RATED:
                ratings[symptom_id] = box.value()
        marker = DAY_MARKERS[0]
        for name, button in self.marker_buttons.items():
            if button.isChecked():
                marker = name
        wellbeing = self.wellbeing_box.value()
        return DiaryEntry(
            entry_date=day,
            doses=tuple(doses),
            ratings=ratings,
            wellbeing=None if wellbeing == NOT_RATED else wellbeing,
            sleep_hours=sleep,
            day_marker=marker,
            notes=self.notes_edit.toPlainText(),
            deviation_reason=self.reason_edit.text().strip(),
        )

    def read_entry_safe(self, day: dt.date) -> DiaryEntry | None:
        try:
            return self.read_entry(day)
        except FieldError:
            return None

    def first_input(self) -> QWidget:
        for row in self.dose_rows:
            return row.edit
        return next(iter(self.rating_boxes.values()), self.wellbeing_box)


def _left(widget: QWidget) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addStretch(1)
    return holder


def _clear(layout: QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def bold(label: QLabel) -> QLabel:
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label
