"""The actions that change the plan, each able to say what changes before it saves.

Every action comes in two halves: ``preview_*`` works out the plan as it would
be (nothing is written) and returns a :class:`PlanChange` — today and the next
14 days, before and after, by dosing time and drug — and ``save`` commits it in
one transaction. Front ends show the change, ask when a dose changes, then save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from taperdesk.app import clock
from taperdesk.app.lived_plan import (
    LivedPlan,
    PlanDay,
    PlanUnreadable,
    active_plan,
    new_lived_plan,
)
from taperdesk.core import plan as core_plan
from taperdesk.core.measure import EPSILON, clean, format_mg, format_percent

if TYPE_CHECKING:
    from pathlib import Path

    from taperdesk.core.drugs import Drug, DrugCatalogue
    from taperdesk.core.plan import TaperPlan
    from taperdesk.store.database import Database

#: Days a change is shown for: today and the next 14.
PREVIEW_DAYS = 15
#: The drug of a dosing time at which doses of two drugs were logged.
MIXED_DRUGS = "(two drugs)"


class NoActivePlan(LookupError):
    """There is no saved plan to change."""


@dataclass(frozen=True, slots=True)
class TakenDose:
    """A dose actually taken: dosing time, drug and mg (from the diary or typed)."""

    label: str
    drug_key: str
    dose_mg: float


def _dose_key(day: PlanDay | None) -> tuple[tuple[str, str, float], ...]:
    if day is None:
        return ()
    return tuple(
        (d.label, d.drug_key, round(d.dose_mg, 6)) for d in day.doses() if d.dose_mg > EPSILON
    )


@dataclass(frozen=True, slots=True)
class DayChange:
    """One day, as the plan says it now and as it would say it after the change."""

    day: dt.date
    before: PlanDay | None
    after: PlanDay | None

    @property
    def changed(self) -> bool:
        return _dose_key(self.before) != _dose_key(self.after)


@dataclass(frozen=True)
class PlanChange:
    """What an action would change, from ``today`` for :data:`PREVIEW_DAYS` days."""

    title: str
    today: dt.date
    days: tuple[DayChange, ...]
    before: LivedPlan | None
    after: LivedPlan | None
    _save: Callable[[], object] | None = field(default=None, repr=False, compare=False)

    @property
    def today_changes(self) -> bool:
        return bool(self.days) and self.days[0].changed

    @property
    def changed_days(self) -> tuple[DayChange, ...]:
        return tuple(d for d in self.days if d.changed)

    @property
    def next_cut_changes(self) -> bool:
        old = self.before.next_cut(self.today) if self.before else None
        new = self.after.next_cut(self.today) if self.after else None
        if old is None or new is None:
            return (old is None) != (new is None)
        return old.day != new.day or abs(old.dose_after_mg - new.dose_after_mg) > EPSILON

    @property
    def first_cut_today(self) -> bool:
        """A first plan (nothing before it) whose first cut is today: the dose the person
        takes now goes down today."""
        if self.before is not None or self.after is None or not self.days:
            return False
        today = self.days[0].after
        return today is not None and today.is_cut

    @property
    def behind_start(self) -> float:
        """A first plan whose first cut is dated in the past: how far today's dose is below
        the dose it starts from (a fraction of its diazepam equivalent; 0 otherwise). Saved,
        it would cut two steps or more on its first day."""
        if self.before is not None or self.after is None or not self.days:
            return 0.0
        plan = self.after.plan
        today = self.days[0].after
        if today is None or plan.start_date >= self.today:
            return 0.0
        lead_in = self.after.on(plan.start_date - dt.timedelta(days=1))
        if lead_in is None or lead_in.total_diazepam_eq_mg <= 0:
            return 0.0
        drop = 1 - today.total_diazepam_eq_mg / lead_in.total_diazepam_eq_mg
        return drop if drop > EPSILON else 0.0

    @property
    def needs_confirmation(self) -> bool:
        """Today's dose or the next cut would change (in either direction), on a plan the
        person already follows, or a first plan cuts today or starts in the past (a first
        plan cutting later was just shown in full by its form)."""
        if self.before is None:
            return self.first_cut_today or self.behind_start > 0
        return self.today_changes or self.next_cut_changes or bool(self.changed_days)

    @property
    def today_rises(self) -> bool:
        """Today's diazepam-equivalent dose would go up."""
        if not self.days:
            return False
        old, new = self.days[0].before, self.days[0].after
        if old is None or new is None:
            return False
        return new.total_diazepam_eq_mg > old.total_diazepam_eq_mg + EPSILON

    @property
    def today_drops_beyond_pace(self) -> bool:
        """Today's diazepam-equivalent dose would fall by more than one of the plan's own
        cuts (a date typed a year off, a cut size slipped): shown as loudly as a rise."""
        if self.before is None and self.after is not None:  # a first plan dated in the past
            plan = self.after.plan
            if plan.reduction.kind.value == "percent":
                pace = plan.reduction.value / 100
            else:
                pace = plan.reduction.value / max(plan.start_dose_mg, EPSILON)
            return self.behind_start > pace + 0.005
        if not self.days or self.before is None:
            return False
        old, new = self.days[0].before, self.days[0].after
        if old is None or new is None or old.total_diazepam_eq_mg <= 0:
            return False
        drop = 1 - new.total_diazepam_eq_mg / old.total_diazepam_eq_mg
        plan = self.before.plan
        if plan.reduction.kind.value == "percent":
            pace = plan.reduction.value / 100
        else:
            pace = plan.reduction.value / max(old.taper.total_mg, EPSILON)
        return drop > pace + 0.005

    def where_you_land(self) -> str:
        """ "You would be at step 27 of 31 (now step 3 of 31)." for today, or ""."""
        if not self.days:
            return ""
        old, new = self.days[0].before, self.days[0].after

        def at(day: PlanDay | None, lived: LivedPlan | None) -> str:
            if day is None or lived is None or day.step_number is None:
                return "before the first cut" if day is not None else "no plan"
            total = lived.schedule_of(lived.revision_on(day.day)) or lived.schedule
            return f"step {day.step_number} of {total.summary.step_count}"

        now, then = at(old, self.before), at(new, self.after)
        if now == then:
            return ""

        def phrase(state: str) -> str:
            return f"at {state}" if state.startswith("step") else state

        if then == "no plan":
            return f"Today you would have no plan (now {phrase(now)})."
        return f"Today you would be {phrase(then)} (now {phrase(now)})."

    def lines(self, catalogue: DrugCatalogue) -> list[str]:
        """Plain sentences: the doses before and after by drug, for runs of days that
        change the same way ("Today to Mon 14 Dec: …"), then the next cut."""
        out: list[str] = []
        runs: list[list[DayChange]] = []
        for change in self.days:
            key = (_dose_key(change.before), _dose_key(change.after))
            if runs and (_dose_key(runs[-1][0].before), _dose_key(runs[-1][0].after)) == key:
                runs[-1].append(change)
            else:
                runs.append([change])
        for run in runs:
            first, last = run[0], run[-1]
            when = "Today" if first.day == self.today else f"{first.day:%a %d %b}"
            if last.day != first.day:
                when += f" to {last.day:%a %d %b}"
            old = describe_day(first.before, catalogue)
            if not first.changed:
                if first.day == self.today:
                    out.append(f"{when}: no change ({old}).")
                continue
            text = f"{when}: {old} → {describe_day(first.after, catalogue)}"
            if first.before is not None and first.after is not None:
                before_eq = first.before.total_diazepam_eq_mg
                after_eq = first.after.total_diazepam_eq_mg
                if (
                    before_eq > 0
                    and len({d.drug_key for d in (*first.before.drugs, *first.after.drugs)}) > 1
                ):
                    delta = 100 * (after_eq - before_eq) / before_eq
                    text += (
                        f" (diazepam eq. {format_mg(before_eq, 2)} → {format_mg(after_eq, 2)}, "
                        f"{'+' if delta > 0 else ''}{format_percent(delta)})"
                    )
                elif before_eq > 0:
                    delta = 100 * (after_eq - before_eq) / before_eq
                    text += f" ({'+' if delta > 0 else ''}{format_percent(delta)})"
            out.append(text + ".")
        if self.behind_start and self.after is not None and self.days[0].after is not None:
            start = self.after.plan
            drug = catalogue.get(start.drug_key).name.lower()
            out.insert(
                0,
                f"The first cut is dated {start.start_date:%a %d %b %Y}, in the past: today "
                f"the plan is already at {describe_day(self.days[0].after, catalogue)}, "
                f"{format_percent(100 * self.behind_start)} below the "
                f"{format_mg(start.start_dose_mg, 4)} {drug} a day it starts from. To start "
                "from the dose you take now, date the first cut today or later.",
            )
        elif self.first_cut_today and self.after is not None:
            start = self.after.plan
            drug = catalogue.get(start.drug_key).name.lower()
            out.insert(
                0,
                f"Today is the first cut: from the {format_mg(start.start_dose_mg, 4)} {drug} "
                "a day you take now.",
            )
        land = self.where_you_land()
        if land and self.before is not None:
            out.append(land)
        new_cut = self.after.next_cut(self.today) if self.after else None
        if self.next_cut_changes and self.after is not None:
            if new_cut is None:
                out.append("No cut is planned after this change until you resume or re-plan.")
            else:
                drug = catalogue.get(new_cut.drug_key).name.lower()
                out.append(
                    f"Next cut: {new_cut.day:%a %d %b %Y}, to "
                    f"{format_mg(new_cut.dose_after_mg, 4)} {drug} a day."
                )
        return out

    def save(self) -> object:
        """Commit the change (one transaction); returns what the store returned."""
        if self._save is None:
            raise RuntimeError("This change is a preview only")
        return self._save()


def describe_day(day: PlanDay | None, catalogue: DrugCatalogue) -> str:
    """ "0.5 mg lorazepam morning + 10 mg diazepam night", every drug named."""
    if day is None:
        return "no plan"
    several = len(day.labels) > 1
    parts = []
    for dose in day.doses():
        if dose.dose_mg <= 0 and len(day.doses()) > 1:
            continue
        name = catalogue.get(dose.drug_key).name.lower()
        parts.append(f"{format_mg(dose.dose_mg, 4)} {name}" + (f" {dose.label}" if several else ""))
    return " + ".join(parts) if parts else "0 mg"


def _compare(
    title: str,
    before: LivedPlan | None,
    after: LivedPlan | None,
    today: dt.date,
    save: Callable[[], object],
) -> PlanChange:
    days = tuple(
        DayChange(
            day,
            before.on(day) if before else None,
            after.on(day) if after else None,
        )
        for day in (today + dt.timedelta(days=i) for i in range(PREVIEW_DAYS))
    )
    return PlanChange(title, today, days, before, after, save)


def _current(database: Database, today: dt.date) -> LivedPlan:
    lived = active_plan(database, today)
    if lived is None or lived.plan_id is None:
        raise NoActivePlan("There is no saved plan yet.")
    return lived


def _current_or_none(database: Database, today: dt.date) -> LivedPlan | None:
    try:
        return active_plan(database, today)
    except PlanUnreadable:
        return None


# -- the actions -------------------------------------------------------------------------


def preview_new_plan(
    database: Database,
    plan: TaperPlan,
    name: str,
    custom_drugs: Sequence[Drug] = (),
    today: dt.date | None = None,
) -> PlanChange:
    """A new plan replacing the active one (which is kept, inactive)."""
    from taperdesk.store import plans as plan_store
    from taperdesk.store.drugs import load_user_catalogue, save_custom_drug

    today = today or clock.today()
    before = _current_or_none(database, today)
    catalogue = _with_drugs(load_user_catalogue(database), custom_drugs)
    after = new_lived_plan(plan, catalogue, today, name)

    def save() -> int:
        for drug in custom_drugs:
            save_custom_drug(database, drug)
        return plan_store.save_new_plan(database, plan, name)

    return _compare("New plan", before, after, today, save)


def _with_drugs(catalogue: DrugCatalogue, drugs: Sequence[Drug]) -> DrugCatalogue:
    """``catalogue`` with custom drugs the person defined in the form (not saved yet)."""
    for drug in drugs:
        catalogue = catalogue.with_custom(drug)
    return catalogue


def preview_edit(
    database: Database,
    plan: TaperPlan,
    name: str | None = None,
    custom_drugs: Sequence[Drug] = (),
    reason: str = "Edited",
    today: dt.date | None = None,
    title: str = "Edit plan",
) -> PlanChange:
    """``plan`` saved as a new revision of the active plan (and its name changed)."""
    from taperdesk.store import plans as plan_store
    from taperdesk.store.drugs import save_custom_drug

    today = today or clock.today()
    before = _current(database, today)
    plan_id = before.plan_id
    assert plan_id is not None
    base = before  # with the custom drugs the form defined (not saved yet)
    if custom_drugs:
        catalogue = _with_drugs(before.catalogue, custom_drugs)
        base = LivedPlan(plan_id, before.name, before.revisions, catalogue, today)
    after = base.with_revision(plan, today, reason)

    def save() -> int:
        for drug in custom_drugs:
            save_custom_drug(database, drug)
        number = plan_store.save_revision(database, plan_id, plan, reason)
        if name is not None and name.strip() and name.strip() != before.name:
            plan_store.rename_plan(database, plan_id, name)
        return number

    return _compare(title, before, after, today, save)


def replan_drug(lived: LivedPlan, doses: Sequence[TakenDose]) -> str:
    """The drug a re-plan starts from: every dose must be of one drug of the plan.

    Raises ``ValueError`` with a sentence for the person otherwise (a day in the
    middle of a switch, or a drug the plan does not have).
    """
    plan = lived.plan
    if any(d.drug_key == MIXED_DRUGS for d in doses):
        raise ValueError(
            "That day has doses of two drugs at one dosing time, in the middle of a switch. "
            "Re-plan from a day on which every dose was of one drug."
        )
    drugs = {d.drug_key for d in doses if d.dose_mg > 0} or {d.drug_key for d in doses}
    allowed = {plan.drug_key, plan.taper_drug_key}
    names = ", ".join(sorted(lived.catalogue.get(k).name for k in drugs if k in lived.catalogue))
    if len(drugs) > 1:
        raise ValueError(
            f"That day has doses of more than one drug ({names}), in the middle of a switch. "
            "Re-plan from a day on which every dose was of one drug."
        )
    if not drugs or not drugs <= allowed:
        raise ValueError(
            f"The doses of that day are of {names or 'no drug'}, which this plan does not use."
        )
    return next(iter(drugs))


def preview_replan(
    database: Database,
    on_day: dt.date,
    doses: Sequence[TakenDose],
    today: dt.date | None = None,
) -> PlanChange:
    """A new revision starting from the doses actually taken on ``on_day``, each with its
    drug: from the old drug the crossover is kept; from the new drug it is done."""
    today = today or clock.today()
    before = _current(database, today)
    drug_key = replan_drug(before, doses)
    by_label: dict[str, float] = {}
    for dose in doses:
        by_label[dose.label] = clean(by_label.get(dose.label, 0.0) + dose.dose_mg)
    new_plan = core_plan.replan_from_actual(before.plan, on_day, by_label, drug_key=drug_key)
    reason = f"Re-planned from {on_day.isoformat()}"
    return preview_edit(database, new_plan, reason=reason, today=today, title="Re-plan from actual")


def _preview_holds(
    database: Database,
    title: str,
    holds_after: Callable[[TaperPlan], tuple[core_plan.Hold, ...]],
    write: Callable[[Database, int], object],
    today: dt.date | None,
) -> PlanChange:
    """A change of the plan's holds (which belong to every revision)."""
    today = today or clock.today()
    before = _current(database, today)
    plan_id = before.plan_id
    assert plan_id is not None
    after = before.with_holds(holds_after(before.plan))
    return _compare(title, before, after, today, lambda: write(database, plan_id))


def preview_hold(database: Database, start: dt.date, today: dt.date | None = None) -> PlanChange:
    """An open hold from ``start`` (nothing changes if one is open already)."""
    from taperdesk.store import plans as plan_store

    return _preview_holds(
        database,
        "Hold",
        lambda plan: core_plan.hold_from(plan, start).holds,
        lambda db, plan_id: plan_store.add_hold(db, plan_id, start, None, note=""),
        today,
    )


def preview_resume(
    database: Database, today: dt.date | None = None, resume_on: dt.date | None = None
) -> PlanChange:
    """End the open hold: the plan continues from ``resume_on`` (default ``today``; the
    day after when today's doses are already logged, so today is not made a cut day
    after the fact)."""
    from taperdesk.store import plans as plan_store

    today = today or clock.today()
    day = resume_on or today
    return _preview_holds(
        database,
        "Resume",
        lambda plan: core_plan.resume(plan, day).holds,
        lambda db, plan_id: plan_store.end_open_hold(db, plan_id, day),
        today,
    )


def resume_day(database: Database, today: dt.date | None = None) -> dt.date:
    """When a resumed plan continues: today, or tomorrow if today's doses are logged."""
    from taperdesk.store.diary import load_entry

    today = today or clock.today()
    entry = load_entry(database, today)
    return today + dt.timedelta(days=1) if entry is not None and entry.doses else today


def _plan_identity(lived: LivedPlan | None) -> tuple[object, ...]:
    if lived is None:
        return ()
    return (lived.name, tuple((r.number, r.plan) for r in lived.revisions))


@dataclass(frozen=True)
class FileChange:
    """What an import or a restore would do to the plan, worked out on a copy."""

    change: PlanChange
    plan_replaced: bool

    @property
    def needs_confirmation(self) -> bool:
        """The active plan, or a dose of today or the next two weeks, would change."""
        return (
            self.plan_replaced
            or self.change.needs_confirmation
            or (self.change.before is not None and self.change.after is None)
        )

    def lines(self) -> list[str]:
        lived = self.change.after or self.change.before
        if lived is None:
            return []
        out = self.change.lines(lived.catalogue)
        before, after = self.change.before, self.change.after
        if before is not None and after is not None:
            old_ratio, new_ratio = before.catalogue.overrides, after.catalogue.overrides
            for key in sorted(set(old_ratio) | set(new_ratio)):
                if old_ratio.get(key) != new_ratio.get(key) and key in after.catalogue:
                    drug = after.catalogue.get(key)
                    was = old_ratio.get(key, drug.equivalence.default.mg)
                    out.insert(
                        0,
                        f"The file changes how {drug.name.lower()} converts: "
                        f"{format_mg(was, 4)} → {format_mg(drug.mg_per_diazepam_10, 4)} "
                        "~ diazepam 10 mg.",
                    )
        if self.plan_replaced and after is not None:
            head = f"Your plan would be “{after.name}”, revision {after.current.number}"
            if before is not None:
                head += f" (now “{before.name}”, revision {before.current.number})"
            out.insert(0, head + ".")
        elif before is not None and after is None:
            out.insert(0, f"You would have no plan (now “{before.name}”).")
        return out


def preview_import(
    database: Database,
    doc: object,
    *,
    overwrite: bool = False,
    source: str = "file",
    today: dt.date | None = None,
) -> FileChange:
    """An import of ``doc`` (which can make an imported plan the active one), done first on a
    copy in memory; ``save`` imports it for real (one transaction)."""
    from taperdesk.app.import_checks import data_problems
    from taperdesk.store.data_io import ImportRefused, import_document
    from taperdesk.store.opening import copy_in_memory

    today = today or clock.today()
    before = _current_or_none(database, today)
    scratch = copy_in_memory(database)
    try:
        had = data_problems(scratch)
        import_document(scratch, doc, overwrite=overwrite, source=source)
        brought = sorted(data_problems(scratch) - had)
        if brought:  # the app could not start or work out a plan on what the file brings
            raise ImportRefused(source, brought)
        after = _current_or_none(scratch, today)
    finally:
        scratch.close()

    def save() -> object:
        return import_document(database, doc, overwrite=overwrite, source=source)

    change = _compare("Import", before, after, today, save)
    return FileChange(change, _plan_identity(before) != _plan_identity(after))


def preview_restore(
    database: Database, backup_path: Path, today: dt.date | None = None
) -> FileChange:
    """What restoring ``backup_path`` would do to the plan (the backup opened read-only,
    copied in memory); the restore itself is the caller's (it swaps files)."""
    from taperdesk.store.opening import copy_in_memory

    today = today or clock.today()
    before = _current_or_none(database, today)
    scratch = copy_in_memory(backup_path)
    try:
        after = _current_or_none(scratch, today)
    finally:
        scratch.close()
    change = _compare("Restore", before, after, today, lambda: None)
    return FileChange(change, _plan_identity(before) != _plan_identity(after))
