"""Before a change of plan is saved: show what changes, by drug, and ask."""

from __future__ import annotations

from typing import TYPE_CHECKING

from taperdesk.ui import dialogs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from taperdesk.app.plan_actions import FileChange, PlanChange


def confirm_change(
    parent: QWidget | None, change: PlanChange, yes: str, always: bool = False
) -> bool:
    """True to go ahead: at once when no planned dose changes (unless ``always``), else
    after the person has seen today's and the next days' doses before and after, and
    agreed."""
    catalogue = (change.after or change.before).catalogue  # type: ignore[union-attr]
    lines = change.lines(catalogue)
    if not change.needs_confirmation:
        if not always:
            return True
        return dialogs.confirm(
            parent,
            f"{change.title} the plan",
            f"{change.title}: today's planned doses stay as they are.",
            "\n".join(lines),
            yes=yes,
        )
    red = "<span style='color:#b00020'><b>{}</b></span>"
    if change.today_drops_beyond_pace:
        title = "Today's dose drops more than one cut"
        text = (
            red.format(
                f"{change.title}: this lowers today's planned dose by more than one of the "
                "plan's own cuts."
            )
            + " Check the dates and the cut size: was this meant?"
        )
    elif change.today_rises:
        title = "Today's dose goes up"
        text = red.format(f"{change.title}: this raises today's planned dose.")
        if change.title == "Edit plan":
            text += (
                " An edited plan is worked out again from its start date. Going up and down "
                "is what holds are for (kindling); 'Re-plan from actual' starts from what "
                "you take now."
            )
    else:
        title = f"{change.title}: your doses change"
        text = f"{change.title}: this changes your planned doses. Check them before saving."
    careful = change.today_drops_beyond_pace or change.today_rises or change.first_cut_today
    return dialogs.confirm(parent, title, text, "\n".join(lines), yes=yes, careful=careful)


def confirm_file_change(parent: QWidget | None, found: FileChange, text: str, yes: str) -> bool:
    """An import or a restore that changes the plan: what changes, by drug, loudly when a
    dose of today rises or drops beyond the plan's pace; Cancel is then the default."""
    change = found.change
    red = "<span style='color:#b00020'><b>{}</b></span>"
    loud = change.today_rises or change.today_drops_beyond_pace
    if change.today_rises:
        text = red.format(f"{text} It raises today's planned dose.")
    elif change.today_drops_beyond_pace:
        text = red.format(f"{text} It lowers today's planned dose by more than one cut.")
    return dialogs.confirm(
        parent, change.title, text, "\n".join(found.lines()), yes=yes, careful=loud
    )
