"""Pix and levels from validated skills (ALGORITHMS.md §1).

A skill is worth min(4, 8 / n) pix, n being the number of active skills of the same level in
the same competence, so validating every skill of a level is worth 8 pix (a level) — unless a
level has a single skill, which is then worth 4. A competence's pix is the floored sum, capped
at 8 × the max reachable level; its level is floor(pix / 8), capped the same way.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from balise.engine.framework import Skill

PIX_PER_LEVEL = 8
MAX_PIX_PER_SKILL = 4
DEFAULT_MAX_LEVEL = 5  # the reference's max reachable level today (7 in its newest version)
MIN_CERTIFIABLE_COMPETENCES = 5


@dataclass(frozen=True)
class CompetenceScore:
    competence_id: str
    pix: int
    level: int


def _exact_pix_values(skills: Iterable[Skill]) -> dict[str, Fraction]:
    # Fractions, so that three skills worth 8/3 sum to exactly 8 and floor() never loses a pix.
    skills = list(skills)
    per_level = Counter((skill.competence_id, skill.level) for skill in skills)
    return {
        skill.id: min(
            Fraction(MAX_PIX_PER_SKILL),
            Fraction(PIX_PER_LEVEL, per_level[(skill.competence_id, skill.level)]),
        )
        for skill in skills
    }


def skill_pix_values(skills: Iterable[Skill]) -> dict[str, float]:
    """Pix value of each active skill. Skills are counted per competence and level, so
    passing the skills of several competences at once gives the same values."""
    return {skill_id: float(value) for skill_id, value in _exact_pix_values(skills).items()}


def competence_score(
    competence_id: str,
    skills: Iterable[Skill],
    validated_skill_ids: Iterable[str],
    *,
    max_level: int = DEFAULT_MAX_LEVEL,
) -> CompetenceScore:
    """Pix and level of one competence. `skills` are the active skills (others' are ignored);
    a validated id that is no longer an active skill of the competence is worth nothing."""
    if max_level < 0:
        raise ValueError("max_level must be >= 0")
    values = _exact_pix_values(s for s in skills if s.competence_id == competence_id)
    validated = set(validated_skill_ids)
    exact_pix = sum((value for skill_id, value in values.items() if skill_id in validated), 0)
    pix = min(math.floor(exact_pix), PIX_PER_LEVEL * max_level)
    level = min(pix // PIX_PER_LEVEL, max_level)
    return CompetenceScore(competence_id=competence_id, pix=pix, level=level)


def total_pix(scores: Iterable[CompetenceScore]) -> int:
    return sum(score.pix for score in scores)


def is_certifiable(scores: Iterable[CompetenceScore], *, min_competences: int = MIN_CERTIFIABLE_COMPETENCES) -> bool:
    """Eligible for certification: at least `min_competences` competences at level 1 or more."""
    return sum(1 for score in scores if score.level >= 1) >= min_competences
