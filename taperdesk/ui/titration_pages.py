"""The single-dose pages of the titration tab: liquid, scale, tablets.

Each page reads its own fields, asks the engine (taperdesk.core.titration) to
validate and compute, shows field errors next to the fields and the answer in
a :class:`ResultPanel`. ``compute(dose_mg)`` returns the errors that belong to
the tab's target dose field (``dose_mg``), which the page does not own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from taperdesk.core import titration as t
from taperdesk.core.drugs import Scoring as DrugScoring
from taperdesk.core.drugs import load_catalogue
from taperdesk.core.measure import format_mg, format_number
from taperdesk.ui.titration_fields import (
    FIX_FIELD_TEXT,
    MessageLine,
    QuantityField,
    ResultPanel,
    heading,
    read_fields,
    show_errors,
)
from taperdesk.ui.widgets import field_error_label

#: (label, graduation in mL); None = custom.
DEVICE_CHOICES: tuple[tuple[str, float | None], ...] = (
    *((d.label[0].upper() + d.label[1:], d.graduation_ml) for d in t.DEVICE_PRESETS),
    ("Custom device…", None),
)


def number_text(value: float | None) -> str:
    return "" if value is None else format_number(value, 6)


#: The tablet forms a person may suspend or weigh, as offered in the form choice.
TABLET_FORMS = (
    t.DosageForm.TABLET,
    t.DosageForm.ORALLY_DISINTEGRATING,
    t.DosageForm.EXTENDED_RELEASE,
)


class TabletFormChoice(QWidget):
    """Which kind of tablet is suspended or weighed, with the refusal under it when the
    form must stay intact (extended-release)."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.combo = QComboBox()
        for form in TABLET_FORMS:
            label = form.label[0].upper() + form.label[1:]
            if form is not t.DosageForm.TABLET:
                label += f" ({form.short.split()[0]})"
            self.combo.addItem(label, form)
        self.combo.setAccessibleName("Tablet form")
        self.error_label = field_error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.combo)
        layout.addWidget(self.error_label)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def form(self) -> t.DosageForm:
        form = self.combo.currentData()
        return form if isinstance(form, t.DosageForm) else t.DosageForm.TABLET

    def set_form(self, form: t.DosageForm) -> None:
        index = self.combo.findData(form)
        self.combo.setCurrentIndex(max(index, 0))

    def set_error(self, message: str | None) -> None:
        """Outline the choice; the message goes to the page's reserved line."""
        self._error = message or ""
        self.combo.setStyleSheet("border: 1px solid #c62828;" if message else "")
        self.combo.setToolTip(self._error)

    @property
    def error(self) -> str:
        return getattr(self, "_error", "")


class MethodPage(QWidget):
    """A page with input fields on the left and the result on the right."""

    changed = Signal()
    title = ""
    kind: t.MethodKind | None = None

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, QuantityField] = {}
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(8)
        self.inputs = QVBoxLayout()
        self.inputs.setSpacing(10)
        self.inputs.addWidget(heading(self.title))
        self.inputs.addLayout(self.form)
        #: The fields' messages, in a reserved line under them (never moving a field).
        self.messages = MessageLine()
        self.field_names: dict[str, str] = {}
        self.result = ResultPanel()
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(20)
        left = QWidget()
        left.setLayout(self.inputs)
        left.setFixedWidth(400)
        outer.addWidget(left)
        outer.addWidget(self.result, 1)

    def add_field(self, name: str, label: str, unit: str, text: str = "") -> QuantityField:
        field = QuantityField(unit, text)
        field.edited.connect(self.changed)
        self.fields[name] = field
        self.field_names[name] = label
        self.form.addRow(label, field)
        return field

    def finish_inputs(self) -> None:
        self.inputs.addWidget(self.messages)
        self.inputs.addStretch(1)

    def refresh_messages(self, extra: list[tuple[str, str]] = ()) -> None:
        """Put every field's message (and ``extra``, e.g. the dose's) in the reserved line."""
        named = list(extra)
        named += [
            (self.field_names.get(name, name), field.error)
            for name, field in self.fields.items()
            if field.error and field.isVisibleTo(self)
        ]
        form_choice = getattr(self, "tablet_form", None)
        if form_choice is not None and form_choice.error:
            named.append(("Tablets", form_choice.error))
        self.messages.show_messages(named)

    # Overridden by pages.
    def compute(self, dose_mg: float | None) -> dict[str, str]:
        raise NotImplementedError

    def method_fields(self) -> dict[str, Any] | None:
        """MethodSettings keyword arguments for this page's equipment, or None if invalid."""
        return None

    def restore(self, settings: t.MethodSettings) -> None:
        """Fill the fields from saved settings."""

    def _refuse_form(self, _field_text: str) -> dict[str, str]:
        """The page says no (no instruction at all) while the tablet form must stay intact."""
        show_errors(self.fields, {})
        self.result.show_refusal(
            "No instruction: extended-release tablets are not crushed, split, weighed or "
            "suspended.",
            t.INTACT_FORM_REASON,
        )
        return {}

    def _fail(self, errors: dict[str, str], own: Sequence[str]) -> dict[str, str]:
        show_errors(self.fields, {k: v for k, v in errors.items() if k in self.fields})
        mine = [k for k in errors if k in own]
        self.result.show_problem(FIX_FIELD_TEXT if errors else "")
        return {k: v for k, v in errors.items() if k not in mine}


class LiquidPage(MethodPage):
    title = "Liquid titration"
    kind = t.MethodKind.LIQUID

    def __init__(self, next_doses: Callable[[], list[float]]) -> None:
        super().__init__()
        self._next_doses = next_doses
        self.source = QComboBox()
        self.source.addItems(["Tablets suspended in water", "A commercial liquid"])
        self.form.addRow("Liquid", self.source)
        self.tablet_form = TabletFormChoice()
        self.form.addRow("Tablets", self.tablet_form)
        self.add_field("tablet_mg", "Tablet strength", "mg", "1")
        self.add_field("tablet_count", "Tablets in the mix", "tablets", "1")
        self.add_field("liquid_mg_per_ml", "Liquid strength", "mg/mL", "")
        self.add_field("volume_ml", "Mix volume", "mL", "100")
        self.device = QComboBox()
        for label, _grad in DEVICE_CHOICES:
            self.device.addItem(label)
        self.form.addRow("Measuring device", self.device)
        self.add_field("graduation_ml", "Graduation", "mL", "0.1")
        self.whole = QCheckBox("Take whole tablets for part of the dose")
        self.whole.setChecked(True)
        self.form.addRow("", self.whole)
        self.suggest_button = QPushButton("Suggest a mix volume")
        self.suggest_button.setToolTip(
            "Picks the smallest usual volume that gives whole graduations and fine enough "
            "steps for the plan's next doses"
        )
        self.suggestion_label = QLabel()
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setStyleSheet("color: palette(placeholder-text);")
        self.suggestion_label.hide()
        self.inputs.addSpacing(6)
        self.inputs.addWidget(self.suggest_button)
        self.inputs.addWidget(self.suggestion_label)
        self.finish_inputs()
        self.device.setCurrentIndex(2)  # 0.1 mL oral syringe
        self.source.currentIndexChanged.connect(self._source_changed)
        self.device.currentIndexChanged.connect(self._device_changed)
        self.fields["graduation_ml"].edited.connect(self._graduation_typed)
        self.whole.toggled.connect(lambda _on: self.changed.emit())
        self.tablet_form.changed.connect(self.changed)
        self.suggest_button.clicked.connect(self.suggest_volume)
        # A suggestion explains the volume for the equipment it saw: once the tablets, the
        # volume or the syringe change, it is stale ("1 mg tablets" after typing 0.5).
        for name in ("tablet_mg", "tablet_count", "volume_ml", "graduation_ml"):
            self.fields[name].edited.connect(self.suggestion_label.hide)
        self.device.currentIndexChanged.connect(lambda _i: self.suggestion_label.hide())
        self.whole.toggled.connect(lambda _on: self.suggestion_label.hide())
        self._source_changed()

    @property
    def commercial(self) -> bool:
        return self.source.currentIndex() == 1

    def _show_row(self, name: str, visible: bool) -> None:
        self.form.setRowVisible(self.fields[name], visible)
        self.fields[name].setEnabled(visible)

    def _source_changed(self, *_args: object) -> None:
        self.form.setRowVisible(self.tablet_form, not self.commercial)
        self._show_row("tablet_mg", not self.commercial)
        self._show_row("tablet_count", not self.commercial)
        self._show_row("liquid_mg_per_ml", self.commercial)
        self.form.setRowVisible(self.whole, not self.commercial)
        self.suggest_button.setVisible(not self.commercial)
        self.suggestion_label.hide()  # a mixing suggestion means nothing for a bought liquid
        self.fields["volume_ml"].set_text(self.fields["volume_ml"].text())
        label = self.form.labelForField(self.fields["volume_ml"])
        if isinstance(label, QLabel):
            label.setText("Liquid you have" if self.commercial else "Mix volume")
        self.changed.emit()

    def _device_changed(self, index: int) -> None:
        graduation = DEVICE_CHOICES[index][1]
        if graduation is not None:
            self.fields["graduation_ml"].set_text(number_text(graduation))
        self.changed.emit()

    def _graduation_typed(self) -> None:
        text = self.fields["graduation_ml"].text().strip().replace(",", ".")
        index = next(
            (
                i
                for i, (_label, graduation) in enumerate(DEVICE_CHOICES)
                if graduation is not None and text == number_text(graduation)
            ),
            len(DEVICE_CHOICES) - 1,
        )
        self.device.blockSignals(True)
        self.device.setCurrentIndex(index)
        self.device.blockSignals(False)

    def mix(self) -> tuple[t.LiquidMix | None, dict[str, str]]:
        values, errors = read_fields(self.fields, whole=("tablet_count",))
        if errors:
            return None, errors
        mix = t.LiquidMix(
            volume_ml=values["volume_ml"],
            graduation_ml=values["graduation_ml"],
            tablet_mg=None if self.commercial else values["tablet_mg"],
            tablet_count=None if self.commercial else int(values["tablet_count"]),
            liquid_mg_per_ml=values["liquid_mg_per_ml"] if self.commercial else None,
            whole_tablets=t.WholeTablets.AUTO if self.whole.isChecked() else t.WholeTablets.NONE,
            tablet_form=self.tablet_form.form(),
        )
        return mix, t.validate_liquid_mix(mix)

    def compute(self, dose_mg: float | None) -> dict[str, str]:
        mix, errors = self.mix()
        if mix is not None and not errors and dose_mg is not None:
            errors = t.validate_liquid_dose(mix, dose_mg)
        self.tablet_form.set_error(_form_refusal(self.tablet_form, self.commercial))
        # No mixing suggestion either for tablets that are never suspended.
        self.suggest_button.setEnabled(not self.tablet_form.error)
        if self.tablet_form.error:
            return self._refuse_form(self.tablet_form.error)
        if errors or mix is None or dose_mg is None:
            return self._fail(errors, self.fields)
        show_errors(self.fields, {})
        result = t.liquid_dose(mix, dose_mg)
        warnings = list(result.warnings)
        question = t.mix_too_large(mix, self._next_doses() or [dose_mg])
        if question:  # a count typed 50 for 5: said before anyone mixes it
            warnings.insert(0, question)
        self.result.show_result(result.instruction, result.result_lines(), warnings, result.notes)
        return {}

    def method_fields(self) -> dict[str, Any] | None:
        mix, errors = self.mix()
        if mix is None or errors:
            return None
        return {
            "tablet_mg": mix.tablet_mg,
            "tablet_count": mix.tablet_count,
            "liquid_mg_per_ml": mix.liquid_mg_per_ml,
            "volume_ml": mix.volume_ml,
            "graduation_ml": mix.graduation_ml,
            "whole_tablets": mix.whole_tablets,
            "tablet_form": mix.tablet_form,
        }

    def restore(self, settings: t.MethodSettings) -> None:
        self.source.setCurrentIndex(1 if settings.liquid_mg_per_ml is not None else 0)
        if settings.tablet_mg is not None:
            self.fields["tablet_mg"].set_text(number_text(settings.tablet_mg))
        if settings.tablet_count is not None:
            self.fields["tablet_count"].set_text(str(settings.tablet_count))
        self.fields["liquid_mg_per_ml"].set_text(number_text(settings.liquid_mg_per_ml))
        if settings.volume_ml is not None:
            self.fields["volume_ml"].set_text(number_text(settings.volume_ml))
        self.fields["graduation_ml"].set_text(number_text(settings.graduation_ml))
        self._graduation_typed()
        self.whole.setChecked(settings.whole_tablets is t.WholeTablets.AUTO)
        self.tablet_form.set_form(settings.tablet_form)

    def suggest_volume(self) -> None:
        """Put the suggested mixing volume in the volume field and say why."""
        values, errors = read_fields(
            {k: self.fields[k] for k in ("tablet_mg", "tablet_count", "graduation_ml")},
            whole=("tablet_count",),
        )
        show_errors(self.fields, errors)
        doses = self._next_doses()
        if errors:
            return
        if not doses:
            self.suggestion_label.setText("Enter the dose to measure first.")
            self.suggestion_label.show()
            return
        try:
            suggestion = t.suggest_mix_volume(
                values["tablet_mg"],
                int(values["tablet_count"]),
                doses,
                values["graduation_ml"],
                whole_tablets=t.WholeTablets.AUTO
                if self.whole.isChecked()
                else t.WholeTablets.NONE,
            )
        except t.TitrationInputError as error:
            self.suggestion_label.setText(error.message)
            self.suggestion_label.show()
            return
        self.fields["volume_ml"].set_text(number_text(suggestion.volume_ml))
        self.suggestion_label.setText(suggestion.explanation)
        self.suggestion_label.show()
        self.changed.emit()


class ScalePage(MethodPage):
    title = "Scale (dry) titration"
    kind = t.MethodKind.SCALE

    def __init__(self, next_doses: Callable[[], list[float]] = list) -> None:
        super().__init__()
        self._next_doses = next_doses
        self.tablet_form = TabletFormChoice()
        self.form.addRow("Tablets", self.tablet_form)
        self.tablet_form.changed.connect(self.changed)
        self.add_field("tablet_mg", "Tablet strength", "mg", "1")
        weights = self.add_field("tablet_weights_mg", "Whole tablet weights", "mg", "120")
        weights.edit.setFixedWidth(200)
        weights.edit.setAlignment(Qt.AlignmentFlag.AlignLeft)
        weights.edit.setPlaceholderText("e.g. 119, 121, 120")
        self.add_field("readability_mg", "Scale readability", "mg", "1")
        hint = QLabel(
            "Weigh several whole tablets and type each weight, separated by commas or "
            "spaces. A 0.001 g scale reads 1 mg."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        self.inputs.addWidget(hint)
        self.finish_inputs()

    def setup(self) -> tuple[t.ScaleSetup | None, dict[str, str]]:
        weights_field = self.fields.pop("tablet_weights_mg")
        try:
            values, errors = read_fields(self.fields)
        finally:
            self.fields["tablet_weights_mg"] = weights_field
        weights: list[float] = []
        items = weights_field.text().replace(";", " ").replace(", ", " ").split()
        if not items:
            errors["tablet_weights_mg"] = "Weigh at least one whole tablet."
        for item in items:
            try:
                weights.append(t.parse_quantity(item, "tablet_weights_mg"))
            except t.TitrationInputError as error:
                errors["tablet_weights_mg"] = error.message
                break
        if errors:
            return None, errors
        return (
            t.ScaleSetup(
                values["tablet_mg"],
                tuple(weights),
                values["readability_mg"],
                tablet_form=self.tablet_form.form(),
            ),
            {},
        )

    def compute(self, dose_mg: float | None) -> dict[str, str]:
        setup, errors = self.setup()
        if setup is not None:
            errors = t.validate_scale(setup, dose_mg if dose_mg is not None else 1.0)
        self.tablet_form.set_error(_form_refusal(self.tablet_form, False))
        if self.tablet_form.error:
            return self._refuse_form(self.tablet_form.error)
        if errors or setup is None or dose_mg is None:
            return self._fail(errors, self.fields)
        show_errors(self.fields, {})
        result = t.scale_dose(setup, dose_mg)
        lines = result.result_lines()
        warnings = list(result.warnings)
        question = t.portion_too_large(dose_mg, self._next_doses())
        if question:  # a dose typed 9 for 0.9: said before anyone weighs it
            warnings.insert(0, question)
        self.result.show_result(result.instruction, lines, warnings)
        return {}

    def method_fields(self) -> dict[str, Any] | None:
        setup, errors = self.setup()
        if setup is None or errors:
            return None
        return {
            "tablet_mg": setup.tablet_mg,
            "tablet_weights_mg": setup.tablet_weights_mg,
            "readability_mg": setup.readability_mg,
            "tablet_form": setup.tablet_form,
        }

    def restore(self, settings: t.MethodSettings) -> None:
        if settings.tablet_mg is not None:
            self.fields["tablet_mg"].set_text(number_text(settings.tablet_mg))
        if settings.tablet_weights_mg:
            self.fields["tablet_weights_mg"].set_text(
                ", ".join(number_text(w) for w in settings.tablet_weights_mg)
            )
        self.fields["readability_mg"].set_text(number_text(settings.readability_mg))
        self.tablet_form.set_form(settings.tablet_form)


def _form_refusal(choice: TabletFormChoice, hidden: bool) -> str | None:
    """The line shown beside the form choice when its form must stay intact (the whole
    reason, with its source, is under the result)."""
    if hidden or t.intact_form_problem(choice.form()) is None:
        return None
    return "Swallowed whole (FDA label): no instruction for this form."


_SCORING = {
    DrugScoring.NONE: t.Scoring.UNSCORED,
    DrugScoring.HALF: t.Scoring.SCORED,
    DrugScoring.QUARTER: t.Scoring.QUARTER_SCORED,
}
_SCORING_TEXT = {
    t.Scoring.UNSCORED: "whole",
    t.Scoring.SCORED: "halves",
    t.Scoring.QUARTER_SCORED: "halves, quarters",
}


class TabletsPage(MethodPage):
    title = "Whole and split tablets"
    kind = t.MethodKind.TABLETS

    def __init__(self) -> None:
        super().__init__()
        self.catalogue = load_catalogue()
        self.drug = QComboBox()
        for drug in self.catalogue:
            if drug.tablets:
                self.drug.addItem(drug.name, drug.key)
        self.form.addRow("Drug", self.drug)
        self.strength_list = QListWidget()
        self.strength_list.setMinimumHeight(150)
        self.form.addRow("Strengths you have", self.strength_list)
        self.strength_error = QLabel()
        self.strength_error.setWordWrap(True)
        self.strength_error.setObjectName("fieldError")
        self.strength_error.setStyleSheet("QLabel#fieldError { color: #c62828; }")
        self.strength_error.hide()
        self.form.addRow("", self.strength_error)
        note = QLabel("Halves and quarters are used only where the tablet is scored for them.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        self.inputs.addWidget(note)
        self.finish_inputs()
        self.drug.currentIndexChanged.connect(self._drug_changed)
        self.strength_list.itemChanged.connect(lambda _item: self.changed.emit())
        self.set_drug("clonazepam")

    def set_drug(self, key: str) -> None:
        index = self.drug.findData(key)
        if index >= 0 and index != self.drug.currentIndex():
            self.drug.setCurrentIndex(index)
        else:
            self._drug_changed()

    def _drug_changed(self, *_args: object) -> None:
        key = self.drug.currentData()
        self.strength_list.blockSignals(True)
        self.strength_list.clear()
        seen: set[tuple[float, t.Scoring, t.DosageForm]] = set()
        if key:
            for tablet in self.catalogue.get(key).tablets:
                strength = t.TabletStrength(tablet.mg, _SCORING[tablet.scoring], tablet.form)
                if (tablet.mg, strength.scoring, tablet.form) in seen:
                    continue
                seen.add((tablet.mg, strength.scoring, tablet.form))
                scoring = _SCORING_TEXT[strength.scoring]
                if tablet.form.must_stay_intact:
                    scoring = "whole only"
                text = f"{format_number(tablet.mg, 4)} mg {tablet.form.short} ({scoring})"
                if tablet.region:
                    text += f", {tablet.region}"
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, strength)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                # Extended-release strengths are offered unticked: they are not combined
                # with immediate-release pieces, and which to take is the prescriber's call.
                intact = tablet.form.must_stay_intact
                item.setCheckState(Qt.CheckState.Unchecked if intact else Qt.CheckState.Checked)
                self.strength_list.addItem(item)
        self.strength_list.blockSignals(False)
        self.changed.emit()

    def strengths(self) -> tuple[t.TabletStrength, ...]:
        chosen = []
        for row in range(self.strength_list.count()):
            item = self.strength_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(item.data(Qt.ItemDataRole.UserRole))
        return tuple(dict.fromkeys(chosen))

    def compute(self, dose_mg: float | None) -> dict[str, str]:
        strengths = self.strengths()
        errors = t.validate_tablets(strengths, dose_mg if dose_mg is not None else 1.0)
        message = errors.get("strengths")
        self.strength_error.setText(message or "")
        self.strength_error.setVisible(bool(message))
        if errors or dose_mg is None:
            self.result.show_problem(FIX_FIELD_TEXT)
            return {k: v for k, v in errors.items() if k != "strengths"}
        try:
            result = t.tablet_combination(strengths, dose_mg)
        except t.TitrationInputError as error:  # e.g. a dose too fine for any combination
            message = error.errors.get("strengths", "")
            self.strength_error.setText(message)
            self.strength_error.setVisible(bool(message))
            self.result.show_problem(FIX_FIELD_TEXT)
            return {k: v for k, v in error.errors.items() if k != "strengths"}
        lines = []
        if result.exact is not None:
            lines.append(f"Pieces: {result.exact.piece_count}")
            lines += result.result_lines()[1:]  # "Swallow extended-release tablets whole."
        else:
            if result.below is not None:
                lines.append(f"Nearest below: {result.below.describe()}")
            if result.above is not None:
                lines.append(f"Nearest above: {result.above.describe()}")
        warnings = []
        if result.exact is None and any(s.form.must_stay_intact for s in strengths):
            warnings.append(
                "Whole extended-release tablets cannot make this dose, and they are never "
                "split, suspended or weighed (FDA label). Which dose and form to take is a "
                "question for your prescriber."
            )
        elif result.exact is None:
            warnings.append(
                "No combination of these tablets makes the dose exactly: use liquid or scale "
                "titration, or ask about a compounded strength."
            )
        instruction = (
            result.instruction
            if result.exact
            else f"No combination makes exactly {format_mg(dose_mg, 4)}."
        )
        self.result.show_result(instruction, lines, warnings)
        return {}

    def method_fields(self) -> dict[str, Any] | None:
        strengths = self.strengths()
        return {"strengths": strengths} if strengths else None

    def restore(self, settings: t.MethodSettings) -> None:
        if not settings.strengths:
            return
        if settings.drug_key and self.drug.findData(settings.drug_key) >= 0:
            self.set_drug(settings.drug_key)  # the drug whose strengths were saved
        wanted = {(s.strength_mg, s.form) for s in settings.strengths}
        self.strength_list.blockSignals(True)
        for row in range(self.strength_list.count()):
            item = self.strength_list.item(row)
            strength = item.data(Qt.ItemDataRole.UserRole)
            state = (
                Qt.CheckState.Checked
                if (strength.strength_mg, strength.form) in wanted
                else Qt.CheckState.Unchecked
            )
            item.setCheckState(state)
        self.strength_list.blockSignals(False)
