"""Answer checking for the five challenge types, with the tolerances t1/t2/t3 and numeric fields.

`check_answer` judges a learner's response against a `Solution`; `answer_status` turns that
judgement plus what the page recorded (skipped, timer ran out, focus lost) into the status
that is stored. A malformed response raises `InvalidResponse`, and nothing else, so the web
layer can answer a 400 with a precise message instead of guessing at exceptions.

Comparison rules for open answers (ALGORITHMS.md §4, content-format.md):
- always: Unicode NFC, typographic apostrophes read as ', spaces trimmed and runs of white
  space read as one space (a phone keyboard or a copy-paste must not decide the result);
- t1: lower case, accents removed, spaces removed;
- t2: punctuation (Unicode category P*) removed;
- t3: accepted when Levenshtein distance / length of the (treated) expected answer <= 0.25;
- numeric fields: compared as numbers, "3,5" == "3.5", "1 000" == "1000". An accepted value
  that is not a number (an author's "quatorze") is compared as text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from balise.engine.framework import ChallengeType

TOLERANCES = frozenset({"t1", "t2", "t3"})
# t3: the largest share of the expected answer's length that may be edited.
T3_MAX_RELATIVE_DISTANCE = 0.25

_OPEN_TYPES = (ChallengeType.QROC, ChallengeType.QROCM_IND, ChallengeType.QROCM_DEP)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'"})
_WHITESPACE_RUN = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


class AnswerStatus(str, Enum):
    OK = "ok"
    KO = "ko"
    SKIPPED = "skipped"
    TIMED_OUT = "timedout"  # a correct answer that arrived after the timer
    FOCUSED_OUT = "focusedout"  # a correct answer given after the page lost focus


class InvalidResponse(ValueError):
    """The response does not fit the challenge (unknown option, missing field, not text…).

    `field` names the offending field of an open challenge, None when the problem is the
    response as a whole or a choice.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FieldSolution:
    id: str
    accepted: tuple[str, ...] = ()
    numeric: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "accepted", tuple(self.accepted))


@dataclass(frozen=True)
class Solution:
    """What a response is checked against; the web builds it from the challenge and language.

    A Solution that cannot be right (a qcu with two correct options, a qroc with two fields…)
    raises ValueError when it is built: that is a content error, not the learner's.
    """

    type: ChallengeType
    options: tuple[str, ...] = ()  # option ids shown (qcu/qcm); empty: not checked
    correct_options: frozenset[str] = frozenset()
    fields: tuple[FieldSolution, ...] = ()
    pool: tuple[tuple[str, ...], ...] = ()  # qrocm-dep: groups of variants of one answer
    tolerances: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Accept lists and plain strings from callers, store the immutable forms.
        object.__setattr__(self, "type", ChallengeType(self.type))
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "correct_options", frozenset(self.correct_options))
        object.__setattr__(self, "fields", tuple(self.fields))
        object.__setattr__(self, "pool", tuple(tuple(group) for group in self.pool))
        object.__setattr__(self, "tolerances", frozenset(self.tolerances))
        self._validate()

    def _validate(self) -> None:
        unknown_tolerances = self.tolerances - TOLERANCES
        if unknown_tolerances:
            raise ValueError(f"unknown tolerances {sorted(unknown_tolerances)}")
        if self.type in (ChallengeType.QCU, ChallengeType.QCM):
            if self.type is ChallengeType.QCU and len(self.correct_options) != 1:
                raise ValueError("a qcu has exactly one correct option")
            if self.type is ChallengeType.QCM and not self.correct_options:
                raise ValueError("a qcm has at least one correct option")
            if self.options and not self.correct_options <= set(self.options):
                raise ValueError("a correct option is not among the options")
            return
        if not self.fields:
            raise ValueError(f"a {self.type.value} has at least one field")
        ids = [f.id for f in self.fields]
        if len(set(ids)) != len(ids):
            raise ValueError("field ids must be unique")
        if self.type is ChallengeType.QROC and len(self.fields) != 1:
            raise ValueError("a qroc has exactly one field")
        if self.type is ChallengeType.QROCM_DEP:
            if len(self.pool) < len(self.fields) or not all(self.pool):
                raise ValueError("a qrocm-dep needs a non-empty group in its pool for every field")
        elif not all(f.accepted for f in self.fields):
            raise ValueError("every field needs at least one accepted answer")


def check_answer(solution: Solution, response: object) -> bool:
    """True when the response is right. Raises InvalidResponse (only) if it is malformed.

    qcu: an option id (str); qcm: a list/tuple/set of option ids, order free;
    qroc, qrocm-ind, qrocm-dep: a dict {field id: text} with exactly the solution's fields.
    """
    if solution.type is ChallengeType.QCU:
        return _check_single_choice(solution, response)
    if solution.type is ChallengeType.QCM:
        return _check_multiple_choice(solution, response)
    texts = _field_texts(solution, response)
    if solution.type is ChallengeType.QROCM_DEP:
        return _check_dependent_fields(solution, texts)
    return all(
        _matches_any(texts[field.id], field.accepted, solution.tolerances, field.numeric) for field in solution.fields
    )


def answer_status(
    solution: Solution,
    response: object,
    *,
    skipped: bool = False,
    timed_out: bool = False,
    focused_out: bool = False,
) -> AnswerStatus:
    """The status to store. A skipped response is not read; timed out and focused out
    only apply to a correct answer (a wrong one is simply ko)."""
    if skipped:
        return AnswerStatus.SKIPPED
    if not check_answer(solution, response):
        return AnswerStatus.KO
    if timed_out:
        return AnswerStatus.TIMED_OUT
    if focused_out:
        return AnswerStatus.FOCUSED_OUT
    return AnswerStatus.OK


# --- choices -------------------------------------------------------------------------------


def _check_option_id(solution: Solution, option: object) -> str:
    if not isinstance(option, str):
        raise InvalidResponse(f"an option id must be text, got {type(option).__name__}")
    if solution.options and option not in solution.options:
        raise InvalidResponse(f"unknown option {option!r}; expected one of {', '.join(solution.options)}")
    return option


def _check_single_choice(solution: Solution, response: object) -> bool:
    if not isinstance(response, str):
        raise InvalidResponse(f"a qcu expects one option id (text), got {type(response).__name__}")
    return _check_option_id(solution, response) in solution.correct_options


def _check_multiple_choice(solution: Solution, response: object) -> bool:
    if not isinstance(response, (list, tuple, set, frozenset)):
        raise InvalidResponse(f"a qcm expects a list of option ids, got {type(response).__name__}")
    chosen = [_check_option_id(solution, option) for option in response]
    if not chosen:
        raise InvalidResponse("a qcm answer selects at least one option")
    if len(set(chosen)) != len(chosen):
        raise InvalidResponse("an option is selected twice")
    return set(chosen) == solution.correct_options


# --- open answers --------------------------------------------------------------------------


def _field_texts(solution: Solution, response: object) -> dict[str, str]:
    if not isinstance(response, Mapping):
        raise InvalidResponse(
            f"a {solution.type.value} expects an object {{field id: text}}, got {type(response).__name__}"
        )
    expected_ids = [f.id for f in solution.fields]
    for key in response:
        if key not in expected_ids:
            raise InvalidResponse(
                f"unknown field {key!r}; expected {', '.join(expected_ids)}",
                field=key if isinstance(key, str) else None,
            )
    texts = {}
    for field_id in expected_ids:
        if field_id not in response:
            raise InvalidResponse(f"missing answer for field {field_id!r}", field=field_id)
        value = response[field_id]
        if not isinstance(value, str):
            raise InvalidResponse(
                f"the answer to field {field_id!r} must be text, got {type(value).__name__}",
                field=field_id,
            )
        texts[field_id] = value
    return texts


def _check_dependent_fields(solution: Solution, texts: dict[str, str]) -> bool:
    """Every field must hold a different group of the pool, in any order.

    A response can match several groups (tolerances make groups overlap), so this is a
    bipartite matching, solved by augmenting paths (a handful of fields and groups).
    """
    candidate_groups = [
        [
            index
            for index, group in enumerate(solution.pool)
            if _matches_any(texts[field.id], group, solution.tolerances, field.numeric)
        ]
        for field in solution.fields
    ]
    group_holder: dict[int, int] = {}

    def assign(field_index: int, visited: set[int]) -> bool:
        for group in candidate_groups[field_index]:
            if group in visited:
                continue
            visited.add(group)
            holder = group_holder.get(group)
            if holder is None or assign(holder, visited):
                group_holder[group] = field_index
                return True
        return False

    return all(assign(index, set()) for index in range(len(solution.fields)))


def normalize(text: str, tolerances: frozenset[str] | set[str] = frozenset()) -> str:
    """The form in which an open answer is compared (always-on pre-treatment, then t1, t2)."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = _WHITESPACE_RUN.sub(" ", text).strip()
    if "t1" in tolerances:
        # casefold can produce a typographic apostrophe ("ŉ" -> "ʼn"): read it as ' again.
        decomposed = unicodedata.normalize("NFD", text.casefold()).translate(_APOSTROPHES)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and not ch.isspace())
        text = unicodedata.normalize("NFC", text)
    if "t2" in tolerances:
        text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
        if "t1" not in tolerances:
            text = _WHITESPACE_RUN.sub(" ", text).strip()
    return text


def parse_number(text: str) -> Decimal | None:
    """'3,5' -> 3.5, '1 000' -> 1000, '-2' -> -2; None when the text is not a plain number."""
    compact = "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())
    compact = compact.replace(",", ".")
    if not _NUMBER.fullmatch(compact):
        return None
    try:
        return Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the pattern only lets valid decimals through
        return None


def levenshtein_within(a: str, b: str, limit: int) -> bool:
    """True when the edit distance between a and b is at most `limit`.

    Only a band of width 2*limit+1 around the diagonal can hold such a distance, so the work
    is O(len × limit) and a very long response costs nothing (its length alone rules it out).
    """
    if abs(len(a) - len(b)) > limit:
        return False
    if limit == 0:
        return a == b
    big = limit + 1
    previous = [j if j <= limit else big for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        low, high = max(1, i - limit), min(len(b), i + limit)
        current = [big] * (len(b) + 1)
        current[0] = i if i <= limit else big
        row_best = current[0]
        for j in range(low, high + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            current[j] = value if value <= limit else big
            row_best = min(row_best, current[j])
        if row_best > limit:
            return False
        previous = current
    return previous[len(b)] <= limit


def _matches_text(response: str, expected: str, tolerances: frozenset[str]) -> bool:
    treated_response = normalize(response, tolerances)
    treated_expected = normalize(expected, tolerances)
    if treated_response == treated_expected:
        return True
    if "t3" not in tolerances or not treated_expected:
        return False
    limit = int(T3_MAX_RELATIVE_DISTANCE * len(treated_expected))
    return levenshtein_within(treated_response, treated_expected, limit)


def _matches_any(response: str, accepted: tuple[str, ...], tolerances: frozenset[str], numeric: bool) -> bool:
    response_number = parse_number(response) if numeric else None
    for expected in accepted:
        if numeric:
            expected_number = parse_number(expected)
            if expected_number is not None:
                if response_number is not None and response_number == expected_number:
                    return True
                continue
        if _matches_text(response, expected, tolerances):
            return True
    return False
