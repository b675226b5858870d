"""framework.yaml and the tube files: areas, competences, tubes and their skills.

A tube file is read here down to its skills; the challenges and tutorials it holds are handed
to challenges.py and tutorials.py. `_Collected` gathers every record read, in file order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import (
    PackArea,
    PackChallenge,
    PackCompetence,
    PackSkill,
    PackTube,
    PackTutorial,
)
from ..yaml_source import LineMap
from .challenges import _read_challenge
from .file_reader import UNREADABLE, _describe, _FileReader
from .tutorials import _read_tutorial

FRAMEWORK_KEYS = {"areas"}
AREA_KEYS = {"id", "name", "description", "space", "competences"}
COMPETENCE_KEYS = {"id", "name", "description", "space"}
TUBE_KEYS = {"id", "competence", "space", "name", "description", "skills", "tutorials"}
SKILL_KEYS = {"id", "level", "description", "challenges"}
MIN_LEVEL, MAX_LEVEL = 1, 8


@dataclass
class _Collected:
    areas: list[PackArea] = field(default_factory=list)
    competences: list[PackCompetence] = field(default_factory=list)
    tubes: list[PackTube] = field(default_factory=list)
    skills: list[PackSkill] = field(default_factory=list)
    challenges: list[PackChallenge] = field(default_factory=list)
    tutorials: list[PackTutorial] = field(default_factory=list)


def _read_framework(reader: _FileReader, collected: _Collected) -> None:
    data = reader.load()
    if data is UNREADABLE:
        return
    top = reader.mapping(data, 1, None, None, "the framework")
    if top is None:
        return
    reader.keys(top, None, None, FRAMEWORK_KEYS, ("areas",))
    for area in reader.list_of_mappings(top, "areas", None, "areas"):
        area_id = reader.identifier(area, None, "area")
        # name and description are reported by reader.texts when missing
        reader.keys(area, area_id, None, AREA_KEYS, ("id",))
        if area_id is None:
            continue
        area_space = reader.space(area, area_id, None, "")
        collected.areas.append(
            PackArea(
                id=area_id,
                name=reader.texts(area, "name", area_id),
                description=reader.texts(area, "description", area_id),
                space=area_space,
                source=reader.source(area),
            )
        )
        for competence in reader.list_of_mappings(area, "competences", area_id, "competences"):
            competence_id = reader.identifier(competence, area_id, "competence")
            reader.keys(competence, competence_id, None, COMPETENCE_KEYS, ("id",))
            if competence_id is None:
                continue
            collected.competences.append(
                PackCompetence(
                    id=competence_id,
                    area_id=area_id,
                    name=reader.texts(competence, "name", competence_id),
                    description=reader.texts(competence, "description", competence_id),
                    space=reader.space(competence, competence_id, area_space, "area"),
                    source=reader.source(competence),
                )
            )


def _read_tube_file(reader: _FileReader, competences: dict[str, PackCompetence], collected: _Collected) -> None:
    data = reader.load()
    if data is UNREADABLE:
        return
    tube = reader.mapping(data, 1, None, None, "a tube")
    if tube is None:
        return
    tube_id = reader.identifier(tube, None, "tube")
    reader.keys(tube, tube_id, None, TUBE_KEYS, ("id", "competence"))
    if tube_id is None:
        return
    if tube_id != reader.path.stem:
        reader.problem(
            tube.line_of("id"),
            tube_id,
            "id",
            f"the tube id '{tube_id}' differs from its file name '{reader.path.name}': name the file {tube_id}.yaml",
        )
    competence_id = tube.get("competence")
    competence = competences.get(competence_id) if isinstance(competence_id, str) else None
    if competence is None and "competence" in tube:
        reader.problem(
            tube.line_of("competence"),
            tube_id,
            "competence",
            f"unknown competence {_describe(competence_id)} (not in framework.yaml; "
            'write the id in quotes, e.g. "1.1")',
        )
    if competence is None:
        competence_id = str(competence_id) if competence_id is not None else ""
    elif reader.path.parent.name != competence_id:
        reader.problem(
            tube.line_of("competence"),
            tube_id,
            "competence",
            f"the tube belongs to competence {competence_id} but its file is in tubes/{reader.path.parent.name}/",
        )
    tube_space = reader.space(tube, tube_id, competence.space if competence else None, "competence")
    skills = [
        skill
        for raw_skill in reader.list_of_mappings(tube, "skills", tube_id, "skills")
        if (skill := _read_skill(reader, raw_skill, tube_id, competence_id, tube_space, collected)) is not None
    ]
    skills.sort(key=lambda skill: skill.level)
    collected.tubes.append(
        PackTube(
            id=tube_id,
            competence_id=competence_id,
            name=reader.texts(tube, "name", tube_id),
            description=reader.texts(tube, "description", tube_id),
            space=tube_space,
            skill_ids=tuple(skill.id for skill in skills),
            source=reader.source(tube),
        )
    )
    skill_ids = tuple(skill.id for skill in skills)
    for raw_tutorial in reader.list_of_mappings(tube, "tutorials", tube_id, "tutorials"):
        tutorial = _read_tutorial(reader, raw_tutorial, tube_id, skill_ids, tube_space)
        if tutorial is not None:
            collected.tutorials.append(tutorial)


def _read_skill(
    reader: _FileReader,
    raw: LineMap,
    tube_id: str,
    competence_id: str,
    space: str | None,
    collected: _Collected,
) -> PackSkill | None:
    skill_id = reader.identifier(raw, tube_id, "skill")
    reader.keys(raw, skill_id or tube_id, None, SKILL_KEYS, ("id", "level"))
    if skill_id is None:
        return None
    level = raw.get("level")
    if not isinstance(level, int) or isinstance(level, bool) or not MIN_LEVEL <= level <= MAX_LEVEL:
        if "level" in raw:
            reader.problem(
                raw.line_of("level"),
                skill_id,
                "level",
                f"the level must be a whole number from {MIN_LEVEL} to {MAX_LEVEL}, got {_describe(level)}",
            )
        level = None
    elif skill_id != f"@{tube_id}{level}":
        reader.problem(
            raw.line_of("id"),
            skill_id,
            "id",
            f"a skill id is '@' + tube id + level: expected '@{tube_id}{level}'",
        )
    skill = PackSkill(
        id=skill_id,
        tube_id=tube_id,
        competence_id=competence_id,
        level=level or MIN_LEVEL,
        description=reader.texts(raw, "description", skill_id),
        source=reader.source(raw),
    )
    for raw_challenge in reader.list_of_mappings(raw, "challenges", skill_id, "challenges"):
        challenge = _read_challenge(reader, raw_challenge, skill, space)
        if challenge is not None:
            collected.challenges.append(challenge)
    collected.skills.append(skill)
    return skill
