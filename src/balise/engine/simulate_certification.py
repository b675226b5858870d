"""Simulate the certification test on a bank and a population of known capacities.

    python -m balise.engine.simulate certification --bank BANK.json --population POP.json \
        [--length 32] [--seed N] [--prior population|reference] [--exposure default|reference]

BANK.json is {"items": [{"id", "competence", "tube", "skill", "a", "b"}, …]} and POP.json
is {"thetas": [float, …]}. It prints one JSON object: rmse, bias, mean_se, mean_length,
max_exposure, bank_used_share and us_per_step (median time of one step: choosing the next
challenge and updating the estimate, in microseconds). A bad file is reported on one line
with the path of the bad field, exit code 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from balise.engine.certification import (
    CERTIFICATION_LENGTH,
    DEFAULT_EXPOSURE,
    DEFAULT_PRIOR,
    REFERENCE_EXPOSURE,
    AdaptiveTestRun,
    ExposureControl,
    PreparedBank,
)
from balise.engine.input_files import InputFileError, load_json
from balise.engine.irt import POPULATION_PRIOR, REFERENCE_PRIOR, CapacityPrior, population_prior

PRIORS = {"population": POPULATION_PRIOR, "reference": REFERENCE_PRIOR}
EXPOSURES = {"default": DEFAULT_EXPOSURE, "reference": REFERENCE_EXPOSURE}
BANK_FIELDS = ("id", "competence", "tube", "skill")


@dataclass(frozen=True)
class CertificationSimulation:
    rmse: float
    bias: float
    mean_se: float
    mean_length: float
    max_exposure: float  # highest share of candidates who saw one challenge
    bank_used_share: float  # share of the bank asked of at least one candidate
    us_per_step: float  # median microseconds of next-challenge choice + estimate update


def simulate_certification(
    bank: PreparedBank,
    thetas: Sequence[float],
    rng: np.random.Generator,
    *,
    length: int = CERTIFICATION_LENGTH,
    prior: CapacityPrior = DEFAULT_PRIOR,
    exposure: ExposureControl = DEFAULT_EXPOSURE,
    learn_prior_every: int = 0,
) -> CertificationSimulation:
    """Run one certification per true capacity; answers are drawn from the 2PL model.

    `learn_prior_every` = n > 0: every n candidates, the prior becomes the population
    learnt from the candidates so far (irt.population_prior), as a platform would
    recompute it from its recent certifications; `prior` serves until then."""
    if len(thetas) == 0:
        raise ValueError("the population is empty")
    estimates = np.empty(len(thetas))
    errors = np.empty(len(thetas))
    lengths = np.empty(len(thetas))
    times_ns: list[int] = []
    exposures = np.zeros(len(bank), dtype=np.int64)
    a, b = bank.a, bank.b
    clock = time.perf_counter_ns
    capped = exposure.max_exposure_rate < 1.0
    over_exposed = None
    for learner, true_theta in enumerate(thetas):
        if learn_prior_every and learner and learner % learn_prior_every == 0:
            prior = population_prior(estimates[:learner], errors[:learner])
        run = AdaptiveTestRun(bank, prior)
        if capped and learner:
            # Candidates take the test one after the other: the platform knows how often
            # each challenge was asked so far, as the simulator does here.
            over_exposed = exposures >= exposure.max_exposure_rate * learner
        for _ in range(length):
            started = clock()
            index = run.choose(rng, exposure, over_exposed)
            chosen = clock()
            if index is None:
                break
            # The simulated candidate's answer is not part of the timed step.
            correct = rng.random() < 1.0 / (1.0 + math.exp(a[index] * (b[index] - true_theta)))
            recording = clock()
            run.record(index, correct)
            times_ns.append(chosen - started + clock() - recording)
        estimates[learner] = run.theta
        errors[learner] = run.se
        lengths[learner] = len(run.administered)
        exposures[run.administered] += 1
    deviations = estimates - np.asarray(thetas, dtype=float)
    return CertificationSimulation(
        rmse=float(np.sqrt(np.mean(deviations**2))),
        bias=float(np.mean(deviations)),
        mean_se=float(np.mean(errors)),
        mean_length=float(np.mean(lengths)),
        max_exposure=float(exposures.max() / len(thetas)),
        bank_used_share=float(np.count_nonzero(exposures) / len(bank)),
        us_per_step=float(np.median(times_ns) / 1000.0) if times_ns else 0.0,
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def load_bank(path: str) -> PreparedBank:
    """Read and check BANK.json; raise InputFileError naming the first bad field."""
    document = load_json(path)
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise InputFileError(f"{path}: items: expected a list of challenges")
    items = document["items"]
    if not items:
        raise InputFileError(f"{path}: items: expected at least one challenge")
    columns: dict[str, list[Any]] = {name: [] for name in (*BANK_FIELDS, "a", "b")}
    seen: set[str] = set()
    for position, item in enumerate(items):
        where = f"{path}: items[{position}]"
        if not isinstance(item, dict):
            raise InputFileError(f"{where}: expected an object")
        for name in BANK_FIELDS:
            value = item.get(name)
            if not isinstance(value, str) or not value:
                raise InputFileError(f"{where}.{name}: expected a non-empty string")
            columns[name].append(value)
        if item["id"] in seen:
            raise InputFileError(f"{where}.id: duplicate id {item['id']!r}")
        seen.add(item["id"])
        if not _is_number(item.get("a")) or item["a"] <= 0:
            raise InputFileError(f"{where}.a: expected a positive number")
        if not _is_number(item.get("b")):
            raise InputFileError(f"{where}.b: expected a number")
        columns["a"].append(float(item["a"]))
        columns["b"].append(float(item["b"]))
    return PreparedBank.from_arrays(
        ids=columns["id"],
        competences=columns["competence"],
        tubes=columns["tube"],
        skills=columns["skill"],
        a=columns["a"],
        b=columns["b"],
    )


def load_population(path: str) -> list[float]:
    """Read and check POP.json; raise InputFileError naming the first bad field."""
    document = load_json(path)
    if not isinstance(document, dict) or not isinstance(document.get("thetas"), list):
        raise InputFileError(f"{path}: thetas: expected a list of numbers")
    thetas = document["thetas"]
    if not thetas:
        raise InputFileError(f"{path}: thetas: expected at least one capacity")
    for position, theta in enumerate(thetas):
        if not _is_number(theta):
            raise InputFileError(f"{path}: thetas[{position}]: expected a number")
    return [float(theta) for theta in thetas]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def build_parser(
    prog: str = "python -m balise.engine.simulate certification",
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Simulate the certification test on a bank and a population."
    )
    parser.add_argument("--bank", required=True, metavar="BANK.json")
    parser.add_argument("--population", required=True, metavar="POP.json")
    parser.add_argument("--length", type=_positive_int, default=CERTIFICATION_LENGTH)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--prior",
        choices=sorted(PRIORS),
        default="population",
        help="capacity prior: population N(0, 1) (default) or the reference's recentred one",
    )
    parser.add_argument(
        "--exposure",
        choices=sorted(EXPOSURES),
        default="default",
        help="exposure control: default (competence first, exposure cap) or the reference top-5 draw",
    )
    return parser


def main(argv: list[str] | None = None, *, prog: str | None = None) -> int:
    """Run the `certification` sub-command; returns the exit code (2 for a bad file)."""
    arguments = (build_parser(prog) if prog else build_parser()).parse_args(argv)
    try:
        bank = load_bank(arguments.bank)
        thetas = load_population(arguments.population)
    except InputFileError as error:
        print(error, file=sys.stderr)
        return 2
    report = simulate_certification(
        bank,
        thetas,
        np.random.default_rng(arguments.seed),
        length=arguments.length,
        prior=PRIORS[arguments.prior],
        exposure=EXPOSURES[arguments.exposure],
    )
    print(json.dumps({name: round(value, 6) for name, value in asdict(report).items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], prog="python -m balise.engine.simulate_certification"))
