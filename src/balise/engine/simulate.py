"""Simulate the engine's tests on your own framework or bank.

    python -m balise.engine.simulate positioning --framework FW.json --population POP.json \
        [--strategy reference|default] [--seed N]
    python -m balise.engine.simulate certification --bank BANK.json --population POP.json \
        [--length 32] [--seed N]

Each prints one JSON object of figures on standard output. A bad input file is reported on
standard error with the path of the bad field, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys

from balise.engine.positioning import STRATEGIES
from balise.engine.positioning.simulation import (
    InputFileError,
    load_framework,
    load_population,
    simulate,
)
from balise.engine.scoring import DEFAULT_MAX_LEVEL

EXIT_BAD_INPUT = 2
# The certification simulator lives in its own module, written alongside this one; this
# command only routes to it (its own parser handles its options).
CERTIFICATION_MODULE = "balise.engine.simulate_certification"


def _positioning_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{prog} positioning",
        description="Simulated learners take positioning tests; prints mean_questions, "
        "skill_status_accuracy, level_exact_rate and us_per_step as JSON.",
    )
    parser.add_argument(
        "--framework",
        required=True,
        metavar="FW.json",
        help='{"tubes": [{"id", "competence", "skills": [{"id", "level"}]}]}',
    )
    parser.add_argument(
        "--population",
        required=True,
        metavar="POP.json",
        help='{"learners": [{"mastery": {"<tube id>": level}, "slip", "guess"}]}',
    )
    parser.add_argument("--strategy", choices=sorted(STRATEGIES), default="default")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--max-level",
        type=int,
        default=DEFAULT_MAX_LEVEL,
        help="max reachable level for the pix formula (default %(default)s)",
    )
    return parser


def run_positioning(argv: list[str], prog: str = "python -m balise.engine.simulate") -> int:
    args = _positioning_parser(prog).parse_args(argv)
    try:
        framework = load_framework(args.framework)
        learners = load_population(args.population, framework)
    except InputFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = simulate(framework, learners, strategy=args.strategy, seed=args.seed, max_level=args.max_level)
    print(json.dumps(result.as_dict()))
    return 0


def run_certification(argv: list[str]) -> int:
    if importlib.util.find_spec(CERTIFICATION_MODULE) is None:
        print("error: the certification simulator is not installed", file=sys.stderr)
        return EXIT_BAD_INPUT
    module = importlib.import_module(CERTIFICATION_MODULE)
    if hasattr(module, "main"):
        return int(module.main(argv) or 0)
    return int(module.run_certification_simulation(_certification_parser().parse_args(argv)) or 0)


def _certification_parser() -> argparse.ArgumentParser:
    # Used only when the certification module offers run_certification_simulation(args)
    # rather than its own main(argv): the options issue 2 specifies.
    parser = argparse.ArgumentParser(prog="python -m balise.engine.simulate certification")
    parser.add_argument("--bank", required=True, metavar="BANK.json")
    parser.add_argument("--population", required=True, metavar="POP.json")
    parser.add_argument("--length", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    return parser


COMMANDS = {"positioning": run_positioning, "certification": run_certification}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="python -m balise.engine.simulate",
        description="Simulate positioning or certification tests and print their figures.",
    )
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("options", nargs=argparse.REMAINDER, help="the command's options (see `COMMAND --help`)")
    args = parser.parse_args(argv[:1])
    return COMMANDS[args.command](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
