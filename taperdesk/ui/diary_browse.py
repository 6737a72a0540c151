"""Browsing the diary: a calendar with logged days marked and a searchable list.

Days between the first entry and today without an entry are shown as missing
(in the list as "not logged" runs, in the calendar greyed and struck through).
"""

from __future__ import annotations

import datetime as dt
import functools

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont, QPalette, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from taperdesk.core.measure import format_mg
from taperdesk.store import diary as diary_store
from taperdesk.store.database import Database

MARKER_TEXT = {"window": "window", "wave": "wave", "neutral": ""}


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class DiaryBrowser(QWidget):
    day_chosen = Signal(object)  # dt.date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.calendar = QCalendarWidget()
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setGridVisible(False)
        self.calendar.setMaximumDate(qdate(dt.date.today()))
        self.calendar.clicked.connect(lambda d: self.day_chosen.emit(pydate(d)))
        self.calendar.activated.connect(lambda d: self.day_chosen.emit(pydate(d)))
        layout.addWidget(self.calendar, 0)
        column = QVBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search notes…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search notes")
        column.addWidget(self.search_edit)
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._item_chosen)
        self.list.itemClicked.connect(self._item_chosen)
        column.addWidget(self.list, 1)
        layout.addLayout(column, 1)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._fill_list)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.database: Database | None = None
        self._marked: list[QDate] = []
        self._items: dict[dt.date, QListWidgetItem] = {}

    def reload(self, database: Database, shown_day: dt.date) -> None:
        self.database = database
        self.calendar.setMaximumDate(qdate(max(dt.date.today(), shown_day)))
        self.calendar.setSelectedDate(qdate(shown_day))
        self._mark_calendar(database)
        self._fill_list()

    def _day_formats(self) -> tuple[QTextCharFormat, QTextCharFormat]:
        """The calendar's formats of a logged and of a missing day."""
        palette = self.palette()
        logged_format = QTextCharFormat()
        logged_format.setFontWeight(QFont.Weight.Bold)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        highlight.setAlpha(34)  # a tint: most days are logged, so it must stay calm
        logged_format.setBackground(QBrush(highlight))
        missing_format = QTextCharFormat()
        # Muted, not struck through: a line through a day reads as "cancelled".
        missing_format.setForeground(
            palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        )
        return logged_format, missing_format

    def _mark_calendar(self, database: Database) -> None:
        for day in self._marked:
            self.calendar.setDateTextFormat(day, QTextCharFormat())
        self._marked = []
        logged = diary_store.logged_dates(database)
        if not logged:
            return
        logged_format, missing_format = self._day_formats()
        have = set(logged)
        day = logged[0]
        today = dt.date.today()
        while day <= today:
            marked = qdate(day)
            self.calendar.setDateTextFormat(
                marked, logged_format if day in have else missing_format
            )
            self._marked.append(marked)
            day += dt.timedelta(days=1)

    def _fill_list(self) -> None:
        if self.database is None:
            return
        self.list.clear()
        self._items = {}
        query = self.search_edit.text().strip()
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if query:
            for hit in diary_store.search_notes(self.database, query):
                self._add(hit.entry_date, f"{_day_text(hit.entry_date)} — {_first_line(hit.notes)}")
            if not self.list.count():
                item = QListWidgetItem(f"No notes contain “{query}”.")
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                self.list.addItem(item)
            return
        newer: dt.date | None = dt.date.today() + dt.timedelta(days=1)
        names = self._drug_names()
        for day, drugs, marker, notes in diary_store.entry_summaries(self.database):
            gap = _gap_item(day, newer, muted) if newer else None
            if gap is not None:
                self.list.addItem(gap)
            self._add(day, _row_text(day, drugs, marker, notes, names))
            newer = day

    def add_newest_day(self, database: Database, day: dt.date) -> bool:
        """Put a newly logged ``day`` at the top of the list and mark its calendar cell,
        when it is newer than every listed day (the day's first save, usually today's):
        a few rows instead of rebuilding 3,650. False when the list must be rebuilt."""
        if not self._items or self.search_edit.text().strip():
            return False
        previous = max(self._items)
        if day <= previous or day > dt.date.today():
            return False
        summary = diary_store.entry_summary(database, day)
        if summary is None:
            return False
        while self.list.count() and self.list.item(0).data(Qt.ItemDataRole.UserRole) is None:
            self.list.takeItem(0)  # the "not logged" row above the newest day
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        item = QListWidgetItem(_row_text(*summary, self._drug_names()))
        item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
        rows = [_gap_item(day, dt.date.today() + dt.timedelta(days=1), muted), item,
                _gap_item(previous, day, muted)]  # fmt: skip
        for row in reversed([r for r in rows if r is not None]):
            self.list.insertItem(0, row)
        self._items[day] = item
        logged_format, _missing = self._day_formats()
        self.calendar.setDateTextFormat(qdate(day), logged_format)
        marked = qdate(day)
        if marked not in self._marked:
            self._marked.append(marked)
        return True

    def update_day(self, database: Database, day: dt.date) -> bool:
        """Refresh only ``day``'s row (a save of a day already in the list): a save at ten
        years rebuilt 3,650 rows. False when the list must be rebuilt (a day not listed
        yet, or a search is shown)."""
        item = self._items.get(day)
        if item is None or self.search_edit.text().strip():
            return False
        summary = diary_store.entry_summary(database, day)
        if summary is None:
            return False
        item.setText(_row_text(*summary, self._drug_names()))
        return True

    def _drug_names(self) -> dict[str, str]:
        from taperdesk.store.drugs import load_user_catalogue

        return {d.key: d.name.lower() for d in load_user_catalogue(self.database)}

    def _add(self, day: dt.date, text: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
        self.list.addItem(item)
        self._items[day] = item

    def _item_chosen(self, item: QListWidgetItem) -> None:
        value = item.data(Qt.ItemDataRole.UserRole)
        if value:
            self.day_chosen.emit(dt.date.fromisoformat(value))

    def list_texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


def _gap_item(older: dt.date, newer: dt.date, muted) -> QListWidgetItem | None:
    """The muted "not logged" row for the days between ``older`` and ``newer`` (None if
    they follow each other)."""
    gap = (newer - older).days - 1
    if gap <= 0:
        return None
    first, last = older + dt.timedelta(days=1), newer - dt.timedelta(days=1)
    span = _day_text(first) if gap == 1 else f"{_day_text(first)} – {_day_text(last)}"
    item = QListWidgetItem(f"    not logged: {span} ({gap} day{'s' * (gap != 1)})")
    item.setForeground(muted)
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    item.setData(Qt.ItemDataRole.UserRole + 1, "missing")
    return item


def _row_text(
    day: dt.date,
    drugs: tuple[tuple[str, float], ...],
    marker: str,
    notes: str,
    names: dict[str, str],
) -> str:
    # Two drugs (a crossover) are named, never added together.
    taken = (
        " + ".join(f"{format_mg(mg, 4)} {names.get(k, k)}" for k, mg in drugs)
        if len(drugs) > 1
        else format_mg(drugs[0][1], 4)
        if drugs
        else "no dose logged"  # "0 mg" read as a dose taken
    )
    parts = [_day_text(day), taken]
    if MARKER_TEXT.get(marker):
        parts.append(MARKER_TEXT[marker])
    if notes.strip():
        parts.append(_first_line(notes))
    return "  ·  ".join(parts)


def _day_text(day: dt.date) -> str:
    """``day.strftime("%a %d %b %Y")``, from names looked up once: the list's 3,650 rows
    at ten years spent ~60 ms in strftime on the Diary tab's first showing."""
    weekdays, months = _names()
    return f"{weekdays[day.weekday()]} {day.day:02d} {months[day.month - 1]} {day.year}"


@functools.cache
def _names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The weekday and month abbreviations strftime gives (Monday first, January first)."""
    monday = dt.date(2024, 1, 1)  # a Monday
    weekdays = tuple((monday + dt.timedelta(days=i)).strftime("%a") for i in range(7))
    months = tuple(dt.date(2024, m, 1).strftime("%b") for m in range(1, 13))
    return weekdays, months


def _first_line(text: str, limit: int = 60) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
