"""The default positioning strategy: a probabilistic state per tube, linked by the competence.

Model (docs/decisions/0002-positioning-strategy.md):
- a tube's state k says "its k easiest skills are mastered" (skills are ordered by level);
- a learner has one level `a` in the competence; a tube's mastery is `a` plus a tube-specific
  deviation (normal, sd TUBE_DEVIATION_SD), so what is learnt in one tube informs the others;
- an answer is right with probability 1 − SLIP on a mastered skill and GUESS (by challenge
  type) on a skill not mastered: one slip or one lucky guess only moves the state, it never
  settles a whole tube by itself;
- prior knowledge counts as a very reliable observation.
The next question is the one that most reduces the expected number of skills whose status
would be wrong; the test stops when that expectation is small enough, when no question
still helps, or at a length cap. Every skill in scope then gets the status its posterior
favours.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from balise.engine.answers import AnswerStatus
from balise.engine.framework import ChallengeType, Skill
from balise.engine.positioning.model import (
    KnowledgeElement,
    KnowledgeSource,
    KnowledgeStatus,
    PositioningInput,
    PositioningStep,
)
from balise.engine.positioning.scope import Scope, deterministic_pick, rasch_level

SLIP = 0.1
# A learner who does not master a skill still answers right by chance, more often when
# options are offered than in an open field.
GUESS_BY_TYPE = {
    ChallengeType.QCU: 0.25,
    ChallengeType.QCM: 0.1,
    ChallengeType.QROC: 0.05,
    ChallengeType.QROCM_IND: 0.05,
    ChallengeType.QROCM_DEP: 0.05,
}
PRIOR_KNOWLEDGE_ERROR = 0.02  # a status proved before is trusted, not taken as certain
ABILITY_STEP = 0.5
ABILITY_LEVELS = np.arange(0.0, 8.01, ABILITY_STEP)  # the competence level a, skill-level scale
ABILITY_PRIOR_MEAN = 3.0
ABILITY_PRIOR_SD = 2.0  # broad: the population is not known in advance
# How far a tube's mastery strays from the competence level is not known either and varies
# between learners and competences: a mixture, whose weights the answers update, lets the
# tubes inform each other when they agree and stop doing so when they do not.
TUBE_DEVIATION_SDS = (0.75, 1.5)
TUBE_DEVIATION_WEIGHTS = (0.6, 0.4)
UNRELATED_TUBES_WEIGHT = 0.25
UNRELATED_MAX_MASTERY = 7
# Stop when the expected number of wrong statuses in scope is at most this share of the
# skills still to settle (or at a length cap, or when no question is left).
ERROR_BUDGET_PER_SKILL = 0.12
# Picking the question that most reduces expected wrong statuses is short-sighted: when no
# single answer can flip a status yet, every question scores 0. Information on the tube's
# state (in nats), weighted low, breaks those ties towards the question that prepares one.
INFORMATION_WEIGHT = 0.1
MAX_QUESTIONS_PER_TUBE = 4
CONFIDENT = 0.9  # during the test, a skill is reported once its status is this likely
GAIN_TIE_TOLERANCE = 1e-9



def _profile_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The learner profiles the posterior is over: every (tube deviation sd, competence
    level a) pair, then one last profile where tubes are unrelated. Returns the sd and level
    of the linked profiles and the log prior weight of all of them."""
    sds = np.repeat(np.array(TUBE_DEVIATION_SDS), len(ABILITY_LEVELS))
    levels = np.tile(ABILITY_LEVELS, len(TUBE_DEVIATION_SDS))
    ability_prior = np.exp(-0.5 * ((ABILITY_LEVELS - ABILITY_PRIOR_MEAN) / ABILITY_PRIOR_SD) ** 2)
    ability_prior /= ability_prior.sum()
    linked_weight = 1.0 - UNRELATED_TUBES_WEIGHT
    weights = np.concatenate(
        [
            np.outer(np.array(TUBE_DEVIATION_WEIGHTS) * linked_weight, ability_prior).ravel(),
            [UNRELATED_TUBES_WEIGHT],
        ]
    )
    return sds, levels, np.log(np.maximum(weights, 1e-300))


_PROFILE_SDS, _PROFILE_LEVELS, _LOG_PROFILE_PRIOR = _profile_grid()


@lru_cache(maxsize=256)
def _state_given_ability(levels: tuple[int, ...]) -> np.ndarray:
    """P(state k | profile) for a tube whose skills have these levels, shape (profiles, K + 1).

    Linked profiles: skill of level L is mastered when the tube's mastery m ≥ L − 0.5
    (mastery counts whole levels), m ~ N(a, sd). The unrelated profile: m uniform over the
    whole levels 0 … UNRELATED_MAX_MASTERY, whatever the other tubes say."""
    thresholds = np.array([-np.inf, *[level - 0.5 for level in levels], np.inf])
    z = (thresholds[None, :] - _PROFILE_LEVELS[:, None]) / _PROFILE_SDS[:, None]
    cdf = 0.5 * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))
    linked = np.diff(cdf, axis=1)
    masteries = np.arange(UNRELATED_MAX_MASTERY + 1)
    states = (np.array(levels)[None, :] <= masteries[:, None]).sum(axis=1)
    unrelated = np.bincount(states, minlength=len(levels) + 1) / len(masteries)
    return np.maximum(np.vstack([linked, unrelated]), 1e-12)


def _mastered_mask(size: int) -> np.ndarray:
    # mask[i, k]: skill i (0-based, easiest first) is mastered in state k.
    return np.arange(size + 1)[None, :] > np.arange(size)[:, None]


def _answer_likelihood(mastered: np.ndarray, correct: bool, guess: float) -> np.ndarray:
    if correct:
        return np.where(mastered, 1.0 - SLIP, guess)
    return np.where(mastered, SLIP, 1.0 - guess)


def _expected_errors(state: np.ndarray) -> np.ndarray:
    """Expected wrong statuses per distribution (rows of `state`, summing to 1), deciding
    each skill by its more likely status: Σ_i min(P(mastered_i), 1 − P(mastered_i))."""
    mastered = _mastery_probabilities(state)
    return np.minimum(mastered, 1.0 - mastered).sum(axis=-1)


def _entropy(state: np.ndarray) -> np.ndarray:
    return -(state * np.log(np.maximum(state, 1e-300))).sum(axis=-1)


def _mastery_probabilities(state: np.ndarray) -> np.ndarray:
    # P(skill i mastered) = P(k > i): reversed cumulative sums, without the k = 0 column.
    return np.cumsum(state[..., ::-1], axis=-1)[..., ::-1][..., 1:]


class _TubeBelief:
    """The evidence gathered on one tube and its state posterior."""

    def __init__(self, skills: list[Skill]):
        self.skills = skills
        self.index = {skill.id: i for i, skill in enumerate(skills)}
        self.mastered = _mastered_mask(len(skills))
        self.likelihood = np.ones(len(skills) + 1)
        self.state_given_ability = _state_given_ability(tuple(s.level for s in skills))
        self.posterior: np.ndarray | None = None

    def observe(self, skill_id: str, correct: bool, guess: float) -> None:
        row = self.mastered[self.index[skill_id]]
        self.likelihood = self.likelihood * _answer_likelihood(row, correct, guess)

    def observe_prior(self, skill_id: str, validated: bool) -> None:
        row = self.mastered[self.index[skill_id]]
        agree, disagree = 1.0 - PRIOR_KNOWLEDGE_ERROR, PRIOR_KNOWLEDGE_ERROR
        self.likelihood = self.likelihood * np.where(
            row, agree if validated else disagree, disagree if validated else agree
        )

    def evidence_given_ability(self) -> np.ndarray:
        return self.state_given_ability @ self.likelihood


def _beliefs(scope: Scope) -> tuple[dict[str, _TubeBelief], np.ndarray]:
    """Tube beliefs updated with prior knowledge and answers, and the posterior of `a`."""
    beliefs = {tube_id: _TubeBelief(skills) for tube_id, skills in scope.tubes.items()}
    for ke in scope.prior.values():
        beliefs[scope.skills[ke.skill_id].tube_id].observe_prior(
            ke.skill_id, ke.status is KnowledgeStatus.VALIDATED
        )
    for answer in scope.answers:
        challenge = scope.challenge_by_id.get(answer.challenge_id)
        # A challenge withdrawn since it was answered still counts, as the commonest type.
        guess = GUESS_BY_TYPE[challenge.type if challenge else ChallengeType.QCU]
        beliefs[scope.skills[answer.skill_id].tube_id].observe(
            answer.skill_id, answer.status is AnswerStatus.OK, guess
        )
    evidence = {t: b.evidence_given_ability() for t, b in beliefs.items()}
    log_ability = _LOG_PROFILE_PRIOR + sum(np.log(e) for e in evidence.values())
    ability = np.exp(log_ability - log_ability.max())
    ability /= ability.sum()
    for tube_id, belief in beliefs.items():
        # The ability as the other tubes see it (this tube's own evidence divided out),
        # turned into this tube's prior, times this tube's evidence.
        others = ability / evidence[tube_id]
        state = (others @ belief.state_given_ability) * belief.likelihood
        belief.posterior = state / state.sum()
    return beliefs, ability


def _best_questions(
    scope: Scope, beliefs: dict[str, _TubeBelief], candidates: list[Skill]
) -> tuple[list[Skill], float]:
    """The candidates whose answer most reduces the expected number of wrong statuses in
    their tube, and that reduction."""
    best: list[Skill] = []
    best_gain = -math.inf
    by_tube: dict[str, list[Skill]] = {}
    for skill in candidates:
        by_tube.setdefault(skill.tube_id, []).append(skill)
    for tube_id, skills in by_tube.items():
        belief = beliefs[tube_id]
        posterior = belief.posterior
        rows = belief.mastered[[belief.index[s.id] for s in skills]]
        guesses = np.array([[GUESS_BY_TYPE[scope.askable[s.id][0].type]] for s in skills])
        p_correct_given_state = np.where(rows, 1.0 - SLIP, guesses)
        joint_right = p_correct_given_state * posterior
        joint_wrong = (1.0 - p_correct_given_state) * posterior
        p_right = joint_right.sum(axis=1)
        p_wrong = joint_wrong.sum(axis=1)
        after = p_right * _expected_errors(joint_right / p_right[:, None]) + p_wrong * (
            _expected_errors(joint_wrong / p_wrong[:, None])
        )
        error_gains = _expected_errors(posterior) - after
        information_gains = _entropy(posterior) - (
            p_right * _entropy(joint_right / p_right[:, None])
            + p_wrong * _entropy(joint_wrong / p_wrong[:, None])
        )
        gains = error_gains + INFORMATION_WEIGHT * information_gains
        for skill, gain in zip(skills, gains):
            if gain > best_gain + GAIN_TIE_TOLERANCE:
                best, best_gain = [skill], float(gain)
            elif gain >= best_gain - GAIN_TIE_TOLERANCE:
                best.append(skill)
    return best, best_gain


def default_next_step(inp: PositioningInput) -> PositioningStep:
    scope = Scope.of(inp)
    beliefs, _ = _beliefs(scope)
    mastery = {
        skill.id: float(p)
        for tube_id, belief in beliefs.items()
        for skill, p in zip(belief.skills, _mastery_probabilities(belief.posterior))
    }
    unsettled = [skill_id for skill_id in mastery if skill_id not in scope.prior]
    expected_errors = sum(min(mastery[s], 1.0 - mastery[s]) for s in unsettled)

    after_timed = not inp.answers or scope.last_challenge_timed
    asked_per_tube: dict[str, int] = {}
    for answer in scope.answers:
        tube_id = scope.skills[answer.skill_id].tube_id
        asked_per_tube[tube_id] = asked_per_tube.get(tube_id, 0) + 1
    candidates = [
        scope.skills[skill_id]
        for skill_id in unsettled
        if skill_id in scope.askable
        and asked_per_tube.get(scope.skills[skill_id].tube_id, 0) < MAX_QUESTIONS_PER_TUBE
    ]
    candidates = scope.without_timed_if_needed(candidates, after_timed)
    best, gain = _best_questions(scope, beliefs, candidates) if candidates else ([], 0.0)
    finished = (
        not best
        or expected_errors <= ERROR_BUDGET_PER_SKILL * len(unsettled)
    )
    challenge = None
    if not finished:
        skill = deterministic_pick(sorted(best, key=lambda s: s.id), inp.seed, len(inp.answers), "skill")
        challenge = scope.challenge_for(skill, inp.seed, after_timed)

    answered_skills = {answer.skill_id for answer in scope.answers}
    knowledge = dict(scope.prior)
    for skill_id in unsettled:
        p = mastery[skill_id]
        if not finished and max(p, 1.0 - p) < CONFIDENT:
            continue
        knowledge[skill_id] = KnowledgeElement(
            skill_id,
            KnowledgeStatus.VALIDATED if p >= 0.5 else KnowledgeStatus.INVALIDATED,
            KnowledgeSource.DIRECT if skill_id in answered_skills else KnowledgeSource.INFERRED,
        )
    estimated_level = rasch_level(
        [(scope.skills[a.skill_id].level, a.status is AnswerStatus.OK) for a in scope.answers]
    )
    return PositioningStep(
        challenge=challenge,
        knowledge=tuple(knowledge.values()),
        estimated_level=estimated_level,
        answered_count=len(inp.answers),
        estimated_total=len(inp.answers)
        + (0 if finished else _questions_left(expected_errors, len(unsettled), gain)),
    )


def _questions_left(expected_errors: float, unsettled: int, gain: float) -> int:
    # At least one (a question is on screen); otherwise the excess over the budget, at the
    # rate the best question removes it, which overestimates little in practice.
    excess = expected_errors - ERROR_BUDGET_PER_SKILL * unsettled
    return max(1, math.ceil(excess / max(gain, 0.05)))
