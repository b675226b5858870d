"""The checker of one pack file, shared by every reader of the package.

`_FileReader` holds what all records need whatever they are: reporting a problem against this
file and line, the shapes (mappings, keys, ids, booleans, numbers, lists), the texts in each
of the pack's languages, spaces, and paths under media/. It knows no record type: the
modules beside it (pack_file, framework, challenges, answers, media, tutorials) call it, never
the reverse, so the package has no import cycle.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from ..model import SourceRef, Texts
from ..problems import Problem
from ..yaml_source import LineMap, read_yaml, yaml_error_line

# Keys of packs written before spaces (a language-like "context" code instead of a space).
RENAMED_KEYS = {"context": "space", "contexts": "spaces", "excluded_contexts": "excluded_spaces"}
RENAMED_WHY = "content names the space it belongs to by its slug, e.g. fwb"

# A record id.
_ID = re.compile(r"^[A-Za-z0-9@][A-Za-z0-9@._-]*$")


# What `_FileReader.load` returns for a file it could not parse (None is an empty file).
UNREADABLE = object()


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (LineMap, dict)):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


class _FileReader:
    """Checks the records of one file; every problem it finds names this file."""

    def __init__(
        self,
        root: Path,
        display_root: str,
        path: Path,
        languages: tuple[str, ...],
        spaces: set[str],
        problems: list[Problem],
    ):
        self.root = root
        self.path = path
        self.file = str(Path(display_root) / path.relative_to(root))
        self.languages = languages
        self.spaces = spaces
        self.problems = problems

    # -- reporting ---------------------------------------------------------------------

    def problem(self, line: int | None, record_id: str | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, record_id, field, message))

    def source(self, mapping: LineMap) -> SourceRef:
        return SourceRef(self.file, mapping.line)

    def load(self) -> object:
        try:
            return read_yaml(self.path)
        except yaml.YAMLError as error:
            message = " ".join(str(getattr(error, "problem", None) or error).split())
            self.problem(yaml_error_line(error), None, None, f"not valid YAML: {message}")
        except UnicodeDecodeError:
            self.problem(None, None, None, "not valid UTF-8")
        return UNREADABLE

    # -- shapes ------------------------------------------------------------------------

    def mapping(self, value: object, line: int, record_id: str | None, field: str | None, what: str) -> LineMap | None:
        if isinstance(value, LineMap):
            return value
        self.problem(line, record_id, field, f"expected {what} (a mapping), got {_describe(value)}")
        return None

    def keys(
        self,
        mapping: LineMap,
        record_id: str | None,
        prefix: str | None,
        allowed: set[str],
        required: tuple[str, ...] = (),
    ) -> None:
        """Unknown keys (typos), missing required keys and keys written twice."""

        def where(key: object) -> str:
            return f"{prefix}.{key}" if prefix else str(key)

        for key, line in mapping.duplicate_keys:
            self.problem(line, record_id, where(key), "this key is written twice")
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.7)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                if key in RENAMED_KEYS and RENAMED_KEYS[key] in allowed:
                    hint = f" (renamed '{RENAMED_KEYS[key]}' in 2026.12: {RENAMED_WHY})"
                known = ", ".join(sorted(allowed))
                self.problem(
                    mapping.line_of(key),
                    record_id,
                    where(key),
                    f"unknown key '{key}'{hint}; known keys: {known}",
                )
        for key in required:
            if key not in mapping:
                self.problem(mapping.line, record_id, where(key), f"missing '{key}'")

    def identifier(self, mapping: LineMap, record_id: str | None, what: str, key: str = "id") -> str | None:
        value = mapping.get(key)
        if value is None:
            if key in mapping:
                self.problem(mapping.line_of(key), record_id, key, f"{what} has an empty {key}")
            return None
        if not isinstance(value, str):
            self.problem(
                mapping.line_of(key),
                record_id,
                key,
                f"{what} {key} {_describe(value)} must be a text: write it in quotes",
            )
            return None
        if not _ID.match(value):
            self.problem(
                mapping.line_of(key),
                value,
                key,
                f"{what} {key} '{value}' may hold only letters, digits and @ . _ -",
            )
            return None
        return value

    def texts(
        self,
        parent: LineMap,
        key: str,
        record_id: str | None,
        field: str | None = None,
        languages: tuple[str, ...] | None = None,
        required: bool = True,
    ) -> Texts:
        """A `{language: text}` map with a non-empty text in each of `languages`."""
        field = field or key
        languages = self.languages if languages is None else languages
        if key not in parent:
            if required:
                self.problem(parent.line, record_id, field, f"missing '{key}'")
            return {}
        value = parent[key]
        mapping = self.mapping(
            value,
            parent.line_of(key),
            record_id,
            field,
            "one text per language, e.g. {fr: …, en: …},",
        )
        if mapping is None:
            return {}
        return self.language_texts(mapping, record_id, field, languages, skip=())

    def language_texts(
        self,
        mapping: LineMap,
        record_id: str | None,
        field: str,
        languages: tuple[str, ...],
        skip: tuple[str, ...],
    ) -> Texts:
        """The texts of a map whose keys are languages (options also hold their `id`: skip)."""
        texts: Texts = {}
        for key, value in mapping.items():
            if key in skip:
                continue
            if key not in self.languages:
                self.problem(
                    mapping.line_of(key),
                    record_id,
                    f"{field}.{key}",
                    f"unknown language '{key}'; the pack's languages are {', '.join(self.languages)}",
                )
                continue
            if not isinstance(value, str):
                self.problem(
                    mapping.line_of(key),
                    record_id,
                    f"{field}.{key}",
                    f"expected a text, got {_describe(value)}: write it in quotes",
                )
                continue
            if not value.strip():
                continue  # reported as a missing translation below
            texts[key] = value
        for language in languages:
            if language not in texts and not (language in mapping and not isinstance(mapping[language], str)):
                self.problem(mapping.line_of(language), record_id, field, f"missing translation '{language}'")
        for key, _line in mapping.duplicate_keys:
            self.problem(_line, record_id, f"{field}.{key}", "this key is written twice")
        return texts

    def space(
        self, mapping: LineMap, record_id: str | None, inherited: str | None, inherited_from: str
    ) -> str | None:
        """The effective space: the record's own, else the one of its parent."""
        if "space" not in mapping:
            return inherited
        value = mapping["space"]
        line = mapping.line_of("space")
        if not isinstance(value, str) or not value:
            self.problem(line, record_id, "space", f"expected a space slug, got {_describe(value)}")
            return inherited
        if value not in self.spaces:
            declared = ", ".join(sorted(self.spaces)) or "none"
            self.problem(
                line,
                record_id,
                "space",
                f"unknown space '{value}' (declared in pack.yaml: {declared})",
            )
        if inherited is not None and value != inherited:
            self.problem(
                line,
                record_id,
                "space",
                f"space '{value}' differs from its {inherited_from}'s '{inherited}'",
            )
        return value

    def space_and_exclusions(
        self, mapping: LineMap, record_id: str | None, inherited: str | None, inherited_from: str
    ) -> tuple[str | None, tuple[str, ...]]:
        """A challenge's or tutorial's space and the spaces it is not shown in: only shared
        records exclude (a space's own record is shown nowhere else anyway)."""
        space = self.space(mapping, record_id, inherited, inherited_from)
        excluded = self.excluded_spaces(mapping, record_id)
        if excluded and space:
            self.problem(
                mapping.line_of("excluded_spaces"),
                record_id,
                "excluded_spaces",
                "a space's own record cannot exclude spaces",
            )
        return space, excluded

    def excluded_spaces(self, mapping: LineMap, record_id: str | None) -> tuple[str, ...]:
        """Spaces a shared record must not be shown in (e.g. a France-only question for fr-BE)."""
        if "excluded_spaces" not in mapping:
            return ()
        value = mapping["excluded_spaces"]
        line = mapping.line_of("excluded_spaces")
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            self.problem(
                line, record_id, "excluded_spaces", f"expected a list of space slugs, got {_describe(value)}"
            )
            return ()
        for code in value:
            if code not in self.spaces:
                declared = ", ".join(sorted(self.spaces)) or "none"
                self.problem(
                    line,
                    record_id,
                    "excluded_spaces",
                    f"unknown space '{code}' (declared in pack.yaml: {declared})",
                )
        return tuple(value)

    def boolean(
        self,
        mapping: LineMap,
        key: str,
        record_id: str | None,
        default: bool,
        prefix: str | None = None,
    ) -> bool:
        if key not in mapping:
            return default
        value = mapping[key]
        if isinstance(value, bool):
            return value
        self.problem(
            mapping.line_of(key),
            record_id,
            f"{prefix}.{key}" if prefix else key,
            f"expected true or false, got {_describe(value)}",
        )
        return default

    def positive_integer(self, mapping: LineMap, key: str, record_id: str | None, unit: str) -> int | None:
        if key not in mapping:
            return None
        value = mapping[key]
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        self.problem(
            mapping.line_of(key),
            record_id,
            key,
            f"{key} must be a positive whole number of {unit}, got {_describe(value)}",
        )
        return None

    def media_file(
        self, mapping: LineMap, record_id: str | None, prefix: str, suffixes: tuple[str, ...] = ()
    ) -> str | None:
        return self.media_path(mapping.get("file"), mapping.line_of("file"), record_id, f"{prefix}.file", suffixes)

    def media_path(
        self, value, line: int, record_id: str | None, field: str, suffixes: tuple[str, ...] = ()
    ) -> str | None:
        """A path to an existing file under the pack's media/ (with one of `suffixes`)."""
        if not isinstance(value, str) or not value.strip():
            self.problem(
                line,
                record_id,
                field,
                f"expected a file path such as media/…, got {_describe(value)}",
            )
            return None
        target = (self.root / value).resolve()
        if not value.startswith("media/") or self.root.resolve() / "media" not in target.parents:
            self.problem(
                line,
                record_id,
                field,
                f"'{value}' must be a file under media/ in the pack",
            )
            return None
        if not target.is_file():
            self.problem(line, record_id, field, f"media file '{value}' does not exist")
            return None
        if suffixes and target.suffix.lower() not in suffixes:
            self.problem(
                line,
                record_id,
                field,
                f"'{value}' is not a picture ({', '.join(suffixes)})",
            )
        return value

    def list_of_mappings(self, parent: LineMap, key: str, record_id: str | None, what: str) -> list[LineMap]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(
                parent.line_of(key),
                record_id,
                key,
                f"expected a list of {what}, got {_describe(value)}",
            )
            return []
        items = []
        for item in value:
            mapping = self.mapping(item, parent.line_of(key), record_id, key, what)
            if mapping is not None:
                items.append(mapping)
        return items
