"""``taperdesk export FILE.json`` and ``taperdesk import FILE.json [--overwrite] [--yes]``.

An import that would change the active plan or a planned dose of today or the next
two weeks prints what changes, by drug, and needs ``--yes``: it is worked out first
on a copy in memory, so without ``--yes`` nothing is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from taperdesk.commands import CommandContext, CommandError, add_parser


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = add_parser(
        subparsers, "export", "Write all your data (plans, settings, diary) to one JSON file."
    )
    export.add_argument("file", metavar="FILE.json")
    export.set_defaults(handler=run_export)
    imp = add_parser(subparsers, "import", "Add the data of a TaperDesk JSON file to yours.")
    imp.add_argument("file", metavar="FILE.json")
    imp.add_argument(
        "--overwrite",
        action="store_true",
        help="replace diary days you already have (default: skip them and list them)",
    )
    imp.add_argument(
        "--yes",
        action="store_true",
        help="import even when it changes your plan or a planned dose (shown first)",
    )
    imp.set_defaults(handler=run_import)


def run_export(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.store.data_io import HEALTH_WARNING, write_export

    path = Path(args.file)
    database = context.reader()
    context.make_data_folder_for(path)
    if path.is_dir() or not path.parent.exists():
        raise CommandError(f"{path}: choose a file in an existing folder.")
    write_export(database, path)
    print(f"Exported all data to {path}.", file=context.out)
    print(f"Note: {HEALTH_WARNING}", file=context.err)
    return 0


def run_import(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.app.plan_actions import preview_import
    from taperdesk.store.data_io import ImportRefused, read_json_file

    path = Path(args.file)
    context.lock_for_writing()
    try:
        doc = read_json_file(path)
        found = preview_import(context.store(), doc, overwrite=args.overwrite, source=str(path))
        if found.needs_confirmation:
            print("This import changes your plan:", file=context.out)
            for line in found.lines():
                print(f"  {line}", file=context.out)
            if not args.yes:
                raise CommandError(
                    "nothing imported: run again with --yes to import and change your plan.", 1
                )
        report = found.change.save()
    except ImportRefused as error:
        raise CommandError(error.message, 1) from error
    print(f"Imported {path}: {report.describe()}", file=context.out)  # type: ignore[attr-defined]
    return 0
