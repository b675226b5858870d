"""What a learner answered and what was expected, question by question, once a test is over.

Shown only for a finished test, never while it runs: the result page and the API read
`corrections_of_test`, which refuses a test in progress. Why showing them does not spoil the
certification is recorded in docs/decisions/0017-corrections-after-a-test.md.
"""

from dataclasses import dataclass

from balise.content.models import Challenge
from balise.engine.answers import AnswerStatus
from balise.evaluation.errors import NotAvailableYet
from balise.evaluation.models import Answer
from balise.i18n.translation import content_language, pick_text


def answer_text(value, display: dict, language: str):
    """The options' texts for a choice (the value holds the pack's option ids); open answers as typed."""
    texts = {o["id"]: pick_text(o["text"], language) for o in display.get("options", [])}
    if isinstance(value, str) and value in texts:
        return texts[value]
    if isinstance(value, list):
        return [texts.get(item, item) for item in value]
    return value


@dataclass(frozen=True)
class FieldLine:
    label: str
    text: str


@dataclass(frozen=True)
class Correction:
    position: int
    instruction: str
    status: str  # AnswerStatus value
    right: bool
    given: list[FieldLine]  # one line per chosen option or per field; empty if skipped
    expected: list[FieldLine]


def _lines_of_choice(texts) -> list[FieldLine]:
    if texts in (None, ""):
        return []
    return [FieldLine(label="", text=str(text)) for text in (texts if isinstance(texts, list) else [texts])]


def _expected(challenge: Challenge, display: dict, language: str) -> list[FieldLine]:
    # Solutions are stored per pack language (fr-be reads fr's); texts fall back by pick_text.
    solution = challenge.solutions.get(content_language(language)) or next(iter(challenge.solutions.values()))
    if challenge.type in {"qcu", "qcm"}:
        return _lines_of_choice(answer_text(sorted(solution["correct_options"]), display, language))
    labels = {f["id"]: pick_text(f.get("label"), language) for f in display.get("fields", [])}
    if challenge.type == "qrocm-dep":
        # Any distinct answers of the pool: show the pool once, not a field each.
        return [FieldLine(label="", text=" · ".join(group[0] for group in solution["pool"]))]
    return [FieldLine(label=labels.get(f["id"], ""), text=f["accepted"][0]) for f in solution["fields"] if f["accepted"]]


def _given(value, challenge: Challenge, display: dict, language: str) -> list[FieldLine]:
    if isinstance(value, dict):
        labels = {f["id"]: pick_text(f.get("label"), language) for f in display.get("fields", [])}
        return [FieldLine(label=labels.get(field, ""), text=text) for field, text in value.items() if text]
    return _lines_of_choice(answer_text(value, display, language))


def corrections_of_test(assessment) -> list[Correction]:
    """Every question of a finished test with the learner's answer and the expected one."""
    if assessment.state == assessment.State.STARTED:
        raise NotAvailableYet()
    language = assessment.language
    answers = list(Answer.objects.filter(assessment=assessment).order_by("position"))
    challenges = Challenge.objects.in_bulk([a.challenge_id for a in answers])
    corrections = []
    for answer in answers:
        challenge = challenges[answer.challenge_id]
        display = challenge.display
        corrections.append(
            Correction(
                position=answer.position + 1,
                instruction=pick_text(display.get("instruction"), language),
                status=answer.status,
                right=answer.status == AnswerStatus.OK.value,
                given=_given(answer.value, challenge, display, language),
                expected=_expected(challenge, display, language),
            )
        )
    return corrections
