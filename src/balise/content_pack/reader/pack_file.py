"""pack.yaml: the pack's id, version, licence, languages and spaces.

Read first: the languages and spaces it declares are what every other file is checked against.
"""

from __future__ import annotations

import re

from ..problems import PackError
from ..yaml_source import LineMap
from .file_reader import UNREADABLE, _describe, _FileReader

# The rule of a space's slug on the platform (spaces.models.slug_validator), checked here so
# that `balise content check` finds a slug no platform could have, without a database.
SPACE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

# Stats and docs name the "no space" bucket this way, so no space may take the name.
SHARED_SPACE_NAME = "shared"
PACK_KEYS = {"id", "version", "languages", "licence", "spaces"}
SPACE_KEYS = {"name", "description"}


def _read_pack_file(reader: _FileReader) -> tuple[dict, tuple[str, ...]]:
    """Returns the pack's settings and its languages; raises PackError if they are unusable."""
    data = reader.load()
    top = None if data is UNREADABLE else reader.mapping(data, 1, None, None, "the pack settings")
    if top is None:
        raise PackError(reader.problems)
    reader.keys(top, None, None, PACK_KEYS, ("id", "version", "languages", "licence"))
    settings: dict = {}
    for key in ("id", "version", "licence"):
        value = top.get(key)
        if key in top and (not isinstance(value, str) or not value.strip()):
            reader.problem(
                top.line_of(key),
                None,
                key,
                f"expected a text, got {_describe(value)}: write it in quotes",
            )
        settings[key] = value if isinstance(value, str) else ""
    languages = top.get("languages")
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(lang, str) and lang for lang in languages)
    ):
        if "languages" in top:
            reader.problem(
                top.line_of("languages"),
                None,
                "languages",
                "expected a list of language codes, e.g. [fr, en]",
            )
        # Without languages no text can be checked: stop here.
        raise PackError(reader.problems)
    if len(set(languages)) != len(languages):
        reader.problem(top.line_of("languages"), None, "languages", "a language is listed twice")
    reader.languages = tuple(languages)
    spaces: dict[str, dict] = {}
    raw_spaces = top.get("spaces") or LineMap(top.line_of("spaces"))
    raw_spaces = reader.mapping(raw_spaces, top.line_of("spaces"), None, "spaces", "spaces by slug")
    for code, value in (raw_spaces or {}).items():
        line = raw_spaces.line_of(code)
        if not isinstance(code, str) or not SPACE_SLUG.match(code) or code == SHARED_SPACE_NAME:
            reader.problem(
                line,
                None,
                "spaces",
                f"'{code}' cannot be a space slug (lower-case letters, digits and -; not '{SHARED_SPACE_NAME}')",
            )
            continue
        entry = reader.mapping(value, line, code, None, "a space with a name")
        if entry is None:
            continue
        reader.keys(entry, code, None, SPACE_KEYS, ("name",))
        spaces[code] = {"name": reader.texts(entry, "name", code, required=False)}
        if "description" in entry:
            spaces[code]["description"] = reader.texts(entry, "description", code)
    settings["spaces"] = spaces
    return settings, tuple(languages)
