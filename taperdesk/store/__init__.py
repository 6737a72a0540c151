"""SQLite storage: the only package that writes SQL.

``database`` opens the connection, sets the pragmas and runs the migrations;
the other modules read and write rows and hand back ``taperdesk.core`` objects.
"""
