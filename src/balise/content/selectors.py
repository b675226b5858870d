"""Reads of the content app, shaped for the engine and the pages."""

from functools import lru_cache

from django.core.cache import cache

from balise.content.models import Area, Challenge, Competence, ContentRelease, Skill, Tube, Tutorial
from balise.engine import framework as fw
from balise.engine.answers import FieldSolution, Solution


def areas_with_competences(space_id: int | None):
    competences = Competence.objects.visible_in(space_id)
    return [(area, [c for c in competences if c.area_id == area.id]) for area in Area.objects.visible_in(space_id)]


def current_content_version() -> str:
    release = ContentRelease.objects.order_by("-imported_at", "-id").first()
    return f"{release.id}-{release.checksum[:12]}" if release else "none"


def engine_scope(
    competence_id: str, space_id: int | None, content_version: str = ""
) -> tuple[tuple[fw.Skill, ...], tuple[fw.Challenge, ...]]:
    """The skills and askable challenges of one competence, as the engine sees them.

    Cached per content version: a release never changes once imported, so every web
    process (through Redis in production) can share it and a test page costs no
    content query. Without a version, it is read from the database.
    """
    if not content_version:
        return _engine_scope_from_database(competence_id, space_id)
    return _engine_scope_of_release(content_version, competence_id, space_id)


@lru_cache(maxsize=1024)
def _engine_scope_of_release(content_version: str, competence_id: str, space_id: int | None):
    # Kept in the process too: a release is immutable, so this copy can never be stale, and
    # it spares unpickling the scope from the shared cache on every answer (~4 ms).
    key = f"engine-scope:{content_version}:{competence_id}:{space_id}"
    scope = cache.get(key)
    if scope is None:
        scope = _engine_scope_from_database(competence_id, space_id)
        cache.set(key, scope, timeout=24 * 3600)
    return scope


def _engine_scope_from_database(competence_id: str, space_id: int | None):
    skills = tuple(
        fw.Skill(id=s["id"], tube_id=s["tube_id"], competence_id=competence_id, level=s["level"])
        for s in Skill.objects.visible_in(space_id).filter(competence_id=competence_id).values("id", "tube_id", "level")
    )
    skill_by_id = {s.id: s for s in skills}
    challenges = []
    for row in (
        Challenge.objects.visible_in(space_id)
        .filter(competence_id=competence_id, status=Challenge.Status.VALIDATED)
        .values(
            "id",
            "skill_id",
            "type",
            "languages",
            "timer",
            "focused",
            "without_sight",
            "without_colour",
            "irt_a",
            "irt_b",
        )
    ):
        skill = skill_by_id.get(row["skill_id"])
        if skill is None:
            continue
        challenges.append(
            fw.Challenge(
                id=row["id"],
                skill_id=skill.id,
                tube_id=skill.tube_id,
                competence_id=competence_id,
                level=skill.level,
                type=fw.ChallengeType(row["type"]),
                languages=frozenset(row["languages"]),
                timed=bool(row["timer"]),
                focused=row["focused"],
                usable_without_sight=row["without_sight"],
                usable_without_colour=row["without_colour"],
                discrimination=row["irt_a"],
                difficulty=row["irt_b"],
            )
        )
    used_skills = {c.skill_id for c in challenges}
    # A skill is "active" only if it can be asked; the pix of a level is shared among those.
    return tuple(s for s in skills if s.id in used_skills), tuple(challenges)


@lru_cache(maxsize=4096)
def challenge_for_answering(content_version: str, challenge_id: str) -> Challenge:
    """A challenge as recording an answer needs it (type, timer, solutions; not the page texts).

    Kept per content release in the process: a release never changes, and this spares the
    answer's locked read a join and a dozen column conversions.
    """
    return Challenge.objects.defer("display").get(id=challenge_id)


@lru_cache(maxsize=4096)
def challenge_for_showing(content_version: str, challenge_id: str) -> Challenge:
    """A challenge with its page texts, as its question page shows it (read-only).

    Kept per content release in the process, like `challenge_for_answering`: the page that an
    answer's response renders (the next question) then costs no content query.
    """
    return Challenge.objects.get(id=challenge_id)


@lru_cache(maxsize=1024)
def competence_for_showing(content_version: str, competence_id: str) -> Competence:
    """A competence as a test's pages name it (read-only), kept per content release."""
    return Competence.objects.get(id=competence_id)


@lru_cache(maxsize=1024)
def partner_tube_ids(content_version: str, competence_id: str, space_id: int | None) -> frozenset[str]:
    """The tubes of the learner's own space in a competence (a partner's own topics)."""
    if space_id is None:
        return frozenset()
    return frozenset(Tube.objects.filter(competence_id=competence_id, space_id=space_id).values_list("id", flat=True))


@lru_cache(maxsize=16)
def media_owners(content_version: str) -> dict[str, frozenset]:
    """Each media file a challenge shows, with the spaces of the challenges that show it
    (None: a shared challenge). Kept per release in the process: a release never changes."""
    owners: dict[str, set] = {}
    for display, space_id in Challenge.objects.values_list("display", "space_id"):
        illustration = display.get("illustration") or {}
        files = [illustration.get("file"), *(illustration.get("files") or {}).values()]
        files += [a.get("file") for a in display.get("attachments", [])]
        for file in filter(None, files):
            owners.setdefault(file.removeprefix("media/"), set()).add(space_id)
    return {file: frozenset(spaces) for file, spaces in owners.items()}


# Caches of apps above content that hold something computed from a release (a certification's
# prepared bank…): cleared with content's own.
_RELEASE_CACHES: list = []


def release_cache(function):
    """Mark an lru_cache of content computed per release: content_caches_clear clears it too."""
    _RELEASE_CACHES.append(function)
    return function


def content_caches_clear() -> None:
    """Forget this process's copies of released content (after an import, and between tests
    that change content rows in place, which a release never does)."""
    for cached in _RELEASE_CACHES:
        cached.cache_clear()
    _engine_scope_of_release.cache_clear()
    challenge_for_answering.cache_clear()
    challenge_for_showing.cache_clear()
    competence_for_showing.cache_clear()
    partner_tube_ids.cache_clear()
    media_owners.cache_clear()


def solution_from_data(data: dict) -> Solution:
    return Solution(
        type=fw.ChallengeType(data["type"]),
        options=tuple(data.get("options", ())),
        correct_options=frozenset(data.get("correct_options", ())),
        fields=tuple(
            FieldSolution(id=f["id"], accepted=tuple(f.get("accepted", ())), numeric=f.get("numeric", False))
            for f in data.get("fields", ())
        ),
        pool=tuple(tuple(group) for group in data.get("pool", ())),
        tolerances=frozenset(data.get("tolerances", ())),
    )


def challenge_solution(challenge: Challenge, language: str) -> Solution:
    data = challenge.solutions.get(language) or next(iter(challenge.solutions.values()))
    return solution_from_data(data)


def tutorials_for_skills(skill_ids, space_id: int | None):
    """Tutorials that teach any of these skills (or the whole tube they belong to)."""
    skill_ids = set(skill_ids)
    tube_ids = set(Skill.objects.filter(id__in=skill_ids).values_list("tube_id", flat=True))
    found = []
    for tutorial in Tutorial.objects.visible_in(space_id).filter(tube_id__in=tube_ids):
        if not tutorial.skill_ids or skill_ids.intersection(tutorial.skill_ids):
            found.append(tutorial)
    return found
