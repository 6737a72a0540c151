"""``taperdesk diary --csv FILE`` (export the diary) and ``--import-csv FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from taperdesk.commands import CommandContext, CommandError, add_parser


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_parser(
        subparsers, "diary", "Export the diary as CSV (one row per day), or import such a CSV."
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--csv", metavar="FILE", help="write the diary to FILE ('-' for stdout)")
    group.add_argument("--import-csv", metavar="FILE", help="add the days of a diary CSV")
    parser.add_argument(
        "--overwrite", action="store_true", help="with --import-csv: replace days you already have"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CommandContext) -> int:
    from taperdesk.store.data_io import (
        ImportRefused,
        export_diary_csv,
        import_diary_csv,
        read_diary_csv_file,
    )
    from taperdesk.store.paths import os_error_text, write_private_text

    if args.csv:
        text = export_diary_csv(context.reader())
        if args.csv == "-":
            context.out.write(text)
            return 0
        path = Path(args.csv)
        context.make_data_folder_for(path)
        try:
            write_private_text(path, text)
        except OSError as error:
            raise CommandError(f"{path}: cannot be written ({os_error_text(error)}).") from error
        print(f"Wrote the diary to {path}. It contains health information: keep it private.",
              file=context.out)  # fmt: skip
        return 0
    path = Path(args.import_csv)
    context.lock_for_writing()
    try:
        text = read_diary_csv_file(path)
        report = import_diary_csv(context.store(), text, overwrite=args.overwrite, source=str(path))
    except ImportRefused as error:
        raise CommandError(error.message, 1) from error
    print(f"Imported {path}: {report.describe()}", file=context.out)
    return 0
