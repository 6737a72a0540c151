"""Sample data and helpers shared by several test folders.

Imported as ``support.…``: ``tests/`` is on ``sys.path`` because it holds the
top conftest.py (pytest's default "prepend" import mode), so this works when
the tests run against an installed TaperDesk, as CI does.
"""
