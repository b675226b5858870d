"""Answers built from a challenge's stored solution, shared by the HTTP tests, the browser
tests and the benchmarks (they need right and wrong answers to whatever question comes)."""

import re

WRONG_TEXT = "not-an-answer"


def seed_of(test_url: str) -> int:
    """The seed of the test at …/tests/<public id>/…: the page's option codes derive from it."""
    from balise.evaluation.models import Assessment

    public_id = re.search(r"/tests/([0-9a-f-]{36})/", test_url).group(1)
    return Assessment.objects.values_list("seed", flat=True).get(public_id=public_id)


def response_for(challenge, language: str = "fr", *, correct: bool = True, seed: int | None = None):
    """The option codes (qcu, qcm; `seed` is the test's) or the {field id: text} (open types)
    of a right or wrong answer."""
    from balise.evaluation.option_codes import option_code

    solution = challenge.solutions[language]
    right = sorted(solution["correct_options"])
    if challenge.type in {"qcu", "qcm"}:
        if seed is None:
            raise ValueError("pages show option codes: pass the test's seed (seed_of(url))")
        wrong = [o for o in solution["options"] if o not in right]
        chosen = [right[0] if correct else wrong[0]] if challenge.type == "qcu" else (right if correct else wrong)
        return [option_code(seed, challenge.id, option_id) for option_id in chosen]
    if challenge.type == "qrocm-dep":  # any distinct answers of the pool
        return {f["id"]: solution["pool"][i][0] if correct else WRONG_TEXT for i, f in enumerate(solution["fields"])}
    return {f["id"]: f["accepted"][0] if correct else WRONG_TEXT for f in solution["fields"]}


def answer_data(challenge, language: str = "fr", *, correct: bool = True, seed: int | None = None) -> dict:
    """The challenge page's form data for a right or wrong answer."""
    response = response_for(challenge, language, correct=correct, seed=seed)
    if isinstance(response, dict):
        return {f"field-{field_id}": text for field_id, text in response.items()}
    return {"answer": response[0] if challenge.type == "qcu" else response}


def challenge_ref(test_url: str, challenge_id: str) -> str:
    """What the page and the API call this question in the test at `test_url` (a per-test code)."""
    from balise.evaluation.option_codes import challenge_code

    return challenge_code(seed_of(test_url), challenge_id)


def challenge_id_of_code(test_url: str, code: str) -> str:
    """The pack id behind a question code of the test at `test_url` (the current question, or
    one already answered), for tests that need the question's stored solution."""
    from balise.evaluation.models import Answer, Assessment
    from balise.evaluation.option_codes import challenge_code

    public_id = re.search(r"/tests/([0-9a-f-]{36})/", test_url).group(1)
    assessment = Assessment.objects.get(public_id=public_id)
    candidates = [assessment.current_challenge_id, *Answer.objects.filter(assessment=assessment).values_list("challenge_id", flat=True)]
    for challenge_id in candidates:
        if challenge_id and challenge_code(assessment.seed, challenge_id) == code:
            return challenge_id
    raise AssertionError(f"no question of this test has the code {code!r}")
