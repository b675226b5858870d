"""The framework model the algorithms work on: areas, competences, tubes, skills, challenges.

Plain frozen dataclasses, no Django: the web layer and the content-pack loader build these
from their own storage, and every algorithm of the engine takes them as input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

# Default IRT difficulty per skill level until a challenge is calibrated from real answers:
# the middle of the reference's per-competence level intervals (ALGORITHMS.md §3).
DEFAULT_DIFFICULTY_BY_LEVEL: dict[int, float] = {
    1: -1.5,
    2: -0.25,
    3: 0.75,
    4: 1.5,
    5: 2.5,
    6: 3.5,
    7: 4.5,
    8: 5.5,
}
DEFAULT_DISCRIMINATION = 1.0


class ChallengeType(str, Enum):
    QCU = "qcu"  # single choice
    QCM = "qcm"  # multiple choice: all and only the right options
    QROC = "qroc"  # one short open answer
    QROCM_IND = "qrocm-ind"  # several independent open fields
    QROCM_DEP = "qrocm-dep"  # several fields checked as a set, order free


@dataclass(frozen=True)
class Area:
    id: str
    code: str  # "1" … "5"
    names: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Competence:
    id: str
    code: str  # "1.1" … "5.2"
    area_id: str
    names: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Tube:
    id: str
    competence_id: str


@dataclass(frozen=True)
class Skill:
    id: str
    tube_id: str
    competence_id: str
    level: int  # 1..8 inside its tube


@dataclass(frozen=True)
class Challenge:
    id: str
    skill_id: str
    tube_id: str
    competence_id: str
    level: int
    type: ChallengeType = ChallengeType.QCU
    languages: frozenset[str] = frozenset({"fr", "en"})
    timed: bool = False  # has a timer in seconds
    focused: bool = False  # leaving the page while answering is recorded
    usable_without_sight: bool = True
    usable_without_colour: bool = True
    discrimination: float | None = None  # IRT a; None until calibrated
    difficulty: float | None = None  # IRT b; None until calibrated

    @property
    def a(self) -> float:
        return self.discrimination if self.discrimination is not None else DEFAULT_DISCRIMINATION

    @property
    def b(self) -> float:
        if self.difficulty is not None:
            return self.difficulty
        return DEFAULT_DIFFICULTY_BY_LEVEL[self.level]

    @property
    def accessible(self) -> bool:
        return self.usable_without_sight and self.usable_without_colour


@dataclass(frozen=True)
class Framework:
    """One consistent snapshot of the framework, with the look-ups the algorithms need."""

    areas: tuple[Area, ...]
    competences: tuple[Competence, ...]
    tubes: tuple[Tube, ...]
    skills: tuple[Skill, ...]
    challenges: tuple[Challenge, ...]
    version: str = ""

    def skills_of_competence(self, competence_id: str) -> tuple[Skill, ...]:
        return tuple(s for s in self.skills if s.competence_id == competence_id)

    def challenges_of_competence(self, competence_id: str) -> tuple[Challenge, ...]:
        return tuple(c for c in self.challenges if c.competence_id == competence_id)
