"""The tutorials of a tube: kind, duration, skills, and a text or per-language addresses."""

from __future__ import annotations

import re

from ..model import TUTORIAL_KINDS, PackTutorial, Texts
from ..yaml_source import LineMap
from .file_reader import _describe, _FileReader

TUTORIAL_KEYS = {"id", "skills", "kind", "duration", "title", "text", "url", "space", "excluded_spaces"}
_URL = re.compile(r"^https?://\S+$")


def _read_tutorial(
    reader: _FileReader, raw: LineMap, tube_id: str, tube_skill_ids: tuple[str, ...], tube_space: str | None
) -> PackTutorial | None:
    tutorial_id = reader.identifier(raw, tube_id, "tutorial")
    reader.keys(raw, tutorial_id or tube_id, None, TUTORIAL_KEYS, ("id", "kind", "duration", "title"))
    if tutorial_id is None:
        return None
    tid = tutorial_id
    kind = raw.get("kind")
    if kind not in TUTORIAL_KINDS:
        if "kind" in raw:
            reader.problem(
                raw.line_of("kind"),
                tid,
                "kind",
                f"unknown kind {_describe(kind)}; expected one of {', '.join(TUTORIAL_KINDS)}",
            )
        kind = "text" if "text" in raw else "page"
    duration = reader.positive_integer(raw, "duration", tid, "minutes")

    skill_ids = tube_skill_ids
    if "skills" in raw:
        value = raw["skills"]
        if not isinstance(value, list) or not value:
            reader.problem(
                raw.line_of("skills"),
                tid,
                "skills",
                f"expected a list of skill ids of this tube, got {_describe(value)}",
            )
        else:
            unknown = [item for item in value if item not in tube_skill_ids]
            if unknown:
                reader.problem(
                    raw.line_of("skills"),
                    tid,
                    "skills",
                    f"not skills of the tube {tube_id}: {', '.join(str(item) for item in unknown)}",
                )
            skill_ids = tuple(item for item in value if item in tube_skill_ids)

    text = url = None
    languages: tuple[str, ...] = reader.languages
    if "text" not in raw and "url" not in raw:
        reader.problem(
            raw.line,
            tid,
            None,
            "a tutorial needs a 'text' (kind text) or a 'url' (kind video or page)",
        )
    elif kind == "text":
        if "url" in raw:
            reader.problem(raw.line_of("url"), tid, "url", "a text tutorial has a 'text', not a 'url'")
        text = reader.texts(raw, "text", tid)
    else:
        if "text" in raw:
            reader.problem(
                raw.line_of("text"),
                tid,
                "text",
                f"a {kind} tutorial is a link: give a 'url', not a 'text'",
            )
        url = _read_urls(reader, raw, tid)
        languages = tuple(language for language in reader.languages if language in url)
    title = reader.texts(raw, "title", tid, languages=languages, required=False)
    # A space's own tutorial can sit in a shared tube: the FWB's help lines beside France's.
    space, excluded_spaces = reader.space_and_exclusions(raw, tid, tube_space, "tube")
    return PackTutorial(
        id=tutorial_id,
        tube_id=tube_id,
        skill_ids=skill_ids,
        kind=kind,
        duration=duration or 0,
        title=title,
        text=text,
        url=url,
        languages=frozenset(text if text is not None else (url or {})),
        space=space,
        excluded_spaces=excluded_spaces,
        source=reader.source(raw),
    )


def _read_urls(reader: _FileReader, raw: LineMap, tid: str) -> Texts:
    """One address per language offered: a link may exist in one language only."""
    if "url" not in raw:
        return {}
    value = reader.mapping(
        raw["url"],
        raw.line_of("url"),
        tid,
        "url",
        "one address per language, e.g. {fr: https://…, en: https://…},",
    )
    if value is None:
        return {}
    urls = reader.language_texts(value, tid, "url", languages=(), skip=())
    if not urls:
        reader.problem(value.line, tid, "url", "a link tutorial needs an address in some language")
    for language, address in list(urls.items()):
        if not _URL.match(address):
            reader.problem(
                value.line_of(language),
                tid,
                f"url.{language}",
                f"'{address}' is not a web address (https://…)",
            )
            del urls[language]
    return urls
