"""Finding a request's space: one cache read per request, whatever the number of spaces."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from balise.spaces.models import Space

CACHE_KEY = "balise:spaces:v1"
CACHE_SECONDS = 3600


@dataclass
class SpacesSnapshot:
    default: Space
    by_host: dict[str, Space] = field(default_factory=dict)
    by_prefix: dict[str, Space] = field(default_factory=dict)
    by_slug: dict[str, Space] = field(default_factory=dict)


def _fallback_default() -> Space:
    # Before the first migration (or if an operator deleted it): the international platform.
    return Space(slug="international", name={"fr": "Balise", "en": "Balise"}, is_default=True, languages=["fr", "en"])


def _snapshot_from_database() -> SpacesSnapshot:
    spaces = list(Space.objects.all())
    default = next((s for s in spaces if s.is_default), None) or _fallback_default()
    snapshot = SpacesSnapshot(default=default)
    for space in spaces:
        snapshot.by_slug[space.slug] = space
        for host in space.hosts or []:
            snapshot.by_host[host] = space
        if space.path_prefix:
            snapshot.by_prefix[space.path_prefix] = space
    return snapshot


def spaces_snapshot() -> SpacesSnapshot:
    snapshot = cache.get(CACHE_KEY)
    if snapshot is None:
        snapshot = _snapshot_from_database()
        cache.set(CACHE_KEY, snapshot, CACHE_SECONDS)
    return snapshot


def space_default() -> Space:
    return spaces_snapshot().default


def space_by_slug(slug: str) -> Space | None:
    return spaces_snapshot().by_slug.get(slug)


def space_by_id(space_id: int | None) -> Space | None:
    return next((s for s in spaces_snapshot().by_slug.values() if s.pk == space_id), None)


def spaces_all() -> list[Space]:
    snapshot = spaces_snapshot()
    return sorted(snapshot.by_slug.values(), key=lambda s: (not s.is_default, s.slug)) or [snapshot.default]


def content_space_id(person) -> int | None:
    """The space whose content a person's tests and pages show: their home space, wherever
    they are (decision 0015); the default space for a person without one. No query."""
    if getattr(person, "home_space_id", None) is not None:
        return person.home_space_id
    return space_default().pk


def space_resolve(host: str, path: str) -> tuple[Space, str]:
    """The space of a host name (port removed), else of the path's first segment, else the
    default space — never an error that would list the spaces. Also the prefix matched ("")."""
    snapshot = spaces_snapshot()
    space = snapshot.by_host.get(host.lower().rsplit(":", 1)[0] if not host.startswith("[") else host.lower())
    if space is not None:
        return space, ""
    first = path.lstrip("/").split("/", 1)[0]
    if first and first in snapshot.by_prefix:
        return snapshot.by_prefix[first], first
    return snapshot.default, ""


def _forget(**_kwargs) -> None:
    cache.delete(CACHE_KEY)


post_save.connect(_forget, sender=Space, dispatch_uid="balise.spaces.forget")
post_delete.connect(_forget, sender=Space, dispatch_uid="balise.spaces.forget-delete")
