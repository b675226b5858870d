"""What both strategies need to know about one positioning input, computed once per call.

The web calls `next_step` statelessly after every answer, so this is rebuilt each time from
the input; it is a few dictionaries over ~20 skills and ~30 challenges.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from balise.engine.framework import Challenge, Skill
from balise.engine.positioning.model import (
    KnowledgeElement,
    KnowledgeStatus,
    PastAnswer,
    PositioningInput,
)

# Rasch level estimate of ALGORITHMS.md §2: candidate levels 0.5 … 7.5, two virtual answers.
LEVEL_GRID = tuple(0.5 * i for i in range(1, 16))
VIRTUAL_SUCCESS_DIFFICULTY = 0
VIRTUAL_FAILURE_DIFFICULTY = 7


@dataclass
class Scope:
    skills: dict[str, Skill]  # in scope, by id
    tubes: dict[str, list[Skill]]  # tube id -> its skills in scope, easiest first
    # The same, keeping only the skills that have a challenge in the learner's language.
    playable_tubes: dict[str, list[Skill]]
    askable: dict[str, list[Challenge]]  # skill id -> its unanswered challenges in the language
    challenge_by_id: dict[str, Challenge]  # every challenge given, answered ones included
    answers: list[PastAnswer]  # this assessment's answers on skills in scope, in order
    prior: dict[str, KnowledgeElement]  # prior knowledge still standing (retests removed)
    last_challenge_timed: bool
    answered_count: int

    @classmethod
    def of(cls, inp: PositioningInput) -> Scope:
        skills = {skill.id: skill for skill in inp.skills}
        tubes: dict[str, list[Skill]] = {}
        for skill in sorted(inp.skills, key=lambda s: (s.level, s.id)):
            tubes.setdefault(skill.tube_id, []).append(skill)
        answered = {answer.challenge_id for answer in inp.answers}
        in_language: dict[str, list[Challenge]] = {}
        challenge_by_id: dict[str, Challenge] = {}
        for challenge in inp.challenges:
            challenge_by_id[challenge.id] = challenge
            if challenge.skill_id in skills and inp.language in challenge.languages:
                in_language.setdefault(challenge.skill_id, []).append(challenge)
        askable = {
            skill_id: sorted((c for c in challenges if c.id not in answered), key=lambda c: c.id)
            for skill_id, challenges in in_language.items()
        }
        playable_tubes = {tube_id: [s for s in tube if s.id in in_language] for tube_id, tube in tubes.items()}
        last = challenge_by_id.get(inp.answers[-1].challenge_id) if inp.answers else None
        prior = {
            ke.skill_id: ke
            for ke in inp.prior
            if ke.skill_id in skills
            and not (ke.skill_id in inp.retest_skill_ids and ke.status is KnowledgeStatus.INVALIDATED)
        }
        return cls(
            skills=skills,
            tubes=tubes,
            playable_tubes={t: s for t, s in playable_tubes.items() if s},
            askable={skill_id: c for skill_id, c in askable.items() if c},
            challenge_by_id=challenge_by_id,
            answers=[answer for answer in inp.answers if answer.skill_id in skills],
            prior=prior,
            last_challenge_timed=bool(last and last.timed),
            answered_count=len(inp.answers),
        )

    def is_timed(self, skill_id: str) -> bool:
        """A skill counts as timed when every challenge left to ask of it is timed."""
        return all(c.timed for c in self.askable[skill_id])

    def without_timed_if_needed(self, candidates: list[Skill], after_timed: bool) -> list[Skill]:
        """No timed challenge right after a timed one, unless nothing else is left
        (the reference keeps the candidates rather than ending the test)."""
        if not after_timed:
            return candidates
        untimed = [s for s in candidates if not self.is_timed(s.id)]
        return untimed or candidates

    def challenge_for(self, skill: Skill, seed: int, after_timed: bool) -> Challenge:
        challenges = self.askable[skill.id]
        if after_timed:
            challenges = [c for c in challenges if not c.timed] or challenges
        return deterministic_pick(challenges, seed, self.answered_count, "challenge")


def deterministic_pick(items: list, seed: int, step: int, purpose: str):
    """One item chosen from (seed, step, purpose) only: a reload shows the same question,
    another assessment (another seed) may get another one. A hash, not a global RNG, so the
    choice is identical on every machine and Python version. `items` must be in a stable
    order (sorted by id)."""
    digest = hashlib.blake2b(f"{seed}:{step}:{purpose}".encode(), digest_size=8).digest()
    return items[int.from_bytes(digest, "big") % len(items)]


def rasch_level(direct_outcomes: list[tuple[int, bool]]) -> float:
    """ALGORITHMS.md §2: the grid level θ minimising |Σ (x − P(θ, d))|, with a virtual success
    at d = 0 and a virtual failure at d = 7. Ties go to the lowest θ."""
    outcomes = [
        *direct_outcomes,
        (VIRTUAL_SUCCESS_DIFFICULTY, True),
        (VIRTUAL_FAILURE_DIFFICULTY, False),
    ]
    best_level, best_gap = LEVEL_GRID[0], math.inf
    for theta in LEVEL_GRID:
        gap = abs(sum(x - 1.0 / (1.0 + math.exp(d - theta)) for d, x in outcomes))
        if gap < best_gap - 1e-12:
            best_level, best_gap = theta, gap
    return best_level
