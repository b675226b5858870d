"""Counts of a content pack, for `balise content stats` and for whoever plans the writing."""

from __future__ import annotations

from collections import Counter

from .model import Pack, PackChallenge

# The key under which records without a space are counted in every `*_by_space` map.
SHARED = "shared"


def _sorted(counter: Counter) -> dict:
    return {key: counter[key] for key in sorted(counter, key=str)}


def _has_media(challenge: PackChallenge) -> bool:
    return challenge.illustration is not None or bool(challenge.attachments)


def pack_stats(pack: Pack) -> dict:
    """Counts as one JSON-ready dict. `challenges` counts validated challenges only (the ones
    ever asked); `challenges_all` counts every status. Every `challenges_by_*` map and
    per-competence count is over validated challenges."""
    validated = [c for c in pack.challenges if c.validated]
    by_competence = {}
    for competence in pack.competences:
        tubes = [t for t in pack.tubes if t.competence_id == competence.id]
        skills = [s for s in pack.skills if s.competence_id == competence.id]
        challenges = [c for c in validated if c.competence_id == competence.id]
        tube_ids = {t.id for t in tubes}
        levels = [s.level for s in skills]
        by_competence[competence.id] = {
            "area": competence.area_id,
            "name": competence.name,
            "tubes": len(tubes),
            "skills": len(skills),
            "challenges": len(challenges),
            "tutorials": sum(1 for t in pack.tutorials if t.tube_id in tube_ids),
            "levels": [min(levels), max(levels)] if levels else [],
            "challenges_by_level": _sorted(Counter(c.level for c in challenges)),
        }
    by_area = {}
    for area in pack.areas:
        competences = [c for c in by_competence.values() if c["area"] == area.id]
        by_area[area.id] = {
            "name": area.name,
            "competences": len(competences),
            "tubes": sum(c["tubes"] for c in competences),
            "skills": sum(c["skills"] for c in competences),
            "challenges": sum(c["challenges"] for c in competences),
        }
    return {
        "pack": pack.id,
        "version": pack.version,
        "languages": list(pack.languages),
        "areas": len(pack.areas),
        "competences": len(pack.competences),
        "tubes": len(pack.tubes),
        "skills": len(pack.skills),
        "challenges": len(validated),
        "challenges_all": len(pack.challenges),
        "tutorials": len(pack.tutorials),
        "challenges_by_status": _sorted(Counter(c.status for c in pack.challenges)),
        "challenges_by_type": _sorted(Counter(c.type.value for c in validated)),
        "challenges_by_level": _sorted(Counter(c.level for c in validated)),
        "challenges_by_language": _sorted(Counter(language for c in validated for language in c.languages)),
        "challenges_by_space": _sorted(Counter(c.space or SHARED for c in validated)),
        "skills_by_level": _sorted(Counter(s.level for s in pack.skills)),
        "tubes_by_space": _sorted(Counter(t.space or SHARED for t in pack.tubes)),
        "tutorials_by_kind": _sorted(Counter(t.kind for t in pack.tutorials)),
        "tutorials_by_space": _sorted(Counter(t.space or SHARED for t in pack.tutorials)),
        "tutorials_by_language": _sorted(Counter(language for t in pack.tutorials for language in t.languages)),
        "timed": sum(1 for c in validated if c.timer is not None),
        "focused": sum(1 for c in validated if c.focused),
        "with_media": sum(1 for c in validated if _has_media(c)),
        "with_illustration": sum(1 for c in validated if c.illustration is not None),
        "with_attachment": sum(1 for c in validated if c.attachments),
        "by_area": by_area,
        "by_competence": by_competence,
    }


def _counts(mapping: dict) -> str:
    return ", ".join(f"{key}: {value}" for key, value in mapping.items()) or "none"


def format_stats(stats: dict, language: str = "en") -> str:
    """The stats as a short plain-text report (names in `language`)."""

    def name(texts: dict) -> str:
        return texts.get(language) or next(iter(texts.values()), "")

    lines = [
        f"Pack {stats['pack']} {stats['version']} ({', '.join(stats['languages'])})",
        (
            f"{stats['areas']} areas, {stats['competences']} competences, {stats['tubes']} tubes, "
            f"{stats['skills']} skills, {stats['challenges']} validated challenges "
            f"({stats['challenges_all']} in all), {stats['tutorials']} tutorials"
        ),
        f"challenges by status: {_counts(stats['challenges_by_status'])}",
        f"validated by type: {_counts(stats['challenges_by_type'])}",
        f"validated by level: {_counts(stats['challenges_by_level'])}",
        f"validated by language: {_counts(stats['challenges_by_language'])}",
        f"validated by space: {_counts(stats['challenges_by_space'])}",
        f"skills by level: {_counts(stats['skills_by_level'])}",
        (
            f"tutorials by kind: {_counts(stats['tutorials_by_kind'])}; "
            f"by language: {_counts(stats['tutorials_by_language'])}"
        ),
        (
            f"timed: {stats['timed']}, focused: {stats['focused']}, with media: "
            f"{stats['with_media']} (illustration {stats['with_illustration']}, "
            f"attachment {stats['with_attachment']})"
        ),
        "",
        f"{'competence':<58} {'tubes':>5} {'skills':>6} {'chall.':>6} {'tutos':>5}  levels",
    ]
    for area_id, area in stats["by_area"].items():
        lines.append(
            f"{area_id} {name(area['name'])}"[:58].ljust(58)
            + f" {area['tubes']:>5} {area['skills']:>6} {area['challenges']:>6}"
        )
        for competence_id, competence in stats["by_competence"].items():
            if competence["area"] != area_id:
                continue
            levels = "-".join(str(level) for level in competence["levels"]) or "none"
            lines.append(
                f"  {competence_id} {name(competence['name'])}"[:58].ljust(58)
                + f" {competence['tubes']:>5} {competence['skills']:>6}"
                f" {competence['challenges']:>6} {competence['tutorials']:>5}  {levels}"
            )
    return "\n".join(lines)
