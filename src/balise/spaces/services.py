"""Writes of the spaces app: a space read from its YAML file (content/spaces/*.yaml)."""

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from balise.spaces.models import MAX_LOGO_BYTES, Space

SPACE_KEYS = {
    "slug", "name", "hosts", "path_prefix", "languages", "default_language",
    "logo", "colours", "home_page", "legal_pages", "footer_links",
}


class SpaceFileError(Exception):
    """A space file that cannot be imported; the message names the file (and line) at fault."""


def _load(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise SpaceFileError(f"{where}: not valid YAML ({getattr(error, 'problem', error)})") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SpaceFileError(f"{path}: cannot be read ({error})") from error
    if not isinstance(data, dict):
        raise SpaceFileError(f"{path}: a space file is a mapping of keys (slug, name, hosts…)")
    unknown = sorted(set(data) - SPACE_KEYS)
    if unknown:
        raise SpaceFileError(f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(SPACE_KEYS))}")
    if not data.get("slug"):
        raise SpaceFileError(f"{path}: `slug` is required")
    return data


@transaction.atomic
def space_import(path: Path) -> Space:
    """Create or update the space a file describes (by its slug); nothing changes on error."""
    path = Path(path)
    data = _load(path)
    space = Space.objects.filter(slug=data["slug"]).first() or Space(slug=data["slug"])
    colours = data.get("colours") or {}
    for field, value in {
        "name": data.get("name", {}),
        "hosts": data.get("hosts", []),
        "path_prefix": data.get("path_prefix", ""),
        "languages": data.get("languages", []),
        "default_language": data.get("default_language", "fr"),
        "primary_colour": colours.get("primary", space.primary_colour),
        "dark_colour": colours.get("dark", space.dark_colour),
        "home_page": data.get("home_page", {}),
        "legal_pages": data.get("legal_pages", {}),
        "footer_links": data.get("footer_links", []),
    }.items():
        setattr(space, field, value)
    if data.get("logo"):
        logo_path = path.parent / data["logo"]
        if not logo_path.is_file():
            raise SpaceFileError(f"{path}: logo {data['logo']} not found beside the file")
        if logo_path.stat().st_size > MAX_LOGO_BYTES:
            raise SpaceFileError(f"{path}: logo {data['logo']} weighs more than 200 KB")
        content = logo_path.read_bytes()
        current = space.logo.read() if space.logo and space.logo.storage.exists(space.logo.name) else None
        if current != content:
            space.logo.save(f"{space.slug}-{logo_path.name}", ContentFile(content), save=False)
    try:
        space.save()
    except ValidationError as error:
        details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        raise SpaceFileError(f"{path}: {details}") from error
    return space
