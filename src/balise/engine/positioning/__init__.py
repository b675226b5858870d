"""Positioning test of one competence (or of a campaign's target profile).

`next_step` is stateless: give it the skills and challenges in scope, the answers so far and
what the learner proved before; it returns the next challenge (None when the test is over)
and the current knowledge. Two strategies share this interface:
- "default": a probabilistic state per tube (balise.engine.positioning.bayesian),
- "reference": the reference platform's inference along tubes (…positioning.reference).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from balise.engine.framework import Challenge, Skill
from balise.engine.positioning.bayesian import default_next_step
from balise.engine.positioning.model import (
    KnowledgeElement,
    KnowledgeSource,
    KnowledgeStatus,
    PastAnswer,
    PositioningInput,
    PositioningStep,
)
from balise.engine.positioning.reference import reference_next_step

STRATEGIES: dict[str, Callable[[PositioningInput], PositioningStep]] = {
    "default": default_next_step,
    "reference": reference_next_step,
}

__all__ = [
    "STRATEGIES",
    "KnowledgeElement",
    "KnowledgeSource",
    "KnowledgeStatus",
    "PastAnswer",
    "PositioningInput",
    "PositioningStep",
    "next_step",
    "restrict_to_target_profile",
]


def next_step(inp: PositioningInput, strategy: str = "default") -> PositioningStep:
    """The next challenge and the current knowledge. The same input always gives the same
    step (the choice among equals depends on `inp.seed` only)."""
    try:
        decide = STRATEGIES[strategy]
    except KeyError:
        raise ValueError(
            f"unknown positioning strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}"
        ) from None
    return decide(inp)


def restrict_to_target_profile(
    skills: Iterable[Skill], challenges: Iterable[Challenge], tube_caps: Mapping[str, int]
) -> tuple[tuple[Skill, ...], tuple[Challenge, ...]]:
    """A campaign's scope: the skills of the profile's tubes up to each tube's cap, and the
    challenges of those skills."""
    kept = tuple(s for s in skills if s.tube_id in tube_caps and s.level <= tube_caps[s.tube_id])
    kept_ids = {s.id for s in kept}
    return kept, tuple(c for c in challenges if c.skill_id in kept_ids)
