"""Qt widgets: the main window, one module per tab, charts and dialogs apart.

Widgets ask ``taperdesk.core`` to compute and ``taperdesk.store`` to persist;
they hold no dose maths and no SQL.
"""
