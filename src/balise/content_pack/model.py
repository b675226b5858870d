"""What a content pack holds, as plain frozen dataclasses (no Django).

Every text a person reads is a `dict[str, str]` from language code to text. `space` is the
*effective* space of a record: its own, or else the one it inherits from its tube,
competence or area (None: shared by every space).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from balise.engine.answers import Solution
from balise.engine.framework import (
    Area,
    Challenge,
    ChallengeType,
    Competence,
    Framework,
    Skill,
    Tube,
)

Texts = dict[str, str]

CHALLENGE_STATUSES = ("draft", "validated", "archived")
TUTORIAL_KINDS = ("text", "video", "page")


@dataclass(frozen=True)
class SourceRef:
    """Where a record was written: the file (pack path joined with its path in the pack) and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class PackOption:
    id: str
    text: Texts


@dataclass(frozen=True)
class PackField:
    id: str
    label: Texts
    numeric: bool = False


@dataclass(frozen=True)
class PackIllustration:
    file: str  # path inside the pack, e.g. "media/phishing-mail-1.svg"
    alt: Texts
    files: dict[str, str] = field(default_factory=dict)  # per language, when the picture holds text


@dataclass(frozen=True)
class PackAttachment:
    file: str
    name: Texts


@dataclass(frozen=True)
class PackChallenge:
    id: str
    skill_id: str
    tube_id: str
    competence_id: str
    level: int
    type: ChallengeType
    status: str  # one of CHALLENGE_STATUSES
    instruction: Texts
    options: tuple[PackOption, ...]
    fields: tuple[PackField, ...]
    solutions: dict[str, Solution]  # per language: accepted open answers may differ by language
    timer: int | None
    focused: bool
    without_sight: bool
    without_colour: bool
    illustration: PackIllustration | None
    attachments: tuple[PackAttachment, ...]
    irt_a: float | None
    irt_b: float | None
    space: str | None
    reviewed_by: str | None
    reviewed_on: date | None
    source: SourceRef
    excluded_spaces: tuple[str, ...] = ()  # shared, but not shown in these spaces

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self.instruction)

    @property
    def validated(self) -> bool:
        return self.status == "validated"

    def to_engine(self) -> Challenge:
        return Challenge(
            id=self.id,
            skill_id=self.skill_id,
            tube_id=self.tube_id,
            competence_id=self.competence_id,
            level=self.level,
            type=self.type,
            languages=self.languages,
            timed=self.timer is not None,
            focused=self.focused,
            usable_without_sight=self.without_sight,
            usable_without_colour=self.without_colour,
            discrimination=self.irt_a,
            difficulty=self.irt_b,
        )


@dataclass(frozen=True)
class PackSkill:
    id: str
    tube_id: str
    competence_id: str
    level: int
    description: Texts
    source: SourceRef


@dataclass(frozen=True)
class PackTutorial:
    id: str
    tube_id: str
    skill_ids: tuple[str, ...]  # the skills it helps with: every skill of the tube if not given
    kind: str  # one of TUTORIAL_KINDS
    duration: int  # minutes
    title: Texts
    text: Texts | None  # kind "text": Markdown written in the pack
    url: Texts | None  # kind "video" or "page": one address per language offered
    languages: frozenset[str]  # the languages a learner can read or watch it in
    space: str | None  # effective: its own, else its tube's
    excluded_spaces: tuple[str, ...]  # shared, but not shown in these spaces
    source: SourceRef


@dataclass(frozen=True)
class PackTube:
    id: str
    competence_id: str
    name: Texts
    description: Texts
    space: str | None
    skill_ids: tuple[str, ...]  # by level, easiest first
    source: SourceRef


@dataclass(frozen=True)
class PackCompetence:
    id: str
    area_id: str
    name: Texts
    description: Texts
    space: str | None
    source: SourceRef


@dataclass(frozen=True)
class PackArea:
    id: str
    name: Texts
    description: Texts
    space: str | None
    source: SourceRef


def _in_space(record_space: str | None, space: str | None) -> bool:
    return record_space is None or record_space == space


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    languages: tuple[str, ...]
    licence: str
    spaces: dict[str, dict]  # code -> {"name": Texts, "description": Texts (optional)}
    areas: tuple[PackArea, ...]
    competences: tuple[PackCompetence, ...]
    tubes: tuple[PackTube, ...]
    skills: tuple[PackSkill, ...]
    challenges: tuple[PackChallenge, ...]
    tutorials: tuple[PackTutorial, ...]
    root: Path

    def to_engine_framework(self, space: str | None = None) -> Framework:
        """The framework a learner of `space` (None: no space) is assessed on.

        Only validated challenges, only records shared or of that space; skills without
        such a challenge, and tubes without such a skill, are left out (nothing could test
        them). Areas and competences of the space are kept even if empty.
        """
        areas = tuple(a for a in self.areas if _in_space(a.space, space))
        area_ids = {a.id for a in areas}
        competences = tuple(c for c in self.competences if c.area_id in area_ids and _in_space(c.space, space))
        competence_ids = {c.id for c in competences}
        challenges = tuple(
            c
            for c in self.challenges
            if c.validated
            and c.competence_id in competence_ids
            and _in_space(c.space, space)
            and space not in c.excluded_spaces
        )
        tested_skill_ids = {c.skill_id for c in challenges}
        skills = tuple(s for s in self.skills if s.id in tested_skill_ids)
        tested_tube_ids = {s.tube_id for s in skills}
        return Framework(
            areas=tuple(Area(id=a.id, code=a.id, names=dict(a.name)) for a in areas),
            competences=tuple(
                Competence(id=c.id, code=c.id, area_id=c.area_id, names=dict(c.name)) for c in competences
            ),
            tubes=tuple(Tube(id=t.id, competence_id=t.competence_id) for t in self.tubes if t.id in tested_tube_ids),
            skills=tuple(
                Skill(id=s.id, tube_id=s.tube_id, competence_id=s.competence_id, level=s.level) for s in skills
            ),
            challenges=tuple(c.to_engine() for c in challenges),
            version=f"{self.id}@{self.version}",
        )
