"""Answers built from a challenge's stored solution, shared by the HTTP tests, the browser
tests and the benchmarks (they need right and wrong answers to whatever question comes)."""

WRONG_TEXT = "not-an-answer"


def response_for(challenge, language: str = "fr", *, correct: bool = True):
    """The option ids (qcu, qcm) or the {field id: text} (open types) of a right or wrong answer."""
    solution = challenge.solutions[language]
    right = sorted(solution["correct_options"])
    if challenge.type in {"qcu", "qcm"}:
        wrong = [o for o in solution["options"] if o not in right]
        if challenge.type == "qcu":
            return [right[0] if correct else wrong[0]]
        return right if correct else wrong
    if challenge.type == "qrocm-dep":  # any distinct answers of the pool
        return {f["id"]: solution["pool"][i][0] if correct else WRONG_TEXT for i, f in enumerate(solution["fields"])}
    return {f["id"]: f["accepted"][0] if correct else WRONG_TEXT for f in solution["fields"]}


def answer_data(challenge, language: str = "fr", *, correct: bool = True) -> dict:
    """The challenge page's form data for a right or wrong answer."""
    response = response_for(challenge, language, correct=correct)
    if isinstance(response, dict):
        return {f"field-{field_id}": text for field_id, text in response.items()}
    return {"answer": response[0] if challenge.type == "qcu" else response}
