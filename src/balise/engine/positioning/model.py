"""The positioning test's inputs and outputs: frozen dataclasses the web stores and replays."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from balise.engine.answers import AnswerStatus
from balise.engine.framework import Challenge, Skill


class KnowledgeStatus(str, Enum):
    VALIDATED = "validated"
    INVALIDATED = "invalidated"


class KnowledgeSource(str, Enum):
    DIRECT = "direct"  # the skill was asked in this test (or the prior says so)
    INFERRED = "inferred"  # settled from answers on other skills


@dataclass(frozen=True)
class KnowledgeElement:
    skill_id: str
    status: KnowledgeStatus
    source: KnowledgeSource


@dataclass(frozen=True)
class PastAnswer:
    challenge_id: str
    skill_id: str
    status: AnswerStatus


@dataclass(frozen=True)
class PositioningInput:
    skills: tuple[Skill, ...]  # every skill in scope (one competence, or capped tubes)
    challenges: tuple[Challenge, ...]  # the askable (validated) challenges of those skills
    answers: tuple[PastAnswer, ...]  # this assessment's answers, in order
    prior: tuple[KnowledgeElement, ...] = ()  # what the learner already proved
    retest_skill_ids: frozenset[str] = frozenset()  # invalidated prior skills to ask again
    language: str = "fr"
    seed: int = 0  # per assessment: the same input always gives the same challenge
    # Tubes whose skills are credited only from an answer in the tube itself, never inferred
    # from the other tubes (a partner's own topics, e.g. Belgian online services: knowing the
    # shared framework says nothing about them).
    evidence_only_tube_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PositioningStep:
    challenge: Challenge | None  # None: the test is over
    knowledge: tuple[KnowledgeElement, ...]  # current statuses (prior + this test)
    estimated_level: float
    answered_count: int
    estimated_total: int  # best guess of the total number of questions, for a progress bar

    @property
    def finished(self) -> bool:
        return self.challenge is None
