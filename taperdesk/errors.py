"""Errors a user can meet, as opposed to bugs.

A :class:`KnownError` carries one plain sentence saying what happened and one
saying what the person can do about it. The GUI shows both in a message box,
the command line prints them on one line; neither shows a traceback. Anything
that is not a KnownError is a bug and is allowed to surface as one.
"""

from __future__ import annotations


class KnownError(Exception):
    """Something went wrong that is not a bug: a full disk, a damaged file..."""

    #: Short title for a dialog.
    title: str = "TaperDesk could not finish"

    def __init__(self, message: str, advice: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice

    def __str__(self) -> str:
        return f"{self.message} {self.advice}".strip()
