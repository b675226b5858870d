"""The `balise` command line. Each part of Balise adds its own group of sub-commands.

To add a group, write a function that takes the sub-parsers object, adds a parser with its
own sub-commands, and sets `run` (a function of the parsed arguments returning the exit
code) with `set_defaults`; then list it in COMMAND_GROUPS.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from balise.content_pack.commands import add_content_commands
from balise.credential_commands import add_credential_commands

COMMAND_GROUPS: list[Callable[[argparse._SubParsersAction], None]] = [
    add_content_commands,
    add_credential_commands,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="balise", description="Balise: evaluate, develop and certify digital skills.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_commands in COMMAND_GROUPS:
        add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        return arguments.run(arguments)
    except BrokenPipeError:
        # Output piped into `head` or a closed pager: not an error of the command. Point
        # stdout at /dev/null so that Python's flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
