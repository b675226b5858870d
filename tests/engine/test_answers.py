"""Answer checking: invariants (hypothesis), hard cases (tables), malformed responses."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from balise.engine.answers import (
    AnswerStatus,
    FieldSolution,
    InvalidResponse,
    Solution,
    answer_status,
    check_answer,
    levenshtein_within,
    normalize,
    parse_number,
)
from balise.engine.framework import ChallengeType as T


def qroc(*accepted: str, tolerances=(), numeric=False) -> Solution:
    return Solution(
        type=T.QROC,
        fields=(FieldSolution("answer", tuple(accepted), numeric=numeric),),
        tolerances=frozenset(tolerances),
    )


QCM = Solution(type=T.QCM, options=("a", "b", "c", "d"), correct_options=frozenset({"a", "c"}))
QCU = Solution(type=T.QCU, options=("a", "b", "c"), correct_options=frozenset({"b"}))
DEP = Solution(
    type=T.QROCM_DEP,
    fields=(FieldSolution("first"), FieldSolution("second")),
    pool=(("Qwant",), ("DuckDuckGo", "Duck Duck Go"), ("Ecosia",)),
    tolerances=frozenset({"t1", "t2"}),
)
IND = Solution(
    type=T.QROCM_IND,
    fields=(
        FieldSolution("image", ("jpg", "jpeg", ".jpg")),
        FieldSolution("count", ("3,5",), numeric=True),
    ),
    tolerances=frozenset({"t1"}),
)

words = st.text(alphabet=st.characters(categories=("L", "Nd")), min_size=1, max_size=12)


def brute_levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


# --- properties ----------------------------------------------------------------------------


@given(words, st.lists(st.sampled_from([str.upper, str.lower, str.title, str.swapcase])))
def test_t1_ignores_case(word, changes):
    variant = word
    for change in changes:
        variant = change(variant)
    assume(variant.casefold() == word.casefold())
    assert check_answer(qroc(word, tolerances={"t1"}), {"answer": variant})


@given(st.text(alphabet="aeiouceAEIOUC", min_size=1, max_size=10), st.data())
def test_t1_ignores_accents(plain, data):
    accents = {
        "a": "àâä",
        "e": "éèêë",
        "i": "îï",
        "o": "ôö",
        "u": "ùûü",
        "c": "ç",
        "A": "ÀÂ",
        "E": "ÉÈ",
        "I": "Î",
        "O": "Ô",
        "U": "Ù",
        "C": "Ç",
    }
    accented = "".join(data.draw(st.sampled_from([ch, *accents[ch]])) for ch in plain)
    solution = qroc(plain, tolerances={"t1"})
    assert check_answer(solution, {"answer": accented})
    # and in decomposed form, as some keyboards send it
    assert check_answer(solution, {"answer": unicodedata.normalize("NFD", accented)})


@given(st.lists(words, min_size=1, max_size=4), st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0"])))
def test_t1_ignores_spaces(parts, spaces):
    expected = " ".join(parts)
    squeezed = "".join(parts)
    spaced = (spaces[0] if spaces else "") + squeezed + (spaces[-1] if spaces else "")
    assert check_answer(qroc(expected, tolerances={"t1"}), {"answer": spaced})


@given(words)
def test_without_t1_case_matters(word):
    assume(word.upper() != word.lower())
    changed = word.swapcase()
    assume(changed != word)
    assert not check_answer(qroc(word), {"answer": changed})


@given(words, st.lists(st.sampled_from(list(".,;:!?'\"-()")), min_size=1))
def test_t2_ignores_punctuation(word, marks):
    noisy = "".join(marks[: len(marks) // 2]) + word + "".join(marks[len(marks) // 2 :])
    assert check_answer(qroc(word, tolerances={"t2"}), {"answer": noisy})


@given(st.permutations(["a", "c"]), st.sampled_from([list, tuple, set, frozenset]))
def test_qcm_order_and_container_never_matter(order, container):
    assert check_answer(QCM, container(order))


@given(st.sets(st.sampled_from(["a", "b", "c", "d"]), min_size=1))
def test_qcm_is_right_only_with_all_and_only_the_right_options(chosen):
    assert check_answer(QCM, sorted(chosen)) == (chosen == {"a", "c"})


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False))
def test_numeric_comma_and_point_are_the_same(value):
    text = format(value, "f")
    solution = qroc(text, numeric=True)
    assert check_answer(solution, {"answer": text.replace(".", ",")})
    assert check_answer(solution, {"answer": f" {text} "})


@given(st.text(max_size=12), st.text(max_size=12), st.integers(min_value=0, max_value=5))
def test_banded_levenshtein_agrees_with_the_textbook_one(a, b, limit):
    assert levenshtein_within(a, b, limit) == (brute_levenshtein(a, b) <= limit)


@given(st.text(min_size=4, max_size=20))
def test_t3_accepts_up_to_a_quarter_of_the_expected_length(expected):
    assume(normalize(expected) == expected and expected.strip() == expected)
    assume(not any(ch.isspace() for ch in expected))
    allowed = len(expected) // 4
    edited = "#" * allowed + expected[allowed:]  # `allowed` substitutions at most
    assert check_answer(qroc(expected, tolerances={"t3"}), {"answer": edited})
    too_far = "#" * (allowed + 1) + expected[allowed + 1 :]
    if brute_levenshtein(too_far, expected) > allowed:
        assert not check_answer(qroc(expected, tolerances={"t3"}), {"answer": too_far})


@given(st.one_of(st.integers(), st.none(), st.lists(st.integers()), st.floats()))
def test_a_non_text_value_is_an_invalid_response_never_another_error(value):
    for solution in (QCU, QCM, qroc("x"), IND, DEP):
        with pytest.raises(InvalidResponse):
            check_answer(solution, value)
        if solution.fields:
            with pytest.raises(InvalidResponse) as error:
                check_answer(solution, {f.id: value for f in solution.fields})
            assert error.value.field == solution.fields[0].id


# --- hard cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "solution, response, right",
    [
        (qroc("Élève", tolerances={"t1"}), "eleve", True),
        (qroc("Élève"), "eleve", False),
        (qroc("Élève"), "  Élève  ", True),  # surrounding spaces never count
        (qroc("l'école"), "l’école", True),  # a phone's typographic apostrophe
        (qroc("service-public.fr", tolerances={"t1"}), "Service-Public.FR", True),
        (qroc("service-public.fr", tolerances={"t2"}), "servicepublicfr", True),
        (qroc("service-public.fr", tolerances={"t1"}), "servicepublicfr", False),
        (qroc("Duck Duck Go", tolerances={"t1"}), "duckduckgo", True),
        (qroc("C++", tolerances={"t2"}), "C", False),  # + is a symbol, not punctuation
        (qroc("mot de passe", tolerances={"t3"}), "mot de pase", True),
        (qroc("mot de passe", tolerances={"t3"}), "mot", False),
        (qroc("abc", tolerances={"t3"}), "abd", False),  # 1/3 > 0.25
        (qroc("abcd", tolerances={"t3"}), "abxd", True),  # 1/4 = 0.25
        (qroc("Paris", tolerances={"t1", "t3"}), "PARI", True),
        (qroc("14", numeric=True), "14,0", True),
        (qroc("14", numeric=True), "14.01", False),
        (qroc("1000", numeric=True), "1 000", True),
        (qroc("1000", numeric=True), "1\u202f000", True),  # narrow no-break space
        (qroc("3,5", numeric=True), "3.50", True),
        (qroc("-2", numeric=True), "- 2", True),
        (qroc("14", numeric=True), "quatorze", False),
        (qroc("14", "quatorze", numeric=True, tolerances={"t1"}), "Quatorze", True),
        (qroc("14", numeric=True), "1,000.5", False),  # ambiguous: not a plain number
        (qroc("x"), "", False),  # an empty field is a wrong answer, not a malformed one
        (qroc("", "x"), "", True),
        (QCU, "b", True),
        (QCU, "a", False),
        (IND, {"image": "JPEG", "count": "3.5"}, True),
        (IND, {"image": "png", "count": "3.5"}, False),
        (DEP, {"first": "ecosia", "second": "duck duck go!"}, True),
        (DEP, {"first": "Qwant", "second": "qwant"}, False),  # the same answer twice
        (DEP, {"first": "Qwant", "second": "Bing"}, False),
    ],
)
def test_hard_cases(solution, response, right):
    if solution.type is T.QROC and isinstance(response, str):
        response = {"answer": response}
    assert check_answer(solution, response) is right


def test_qrocm_dep_finds_a_matching_when_a_greedy_choice_fails():
    # "ab" fits both groups under t3, "ac" only the first: the check must give "ab" the second.
    solution = Solution(
        type=T.QROCM_DEP,
        fields=(FieldSolution("x"), FieldSolution("y")),
        pool=(("abcd",), ("abdd",)),
        tolerances=frozenset({"t3"}),
    )
    assert check_answer(solution, {"x": "abdd", "y": "abcd"})
    assert check_answer(solution, {"x": "abcd", "y": "abdd"})
    assert check_answer(solution, {"x": "abxd", "y": "abcd"})


def test_parse_number():
    assert parse_number("3,5") == parse_number("3.5")
    assert parse_number("1 000") == 1000
    assert parse_number("abc") is None
    assert parse_number("") is None
    assert parse_number("1e3") is None


def test_a_very_long_response_is_judged_quickly():
    assert not check_answer(qroc("mot de passe", tolerances={"t1", "t2", "t3"}), {"answer": "x" * 1_000_000})


# --- statuses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response, flags, status",
    [
        ("b", {}, AnswerStatus.OK),
        ("a", {}, AnswerStatus.KO),
        ("b", {"skipped": True}, AnswerStatus.SKIPPED),
        (None, {"skipped": True}, AnswerStatus.SKIPPED),  # a skipped response is not read
        ("b", {"timed_out": True}, AnswerStatus.TIMED_OUT),
        ("a", {"timed_out": True}, AnswerStatus.KO),
        ("b", {"focused_out": True}, AnswerStatus.FOCUSED_OUT),
        ("a", {"focused_out": True}, AnswerStatus.KO),
        ("b", {"timed_out": True, "focused_out": True}, AnswerStatus.TIMED_OUT),
    ],
)
def test_answer_status(response, flags, status):
    assert answer_status(QCU, response, **flags) is status


def test_answer_status_reports_a_malformed_response():
    with pytest.raises(InvalidResponse):
        answer_status(QCU, "z")


# --- malformed responses -------------------------------------------------------------------


@pytest.mark.parametrize(
    "solution, response, field, message",
    [
        (QCU, "z", None, "unknown option 'z'"),
        (QCU, ["b"], None, "a qcu expects one option id"),
        (QCM, [], None, "at least one option"),
        (QCM, "ac", None, "a qcm expects a list"),
        (QCM, ["a", "a"], None, "selected twice"),
        (QCM, ["a", "zz"], None, "unknown option 'zz'"),
        (QCM, ["a", 3], None, "must be text"),
        (qroc("x"), "x", None, "expects an object"),
        (qroc("x"), {}, "answer", "missing answer for field 'answer'"),
        (qroc("x"), {"answer": "x", "other": "y"}, "other", "unknown field 'other'"),
        (IND, {"image": "jpg"}, "count", "missing answer"),
        (IND, {"image": "jpg", "count": 3.5}, "count", "must be text"),
        (DEP, {"first": "Qwant", "second": None}, "second", "must be text"),
    ],
)
def test_malformed_responses_raise_invalid_response_with_the_field(solution, response, field, message):
    with pytest.raises(InvalidResponse) as error:
        check_answer(solution, response)
    assert error.value.field == field
    assert message in str(error.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"type": T.QCU, "correct_options": {"a", "b"}},
        {"type": T.QCM},
        {"type": T.QCU, "options": ("a",), "correct_options": {"b"}},
        {"type": T.QROC, "fields": (FieldSolution("a", ("x",)), FieldSolution("b", ("y",)))},
        {"type": T.QROC, "fields": (FieldSolution("a"),)},
        {"type": T.QROCM_IND, "fields": (FieldSolution("a", ("x",)), FieldSolution("a", ("y",)))},
        {
            "type": T.QROCM_DEP,
            "fields": (FieldSolution("a"), FieldSolution("b")),
            "pool": (("x",),),
        },
        {"type": T.QROC, "fields": (FieldSolution("a", ("x",)),), "tolerances": {"t4"}},
    ],
)
def test_an_impossible_solution_is_refused_when_built(kwargs):
    with pytest.raises(ValueError):
        Solution(**kwargs)


def test_solution_accepts_plain_values_from_callers():
    solution = Solution(type="qcm", options=["a", "b"], correct_options=["a"], tolerances=["t1"])
    assert solution.type is T.QCM
    assert solution.correct_options == frozenset({"a"})
    assert check_answer(solution, ("a",))
