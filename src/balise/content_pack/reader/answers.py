"""What a challenge accepts: the options and solution of a choice, the fields, accepted answers
and pool of an open challenge, and the engine `Solution` built from them in each language.
"""

from __future__ import annotations

from balise.engine.answers import FieldSolution, Solution
from balise.engine.framework import ChallengeType

from ..model import PackField, PackOption
from ..yaml_source import LineMap
from .file_reader import _describe, _FileReader

FIELD_KEYS = {"id", "label", "accepted", "numeric"}
CHOICE_TYPES = (ChallengeType.QCU, ChallengeType.QCM)
OPEN_TYPES = (ChallengeType.QROC, ChallengeType.QROCM_IND, ChallengeType.QROCM_DEP)


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
