"""The engine on a family of generated banks, frameworks and populations, not on one.

    .venv/bin/python bench/bench_engine_family.py [--members 8] [--seeds 3]
        [--learners 400] [--pos-learners 300] [--catsim-learners 15] [--max-level 7]

Each member of the family (MEMBERS below) describes a certification bank, a population of
candidates, a positioning framework and a population of learners; each seed draws a new
bank, framework and population from that description (levels, gaps, challenges per skill,
difficulties, discriminations, capacities, masteries) and a new run of the simulators.

- Certification banks: 16 competences of 4-7 tubes, each tube a few levels of 1-7 with
  gaps, 1-3 challenges per skill; a ~ lognormal(0.2, spread); b i.i.d. normal, or following
  the skill's level plus noise. Candidates θ ~ N(mean, sd), mean in −1…+1, sd 0.8-1.3.
- Positioning frameworks: one competence of 3-8 tubes whose levels (1-7 with gaps) are
  shared between tubes or dealt out so that tubes do not share a level; 1-3 challenges per
  skill. Learners: a general level plus a deviation per tube (rounded, 0-7), a slip and a
  guess rate.

For each member and seed it prints, side by side:
- certification: ours (the default prior and exposure control) against the reference
  rules (recentred prior from −3, top-5 draw) and catsim (maximum information, numerical
  search, no content rule; on the first --catsim-learners candidates only, to time its
  step): RMSE, max exposure, share of the bank used, median step time and the ratio of
  catsim's step time to ours;
- positioning: the default strategy against the reference: questions (and their ratio),
  skill-status accuracy, the rate of learners credited two or more levels above their
  true level, and the level's calibration (mean credited − true level, per true level).
Then the worst case of each figure over every member and seed, whether each target holds
everywhere, and, as the last line, one JSON object with the worst cases.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import asdict, dataclass

import numpy as np

from balise.engine.certification import DEFAULT_EXPOSURE, DEFAULT_PRIOR, REFERENCE_EXPOSURE, PreparedBank
from balise.engine.irt import REFERENCE_PRIOR
from balise.engine.positioning.simulation import parse_framework, parse_population, simulate
from balise.engine.simulate_certification import simulate_certification

LENGTH = 32
COMPETENCES = 16
MAX_TUBE_LEVEL = 7
A_LOCATION = 0.2  # log-discrimination location of every bank (as the certification bench)

TARGETS = {
    "cert_rmse_max": 0.22,
    "cert_max_exposure_max": 0.25,
    "cert_bank_used_min": 0.50,
    "cert_speed_vs_catsim_min": 20.0,
    "pos_questions_ratio_max": 0.75,
}


@dataclass(frozen=True)
class Member:
    """One member of the family. Certification: the bank ('iid' or 'level'), the spread
    of log a, b's law, challenges per skill, the candidates. Positioning: tubes, whether they
    share levels, challenges per skill, the learners."""

    name: str
    bank: str  # "iid": b ~ N(b_mean, b_sd); "level": b = b_mean + slope (level − 4) + N(0, b_sd)
    a_spread: float
    b_mean: float
    b_sd: float
    slope: float
    per_skill: tuple[float, float, float]  # weights of 1, 2, 3 challenges per skill
    pop_mean: float
    pop_sd: float
    tubes: int
    shared_levels: bool
    tube_sd: float  # how far a tube's mastery strays from the learner's general level
    slip: float
    guess: float


# One line per member, read as a table (the order of the fields of Member).
# fmt: off
MEMBERS = (
    Member("iid, narrow a, centred", "iid", 0.15, 0.0, 1.0, 0.0, (0.5, 0.3, 0.2), 0.0, 1.0, 5, True, 0.8, 0.1, 0.2),
    Member("level+noise, pop +0.6", "level", 0.3, 0.3, 0.5, 0.8, (0.4, 0.4, 0.2), 0.6, 1.0, 5, False, 0.8, 0.1, 0.2),
    Member("level+noise, pop -1 narrow", "level", 0.45, 0.0, 0.4, 0.7, (0.3, 0.4, 0.3), -1.0, 0.8, 4, False, 0.6, 0.08, 0.2),
    Member("steep levels, pop +1 wide", "level", 0.3, 0.2, 0.3, 0.9, (0.5, 0.3, 0.2), 1.0, 1.3, 7, True, 1.2, 0.1, 0.25),
    Member("iid wide a, shifted bank", "iid", 0.45, 0.3, 1.2, 0.0, (0.6, 0.3, 0.1), -0.5, 1.2, 6, False, 0.5, 0.12, 0.15),
    Member("flat levels, noisy", "level", 0.3, 0.0, 0.7, 0.5, (0.3, 0.3, 0.4), 0.3, 0.9, 3, True, 1.0, 0.1, 0.2),
    Member("level, 1 per skill", "level", 0.3, -0.2, 0.5, 0.8, (0.8, 0.15, 0.05), -0.3, 1.1, 8, True, 0.8, 0.05, 0.2),
    Member("hard iid bank, low pop", "iid", 0.3, 0.8, 1.0, 0.0, (0.5, 0.3, 0.2), -0.8, 1.3, 5, False, 1.2, 0.15, 0.2),
    Member("level, pop +1 narrow", "level", 0.15, 0.4, 0.5, 0.8, (0.4, 0.4, 0.2), 1.0, 0.8, 6, False, 0.8, 0.1, 0.2),
    Member("level, pop -0.6 wide", "level", 0.45, 0.0, 0.6, 0.6, (0.5, 0.3, 0.2), -0.6, 1.3, 5, True, 0.6, 0.1, 0.25),
)
# fmt: on


def tube_levels(rng: np.random.Generator) -> list[int]:
    """A tube's levels: a range inside 1-7 with gaps (a tube rarely has every level)."""
    low = int(rng.integers(1, 4))
    high = int(rng.integers(max(low + 2, 4), MAX_TUBE_LEVEL + 1))
    levels = [level for level in range(low, high + 1) if level in (low, high) or rng.random() < 0.7]
    return levels


def certification_bank(member: Member, rng: np.random.Generator) -> dict:
    items = []
    for competence in range(COMPETENCES):
        for tube in range(int(rng.integers(4, 8))):
            for level in tube_levels(rng):
                count = 1 + int(rng.choice(3, p=member.per_skill))
                for n in range(count):
                    if member.bank == "iid":
                        b = rng.normal(member.b_mean, member.b_sd)
                    else:
                        b = member.b_mean + member.slope * (level - 4) + rng.normal(0.0, member.b_sd)
                    skill = f"s{competence:02d}-{tube}-{level}"
                    items.append(
                        {
                            "id": f"{skill}#{n}",
                            "competence": f"c{competence:02d}",
                            "tube": f"t{competence:02d}-{tube}",
                            "skill": skill,
                            "a": float(rng.lognormal(A_LOCATION, member.a_spread)),
                            "b": float(b),
                        }
                    )
    return {"items": items}


def prepared(bank_document: dict) -> PreparedBank:
    items = bank_document["items"]
    return PreparedBank.from_arrays(
        ids=[i["id"] for i in items],
        competences=[i["competence"] for i in items],
        tubes=[i["tube"] for i in items],
        skills=[i["skill"] for i in items],
        a=[i["a"] for i in items],
        b=[i["b"] for i in items],
    )


def positioning_framework(member: Member, rng: np.random.Generator) -> dict:
    """Shared levels: every tube a range with gaps from an easy start (tubes meet at most
    levels). Not shared: each tube a short band of levels at its own height (3-5 levels,
    bands spread over 1-7), so tubes meet at one level at most, often at none."""
    if member.shared_levels:
        levels_by_tube = [tube_levels(rng) for _ in range(member.tubes)]
    else:
        levels_by_tube = []
        for t in range(member.tubes):
            width = int(rng.integers(3, 6))
            centre = 1 + (MAX_TUBE_LEVEL - 1) * (t + rng.uniform(0.2, 0.8)) / member.tubes
            low = int(np.clip(round(centre - (width - 1) / 2), 1, MAX_TUBE_LEVEL - width + 1))
            levels = list(range(low, low + width))
            if width > 2 and rng.random() < 0.5:
                del levels[int(rng.integers(1, width - 1))]  # a gap inside the band
            levels_by_tube.append(levels)
    return {
        "tubes": [
            {
                "id": f"tube{t}",
                "competence": "c",
                "skills": [
                    {
                        "id": f"@tube{t}-{level}",
                        "level": level,
                        "challenges": 1 + int(rng.choice(3, p=member.per_skill)),
                    }
                    for level in levels
                ],
            }
            for t, levels in enumerate(levels_by_tube)
        ]
    }


def positioning_population(member: Member, framework: dict, learners: int, rng: np.random.Generator) -> dict:
    """A general level on the skill scale (3.5 + 1.5 θ, θ from the member's population)
    and, per tube, that level plus a deviation, rounded, in 0-7."""
    tube_ids = [tube["id"] for tube in framework["tubes"]]
    people = []
    for _ in range(learners):
        general = 3.5 + 1.5 * rng.normal(member.pop_mean, member.pop_sd)
        mastery = {
            t: int(np.clip(round(general + rng.normal(0.0, member.tube_sd)), 0, MAX_TUBE_LEVEL)) for t in tube_ids
        }
        people.append({"mastery": mastery, "slip": member.slip, "guess": member.guess})
    return {"learners": people}


def run_catsim(bank_document: dict, thetas: np.ndarray, rng: np.random.Generator) -> dict:
    from catsim.estimation import NumericalSearchEstimator
    from catsim.item_bank import ItemBank
    from catsim.selection import MaxInfoSelector

    items = bank_document["items"]
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
        "max_exposure": float(exposures.max() / len(thetas)),
        "bank_used_share": float(np.count_nonzero(exposures) / len(items)),
        "us_per_step": float(np.median(times) / 1000),
    }


def catsim_available() -> bool:
    try:
        import catsim  # noqa: F401
    except ImportError:
        return False
    return True


def certification_figures(member: Member, seed: int, args, member_index: int) -> dict:
    rng = np.random.default_rng([member_index, seed, 1])
    bank_document = certification_bank(member, rng)
    bank = prepared(bank_document)
    thetas = rng.normal(member.pop_mean, member.pop_sd, args.learners)
    rows = {}
    for name, prior, exposure in (
        ("ours", DEFAULT_PRIOR, DEFAULT_EXPOSURE),
        ("reference", REFERENCE_PRIOR, REFERENCE_EXPOSURE),
    ):
        report = simulate_certification(
            bank, thetas, np.random.default_rng([member_index, seed, 2]), length=LENGTH, prior=prior, exposure=exposure
        )
        rows[name] = asdict(report)
    if args.catsim_learners and catsim_available():
        rows["catsim"] = run_catsim(
            bank_document, thetas[: args.catsim_learners], np.random.default_rng([member_index, seed, 3])
        )
    return {"bank_size": len(bank), "rows": rows}


def positioning_figures(member: Member, seed: int, args, member_index: int) -> dict:
    rng = np.random.default_rng([member_index, seed, 4])
    framework_document = positioning_framework(member, rng)
    framework = parse_framework(framework_document, "family framework")
    learners = parse_population(
        positioning_population(member, framework_document, args.pos_learners, rng), framework, "family population"
    )
    rows = {
        strategy: simulate(framework, learners, strategy=strategy, seed=seed, max_level=args.max_level).as_dict()
        for strategy in ("reference", "default")
    }
    levels = {tube["id"]: [s["level"] for s in tube["skills"]] for tube in framework_document["tubes"]}
    return {"skills": len(framework.skills), "levels": levels, "rows": rows}


def calibration_text(row: dict) -> str:
    return " ".join(
        f"{level}:{entry['mean_credited_minus_true']:+.2f}" for level, entry in row["level_calibration"].items()
    )


def worst_calibration(row: dict, minimum_tests: int) -> float:
    """The largest mean over-crediting of any true level met at least `minimum_tests` times."""
    values = [
        entry["mean_credited_minus_true"]
        for entry in row["level_calibration"].values()
        if entry["tests"] >= minimum_tests
    ]
    return max(values, default=0.0)


def print_case(member: Member, seed: int, cert: dict, pos: dict) -> dict:
    rows = cert["rows"]
    ours, ref = rows["ours"], rows["reference"]
    catsim = rows.get("catsim")
    print(f"\n### {member.name} — seed {seed}")
    print(
        f"certification: bank {cert['bank_size']} challenges ({member.bank}, a spread {member.a_spread}), "
        f"candidates N({member.pop_mean:+.1f}, {member.pop_sd})"
    )
    print(f"  {'':10}{'RMSE':>8}{'max exp':>9}{'bank used':>11}{'µs/step':>10}")
    for name, row in rows.items():
        print(
            f"  {name:10}{row['rmse']:>8.3f}{row['max_exposure']:>9.3f}{row['bank_used_share']:>11.3f}"
            f"{row['us_per_step']:>10.1f}"
        )
    speed = catsim["us_per_step"] / ours["us_per_step"] if catsim else float("nan")
    print(f"  catsim / ours step time: {speed:.1f}x   RMSE ours / reference: {ours['rmse'] / ref['rmse']:.3f}")
    p_ref, p_ours = pos["rows"]["reference"], pos["rows"]["default"]
    print(
        f"positioning: {len(pos['levels'])} tubes, {pos['skills']} skills, levels "
        + " ".join("+".join(map(str, levels)) for levels in pos["levels"].values())
    )
    print(
        f"  {'':10}{'questions':>10}{'accuracy':>10}{'exact':>8}{'≥2 over':>9}  calibration (true level: credited − true)"
    )
    for name, row in (("reference", p_ref), ("default", p_ours)):
        print(
            f"  {name:10}{row['mean_questions']:>10.3f}{row['skill_status_accuracy']:>10.4f}"
            f"{row['level_exact_rate']:>8.3f}{row['over_credit_rate']:>9.4f}  {calibration_text(row)}"
        )
    ratio = p_ours["mean_questions"] / p_ref["mean_questions"]
    accuracy_gain = p_ours["skill_status_accuracy"] - p_ref["skill_status_accuracy"]
    over_credit_excess = p_ours["over_credit_rate"] - p_ref["over_credit_rate"]
    print(
        f"  default / reference questions: {ratio:.3f}   accuracy: {accuracy_gain * 100:+.2f} points   "
        f"≥2 over: {over_credit_excess * 100:+.2f} points"
    )
    minimum = 10  # a true level met fewer times gives a mean too noisy to call the worst
    return {
        "member": member.name,
        "seed": seed,
        "cert_rmse": ours["rmse"],
        "cert_rmse_reference": ref["rmse"],
        "cert_max_exposure": ours["max_exposure"],
        "cert_bank_used": ours["bank_used_share"],
        "cert_speed_vs_catsim": speed,
        "cert_us_per_step": ours["us_per_step"],
        "pos_questions_ratio": ratio,
        "pos_accuracy_gain": accuracy_gain,
        "pos_over_credit": p_ours["over_credit_rate"],
        "pos_over_credit_reference": p_ref["over_credit_rate"],
        "pos_over_credit_excess": over_credit_excess,
        "pos_worst_calibration": worst_calibration(p_ours, minimum),
        "pos_worst_calibration_reference": worst_calibration(p_ref, minimum),
    }


# Figure -> (which way is worse, target check). "max": the highest value is the worst case.
WORST = {
    "cert_rmse": ("max", lambda v: v <= TARGETS["cert_rmse_max"]),
    "cert_max_exposure": ("max", lambda v: v <= TARGETS["cert_max_exposure_max"]),
    "cert_bank_used": ("min", lambda v: v >= TARGETS["cert_bank_used_min"]),
    "cert_speed_vs_catsim": ("min", lambda v: math.isnan(v) or v >= TARGETS["cert_speed_vs_catsim_min"]),
    "pos_questions_ratio": ("max", lambda v: v <= TARGETS["pos_questions_ratio_max"]),
    "pos_accuracy_gain": ("min", lambda v: v >= 0.0),
    "pos_over_credit_excess": ("max", lambda v: v <= 0.0),
    "pos_over_credit": ("max", None),
    "pos_worst_calibration": ("max", None),
    "pos_worst_calibration_reference": ("max", None),
    "cert_rmse_reference": ("max", None),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=len(MEMBERS), help=f"first N members (at most {len(MEMBERS)})")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--learners", type=int, default=1000, help="certification candidates per member and seed")
    parser.add_argument("--pos-learners", type=int, default=1000, help="positioning learners per member and seed")
    parser.add_argument("--catsim-learners", type=int, default=20, help="candidates catsim is timed on (0: none)")
    parser.add_argument("--max-level", type=int, default=7, help="max reachable level of the pix formula")
    parser.add_argument("--only", type=int, nargs="*", help="run only these member numbers (0-based)")
    args = parser.parse_args(argv)
    members = list(enumerate(MEMBERS[: args.members]))
    if args.only:
        members = [(i, m) for i, m in members if i in args.only]
    started = time.perf_counter()
    print(
        f"engine family: {len(members)} members x {args.seeds} seeds; certification {args.learners} candidates "
        f"(catsim on {args.catsim_learners if catsim_available() else 0}), positioning {args.pos_learners} learners, "
        f"max level {args.max_level}"
    )
    cases = []
    for index, member in members:
        for seed in range(args.seeds):
            cert = certification_figures(member, seed, args, index)
            pos = positioning_figures(member, seed, args, index)
            cases.append(print_case(member, seed, cert, pos))
            sys.stdout.flush()
    print("\n## worst case of each figure (over every member and seed)")
    worst = {}
    all_met = True
    for figure, (direction, check) in WORST.items():
        values = [c for c in cases if not (isinstance(c[figure], float) and math.isnan(c[figure]))]
        if not values:
            continue
        case = (max if direction == "max" else min)(values, key=lambda c: c[figure])
        met = None if check is None else check(case[figure])
        all_met = all_met and met is not False
        verdict = "" if met is None else ("  target met" if met else "  TARGET MISSED")
        print(f"  {figure:34}{case[figure]:>9.4f}  ({case['member']}, seed {case['seed']}){verdict}")
        worst[figure] = {"value": round(case[figure], 4), "member": case["member"], "seed": case["seed"]}
    print(f"every target on every member and seed: {'MET' if all_met else 'NOT MET'}")
    print(f"run time: {time.perf_counter() - started:.0f} s")
    print(json.dumps({"all_targets_met": all_met, "worst": worst}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
