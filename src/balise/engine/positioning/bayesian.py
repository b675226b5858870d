"""The default positioning strategy: a probabilistic state per tube, linked by the competence.

Model (docs/decisions/0002-positioning-strategy.md):
- a tube's state k says "its k easiest skills are mastered" (skills are ordered by level);
- a learner has one level `a` in the competence; a tube's mastery is `a` plus a tube-specific
  deviation, so what is learnt in one tube informs the others. How tightly tubes follow `a`
  is itself uncertain (a mixture, including "tubes unrelated"), and the answers decide;
- an answer is right with probability 1 − SLIP on a mastered skill and GUESS (by challenge
  type) on a skill not mastered: one slip or one lucky guess only moves the state, it never
  settles a whole tube by itself;
- prior knowledge counts as a very reliable observation.
The next question is the one that most reduces the expected number of skills whose status
would be wrong; the test stops when that expectation is small enough, when no question is
left, or at a length cap per tube. Every skill in scope then gets the status its posterior
favours.

All tubes are computed at once in arrays padded to the longest tube (states beyond a tube's
length have probability 0): ~30 numpy operations a step, whatever the number of tubes.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from balise.engine.answers import AnswerStatus
from balise.engine.framework import ChallengeType
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
ERROR_BUDGET_PER_SKILL = 0.15
# …and while an askable skill is more doubtful than this (a budget spread over many sure
# skills must not hide a few coin flips).
MAX_SKILL_DOUBT = 0.4
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
def _state_given_profile(levels: tuple[int, ...], width: int) -> np.ndarray:
    """P(state k | profile) for a tube whose skills have these levels, shape
    (profiles, width + 1), states beyond the tube's length at 0.

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
    table = np.zeros((len(_LOG_PROFILE_PRIOR), width + 1))
    table[:, : len(levels) + 1] = np.maximum(np.vstack([linked, unrelated]), 1e-12)
    return table


@lru_cache(maxsize=16)
def _mastered_mask(width: int) -> np.ndarray:
    """mask[i, k]: skill i (0-based, easiest first) is mastered in state k."""
    return np.arange(width + 1)[None, :] > np.arange(width)[:, None]


def _expected_errors(state: np.ndarray, real_skills: np.ndarray) -> np.ndarray:
    """Expected wrong statuses per distribution (last axis), each skill decided by its more
    likely status: Σ_i min(P(mastered_i), 1 − P(mastered_i)) over the tube's real skills."""
    mastered = _mastery_probabilities(state)
    return (np.minimum(mastered, 1.0 - mastered) * real_skills).sum(axis=-1)


def _entropy(state: np.ndarray) -> np.ndarray:
    return -(state * np.log(np.maximum(state, 1e-300))).sum(axis=-1)


def _mastery_probabilities(state: np.ndarray) -> np.ndarray:
    # P(skill i mastered) = P(k > i): reversed cumulative sums, without the k = 0 column.
    return np.cumsum(state[..., ::-1], axis=-1)[..., ::-1][..., 1:]


class _Beliefs:
    """Every tube's state posterior, given prior knowledge and this test's answers."""

    def __init__(self, scope: Scope):
        self.tube_ids = list(scope.tubes)
        self.tube_row = {tube_id: t for t, tube_id in enumerate(self.tube_ids)}
        self.width = max(len(skills) for skills in scope.tubes.values())
        self.position = {
            skill.id: (self.tube_row[tube_id], i)
            for tube_id, skills in scope.tubes.items()
            for i, skill in enumerate(skills)
        }
        self.mastered = _mastered_mask(self.width)
        self.real_skills = np.zeros((len(self.tube_ids), self.width))
        for t, tube_id in enumerate(self.tube_ids):
            self.real_skills[t, : len(scope.tubes[tube_id])] = 1.0
        state_given_profile = np.stack(
            [_state_given_profile(tuple(s.level for s in scope.tubes[t]), self.width) for t in self.tube_ids]
        )
        likelihood = np.ones((len(self.tube_ids), self.width + 1))
        for ke in scope.prior.values():
            t, i = self.position[ke.skill_id]
            validated = ke.status is KnowledgeStatus.VALIDATED
            agree, disagree = 1.0 - PRIOR_KNOWLEDGE_ERROR, PRIOR_KNOWLEDGE_ERROR
            likelihood[t] *= np.where(
                self.mastered[i], agree if validated else disagree, disagree if validated else agree
            )
        for answer in scope.answers:
            challenge = scope.challenge_by_id.get(answer.challenge_id)
            # A challenge withdrawn since it was answered still counts, as the commonest type.
            guess = GUESS_BY_TYPE[challenge.type if challenge else ChallengeType.QCU]
            t, i = self.position[answer.skill_id]
            if answer.status is AnswerStatus.OK:
                likelihood[t] *= np.where(self.mastered[i], 1.0 - SLIP, guess)
            else:
                likelihood[t] *= np.where(self.mastered[i], SLIP, 1.0 - guess)
        evidence = np.einsum("tpk,tk->tp", state_given_profile, likelihood)
        log_profile = _LOG_PROFILE_PRIOR + np.log(evidence).sum(axis=0)
        profile = np.exp(log_profile - log_profile.max())
        # For each tube, the profile as the other tubes see it (its own evidence divided
        # out) gives its prior; times its own evidence, its posterior.
        others = profile[None, :] / evidence
        state = np.einsum("tp,tpk->tk", others, state_given_profile) * likelihood
        self.posterior = state / state.sum(axis=1, keepdims=True)
        self.mastery = _mastery_probabilities(self.posterior)

    def mastery_of(self, skill_id: str) -> float:
        t, i = self.position[skill_id]
        return float(self.mastery[t, i])

    def best_questions(self, scope: Scope, candidates: list) -> tuple[list, float]:
        """The candidates whose answer most reduces the expected wrong statuses of their
        tube (plus a little information, see INFORMATION_WEIGHT), and that score."""
        rows = np.array([self.position[s.id][0] for s in candidates])
        skills = np.array([self.position[s.id][1] for s in candidates])
        guesses = np.array([[GUESS_BY_TYPE[scope.askable[s.id][0].type]] for s in candidates])
        posterior = self.posterior[rows]
        real = self.real_skills[rows]
        p_right_given_state = np.where(self.mastered[skills], 1.0 - SLIP, guesses)
        joint_right = p_right_given_state * posterior
        joint_wrong = posterior - joint_right
        p_right = joint_right.sum(axis=1, keepdims=True)
        p_wrong = 1.0 - p_right
        after_right, after_wrong = joint_right / p_right, joint_wrong / p_wrong
        p_right, p_wrong = p_right[:, 0], p_wrong[:, 0]
        error_gains = _expected_errors(posterior, real) - (
            p_right * _expected_errors(after_right, real) + p_wrong * _expected_errors(after_wrong, real)
        )
        information_gains = _entropy(posterior) - (p_right * _entropy(after_right) + p_wrong * _entropy(after_wrong))
        scores = error_gains + INFORMATION_WEIGHT * information_gains
        top = float(scores.max())
        best = [s for s, score in zip(candidates, scores) if score >= top - GAIN_TIE_TOLERANCE]
        return best, top


def default_next_step(inp: PositioningInput) -> PositioningStep:
    scope = Scope.of(inp)
    if not scope.skills:
        return PositioningStep(None, (), 0.0, len(inp.answers), len(inp.answers))
    beliefs = _Beliefs(scope)
    unsettled = [skill_id for skill_id in scope.skills if skill_id not in scope.prior]
    mastery = {skill_id: beliefs.mastery_of(skill_id) for skill_id in unsettled}
    expected_errors = sum(min(p, 1.0 - p) for p in mastery.values())

    after_timed = not inp.answers or scope.last_challenge_timed
    asked_per_tube: dict[str, int] = {}
    for answer in scope.answers:
        tube_id = scope.skills[answer.skill_id].tube_id
        asked_per_tube[tube_id] = asked_per_tube.get(tube_id, 0) + 1
    candidates = [
        scope.skills[skill_id]
        for skill_id in unsettled
        if skill_id in scope.askable and asked_per_tube.get(scope.skills[skill_id].tube_id, 0) < MAX_QUESTIONS_PER_TUBE
    ]
    candidates = scope.without_timed_if_needed(candidates, after_timed)
    # A retest is a real retest: a tube with skills to retest is asked at least once, never
    # settled from the other tubes alone.
    retest_tubes = {scope.skills[s].tube_id for s in inp.retest_skill_ids if s in scope.skills}
    proven_tubes = set(asked_per_tube) | {
        scope.skills[s].tube_id for s, ke in scope.prior.items() if ke.status is KnowledgeStatus.VALIDATED
    }
    unproven = inp.evidence_only_tube_ids - proven_tubes
    # A retest tube, or an evidence-only tube that probably holds mastered skills, is asked
    # at least once before the test ends.
    unvisited_tube = any(
        s.tube_id not in asked_per_tube
        and (s.tube_id in retest_tubes or (s.tube_id in unproven and mastery.get(s.id, 0.0) >= 0.5))
        for s in candidates
    )
    doubt = max((min(p, 1.0 - p) for s, p in mastery.items() if s in scope.askable), default=0.0)
    # The prior alone never ends a test: a learner is always asked at least one question.
    finished = not candidates or (
        bool(scope.answers)
        and not unvisited_tube
        and doubt <= MAX_SKILL_DOUBT
        and expected_errors <= ERROR_BUDGET_PER_SKILL * len(unsettled)
    )
    challenge = None
    score = 0.0
    if not finished:
        best, score = beliefs.best_questions(scope, candidates)
        skill = deterministic_pick(sorted(best, key=lambda s: s.id), inp.seed, len(inp.answers), "skill")
        challenge = scope.challenge_for(skill, inp.seed, after_timed)

    answered_skills = {answer.skill_id for answer in scope.answers}
    # Pix are earned: without one right answer (now or before), nothing is validated,
    # whatever the population prior says.
    has_success = any(a.status is AnswerStatus.OK for a in scope.answers) or any(
        ke.status is KnowledgeStatus.VALIDATED for ke in scope.prior.values()
    )
    knowledge = dict(scope.prior)
    for skill_id, p in mastery.items():
        if not finished and max(p, 1.0 - p) < CONFIDENT:
            continue
        validated = p >= 0.5 and has_success and scope.skills[skill_id].tube_id not in unproven
        knowledge[skill_id] = KnowledgeElement(
            skill_id,
            KnowledgeStatus.VALIDATED if validated else KnowledgeStatus.INVALIDATED,
            KnowledgeSource.DIRECT if skill_id in answered_skills else KnowledgeSource.INFERRED,
        )
    estimated_level = rasch_level(
        [(scope.skills[a.skill_id].level, a.status is AnswerStatus.OK) for a in scope.answers]
    )
    left = 0 if finished else _questions_left(expected_errors, len(unsettled), score)
    return PositioningStep(
        challenge=challenge,
        knowledge=tuple(knowledge.values()),
        estimated_level=estimated_level,
        answered_count=len(inp.answers),
        estimated_total=len(inp.answers) + left,
    )


def _questions_left(expected_errors: float, unsettled: int, score: float) -> int:
    # For a progress bar: the expected wrong statuses above the budget, at the rate the best
    # question removes them now (later questions remove less, earlier ones were doing more).
    excess = expected_errors - ERROR_BUDGET_PER_SKILL * unsettled
    return max(1, math.ceil(excess / max(score, 0.05)))
