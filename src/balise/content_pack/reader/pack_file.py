"""pack.yaml: the pack's id, version, licence, languages and contexts.

Read first: the languages and contexts it declares are what every other file is checked against.
"""

from __future__ import annotations

from ..problems import PackError
from ..yaml_source import LineMap
from .file_reader import _ID, UNREADABLE, _describe, _FileReader

# Stats and docs name the "no context" bucket this way, so no context may take the name.
SHARED_CONTEXT_NAME = "shared"
PACK_KEYS = {"id", "version", "languages", "licence", "contexts"}
CONTEXT_KEYS = {"name", "description"}


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
    contexts: dict[str, dict] = {}
    raw_contexts = top.get("contexts") or LineMap(top.line_of("contexts"))
    raw_contexts = reader.mapping(raw_contexts, top.line_of("contexts"), None, "contexts", "contexts by code")
    for code, value in (raw_contexts or {}).items():
        line = raw_contexts.line_of(code)
        if not isinstance(code, str) or not _ID.match(code) or code == SHARED_CONTEXT_NAME:
            reader.problem(
                line,
                None,
                "contexts",
                f"'{code}' cannot be a context code (letters, digits, - and _; not '{SHARED_CONTEXT_NAME}')",
            )
            continue
        entry = reader.mapping(value, line, code, None, "a context with a name")
        if entry is None:
            continue
        reader.keys(entry, code, None, CONTEXT_KEYS, ("name",))
        contexts[code] = {"name": reader.texts(entry, "name", code, required=False)}
        if "description" in entry:
            contexts[code]["description"] = reader.texts(entry, "description", code)
    settings["contexts"] = contexts
    return settings, tuple(languages)
