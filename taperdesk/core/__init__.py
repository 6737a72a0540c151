"""Pure dose maths: drugs, plans, schedules, titration. No Qt, no SQL.

Every quantity carries its unit in its name (``dose_mg``, ``volume_ml``,
``interval_days``). Rounding for measurement or display happens only through
:mod:`taperdesk.core.measure`.
"""
