"""``taperdesk export FILE.json`` and ``taperdesk import FILE.json [--overwrite]``."""

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
    imp.set_defaults(handler=run_import)


def run_export(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.store.data_io import HEALTH_WARNING, write_export

    path = Path(args.file)
    database = context.store()  # opening it creates the data folder if the file goes there
    if path.is_dir() or not path.parent.exists():
        raise CommandError(f"{path}: choose a file in an existing folder.")
    write_export(database, path)
    print(f"Exported all data to {path}.", file=context.out)
    print(f"Note: {HEALTH_WARNING}", file=context.err)
    return 0


def run_import(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.store.data_io import ImportRefused, import_document, read_json_file

    path = Path(args.file)
    try:
        doc = read_json_file(path)
        report = import_document(context.store(), doc, overwrite=args.overwrite, source=str(path))
    except ImportRefused as error:
        raise CommandError(error.message, 1) from error
    print(f"Imported {path}: {report.describe()}", file=context.out)
    return 0
