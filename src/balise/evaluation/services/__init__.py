"""Writes of the evaluation app.

- `answering` — sitting any test: lock, timer, focus, option codes, each answer exactly once;
- `policies` — who decides the next question and the result, per purpose of a test;
- `positioning` — the positioning policy and its rules (start, improve, retry, reset).

The public services are importable from here, as before the split.
"""

from balise.evaluation.services.answering import (
    MAX_OPEN_ANSWER_LENGTH,
    AnswerOutcome,
    answer_problem,
    assessment_answer,
    assessment_record_focus_lost,
    assessment_timer_start,
    tests_in_progress_language_set,
)
from balise.evaluation.services.positioning import assessment_join, assessment_start, competence_reset

__all__ = [
    "MAX_OPEN_ANSWER_LENGTH",
    "AnswerOutcome",
    "answer_problem",
    "assessment_answer",
    "assessment_join",
    "assessment_record_focus_lost",
    "assessment_start",
    "assessment_timer_start",
    "competence_reset",
    "tests_in_progress_language_set",
]
