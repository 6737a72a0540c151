"""Printed documents (weekly sheets, plan overview, prescriber report), built
from core data in one place for the GUI, the command line and the tests."""
