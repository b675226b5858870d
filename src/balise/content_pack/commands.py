"""The `balise content …` sub-commands: check a pack, count it."""

from __future__ import annotations

import argparse
import json
import sys

from .problems import PackError
from .reader import read_pack
from .stats import format_stats, pack_stats
from .validate import check_pack, pack_problems


def add_content_commands(commands: argparse._SubParsersAction) -> None:
    content = commands.add_parser("content", help="check and count a content pack")
    content_commands = content.add_subparsers(dest="content_command", metavar="COMMAND", required=True)
    check = content_commands.add_parser(
        "check", help="list every problem of a pack, one line each; exit 1 if there is any"
    )
    check.add_argument("path", metavar="PATH", help="the pack folder (the one with pack.yaml)")
    check.set_defaults(run=run_check)
    stats = content_commands.add_parser("stats", help="count areas, competences, tubes, skills, challenges, tutorials")
    stats.add_argument("path", metavar="PATH", help="the pack folder (the one with pack.yaml)")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.add_argument("--language", default="en", help="language of the names shown (default en)")
    stats.set_defaults(run=run_stats)


def run_check(arguments: argparse.Namespace) -> int:
    problems = check_pack(arguments.path)
    for problem in problems:
        print(problem)
    sys.stdout.flush()  # the problems before the summary, even when both go to one terminal
    if problems:
        print(f"{arguments.path}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{arguments.path}: no problems", file=sys.stderr)
    return 0


def run_stats(arguments: argparse.Namespace) -> int:
    try:
        pack, problems = read_pack(arguments.path)
    except PackError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    # Counting a pack that is still being written is useful, so problems do not stop it;
    # they are only mentioned, `content check` lists them.
    problems += pack_problems(pack)
    stats = pack_stats(pack)
    if arguments.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(format_stats(stats, arguments.language))
    if problems:
        print(
            f"{arguments.path}: {len(problems)} problem(s); run `balise content check` to list them",
            file=sys.stderr,
        )
    return 0
