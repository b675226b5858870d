"""Read a content pack into the model, noting every problem of form met on the way.

`read_pack` checks each record on its own (keys, types, translations, the rules of each
challenge type, media files, contexts, the competence a tube belongs to) and builds what it
can; the rules that look at the pack as a whole (duplicate ids, a skill without a validated
challenge…) are in `validate.py`. The format is described in docs/content-format.md.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from balise.engine.answers import FieldSolution, Solution
from balise.engine.framework import ChallengeType

from .model import (
    CHALLENGE_STATUSES,
    TUTORIAL_KINDS,
    Pack,
    PackArea,
    PackAttachment,
    PackChallenge,
    PackCompetence,
    PackField,
    PackIllustration,
    PackOption,
    PackSkill,
    PackTube,
    PackTutorial,
    SourceRef,
    Texts,
)
from .problems import PackError, Problem
from .yaml_source import LineMap, read_yaml, yaml_error_line

PACK_FILE = "pack.yaml"
FRAMEWORK_FILE = "framework.yaml"
LICENCE_FILE = "LICENSE"
TUBES_DIR = "tubes"
# Stats and docs name the "no context" bucket this way, so no context may take the name.
SHARED_CONTEXT_NAME = "shared"

PACK_KEYS = {"id", "version", "languages", "licence", "contexts"}
CONTEXT_KEYS = {"name", "description"}
FRAMEWORK_KEYS = {"areas"}
AREA_KEYS = {"id", "name", "description", "context", "competences"}
COMPETENCE_KEYS = {"id", "name", "description", "context"}
TUBE_KEYS = {"id", "competence", "context", "name", "description", "skills", "tutorials"}
SKILL_KEYS = {"id", "level", "description", "challenges"}
CHALLENGE_KEYS = {
    "id", "type", "status", "instruction", "options", "solution", "fields", "pool",
    "tolerances", "timer", "focused", "accessibility", "illustration", "attachments", "irt",
    "context", "excluded_contexts", "reviewed_by", "reviewed_on",
}  # fmt: skip
FIELD_KEYS = {"id", "label", "accepted", "numeric"}
ACCESSIBILITY_KEYS = {"without_sight", "without_colour"}
ILLUSTRATION_KEYS = {"file", "files", "alt"}
ATTACHMENT_KEYS = {"file", "name"}
IRT_KEYS = {"a", "b"}
TUTORIAL_KEYS = {"id", "skills", "kind", "duration", "title", "text", "url"}

CHOICE_TYPES = (ChallengeType.QCU, ChallengeType.QCM)
OPEN_TYPES = (ChallengeType.QROC, ChallengeType.QROCM_IND, ChallengeType.QROCM_DEP)
TOLERANCE_NAMES = ("t1", "t2", "t3")
ILLUSTRATION_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")
MIN_LEVEL, MAX_LEVEL = 1, 8
_ID = re.compile(r"^[A-Za-z0-9@][A-Za-z0-9@._-]*$")
_URL = re.compile(r"^https?://\S+$")


@dataclass
class _Collected:
    areas: list[PackArea] = field(default_factory=list)
    competences: list[PackCompetence] = field(default_factory=list)
    tubes: list[PackTube] = field(default_factory=list)
    skills: list[PackSkill] = field(default_factory=list)
    challenges: list[PackChallenge] = field(default_factory=list)
    tutorials: list[PackTutorial] = field(default_factory=list)


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
        contexts: set[str],
        problems: list[Problem],
    ):
        self.root = root
        self.path = path
        self.file = str(Path(display_root) / path.relative_to(root))
        self.languages = languages
        self.contexts = contexts
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

    def context(
        self, mapping: LineMap, record_id: str | None, inherited: str | None, inherited_from: str
    ) -> str | None:
        """The effective context: the record's own, else the one of its parent."""
        if "context" not in mapping:
            return inherited
        value = mapping["context"]
        line = mapping.line_of("context")
        if not isinstance(value, str) or not value:
            self.problem(line, record_id, "context", f"expected a context code, got {_describe(value)}")
            return inherited
        if value not in self.contexts:
            declared = ", ".join(sorted(self.contexts)) or "none"
            self.problem(
                line,
                record_id,
                "context",
                f"unknown context '{value}' (declared in pack.yaml: {declared})",
            )
        if inherited is not None and value != inherited:
            self.problem(
                line,
                record_id,
                "context",
                f"context '{value}' differs from its {inherited_from}'s '{inherited}'",
            )
        return value

    def excluded_contexts(self, mapping: LineMap, record_id: str | None) -> tuple[str, ...]:
        """Contexts a shared record must not be shown in (e.g. a France-only question for fr-BE)."""
        if "excluded_contexts" not in mapping:
            return ()
        value = mapping["excluded_contexts"]
        line = mapping.line_of("excluded_contexts")
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            self.problem(
                line, record_id, "excluded_contexts", f"expected a list of context codes, got {_describe(value)}"
            )
            return ()
        for code in value:
            if code not in self.contexts:
                declared = ", ".join(sorted(self.contexts)) or "none"
                self.problem(
                    line,
                    record_id,
                    "excluded_contexts",
                    f"unknown context '{code}' (declared in pack.yaml: {declared})",
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


# -- pack.yaml and framework.yaml ------------------------------------------------------------


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


def _read_framework(reader: _FileReader, collected: _Collected) -> None:
    data = reader.load()
    if data is UNREADABLE:
        return
    top = reader.mapping(data, 1, None, None, "the framework")
    if top is None:
        return
    reader.keys(top, None, None, FRAMEWORK_KEYS, ("areas",))
    for area in reader.list_of_mappings(top, "areas", None, "areas"):
        area_id = reader.identifier(area, None, "area")
        # name and description are reported by reader.texts when missing
        reader.keys(area, area_id, None, AREA_KEYS, ("id",))
        if area_id is None:
            continue
        area_context = reader.context(area, area_id, None, "")
        collected.areas.append(
            PackArea(
                id=area_id,
                name=reader.texts(area, "name", area_id),
                description=reader.texts(area, "description", area_id),
                context=area_context,
                source=reader.source(area),
            )
        )
        for competence in reader.list_of_mappings(area, "competences", area_id, "competences"):
            competence_id = reader.identifier(competence, area_id, "competence")
            reader.keys(competence, competence_id, None, COMPETENCE_KEYS, ("id",))
            if competence_id is None:
                continue
            collected.competences.append(
                PackCompetence(
                    id=competence_id,
                    area_id=area_id,
                    name=reader.texts(competence, "name", competence_id),
                    description=reader.texts(competence, "description", competence_id),
                    context=reader.context(competence, competence_id, area_context, "area"),
                    source=reader.source(competence),
                )
            )


# -- tube files --------------------------------------------------------------------------------


def _read_tube_file(reader: _FileReader, competences: dict[str, PackCompetence], collected: _Collected) -> None:
    data = reader.load()
    if data is UNREADABLE:
        return
    tube = reader.mapping(data, 1, None, None, "a tube")
    if tube is None:
        return
    tube_id = reader.identifier(tube, None, "tube")
    reader.keys(tube, tube_id, None, TUBE_KEYS, ("id", "competence"))
    if tube_id is None:
        return
    if tube_id != reader.path.stem:
        reader.problem(
            tube.line_of("id"),
            tube_id,
            "id",
            f"the tube id '{tube_id}' differs from its file name '{reader.path.name}': name the file {tube_id}.yaml",
        )
    competence_id = tube.get("competence")
    competence = competences.get(competence_id) if isinstance(competence_id, str) else None
    if competence is None and "competence" in tube:
        reader.problem(
            tube.line_of("competence"),
            tube_id,
            "competence",
            f"unknown competence {_describe(competence_id)} (not in framework.yaml; "
            'write the id in quotes, e.g. "1.1")',
        )
    if competence is None:
        competence_id = str(competence_id) if competence_id is not None else ""
    elif reader.path.parent.name != competence_id:
        reader.problem(
            tube.line_of("competence"),
            tube_id,
            "competence",
            f"the tube belongs to competence {competence_id} but its file is in tubes/{reader.path.parent.name}/",
        )
    tube_context = reader.context(tube, tube_id, competence.context if competence else None, "competence")
    skills = [
        skill
        for raw_skill in reader.list_of_mappings(tube, "skills", tube_id, "skills")
        if (skill := _read_skill(reader, raw_skill, tube_id, competence_id, tube_context, collected)) is not None
    ]
    skills.sort(key=lambda skill: skill.level)
    collected.tubes.append(
        PackTube(
            id=tube_id,
            competence_id=competence_id,
            name=reader.texts(tube, "name", tube_id),
            description=reader.texts(tube, "description", tube_id),
            context=tube_context,
            skill_ids=tuple(skill.id for skill in skills),
            source=reader.source(tube),
        )
    )
    skill_ids = tuple(skill.id for skill in skills)
    for raw_tutorial in reader.list_of_mappings(tube, "tutorials", tube_id, "tutorials"):
        tutorial = _read_tutorial(reader, raw_tutorial, tube_id, skill_ids)
        if tutorial is not None:
            collected.tutorials.append(tutorial)


def _read_skill(
    reader: _FileReader,
    raw: LineMap,
    tube_id: str,
    competence_id: str,
    context: str | None,
    collected: _Collected,
) -> PackSkill | None:
    skill_id = reader.identifier(raw, tube_id, "skill")
    reader.keys(raw, skill_id or tube_id, None, SKILL_KEYS, ("id", "level"))
    if skill_id is None:
        return None
    level = raw.get("level")
    if not isinstance(level, int) or isinstance(level, bool) or not MIN_LEVEL <= level <= MAX_LEVEL:
        if "level" in raw:
            reader.problem(
                raw.line_of("level"),
                skill_id,
                "level",
                f"the level must be a whole number from {MIN_LEVEL} to {MAX_LEVEL}, got {_describe(level)}",
            )
        level = None
    elif skill_id != f"@{tube_id}{level}":
        reader.problem(
            raw.line_of("id"),
            skill_id,
            "id",
            f"a skill id is '@' + tube id + level: expected '@{tube_id}{level}'",
        )
    skill = PackSkill(
        id=skill_id,
        tube_id=tube_id,
        competence_id=competence_id,
        level=level or MIN_LEVEL,
        description=reader.texts(raw, "description", skill_id),
        source=reader.source(raw),
    )
    for raw_challenge in reader.list_of_mappings(raw, "challenges", skill_id, "challenges"):
        challenge = _read_challenge(reader, raw_challenge, skill, context)
        if challenge is not None:
            collected.challenges.append(challenge)
    collected.skills.append(skill)
    return skill


def _read_challenge(
    reader: _FileReader, raw: LineMap, skill: PackSkill, inherited_context: str | None
) -> PackChallenge | None:
    challenge_id = reader.identifier(raw, skill.id, "challenge")
    reader.keys(raw, challenge_id or skill.id, None, CHALLENGE_KEYS, ("id", "type", "status", "instruction"))
    if challenge_id is None:
        return None
    problems_before = len(reader.problems)
    cid = challenge_id

    raw_type = raw.get("type")
    try:
        challenge_type = ChallengeType(raw_type)
    except ValueError:
        if "type" in raw:
            kinds = ", ".join(kind.value for kind in ChallengeType)
            reader.problem(
                raw.line_of("type"),
                cid,
                "type",
                f"unknown type {_describe(raw_type)}; expected one of {kinds}",
            )
        return None

    status = raw.get("status")
    if status not in CHALLENGE_STATUSES and "status" in raw:
        reader.problem(
            raw.line_of("status"),
            cid,
            "status",
            f"unknown status {_describe(status)}; expected one of {', '.join(CHALLENGE_STATUSES)}",
        )
    instruction = reader.texts(raw, "instruction", cid, required=False)

    options: tuple[PackOption, ...] = ()
    correct: frozenset[str] = frozenset()
    fields: tuple[PackField, ...] = ()
    accepted: dict[str, dict[str, tuple[str, ...]]] = {}  # field id -> language -> answers
    pool: dict[str, tuple[tuple[str, ...], ...]] = {}
    if challenge_type in CHOICE_TYPES:
        for key in ("fields", "pool"):
            if key in raw:
                reader.problem(
                    raw.line_of(key),
                    cid,
                    key,
                    f"'{key}' is for open challenges; a {challenge_type.value} has options",
                )
        options, correct = _read_choices(reader, raw, cid, challenge_type)
    else:
        for key in ("options", "solution"):
            if key in raw:
                reader.problem(
                    raw.line_of(key),
                    cid,
                    key,
                    f"'{key}' is for qcu and qcm; a {challenge_type.value} has fields",
                )
        fields, accepted, pool = _read_open_fields(reader, raw, cid, challenge_type)

    tolerances = _read_tolerances(reader, raw, cid)
    timer = reader.positive_integer(raw, "timer", cid, "seconds")
    focused = reader.boolean(raw, "focused", cid, False)
    without_sight, without_colour = True, True
    if "accessibility" in raw:
        access = reader.mapping(
            raw["accessibility"],
            raw.line_of("accessibility"),
            cid,
            "accessibility",
            "{without_sight: …, without_colour: …}",
        )
        if access is not None:
            reader.keys(access, cid, "accessibility", ACCESSIBILITY_KEYS)
            without_sight = reader.boolean(access, "without_sight", cid, True, "accessibility")
            without_colour = reader.boolean(access, "without_colour", cid, True, "accessibility")
    illustration = _read_illustration(reader, raw, cid)
    attachments = _read_attachments(reader, raw, cid)
    irt_a, irt_b = _read_irt(reader, raw, cid)
    context = reader.context(raw, cid, inherited_context, "tube")
    excluded_contexts = reader.excluded_contexts(raw, cid)
    if excluded_contexts and context:
        reader.problem(
            raw.line_of("excluded_contexts"),
            cid,
            "excluded_contexts",
            "a context's own challenge cannot exclude contexts",
        )
    reviewed_by, reviewed_on = _read_review(reader, raw, cid, status)

    solutions = {}
    if len(reader.problems) == problems_before:
        try:
            solutions = _solutions(
                reader.languages,
                challenge_type,
                options,
                correct,
                fields,
                accepted,
                pool,
                tolerances,
            )
        except ValueError as error:  # a rule of the engine this reader does not know yet
            reader.problem(raw.line, cid, None, f"the engine rejects the solution: {error}")

    return PackChallenge(
        id=challenge_id,
        skill_id=skill.id,
        tube_id=skill.tube_id,
        competence_id=skill.competence_id,
        level=skill.level,
        type=challenge_type,
        status=status if status in CHALLENGE_STATUSES else "draft",
        instruction=instruction,
        options=options,
        fields=fields,
        solutions=solutions,
        timer=timer,
        focused=focused,
        without_sight=without_sight,
        without_colour=without_colour,
        illustration=illustration,
        attachments=attachments,
        irt_a=irt_a,
        irt_b=irt_b,
        context=context,
        excluded_contexts=excluded_contexts,
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        source=reader.source(raw),
    )


def _read_choices(
    reader: _FileReader, raw: LineMap, cid: str, challenge_type: ChallengeType
) -> tuple[tuple[PackOption, ...], frozenset[str]]:
    options: list[PackOption] = []
    raw_options = reader.list_of_mappings(raw, "options", cid, "options {id, fr, en}")
    if "options" not in raw:
        reader.problem(raw.line, cid, "options", f"a {challenge_type.value} needs options")
    for raw_option in raw_options:
        option_id = raw_option.get("id")
        if not isinstance(option_id, (str, int)) or isinstance(option_id, bool):
            reader.problem(
                raw_option.line,
                cid,
                "options",
                f"an option needs an id (a, b, c…), got {_describe(option_id)}",
            )
            continue
        option_id = str(option_id)
        if any(option.id == option_id for option in options):
            reader.problem(
                raw_option.line,
                cid,
                f"options.{option_id}",
                f"two options have the id '{option_id}'",
            )
            continue
        text = reader.language_texts(raw_option, cid, f"options.{option_id}", reader.languages, skip=("id",))
        options.append(PackOption(option_id, text))
    if raw_options and len(options) < 2:
        reader.problem(raw.line_of("options"), cid, "options", "a choice needs at least two options")

    line = raw.line_of("solution")
    solution = raw.get("solution")
    if isinstance(solution, (str, int)) and not isinstance(solution, bool):
        solution = [solution]  # a single id may be written alone
    if not isinstance(solution, list) or not all(
        isinstance(item, (str, int)) and not isinstance(item, bool) for item in solution
    ):
        reader.problem(
            line if "solution" in raw else raw.line,
            cid,
            "solution",
            f"expected the list of the right option ids, got {_describe(solution)}",
        )
        return tuple(options), frozenset()
    solution_ids = [str(item) for item in solution]
    option_ids = {option.id for option in options}
    unknown = [item for item in solution_ids if item not in option_ids]
    if unknown and options:
        reader.problem(
            line,
            cid,
            "solution",
            f"{', '.join(repr(item) for item in unknown)} is not an option id "
            f"(options: {', '.join(sorted(option_ids))})",
        )
    if len(set(solution_ids)) != len(solution_ids):
        reader.problem(line, cid, "solution", "an option is listed twice")
    correct = frozenset(solution_ids)
    if challenge_type is ChallengeType.QCU and len(correct) != 1:
        reader.problem(line, cid, "solution", f"a qcu has exactly one right option, got {len(correct)}")
    if challenge_type is ChallengeType.QCM:
        if not correct:
            reader.problem(line, cid, "solution", "a qcm has at least one right option")
        elif options and option_ids <= correct:
            reader.problem(
                line,
                cid,
                "solution",
                "every option is right: a qcm needs at least one wrong option",
            )
    return tuple(options), correct


def _read_open_fields(reader: _FileReader, raw: LineMap, cid: str, challenge_type: ChallengeType):
    fields: list[PackField] = []
    accepted: dict[str, dict[str, tuple[str, ...]]] = {}
    if "fields" not in raw:
        reader.problem(raw.line, cid, "fields", f"a {challenge_type.value} needs fields")
    raw_fields = reader.list_of_mappings(raw, "fields", cid, "fields {id, label, accepted}")
    for raw_field in raw_fields:
        field_id = reader.identifier(raw_field, cid, "field")
        if field_id is None:
            if "id" not in raw_field:
                reader.problem(raw_field.line, cid, "fields", "a field needs an id")
            continue
        where = f"fields.{field_id}"
        reader.keys(raw_field, cid, where, FIELD_KEYS, ("label",))
        if any(existing.id == field_id for existing in fields):
            reader.problem(raw_field.line, cid, where, f"two fields have the id '{field_id}'")
            continue
        label = reader.texts(raw_field, "label", cid, f"{where}.label", required=False)
        numeric = reader.boolean(raw_field, "numeric", cid, False, where)
        fields.append(PackField(field_id, label, numeric))
        if challenge_type is ChallengeType.QROCM_DEP:
            if "accepted" in raw_field:
                reader.problem(
                    raw_field.line_of("accepted"),
                    cid,
                    f"{where}.accepted",
                    "a qrocm-dep lists its answers in 'pool', not in its fields",
                )
            continue
        if "accepted" not in raw_field:
            reader.problem(raw_field.line, cid, f"{where}.accepted", "an open field needs its accepted answers")
            continue
        accepted[field_id] = _per_language(
            reader,
            raw_field,
            "accepted",
            cid,
            f"{where}.accepted",
            lambda value, line, field: _answers(reader, value, line, cid, field, "answers"),
        )

    if challenge_type is ChallengeType.QROC and raw_fields and len(fields) != 1:
        reader.problem(
            raw.line_of("fields"),
            cid,
            "fields",
            f"a qroc has exactly one field, got {len(raw_fields)} (use qrocm-ind or qrocm-dep for several)",
        )
    if challenge_type is not ChallengeType.QROC and raw_fields and len(raw_fields) < 2:
        reader.problem(
            raw.line_of("fields"),
            cid,
            "fields",
            f"a {challenge_type.value} has at least two fields (use qroc for one)",
        )

    pool: dict[str, tuple[tuple[str, ...], ...]] = {}
    if challenge_type is ChallengeType.QROCM_DEP:
        if "pool" not in raw:
            reader.problem(raw.line, cid, "pool", "a qrocm-dep needs a pool of accepted answers")
        else:
            pool = _per_language(
                reader,
                raw,
                "pool",
                cid,
                "pool",
                lambda value, line, field: _pool(reader, value, line, cid, field),
            )
            for language, groups in pool.items():
                if fields and len(groups) < len(fields):
                    reader.problem(
                        raw.line_of("pool"),
                        cid,
                        "pool",
                        f"the pool holds {len(groups)} answer group(s) in '{language}' "
                        f"for {len(fields)} fields: each field needs its own answer",
                    )
    elif "pool" in raw:
        reader.problem(raw.line_of("pool"), cid, "pool", "'pool' is only for qrocm-dep")
    return tuple(fields), accepted, pool


def _per_language(reader: _FileReader, parent: LineMap, key: str, cid: str, field: str, parse):
    """A value written once for every language, or as {fr: …, en: …}."""
    value = parent[key]
    line = parent.line_of(key)
    if not isinstance(value, LineMap):
        parsed = parse(value, line, field)
        return {language: parsed for language in reader.languages} if parsed is not None else {}
    result = {}
    for language, item in value.items():
        if language not in reader.languages:
            reader.problem(
                value.line_of(language),
                cid,
                f"{field}.{language}",
                f"unknown language '{language}'",
            )
            continue
        parsed = parse(item, value.line_of(language), f"{field}.{language}")
        if parsed is not None:
            result[language] = parsed
    for language in reader.languages:
        if language not in value:
            reader.problem(value.line, cid, field, f"missing translation '{language}'")
    return result


def _answers(reader: _FileReader, value: object, line: int, cid: str, field: str, what: str) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value:
        reader.problem(line, cid, field, f"expected a non-empty list of {what}, got {_describe(value)}")
        return None
    answers = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            reader.problem(
                line,
                cid,
                field,
                f"answer {_describe(item)} must be a non-empty text: write it in quotes",
            )
            return None
        answers.append(item)
    return tuple(answers)


def _pool(reader: _FileReader, value: object, line: int, cid: str, field: str):
    if not isinstance(value, list) or not value:
        reader.problem(line, cid, field, f"expected a list of answer groups, got {_describe(value)}")
        return None
    groups = []
    for group in value:
        group = [group] if isinstance(group, str) else group  # a lone variant may go bare
        parsed = _answers(reader, group, line, cid, field, "variants")
        if parsed is None:
            return None
        groups.append(parsed)
    seen: dict[str, int] = {}
    for index, group in enumerate(groups):
        for variant in group:
            if seen.setdefault(variant, index) != index:
                reader.problem(line, cid, field, f"'{variant}' is in two groups of the pool")
    return tuple(groups)


def _read_tolerances(reader: _FileReader, raw: LineMap, cid: str) -> frozenset[str]:
    if "tolerances" not in raw:
        return frozenset()
    value = raw["tolerances"]
    if not isinstance(value, list) or not all(item in TOLERANCE_NAMES for item in value):
        reader.problem(
            raw.line_of("tolerances"),
            cid,
            "tolerances",
            f"expected a list among {', '.join(TOLERANCE_NAMES)}, got {_describe(value)}",
        )
        return frozenset()
    return frozenset(value)


def _read_illustration(reader: _FileReader, raw: LineMap, cid: str) -> PackIllustration | None:
    if "illustration" not in raw:
        return None
    value = reader.mapping(
        raw["illustration"],
        raw.line_of("illustration"),
        cid,
        "illustration",
        "{file: media/…, alt: {fr: …, en: …}}",
    )
    if value is None:
        return None
    reader.keys(value, cid, "illustration", ILLUSTRATION_KEYS, ("file",))
    file = reader.media_file(value, cid, "illustration", ILLUSTRATION_SUFFIXES)
    if "alt" not in value:
        reader.problem(
            value.line,
            cid,
            "illustration.alt",
            "an illustration needs an alt text in each language",
        )
    alt = reader.texts(value, "alt", cid, "illustration.alt", required=False)
    files = _read_illustration_files(reader, value, cid)
    return PackIllustration(file, alt, files) if file else None


def _read_illustration_files(reader: _FileReader, value: LineMap, cid: str) -> dict[str, str]:
    """Optional versions of the picture per language (its texts translated); `file` serves the others."""
    if "files" not in value:
        return {}
    mapping = reader.mapping(
        value["files"], value.line_of("files"), cid, "illustration.files", "{fr: media/….fr.svg, en: media/….en.svg}"
    )
    if mapping is None:
        return {}
    files = {}
    for language, path in mapping.items():
        field = f"illustration.files.{language}"
        if language not in reader.languages:
            reader.problem(
                mapping.line_of(language),
                cid,
                field,
                f"unknown language '{language}'; the pack's languages are {', '.join(reader.languages)}",
            )
            continue
        checked = reader.media_path(path, mapping.line_of(language), cid, field, ILLUSTRATION_SUFFIXES)
        if checked:
            files[language] = checked
    return files


def _read_attachments(reader: _FileReader, raw: LineMap, cid: str) -> tuple[PackAttachment, ...]:
    attachments = []
    for item in reader.list_of_mappings(raw, "attachments", cid, "{file: media/…, name: {…}}"):
        reader.keys(item, cid, "attachments", ATTACHMENT_KEYS, ("file", "name"))
        file = reader.media_file(item, cid, "attachments")
        name = reader.texts(item, "name", cid, "attachments.name", required=False)
        if file:
            attachments.append(PackAttachment(file, name))
    return tuple(attachments)


def _read_irt(reader: _FileReader, raw: LineMap, cid: str) -> tuple[float | None, float | None]:
    if "irt" not in raw:
        return None, None
    value = reader.mapping(raw["irt"], raw.line_of("irt"), cid, "irt", "{a: …, b: …}")
    if value is None:
        return None, None
    reader.keys(value, cid, "irt", IRT_KEYS, ("a", "b"))
    numbers = []
    for key in ("a", "b"):
        number = value.get(key)
        if not isinstance(number, (int, float)) or isinstance(number, bool):
            if key in value:
                reader.problem(
                    value.line_of(key),
                    cid,
                    f"irt.{key}",
                    f"expected a number, got {_describe(number)}",
                )
            number = None
        numbers.append(float(number) if number is not None else None)
    if numbers[0] is not None and numbers[0] <= 0:
        reader.problem(value.line_of("a"), cid, "irt.a", "the discrimination a must be positive")
    return numbers[0], numbers[1]


def _read_review(reader: _FileReader, raw: LineMap, cid: str, status: object) -> tuple[str | None, date | None]:
    reviewed_by = raw.get("reviewed_by")
    if reviewed_by is not None and (not isinstance(reviewed_by, str) or not reviewed_by.strip()):
        reader.problem(
            raw.line_of("reviewed_by"),
            cid,
            "reviewed_by",
            f"expected the reviewer's name, got {_describe(reviewed_by)}",
        )
        reviewed_by = None
    reviewed_on = raw.get("reviewed_on")
    if isinstance(reviewed_on, datetime):
        reviewed_on = reviewed_on.date()
    elif isinstance(reviewed_on, str):
        try:
            reviewed_on = date.fromisoformat(reviewed_on)
        except ValueError:
            reviewed_on = "bad"
    if reviewed_on is not None and not isinstance(reviewed_on, date):
        reader.problem(
            raw.line_of("reviewed_on"),
            cid,
            "reviewed_on",
            f"expected a date such as 2026-11-28, got {_describe(raw['reviewed_on'])}",
        )
        reviewed_on = None
    if status == "validated":
        for key, value in (("reviewed_by", reviewed_by), ("reviewed_on", reviewed_on)):
            if value is None and key not in raw:
                reader.problem(
                    raw.line,
                    cid,
                    key,
                    f"a validated challenge needs '{key}' (its second reader's review)",
                )
    return reviewed_by, reviewed_on


def _solutions(languages, challenge_type, options, correct, fields, accepted, pool, tolerances):
    solutions = {}
    for language in languages:
        if challenge_type in CHOICE_TYPES:
            solutions[language] = Solution(
                type=challenge_type,
                options=tuple(option.id for option in options),
                correct_options=correct,
                tolerances=tolerances,
            )
            continue
        solutions[language] = Solution(
            type=challenge_type,
            fields=tuple(FieldSolution(f.id, accepted.get(f.id, {}).get(language, ()), f.numeric) for f in fields),
            pool=pool.get(language, ()),
            tolerances=tolerances,
        )
    return solutions


def _read_tutorial(
    reader: _FileReader, raw: LineMap, tube_id: str, tube_skill_ids: tuple[str, ...]
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


# -- the whole pack ------------------------------------------------------------------------------


def read_pack(path: str | Path) -> tuple[Pack, list[Problem]]:
    """Read everything that can be read, with the problems of form found on the way.

    Raises PackError only when nothing sensible can be built: no pack.yaml, or no languages.
    The pack-wide rules (validate.py) are not applied here.
    """
    display_root = str(path)
    root = Path(path)
    problems: list[Problem] = []
    pack_file = root / PACK_FILE
    if not pack_file.is_file():
        raise PackError(
            [
                Problem(
                    str(Path(display_root) / PACK_FILE),
                    None,
                    None,
                    None,
                    "no pack.yaml: is this the folder of a content pack?",
                )
            ]
        )

    def file_reader(file: Path) -> _FileReader:
        return _FileReader(root, display_root, file, languages, contexts, problems)

    languages: tuple[str, ...] = ()
    contexts: set[str] = set()
    settings, languages = _read_pack_file(file_reader(pack_file))
    contexts.update(settings["contexts"])

    if not (root / LICENCE_FILE).is_file():
        problems.append(
            Problem(
                str(Path(display_root) / LICENCE_FILE),
                None,
                None,
                None,
                "the pack has no LICENSE file stating its licence",
            )
        )

    collected = _Collected()
    framework_file = root / FRAMEWORK_FILE
    if framework_file.is_file():
        _read_framework(file_reader(framework_file), collected)
    else:
        problems.append(
            Problem(
                str(Path(display_root) / FRAMEWORK_FILE),
                None,
                None,
                None,
                "no framework.yaml: the areas and competences are missing",
            )
        )
    competences = {competence.id: competence for competence in collected.competences}

    tubes_dir = root / TUBES_DIR
    for file in sorted(tubes_dir.rglob("*")) if tubes_dir.is_dir() else ():
        if file.is_dir():
            continue
        relative = file.relative_to(tubes_dir)
        if file.suffix != ".yaml" or len(relative.parts) != 2:
            problems.append(
                Problem(
                    str(Path(display_root) / TUBES_DIR / relative),
                    None,
                    None,
                    None,
                    "tube files go in tubes/<competence>/<tube id>.yaml",
                )
            )
            continue
        _read_tube_file(file_reader(file), competences, collected)

    pack = Pack(
        id=settings["id"],
        version=settings["version"],
        languages=languages,
        licence=settings["licence"],
        contexts=settings["contexts"],
        areas=tuple(collected.areas),
        competences=tuple(collected.competences),
        tubes=tuple(collected.tubes),
        skills=tuple(collected.skills),
        challenges=tuple(collected.challenges),
        tutorials=tuple(collected.tutorials),
        root=root,
    )
    return pack, problems
