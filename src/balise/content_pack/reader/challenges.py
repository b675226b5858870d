"""One challenge of a skill: its type, status, instruction and everything around the answer.

What the learner answers and what is right (options, fields, solutions) is in answers.py; its
pictures and files in media.py. Here: tolerances, timer, accessibility, IRT parameters,
spaces and the second reader's review, then the engine's solution built once nothing is wrong.
"""

from __future__ import annotations

from datetime import date, datetime

from balise.engine.framework import ChallengeType

from ..model import CHALLENGE_STATUSES, PackChallenge, PackField, PackOption, PackSkill
from ..yaml_source import LineMap
from .answers import CHOICE_TYPES, _read_choices, _read_open_fields, _solutions
from .file_reader import _describe, _FileReader
from .media import _read_attachments, _read_illustration

CHALLENGE_KEYS = {
    "id", "type", "status", "instruction", "options", "solution", "fields", "pool",
    "tolerances", "timer", "focused", "accessibility", "illustration", "attachments", "irt",
    "space", "excluded_spaces", "reviewed_by", "reviewed_on",
}  # fmt: skip
ACCESSIBILITY_KEYS = {"without_sight", "without_colour"}
IRT_KEYS = {"a", "b"}
TOLERANCE_NAMES = ("t1", "t2", "t3")


def _read_challenge(
    reader: _FileReader, raw: LineMap, skill: PackSkill, inherited_space: str | None
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
    space, excluded_spaces = reader.space_and_exclusions(raw, cid, inherited_space, "tube")
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
        space=space,
        excluded_spaces=excluded_spaces,
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        source=reader.source(raw),
    )


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
