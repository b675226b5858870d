"""Certification benchmark: our adaptive test against the reference rules and catsim.

    .venv/bin/python bench/bench_certification.py [--seed 0] [--learners 1000]
        [--write-files DIR]

One bank (600 challenges over 16 competences, 8 tubes each, a ~ lognormal(0.2, 0.3),
b ~ N(0, 1)) and one population (θ ~ N(0, 1)), 32 challenges, in one run:
- ours: every rule, the default prior and exposure control;
- the reference: every rule, the reference's recentred prior (start −3) and its
  randomesque top-5 draw; and each change alone, to see what each one does;
- catsim: its maximum-information selector and numerical-search estimator, without
  content rules or exposure control (what catsim offers out of the box).
It prints RMSE, bias, mean standard error, highest exposure, share of the bank used and
the median time of one step (choose the next challenge + update the estimate), and the
step-time ratio catsim / ours. `--write-files DIR` also writes BANK.json and POP.json
for `python -m balise.engine.simulate certification`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from dataclasses import asdict

import numpy as np

from balise.engine.certification import (
    DEFAULT_EXPOSURE,
    REFERENCE_EXPOSURE,
    PreparedBank,
)
from balise.engine.irt import POPULATION_PRIOR, REFERENCE_PRIOR
from balise.engine.simulate_certification import simulate_certification

COMPETENCES, TUBES_PER_COMPETENCE, BANK_SIZE, LENGTH = 16, 8, 600, 32


def make_bank(rng: np.random.Generator) -> dict:
    a = rng.lognormal(0.2, 0.3, BANK_SIZE)
    b = rng.normal(0.0, 1.0, BANK_SIZE)
    items = []
    for i in range(BANK_SIZE):
        competence = i % COMPETENCES
        tube = (i // COMPETENCES) % TUBES_PER_COMPETENCE
        items.append(
            {
                "id": f"challenge-{i:03d}",
                "competence": f"competence-{competence:02d}",
                "tube": f"tube-{competence:02d}-{tube}",
                "skill": f"skill-{i:03d}",
                "a": round(float(a[i]), 6),
                "b": round(float(b[i]), 6),
            }
        )
    return {"items": items}


def run_catsim(items: list[dict], thetas: np.ndarray, rng: np.random.Generator) -> dict:
    from catsim.estimation import NumericalSearchEstimator
    from catsim.item_bank import ItemBank
    from catsim.selection import MaxInfoSelector

    parameters = np.array([[item["a"], item["b"], 0.0, 1.0] for item in items])
    item_bank = ItemBank(parameters)
    selector, estimator = MaxInfoSelector(), NumericalSearchEstimator()
    estimates, times = np.empty(len(thetas)), []
    exposures = np.zeros(len(items), dtype=np.int64)
    clock = time.perf_counter_ns
    for learner, true_theta in enumerate(thetas):
        administered: list[int] = []
        responses: list[bool] = []
        theta = 0.0
        for _ in range(LENGTH):
            started = clock()
            index = int(selector.select(item_bank=item_bank, administered_items=administered, est_theta=theta))
            selected = clock()
            a, b = parameters[index, 0], parameters[index, 1]
            administered.append(index)
            responses.append(bool(rng.random() < 1.0 / (1.0 + math.exp(a * (b - true_theta)))))
            estimating = clock()
            theta = float(
                estimator.estimate(
                    item_bank=item_bank,
                    administered_items=administered,
                    response_vector=responses,
                    est_theta=theta,
                )
            )
            times.append(selected - started + clock() - estimating)
        estimates[learner] = theta
        exposures[administered] += 1
    deviations = estimates - thetas
    return {
        "rmse": float(np.sqrt(np.mean(deviations**2))),
        "bias": float(np.mean(deviations)),
        "mean_se": float("nan"),  # catsim's estimator gives no standard error
        "max_exposure": float(exposures.max() / len(thetas)),
        "bank_used_share": float(np.count_nonzero(exposures) / len(items)),
        "us_per_step": float(np.median(times) / 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--write-files", metavar="DIR")
    arguments = parser.parse_args()
    rng = np.random.default_rng(arguments.seed)
    bank_document = make_bank(rng)
    thetas = rng.normal(0.0, 1.0, arguments.learners)
    if arguments.write_files:
        os.makedirs(arguments.write_files, exist_ok=True)
        with open(os.path.join(arguments.write_files, "BANK.json"), "w") as stream:
            json.dump(bank_document, stream)
        with open(os.path.join(arguments.write_files, "POP.json"), "w") as stream:
            json.dump({"thetas": thetas.round(6).tolist()}, stream)
    items = bank_document["items"]
    bank = PreparedBank.from_arrays(
        ids=[i["id"] for i in items],
        competences=[i["competence"] for i in items],
        tubes=[i["tube"] for i in items],
        skills=[i["skill"] for i in items],
        a=[i["a"] for i in items],
        b=[i["b"] for i in items],
    )
    print(
        f"certification: bank of {len(items)} challenges over {COMPETENCES} competences, "
        f"{len(thetas)} learners, {LENGTH} challenges, seed {arguments.seed}"
    )
    rows = {}
    variants = [
        ("ours (default)", POPULATION_PRIOR, DEFAULT_EXPOSURE),
        ("reference rules", REFERENCE_PRIOR, REFERENCE_EXPOSURE),
        ("reference prior + our exposure", REFERENCE_PRIOR, DEFAULT_EXPOSURE),
        ("our prior + reference exposure", POPULATION_PRIOR, REFERENCE_EXPOSURE),
    ]
    for name, prior, exposure in variants:
        report = simulate_certification(
            bank,
            thetas,
            np.random.default_rng(arguments.seed + 1),
            length=LENGTH,
            prior=prior,
            exposure=exposure,
        )
        rows[name] = asdict(report)
    rows["catsim max-info (no rules)"] = run_catsim(items, thetas, np.random.default_rng(arguments.seed + 1))
    columns = ("rmse", "bias", "mean_se", "max_exposure", "bank_used_share", "us_per_step")
    print(f"{'':34}" + "".join(f"{c:>16}" for c in columns))
    for name, row in rows.items():
        print(f"{name:34}" + "".join(f"{row[c]:>16.3f}" for c in columns))
    ours = rows["ours (default)"]
    print(
        f"step time catsim / ours: {rows['catsim max-info (no rules)']['us_per_step'] / ours['us_per_step']:.1f}x"
        f"   RMSE ours / reference: {ours['rmse'] / rows['reference rules']['rmse']:.3f}"
    )
    print("targets (ours): RMSE <= 0.22, max exposure <= 0.25, bank used >= 0.50, >= 20x faster than catsim")


if __name__ == "__main__":
    main()
