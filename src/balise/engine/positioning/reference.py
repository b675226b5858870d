"""The reference platform's positioning algorithm, exactly as ALGORITHMS.md §2 states it.

Inference along tubes: a right answer validates the skill and every easier skill of its tube,
a wrong one invalidates it and every harder one. It is kept as the baseline every other
strategy is measured against (bench/bench_positioning.py), not as the default.
"""

from __future__ import annotations

import math

from balise.engine.answers import AnswerStatus
from balise.engine.framework import Skill
from balise.engine.positioning.model import (
    KnowledgeElement,
    KnowledgeSource,
    KnowledgeStatus,
    PositioningInput,
    PositioningStep,
)
from balise.engine.positioning.scope import Scope, deterministic_pick, rasch_level

EASY_TUBE_MAX_LEVEL = 3  # a tube whose hardest skill is at most this level is "easy"
FIRST_CHALLENGE_LEVEL = 2
MAX_LEVEL_ABOVE_ESTIMATE = 2  # skills with level − θ > 2 are not asked
REWARD_TIE_TOLERANCE = 1e-9


def infer_knowledge(scope: Scope) -> dict[str, KnowledgeElement]:
    """Prior knowledge, then each answer in order: the answered skill gets a direct element,
    the easier (right answer) or harder (wrong answer) skills of its tube that are still
    unknown get an inferred one. Only "ok" is a right answer."""
    knowledge = dict(scope.prior)
    for answer in scope.answers:
        answered_skill = scope.skills[answer.skill_id]
        correct = answer.status is AnswerStatus.OK
        status = KnowledgeStatus.VALIDATED if correct else KnowledgeStatus.INVALIDATED
        knowledge[answered_skill.id] = KnowledgeElement(answered_skill.id, status, KnowledgeSource.DIRECT)
        for other in scope.tubes[answered_skill.tube_id]:
            settled_by_answer = other.level < answered_skill.level if correct else other.level > answered_skill.level
            if settled_by_answer and other.id not in knowledge:
                knowledge[other.id] = KnowledgeElement(other.id, status, KnowledgeSource.INFERRED)
    return knowledge


def reward(skill: Skill, theta: float, tube: list[Skill], known: dict) -> float:
    """How many statuses the answer is expected to settle: P × untested skills at level ≤ d
    + (1 − P) × untested skills at level ≥ d (the candidate counts on both sides)."""
    p_correct = 1.0 / (1.0 + math.exp(skill.level - theta))
    untested = [s for s in tube if s.id not in known]
    settled_if_right = sum(1 for s in untested if s.level <= skill.level)
    settled_if_wrong = sum(1 for s in untested if s.level >= skill.level)
    return p_correct * settled_if_right + (1.0 - p_correct) * settled_if_wrong


def reference_next_step(inp: PositioningInput) -> PositioningStep:
    scope = Scope.of(inp)
    knowledge = infer_knowledge(scope)
    theta = rasch_level(
        [
            (scope.skills[ke.skill_id].level, ke.status is KnowledgeStatus.VALIDATED)
            for ke in knowledge.values()
            if ke.source is KnowledgeSource.DIRECT
        ]
    )
    starting = not inp.answers
    easy_tubes = {tube_id for tube_id, tube in scope.playable_tubes.items() if tube[-1].level <= EASY_TUBE_MAX_LEVEL}
    candidates = [
        skill
        for tube in scope.playable_tubes.values()
        for skill in tube
        if skill.id not in knowledge and skill.id in scope.askable
    ]
    candidates = [s for s in candidates if s.tube_id in easy_tubes] or candidates
    # The first challenge is never timed (when avoidable), like any challenge after a timed one.
    after_timed = starting or scope.last_challenge_timed
    candidates = scope.without_timed_if_needed(candidates, after_timed)
    if starting:
        at_first_level = [s for s in candidates if s.level == FIRST_CHALLENGE_LEVEL]
        lowest = min((s.level for s in candidates), default=0)
        best = at_first_level or [s for s in candidates if s.level == lowest]
    else:
        candidates = [s for s in candidates if s.level - theta <= MAX_LEVEL_ABOVE_ESTIMATE]
        rewards = {s.id: reward(s, theta, scope.playable_tubes[s.tube_id], knowledge) for s in candidates}
        top = max(rewards.values(), default=0.0)
        best = [s for s in candidates if rewards[s.id] >= top - REWARD_TIE_TOLERANCE]

    finished = not best
    challenge = None
    if not finished:
        skill = deterministic_pick(sorted(best, key=lambda s: s.id), inp.seed, len(inp.answers), "skill")
        challenge = scope.challenge_for(skill, inp.seed, after_timed)
    return PositioningStep(
        challenge=challenge,
        knowledge=tuple(knowledge.values()),
        estimated_level=theta,
        answered_count=len(inp.answers),
        estimated_total=len(inp.answers) + (0 if finished else _questions_left(scope, knowledge)),
    )


def _questions_left(scope: Scope, knowledge: dict) -> int:
    # A halving search per tube: about log2(untested + 1) questions settle a tube.
    left = sum(
        math.ceil(math.log2(1 + sum(1 for s in tube if s.id not in knowledge)))
        for tube in scope.playable_tubes.values()
    )
    return max(1, left)
