"""The Today panel at the top of the Plan tab: today's dose, step, next cut, hold/resume."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from taperdesk.app.lived_plan import LivedPlan
from taperdesk.core.measure import format_mg
from taperdesk.ui.plan_status import describe_today
from taperdesk.ui.plan_warnings_view import make_hint


class TodayPanel(QFrame):
    hold_clicked = Signal()
    resume_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(24)
        self.date_label = QLabel()
        font = QFont(self.date_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.05)
        self.date_label.setFont(font)
        self.dose_label = QLabel()
        big = QFont(self.dose_label.font())
        big.setPointSizeF(big.pointSizeF() * 1.45)
        big.setBold(True)
        self.dose_label.setFont(big)
        self.dose_label.setWordWrap(True)
        self.times_label = QLabel()
        self.times_label.setWordWrap(True)
        self.step_label = QLabel()
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.holds_label = QLabel()
        self.holds_label.setWordWrap(True)
        make_hint(self.holds_label)
        self.hold_button = QPushButton("Hold from today")
        self.hold_button.setToolTip(
            "Keep today's dose until you resume; the rest of the plan moves later."
        )
        self.hold_button.clicked.connect(self._hold_or_resume)
        left = QVBoxLayout()
        left.setSpacing(4)
        for label in (self.date_label, self.dose_label, self.times_label):
            left.addWidget(label)
        right = QVBoxLayout()
        right.setSpacing(4)
        for label in (self.step_label, self.next_label, self.holds_label):
            right.addWidget(label)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.addWidget(self.hold_button, 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 3)
        self.holding = False

    def set_today(self, lived: LivedPlan, today: dt.date) -> None:
        catalogue = lived.catalogue
        text = describe_today(lived, today)
        self.date_label.setText(f"Today, {today:%A} {today.day} {today:%B %Y}")
        planned = lived.on(today)
        drugs = planned.taken_drugs if planned is not None else ()
        if planned is not None and len(planned.labels) > 1 and drugs:
            self.dose_label.setText(
                " + ".join(
                    f"{format_mg(d.total_mg, 4)} {catalogue.get(d.drug_key).name.lower()}"
                    for d in drugs
                )
            )
            lines = []
            for d in drugs:
                prefix = f"{catalogue.get(d.drug_key).name}: " if len(drugs) > 1 else ""
                split = zip(planned.labels, d.doses_mg, strict=True)
                lines.append(
                    prefix + " · ".join(f"{label} {format_mg(mg, 4)}" for label, mg in split)
                )
            self.times_label.setText("\n".join(lines))
        else:
            self.dose_label.setText(text.dose)
            self.times_label.setText("")
        self.times_label.setVisible(bool(self.times_label.text()))
        step = text.step[:1].upper() + text.step[1:] if text.step else ""
        self.step_label.setText(step)
        cut = text.next_cut
        self.next_label.setText(cut[:1].upper() + cut[1:] if cut else "No more cuts planned.")
        self.holding = lived.open_hold is not None
        self.hold_button.setText("Resume" if self.holding else "Hold from today")
        self.hold_button.setEnabled(self.holding or planned is not None)
        holds = []
        for hold in lived.holds:
            if hold.end is None:
                holds.append(f"On hold since {hold.start.isoformat()}: same dose until you resume")
            else:
                holds.append(f"Held {hold.start.isoformat()} – {hold.end.isoformat()}")
        self.holds_label.setText("\n".join(holds[-3:]))
        self.holds_label.setVisible(bool(holds))

    def _hold_or_resume(self) -> None:
        if self.holding:
            self.resume_clicked.emit()
        else:
            self.hold_clicked.emit()
