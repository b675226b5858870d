"""Simulated positioning tests: a framework, simulated learners with known mastery, a strategy.

Used by `python -m balise.engine.simulate positioning` and by bench/bench_positioning.py,
so the figures of both come from the same code.

Framework file: {"tubes": [{"id", "competence", "skills": [{"id", "level"}], "challenges"?}]}
(one challenge per skill unless "challenges": n, on a tube or on a skill).
Population file: {"learners": [{"mastery": {"<tube id>": <highest level mastered>},
"slip"?: 0.1, "guess"?: 0.2}]}. A learner answers a skill of level L in tube t right with
probability 1 − slip when L ≤ mastery[t], else with probability guess.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

import numpy as np

from balise.engine.answers import AnswerStatus
from balise.engine.framework import Challenge, Skill
from balise.engine.input_files import InputFileError, load_json
from balise.engine.positioning import (
    KnowledgeStatus,
    PastAnswer,
    PositioningInput,
    next_step,
)
from balise.engine.scoring import DEFAULT_MAX_LEVEL, competence_score

DEFAULT_SLIP = 0.1
DEFAULT_GUESS = 0.2
MAX_SKILL_LEVEL = 8
# A strategy that never stops would hang the simulator; no real test is this long.
MAX_STEPS_PER_TEST = 200


@dataclass(frozen=True)
class SimulatedLearner:
    mastery: dict[str, int]  # tube id -> highest level mastered
    slip: float
    guess: float


@dataclass(frozen=True)
class SimulatedFramework:
    skills: tuple[Skill, ...]
    challenges: tuple[Challenge, ...]

    @property
    def competence_ids(self) -> list[str]:
        return list(dict.fromkeys(skill.competence_id for skill in self.skills))

    @property
    def tube_ids(self) -> list[str]:
        return list(dict.fromkeys(skill.tube_id for skill in self.skills))


@dataclass(frozen=True)
class SimulationResult:
    strategy: str
    learners: int
    tests: int  # one per learner and competence
    mean_questions: float
    skill_status_accuracy: float
    level_exact_rate: float
    us_per_step: float  # median time of one next_step call, in microseconds
    # Share of tests whose credited level is two or more above the true level.
    over_credit_rate: float = 0.0
    # True level -> (tests, mean of credited level − true level).
    level_calibration: dict[int, tuple[int, float]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "strategy": self.strategy,
            "learners": self.learners,
            "tests": self.tests,
            "mean_questions": round(self.mean_questions, 3),
            "skill_status_accuracy": round(self.skill_status_accuracy, 4),
            "level_exact_rate": round(self.level_exact_rate, 4),
            "us_per_step": round(self.us_per_step, 1),
            "over_credit_rate": round(self.over_credit_rate, 4),
            "level_calibration": {
                str(level): {"tests": tests, "mean_credited_minus_true": round(bias, 3)}
                for level, (tests, bias) in sorted(self.level_calibration.items())
            },
        }


# --- reading the files ---------------------------------------------------------------------


class _Reader:
    """Checks one decoded JSON document, naming the file and field path in every error."""

    def __init__(self, label: str):
        self.label = label

    def fail(self, path: str, message: str) -> InputFileError:
        return InputFileError(f"{self.label}: {path}: {message}" if path else f"{self.label}: {message}")

    def object(self, value, path: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, "expected an object")
        return value

    def nonempty_list(self, container: dict, key: str, path: str) -> list:
        value = container.get(key)
        where = f"{path}.{key}" if path else key
        if not isinstance(value, list) or not value:
            raise self.fail(where, "expected a non-empty list")
        return value

    def text(self, container: dict, key: str, path: str) -> str:
        value = container.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(f"{path}.{key}", "expected a non-empty string")
        return value

    def integer(
        self,
        container: dict,
        key: str,
        path: str,
        low: int,
        high: int | None,
        default: int | None = None,
    ) -> int:
        if key not in container and default is not None:
            return default
        value = container.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            bounds = f"{low}-{high}" if high is not None else f">= {low}"
            raise self.fail(f"{path}.{key}", f"expected an integer {bounds}")
        return value

    def probability(self, container: dict, key: str, path: str, default: float) -> float:
        if key not in container:
            return default
        value = container[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise self.fail(f"{path}.{key}", "expected a number between 0 and 1")
        return float(value)


def parse_framework(document, label: str = "framework") -> SimulatedFramework:
    read = _Reader(label)
    root = read.object(document, "")
    skills: list[Skill] = []
    challenges: list[Challenge] = []
    tube_ids: set[str] = set()
    skill_ids: set[str] = set()
    for t, tube in enumerate(read.nonempty_list(root, "tubes", "")):
        tube_path = f"tubes[{t}]"
        tube = read.object(tube, tube_path)
        tube_id = read.text(tube, "id", tube_path)
        if tube_id in tube_ids:
            raise read.fail(f"{tube_path}.id", f"duplicate tube id {tube_id!r}")
        tube_ids.add(tube_id)
        competence_id = read.text(tube, "competence", tube_path)
        per_skill = read.integer(tube, "challenges", tube_path, 1, None, default=1)
        levels_seen: set[int] = set()
        for s, raw_skill in enumerate(read.nonempty_list(tube, "skills", tube_path)):
            skill_path = f"{tube_path}.skills[{s}]"
            raw_skill = read.object(raw_skill, skill_path)
            skill_id = read.text(raw_skill, "id", skill_path)
            if skill_id in skill_ids:
                raise read.fail(f"{skill_path}.id", f"duplicate skill id {skill_id!r}")
            skill_ids.add(skill_id)
            level = read.integer(raw_skill, "level", skill_path, 1, MAX_SKILL_LEVEL)
            if level in levels_seen:
                raise read.fail(f"{skill_path}.level", f"level {level} twice in tube {tube_id!r}")
            levels_seen.add(level)
            count = read.integer(raw_skill, "challenges", skill_path, 1, None, default=per_skill)
            skill = Skill(id=skill_id, tube_id=tube_id, competence_id=competence_id, level=level)
            skills.append(skill)
            challenges.extend(
                Challenge(
                    id=f"{skill_id}#{n}",
                    skill_id=skill_id,
                    tube_id=tube_id,
                    competence_id=competence_id,
                    level=level,
                )
                for n in range(1, count + 1)
            )
    return SimulatedFramework(tuple(skills), tuple(challenges))


def parse_population(document, framework: SimulatedFramework, label: str = "population") -> list[SimulatedLearner]:
    read = _Reader(label)
    root = read.object(document, "")
    tube_ids = framework.tube_ids
    learners = []
    for i, raw in enumerate(read.nonempty_list(root, "learners", "")):
        path = f"learners[{i}]"
        raw = read.object(raw, path)
        mastery_raw = read.object(raw.get("mastery"), f"{path}.mastery")
        for tube_id in mastery_raw:
            if tube_id not in tube_ids:
                raise read.fail(f"{path}.mastery.{tube_id}", "not a tube of the framework")
        mastery = {}
        for tube_id in tube_ids:
            if tube_id not in mastery_raw:
                raise read.fail(f"{path}.mastery", f"missing tube {tube_id!r}")
            mastery[tube_id] = read.integer(mastery_raw, tube_id, f"{path}.mastery", 0, MAX_SKILL_LEVEL)
        learners.append(
            SimulatedLearner(
                mastery=mastery,
                slip=read.probability(raw, "slip", path, DEFAULT_SLIP),
                guess=read.probability(raw, "guess", path, DEFAULT_GUESS),
            )
        )
    return learners


def load_framework(path: str) -> SimulatedFramework:
    return parse_framework(load_json(path), path)


def load_population(path: str, framework: SimulatedFramework) -> list[SimulatedLearner]:
    return parse_population(load_json(path), framework, path)


# --- running -------------------------------------------------------------------------------


def simulate(
    framework: SimulatedFramework,
    learners: list[SimulatedLearner],
    *,
    strategy: str,
    seed: int = 0,
    max_level: int = DEFAULT_MAX_LEVEL,
) -> SimulationResult:
    """Every learner takes one positioning test per competence of the framework.

    A learner's luck (its random stream) and its assessment seeds depend only on `seed` and
    its rank, so two strategies meet the same learners."""
    questions: list[int] = []
    correct_statuses = 0
    total_statuses = 0
    exact_levels = 0
    over_credited = 0
    level_gaps: dict[int, list[int]] = {}
    step_ns: list[int] = []
    by_competence = {
        cid: (
            tuple(s for s in framework.skills if s.competence_id == cid),
            tuple(c for c in framework.challenges if c.competence_id == cid),
        )
        for cid in framework.competence_ids
    }
    for rank, learner in enumerate(learners):
        rng = np.random.default_rng([seed, rank])
        for competence_id, (skills, challenges) in by_competence.items():
            level_of = {skill.id: skill.level for skill in skills}
            tube_of = {skill.id: skill.tube_id for skill in skills}
            answers: list[PastAnswer] = []
            assessment_seed = int(rng.integers(0, 2**31))
            for _ in range(MAX_STEPS_PER_TEST):
                inp = PositioningInput(
                    skills=skills,
                    challenges=challenges,
                    answers=tuple(answers),
                    seed=assessment_seed,
                )
                started = time.perf_counter_ns()
                step = next_step(inp, strategy)
                step_ns.append(time.perf_counter_ns() - started)
                if step.challenge is None:
                    break
                skill_id = step.challenge.skill_id
                mastered = level_of[skill_id] <= learner.mastery[tube_of[skill_id]]
                p_right = 1.0 - learner.slip if mastered else learner.guess
                status = AnswerStatus.OK if rng.random() < p_right else AnswerStatus.KO
                answers.append(PastAnswer(step.challenge.id, skill_id, status))
            questions.append(len(answers))
            validated = {ke.skill_id for ke in step.knowledge if ke.status is KnowledgeStatus.VALIDATED}
            truly_mastered = {s.id for s in skills if s.level <= learner.mastery[s.tube_id]}
            total_statuses += len(skills)
            correct_statuses += sum((s.id in validated) == (s.id in truly_mastered) for s in skills)
            estimated = competence_score(competence_id, skills, validated, max_level=max_level)
            true = competence_score(competence_id, skills, truly_mastered, max_level=max_level)
            exact_levels += estimated.level == true.level
            over_credited += estimated.level >= true.level + 2
            level_gaps.setdefault(true.level, []).append(estimated.level - true.level)
    tests = len(questions)
    return SimulationResult(
        strategy=strategy,
        learners=len(learners),
        tests=tests,
        mean_questions=sum(questions) / tests,
        skill_status_accuracy=correct_statuses / total_statuses,
        level_exact_rate=exact_levels / tests,
        us_per_step=statistics.median(step_ns) / 1000.0,
        over_credit_rate=over_credited / tests,
        level_calibration={level: (len(gaps), sum(gaps) / len(gaps)) for level, gaps in level_gaps.items()},
    )
