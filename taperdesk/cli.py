"""The ``taperdesk`` command: no subcommand opens the window.

``taperdesk [--data-dir DIR] [subcommand ...]``. Subcommands live in
:mod:`taperdesk.commands`; this module only parses, picks the data folder and
turns user-facing errors into one line on stderr with a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from taperdesk import APP_NAME, __version__
from taperdesk.store.paths import ENV_VAR, data_dir

#: Unicode categories that a terminal or str.splitlines() may break a line on.
_LINE_BREAKING = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def one_line(text: str) -> str:
    """Make an error message safe to print as exactly one line.

    Messages quote what the user typed, which may hold newlines or other
    control characters; those are shown escaped (``\\u001e``) instead.
    """
    return "".join(
        f"\\u{ord(char):04x}" if unicodedata.category(char) in _LINE_BREAKING else char
        for char in text
    )


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line: ``taperdesk schedule: error: ...``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The ``taperdesk`` parser; ``with_commands=False`` leaves out the subcommands (for a
    start of the window, whose arguments name none: building them imports every command
    module, ~30 ms before the first paint)."""
    parser = OneLineParser(
        prog="taperdesk",
        description=(
            f"{APP_NAME}: plan, measure and log a slow benzodiazepine taper, offline. "
            "Without a subcommand, opens the window."
        ),
        epilog=(
            f"The data folder can also be set with the environment variable {ENV_VAR}. "
            "TaperDesk calculates; it does not give medical advice."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"use this data folder instead of the usual one (or set {ENV_VAR})",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="open the window offscreen, visit every tab, print a test sheet, check the "
        "database in a temporary folder, and exit (0 if all is well)",
    )
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    from taperdesk.commands import COMMAND_MODULES

    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=OneLineParser
    )
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"taperdesk.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"taperdesk.commands.{name}":
                continue  # that subcommand is not part of this build
            raise
        module.register(subparsers)
    return parser


def _names_a_command(arguments: Sequence[str]) -> bool:
    """Whether ``arguments`` may name a subcommand or ask for help: anything but
    ``--data-dir DIR`` and ``--self-check`` (the full parser then reads them, so its
    errors, abbreviations and ``--help`` are exactly as before)."""
    i = 0
    while i < len(arguments):
        argument = arguments[i]
        if argument == "--data-dir" and i + 1 < len(arguments):
            if arguments[i + 1].startswith("-"):
                return True  # argparse would refuse it: let the full parser say so
            i += 2
        elif argument.startswith("--data-dir=") or argument == "--self-check":
            i += 1
        else:
            return True
    return False


def _start_gui(folder: Path) -> int:
    """Open the window; a failure here is logged and shown by :func:`run_guarded`."""
    from taperdesk.ui.app import run_app

    # "taperdesk", not sys.argv[0]: under ``python -m taperdesk`` that is ".../__main__.py",
    # which Qt made the window's class name (the name a desktop groups windows by).
    return run_app(folder, ["taperdesk"])


def main(argv: Sequence[str] | None = None) -> int:
    from taperdesk.startup_errors import ensure_std_streams

    ensure_std_streams()  # a windowed (frozen) app has no sys.stdout
    from taperdesk.mpl_cache import use_lasting_matplotlib_cache

    use_lasting_matplotlib_cache()  # before anything imports matplotlib
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(with_commands=_names_a_command(arguments))
    args = parser.parse_args(arguments)
    folder = data_dir(args.data_dir)

    if args.self_check:
        from taperdesk.selfcheck import run_self_check

        return run_self_check(sys.stdout, folder)

    if args.command is None:
        from taperdesk.startup_errors import run_guarded

        return run_guarded(lambda: _start_gui(folder))

    from taperdesk.commands import CommandContext, CommandError
    from taperdesk.errors import KnownError

    context = CommandContext(data_dir=folder)
    prog = f"taperdesk {args.command}"
    try:
        return int(args.handler(args, context))
    except CommandError as error:
        print(f"{prog}: error: {one_line(str(error))}", file=sys.stderr)
        return error.exit_code
    except KnownError as error:
        print(f"{prog}: error: {one_line(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``taperdesk schedule | head``): stop quietly, as
        # command-line tools do, and keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        context.close()
