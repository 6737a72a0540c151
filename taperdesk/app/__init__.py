"""The application layer: the plan as the person lives it, and the actions that change it.

Between the front ends (``ui``, ``commands``, ``printing``) and ``store``/``core``.
Every dose a screen, a sheet or a command states comes from
:func:`taperdesk.app.lived_plan.active_plan` (``LivedPlan.on(day)``); every change
of the plan goes through :mod:`taperdesk.app.plan_actions`, which says what changes
before anything is saved. No Qt here.
"""
