"""Check a content pack: the problems of form found while reading it, then the pack-wide rules.

Every problem is one line with its file and line (`str(problem)`); an empty list means the
pack can be loaded and imported.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .model import Pack, SourceRef
from .problems import PackError, Problem
from .reader import read_pack

__all__ = ["Problem", "check_pack", "pack_problems"]


def check_pack(path: str | Path) -> list[Problem]:
    """Every problem of the pack at `path`, sorted by file and line."""
    try:
        pack, problems = read_pack(path)
    except PackError as error:
        return sorted(error.problems, key=Problem.sort_key)
    return sorted(problems + pack_problems(pack), key=Problem.sort_key)


def pack_problems(pack: Pack) -> list[Problem]:
    """The rules that need the whole pack: ids unique per kind, nothing left untestable."""
    problems: list[Problem] = []

    def report(source: SourceRef, record_id: str | None, field: str | None, message: str):
        problems.append(Problem(source.file, source.line, record_id, field, message))

    for kind, records in (
        ("area", pack.areas),
        ("competence", pack.competences),
        ("tube", pack.tubes),
        ("skill", pack.skills),
        ("challenge", pack.challenges),
        ("tutorial", pack.tutorials),
    ):
        first_source: dict[str, SourceRef] = {}
        for record in records:
            first = first_source.setdefault(record.id, record.source)
            if first is not record.source:
                report(
                    record.source,
                    record.id,
                    "id",
                    f"duplicate {kind} id: '{record.id}' is already used at {first}",
                )

    validated_skill_ids = {c.skill_id for c in pack.challenges if c.validated}
    for skill in pack.skills:
        if skill.id not in validated_skill_ids:
            report(
                skill.source,
                skill.id,
                "challenges",
                "the skill has no validated challenge, so it can never be tested",
            )

    tutorial_languages: dict[str, set[str]] = defaultdict(set)
    for tutorial in pack.tutorials:
        tutorial_languages[tutorial.tube_id] |= tutorial.languages
    for tube in pack.tubes:
        if not tube.skill_ids:
            report(tube.source, tube.id, "skills", "the tube has no skills")
        missing = [lang for lang in pack.languages if lang not in tutorial_languages[tube.id]]
        if missing:
            report(
                tube.source,
                tube.id,
                "tutorials",
                f"the tube has no tutorial in {', '.join(missing)}",
            )

    competences_with_tubes = {tube.competence_id for tube in pack.tubes}
    for competence in pack.competences:
        if competence.id not in competences_with_tubes:
            report(competence.source, competence.id, None, "the competence has no tube")
    areas_with_competences = {competence.area_id for competence in pack.competences}
    for area in pack.areas:
        if area.id not in areas_with_competences:
            report(area.source, area.id, "competences", "the area has no competence")
    return problems
