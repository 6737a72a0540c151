"""Hostile text typed into every numeric and date input of the GUI.

A person types (``qtbot.keyClicks`` after clearing the field) into the plan
form, every titration method page and the diary form. Each value is either
accepted as the number it reads as (TaperDesk promises "0,5" and "0.5" both
mean 0.5: :func:`taperdesk.core.measure.parse_decimal`), or refused with a
message under the field; a refused value is never stored (the SQLite file is
queried), and nothing raises (pytest-qt fails a test on any exception in a
Qt slot or virtual).
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from taperdesk.core.measure import parse_decimal

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

#: Values no input may accept.
ALWAYS_REFUSED = [
    "-1",
    "-0.5",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "1e-320",
    "abc",
    "1.2.3",
    "0x10",
    "1_000",
    "½",
    "mg",
    "--",
    "1,5,5",
    "9" * 400,
]
#: Values an input may accept (as the number they read as) or refuse.
EITHER = ["0", "-0", "0,5", "0.5", ",5", "1e5", "99999999999", "0.0000000001", "", " 2 "]

hostile_text = st.one_of(
    st.sampled_from(ALWAYS_REFUSED + EITHER),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet="0123456789.,-+eEinfa ", max_size=8),
)
FIELD_SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def reads_as_number(text: str) -> float | None:
    try:
        return parse_decimal(text)
    except ValueError:
        return None


def must_refuse(text: str) -> bool:
    value = reads_as_number(text)
    return value is None or value < 0 or not math.isfinite(value)


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    """Clear the field and type ``text`` as a person would (select all, delete, type)."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(edit, text)


def shown_message(label: QLabel) -> str:
    return label.text().strip() if label.isVisible() else ""


def plan_message(form, key: str) -> str:
    """The plan form's message for ``key``, shown in its reserved line (issue 16)."""
    message = form.shown_errors.get(key, "")
    line = form.message_line.text()
    if message and "… and" not in line:
        assert message in line, (message, line)
    return message


def field_message(page, field) -> str:
    """A titration field's message, shown in its page's reserved line (issue 16)."""
    message = field.error
    line = page.messages.text()
    if message and "… and" not in line:
        assert message in line, (message, line)
    return message


# -- the plan form -------------------------------------------------------------------

PLAN_FIELDS = [
    ("total_edit", "doses"),
    ("cut_edit", "cut"),
    ("every_edit", "every"),
    ("round_edit", "round"),
    ("final_edit", "final"),
    ("equivalence_edit", "equivalence"),
    ("crossover_equivalence_edit", "crossover_equivalence"),
    ("stage_edit", "stage_days"),
]


@pytest.fixture
def plan_form(qtbot):
    from taperdesk.core.drugs import load_catalogue
    from taperdesk.ui.plan_form import PlanFormDialog

    dialog = PlanFormDialog(load_catalogue(), today=dt.date(2027, 1, 4))
    qtbot.addWidget(dialog)
    dialog.crossover_box.setChecked(True)  # so its fields are read too
    dialog.total_edit.setText("1")
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.ok_button.isEnabled(), dialog.errors
    return dialog


@pytest.mark.parametrize("attribute, key", PLAN_FIELDS)
def test_plan_form_numbers(qtbot, plan_form, database, attribute: str, key: str) -> None:
    edit: QLineEdit = getattr(plan_form, attribute)
    original = edit.text()

    @FIELD_SETTINGS
    @given(text=hostile_text)
    def check(text: str) -> None:
        type_into(qtbot, edit, text)
        message = plan_message(plan_form, key)
        if must_refuse(text) and (
            text.strip() or key not in ("final", "equivalence", "crossover_equivalence")
        ):
            assert message, f"{key}={text!r} accepted without a message"
        if message:
            assert not plan_form.ok_button.isEnabled()
            qtbot.mouseClick(plan_form.ok_button, Qt.MouseButton.LeftButton)
            assert plan_form.result_plan is None and plan_form.isVisible()
        else:
            assert not text.strip() or reads_as_number(text) is not None, (key, text)
        type_into(qtbot, edit, original)
        assert plan_form.ok_button.isEnabled(), plan_form.errors

    check()
    assert database.query("SELECT count(*) FROM plans")[0][0] == 0


@pytest.mark.parametrize(
    "day", [QDate(100, 1, 1), QDate(1752, 9, 14), QDate(1970, 1, 1), QDate(9999, 12, 31)]
)
def test_plan_form_start_dates(qtbot, plan_form, day: QDate) -> None:
    """Dates far in the past or future: refused with a message or a plan that works."""
    plan_form.start_edit.setDate(day)
    message = plan_message(plan_form, "start")
    assert message or plan_form.errors or plan_form.result_plan is not None
    if plan_form.errors:
        assert not plan_form.ok_button.isEnabled()
        assert any(plan_form.shown_errors.values())


def test_plan_form_start_date_typed(qtbot, plan_form) -> None:
    """Typing a date that does not exist leaves a real date in the field."""
    edit = plan_form.start_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "2027-02-30")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.date().isValid()


def test_refused_plan_is_not_stored(qtbot, main_window, app_state, monkeypatch) -> None:
    """End to end: New plan with a bad cut, OK clicked, nothing in the plans table."""
    from taperdesk.ui.plan_form import PlanFormDialog

    def person_types_bad_values(dialog: PlanFormDialog) -> int:
        dialog.show()
        dialog.total_edit.setText("1")
        type_into(qtbot, dialog.cut_edit, "nan")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert plan_message(dialog, "cut")
        return dialog.result()

    monkeypatch.setattr(PlanFormDialog, "exec", person_types_bad_values)
    main_window.plan_tab.new_plan()
    assert app_state.database.query("SELECT count(*) FROM plans")[0][0] == 0


# -- the titration calculator --------------------------------------------------------


@pytest.fixture
def titration_tab(qtbot, app_state):
    from support.printing_samples import sample_plan

    from taperdesk.store.plans import save_new_plan
    from taperdesk.ui.titration_tab import TitrationTab

    # With a plan, the daily and compounding pages check their fields against its doses.
    save_new_plan(app_state.database, sample_plan(start_date=dt.date.today()), "Taper")
    tab = TitrationTab(app_state)
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    qtbot.waitExposed(tab)
    # The Compounding page settles its default step on the plan's doses once computed
    # (issue 16): let it, before any test takes its baseline of the saved equipment.
    tab.compounding_page.compute_now()
    tab.save_settings()
    yield tab
    # Timers still pending must not fire after the test's database is closed.
    tab.compounding_page._timer.stop()
    tab._save_timer.stop()


def titration_setting(database):
    from taperdesk.store.settings import get_setting
    from taperdesk.ui.titration_tab import SETTINGS_KEY

    return get_setting(database, SETTINGS_KEY)


TITRATION_FIELDS = [
    (0, "tablet_mg"),
    (0, "tablet_count"),
    (0, "volume_ml"),
    (0, "graduation_ml"),
    (1, "tablet_mg"),
    (1, "tablet_count"),
    (1, "volume_ml"),
    (1, "start_remove_ml"),
    (1, "step_ml"),
    (1, "whole_tablet_count"),
    (2, "tablet_mg"),
    (2, "tablet_weights_mg"),
    (2, "readability_mg"),
    (4, "supply_days"),
    (4, "base_step_mg"),
    (4, "max_capsules_per_dose"),
    (4, "graduation_ml"),
]


def test_compounding_step_refused_for_the_plan_is_not_saved(qtbot, titration_tab, database):
    """Regression: a step the page refused under its field (the plan's doses are not
    multiples of it) was still saved as the compounding step."""
    tab = titration_tab
    tab.method_list.setCurrentRow(tab.pages.index(tab.compounding_page))
    tab.save_settings()
    baseline = titration_setting(database)
    field = tab.compounding_page.fields["base_step_mg"]
    type_into(qtbot, field.edit, "37.5")
    tab.compounding_page.compute_now()
    tab.save_settings()
    assert field_message(tab.compounding_page, field)
    assert titration_setting(database) == baseline


@pytest.mark.parametrize("page_index, name", TITRATION_FIELDS)
def test_titration_numbers(qtbot, titration_tab, database, page_index: int, name: str) -> None:
    tab = titration_tab
    tab.method_list.setCurrentRow(page_index)
    page = tab.current_page
    if page is tab.daily_page:
        page.fixed.setChecked(True)
    field = page.fields[name]
    original = field.text()
    tab.save_settings()
    baseline = titration_setting(database)

    @FIELD_SETTINGS
    @given(text=hostile_text)
    def check(text: str) -> None:
        type_into(qtbot, field.edit, text)
        if page is tab.compounding_page:
            page.compute_now()
        tab.save_settings()
        message = field_message(page, field)
        if name == "tablet_weights_mg":  # a list: "118 121; 120" is several weights
            items = text.replace(";", " ").replace(", ", " ").split()
            refuse = not items or any(must_refuse(item) for item in items)
        else:
            refuse = must_refuse(text) or not text.strip()
        if refuse:
            assert message, f"{name}={text!r} accepted without a message"
        if message:
            assert titration_setting(database) == baseline, f"{name}={text!r} was stored"
        type_into(qtbot, field.edit, original)
        if page is tab.compounding_page:
            page.compute_now()
        tab.save_settings()
        assert not field_message(page, field)

    check()


def test_titration_dose(qtbot, titration_tab) -> None:
    tab = titration_tab
    for page_index in (0, 2, 3):
        tab.method_list.setCurrentRow(page_index)

        @FIELD_SETTINGS
        @given(text=hostile_text)
        @example(text="0.0000000001")  # the tablets page raised "too fine-grained" here
        def check(text: str) -> None:
            type_into(qtbot, tab.dose_field.edit, text)
            message = tab.dose_field.error
            if must_refuse(text) or not text.strip() or reads_as_number(text) == 0:
                assert message, f"dose {text!r} accepted without a message"
            if message:
                assert not tab.current_page.result.valid

        check()


def test_titration_days_spin_boxes(qtbot, titration_tab) -> None:
    """The Period boxes take only whole days in range, whatever is typed."""
    for page in (titration_tab.daily_page, titration_tab.compounding_page):
        titration_tab.method_list.setCurrentRow(titration_tab.pages.index(page))
        for text in ("-5", "0", "100000", "nan", "1e3", "0,5"):
            page.days.setFocus()
            qtbot.keyClick(page.days, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(page.days, text)
            qtbot.keyClick(page.days, Qt.Key.Key_Tab)
            assert page.days.minimum() <= page.days.value() <= page.days.maximum()


# -- the diary -----------------------------------------------------------------------


@pytest.fixture
def diary_tab(qtbot, app_state):
    from taperdesk.ui.diary_tab import DiaryTab

    tab = DiaryTab(app_state)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def forget_day(tab) -> None:
    from taperdesk.store import diary as store

    store.delete_entry(tab.database, tab.day)
    tab.reload()


@FIELD_SETTINGS
@given(text=hostile_text)
@example(text="0.0000000001")  # was stored as 0 mg without a word
def test_diary_dose(qtbot, diary_tab, text: str) -> None:
    from taperdesk.core.diary import MAX_DOSE_MG
    from taperdesk.store import diary as store

    row = diary_tab.form.dose_rows[0]
    type_into(qtbot, row.edit, text)
    qtbot.keyClick(row.edit, Qt.Key.Key_Return)
    saved = store.load_entry(diary_tab.database, diary_tab.day)
    message = shown_message(row.error)
    value = reads_as_number(text)
    if text.strip() and (must_refuse(text) or (value is not None and value > MAX_DOSE_MG)):
        assert message, f"dose {text!r} accepted without a message"
    if message or not text.strip():
        assert saved is None, f"dose {text!r} was stored"
    else:
        assert saved is not None and saved.doses[0].dose_mg == pytest.approx(value), text
    if text.strip() == "0,5":
        assert not message and saved.doses[0].dose_mg == 0.5
    forget_day(diary_tab)


@FIELD_SETTINGS
@given(text=st.one_of(hostile_text, st.sampled_from(["25:00", "12:60", "8", "8h", "-1:00"])))
def test_diary_dose_time(qtbot, diary_tab, text: str) -> None:
    from taperdesk.core.diary import FieldError, parse_taken_time
    from taperdesk.store import diary as store

    row = diary_tab.form.dose_rows[0]
    type_into(qtbot, row.edit, "1")
    type_into(qtbot, row.time, text)
    qtbot.keyClick(row.edit, Qt.Key.Key_Return)
    saved = store.load_entry(diary_tab.database, diary_tab.day)
    try:
        parse_taken_time(text, "time")
        valid = True
    except FieldError:
        valid = False
    if valid:
        assert saved is not None and not shown_message(row.error)
    else:
        # The dose may have been saved on its own already; the bad time never is.
        assert shown_message(row.error), f"time {text!r} accepted without a message"
        assert saved is None or all(d.taken_time is None for d in saved.doses), text
    forget_day(diary_tab)


@FIELD_SETTINGS
@given(text=hostile_text)
def test_diary_sleep_hours(qtbot, diary_tab, text: str) -> None:
    from taperdesk.store import diary as store

    edit = diary_tab.form.sleep_edit
    type_into(qtbot, edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    saved = store.load_entry(diary_tab.database, diary_tab.day)
    message = shown_message(diary_tab.form.sleep_error)
    value = reads_as_number(text)
    if text.strip() and (must_refuse(text) or (value is not None and value > 24)):
        assert message, f"sleep {text!r} accepted without a message"
    if message or not text.strip():
        assert saved is None, f"sleep {text!r} was stored"
    else:
        assert saved is not None and saved.sleep_hours == pytest.approx(value, abs=0.01), text
    forget_day(diary_tab)


def test_diary_ratings_and_day_stay_in_range(qtbot, diary_tab) -> None:
    """Spin boxes and the day field cannot hold a value out of range, whatever is typed."""
    from taperdesk.core.diary import MAX_DATE, MIN_DATE
    from taperdesk.store import diary as store

    boxes = [diary_tab.form.wellbeing_box, *diary_tab.form.rating_boxes.values()]
    for box in boxes[:4]:
        for text in ("-3", "11", "99", "nan", "5,5", "1e1"):
            box.setFocus()
            qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(box, text)
            qtbot.keyClick(box, Qt.Key.Key_Return)
            assert box.minimum() <= box.value() <= box.maximum()
    for entry in store.entries_between(diary_tab.database):
        assert entry.wellbeing is None or 0 <= entry.wellbeing <= 10
        assert all(0 <= v <= 10 for v in entry.ratings.values())
    for day in (QDate(100, 1, 1), QDate(1752, 9, 14), QDate(1969, 12, 31), QDate(9999, 12, 31)):
        diary_tab.date_edit.setDate(day)
        assert MIN_DATE <= diary_tab.day <= MAX_DATE


@pytest.mark.parametrize("edge", ["first", "last"])
def test_diary_cannot_leave_the_days_an_entry_may_have(qtbot, diary_tab, edge: str) -> None:
    """Regression: the day picker allowed 1752-09-14, and saving a dose there raised
    EntryInvalid out of QUndoCommand.redo. Now the picker and ◀/▶ stop at the range."""
    from taperdesk.core.diary import MAX_DATE, MIN_DATE
    from taperdesk.store import diary as store

    diary_tab.go_to(MIN_DATE if edge == "first" else MAX_DATE)
    button = diary_tab.prev_button if edge == "first" else diary_tab.next_button
    button.setEnabled(True)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert diary_tab.day == (MIN_DATE if edge == "first" else MAX_DATE)
    row = diary_tab.form.dose_rows[0]
    type_into(qtbot, row.edit, "1")
    qtbot.keyClick(row.edit, Qt.Key.Key_Return)
    assert store.load_entry(diary_tab.database, diary_tab.day) is not None


@pytest.mark.parametrize(
    "attribute, key",
    [
        ("cut_edit", "cut"),
        ("every_edit", "every"),
        ("round_edit", "round"),
        ("stage_edit", "stage_days"),
    ],
)
def test_plan_form_cleared_field_is_refused(qtbot, plan_form, attribute: str, key: str) -> None:
    """Regression: a cleared Cut/Every/Rounding/Days per stage box quietly meant the
    core's default (10%, 14 days, ...); now the box says what to enter."""
    type_into(qtbot, getattr(plan_form, attribute), "")
    assert plan_message(plan_form, key)
    assert not plan_form.ok_button.isEnabled()
