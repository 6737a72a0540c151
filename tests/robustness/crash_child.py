"""Child process for the crash-safety tests: writes in a loop until killed.

``python crash_child.py DATA_DIR MODE START`` opens TaperDesk's store in
DATA_DIR and saves item START, START+1, ... with MODE's operation, printing
``saved N`` after each committed save. The parent kills it with SIGKILL at a
random moment and then checks that every reported item is in the database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from taperdesk.store.database import Database, open_user_database


def save_setting(database: Database, n: int) -> None:
    from taperdesk.store.settings import set_setting

    set_setting(database, f"crash.item.{n}", {"n": n, "payload": "x" * 2000})


OPERATIONS: dict[str, Callable[[Database, int], None]] = {"settings": save_setting}


def main() -> None:
    data_dir, mode, start = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    database = open_user_database(data_dir)
    operation = OPERATIONS[mode]
    print("ready", flush=True)
    n = start
    while True:
        operation(database, n)
        print(f"saved {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
