"""Writes of the content app: importing a content pack into the database."""

import hashlib
from dataclasses import asdict
from pathlib import Path

from django.db import transaction

from balise.content.models import Area, Challenge, Competence, ContentRelease, Skill, Tube, Tutorial
from balise.content.selectors import content_caches_clear
from balise.content_pack.loader import load_pack
from balise.spaces.models import Space


def _pack_checksum(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".yaml", ".yml"}:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def solution_to_data(solution) -> dict:
    data = asdict(solution)
    data["type"] = solution.type.value
    data["correct_options"] = sorted(solution.correct_options)
    data["tolerances"] = sorted(solution.tolerances)
    return data


def _challenge_display(challenge) -> dict:
    return {
        "instruction": challenge.instruction,
        "options": [{"id": o.id, "text": o.text} for o in challenge.options],
        "fields": [{"id": f.id, "label": f.label, "numeric": f.numeric} for f in challenge.fields],
        "illustration": (
            {"file": challenge.illustration.file, "files": challenge.illustration.files, "alt": challenge.illustration.alt}
            if challenge.illustration
            else None
        ),
        "attachments": [{"file": a.file, "name": a.name} for a in challenge.attachments],
    }


class UnknownSpace(ValueError):
    pass


def _space_ids(pack):
    """The database id of each space the pack names (None: shared content). A pack that names
    a space this platform does not have is refused before anything is written."""
    ids = dict(Space.objects.filter(slug__in=list(pack.spaces)).values_list("slug", "id"))
    missing = sorted(set(pack.spaces) - set(ids))
    if missing:
        raise UnknownSpace(f"the pack names spaces this platform does not have: {', '.join(missing)}")
    return lambda code: ids[code] if code else None


def _exclusions_set(model, exclusions: dict[str, list[int]]) -> None:
    # Rewritten as a whole at each import: the pack is the source of truth.
    through = model.excluded_from.through
    through.objects.filter(**{f"{model._meta.model_name}_id__in": list(exclusions)}).delete()
    through.objects.bulk_create(
        through(**{f"{model._meta.model_name}_id": record_id, "space_id": sid})
        for record_id, space_ids in exclusions.items()
        for sid in space_ids
    )


@transaction.atomic
def content_pack_import(path) -> ContentRelease:
    """Load a content pack and make the database match it.

    Records are created or updated in place; a challenge that left the pack is archived,
    never deleted, because answers point to it.
    """
    root = Path(path)
    pack = load_pack(root)
    checksum = _pack_checksum(root)
    space_id = _space_ids(pack)
    exclusions: dict[str, list[int]] = {}

    for position, area in enumerate(pack.areas):
        Area.objects.update_or_create(
            id=area.id,
            defaults=dict(
                name=area.name,
                description=area.description,
                space_id=space_id(area.space),
                position=position,
            ),
        )
    for position, competence in enumerate(pack.competences):
        Competence.objects.update_or_create(
            id=competence.id,
            defaults=dict(
                area_id=competence.area_id,
                name=competence.name,
                description=competence.description,
                space_id=space_id(competence.space),
                position=position,
            ),
        )
    for tube in pack.tubes:
        Tube.objects.update_or_create(
            id=tube.id,
            defaults=dict(
                competence_id=tube.competence_id,
                name=tube.name,
                description=tube.description,
                space_id=space_id(tube.space),
            ),
        )
    for skill in pack.skills:
        Skill.objects.update_or_create(
            id=skill.id,
            defaults=dict(
                tube_id=skill.tube_id,
                competence_id=skill.competence_id,
                level=skill.level,
                description=skill.description,
            ),
        )
    for challenge in pack.challenges:
        Challenge.objects.update_or_create(
            id=challenge.id,
            defaults=dict(
                skill_id=challenge.skill_id,
                competence_id=challenge.competence_id,
                type=challenge.type.value,
                status=challenge.status,
                display=_challenge_display(challenge),
                solutions={lang: solution_to_data(s) for lang, s in challenge.solutions.items()},
                languages=sorted(challenge.solutions),
                timer=challenge.timer,
                focused=challenge.focused,
                without_sight=challenge.without_sight,
                without_colour=challenge.without_colour,
                irt_a=challenge.irt_a,
                irt_b=challenge.irt_b,
                space_id=space_id(challenge.space),
            ),
        )
        exclusions[challenge.id] = [space_id(slug) for slug in challenge.excluded_spaces]
    Challenge.objects.exclude(id__in=[c.id for c in pack.challenges]).update(status=Challenge.Status.ARCHIVED)
    _exclusions_set(Challenge, exclusions)
    competence_of_tube = {tube.id: tube.competence_id for tube in pack.tubes}
    tutorial_exclusions: dict[str, list[int]] = {}
    for tutorial in pack.tutorials:
        Tutorial.objects.update_or_create(
            id=tutorial.id,
            defaults=dict(
                tube_id=tutorial.tube_id,
                competence_id=competence_of_tube[tutorial.tube_id],
                skill_ids=list(tutorial.skill_ids),
                kind=tutorial.kind,
                duration_minutes=tutorial.duration,
                title=tutorial.title,
                text=tutorial.text,
                url=tutorial.url,
                languages=sorted(tutorial.languages),
                space_id=space_id(tutorial.space),
            ),
        )
        tutorial_exclusions[tutorial.id] = [space_id(slug) for slug in tutorial.excluded_spaces]
    _exclusions_set(Tutorial, tutorial_exclusions)
    transaction.on_commit(content_caches_clear)
    return ContentRelease.objects.create(pack_id=pack.id, version=pack.version, checksum=checksum)
