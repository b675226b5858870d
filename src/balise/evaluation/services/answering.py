"""Sitting a test, whatever its purpose: the one machinery that positioning tests, campaign
tests and certification courses share.

It locks the test, checks the question is the current one, applies the timer (with the
learner's time accommodation) and the focus rule, turns the page's option codes back into the
pack's ids, records the answer exactly once, then asks the test's policy (`policies`) for the
next question or for what the finished test settles. Each service takes `now` so timers can
be tested without sleeping.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from balise.accounts.time_allowance import TimeAllowance, allowed_seconds
from balise.content.models import Challenge
from balise.content.selectors import challenge_for_answering, challenge_solution
from balise.engine.answers import InvalidResponse, answer_status
from balise.evaluation.access import assessment_access
from balise.evaluation.errors import AssessmentFinished, InvalidAnswer, NotCurrentChallenge, TimerNotStarted
from balise.evaluation.models import Answer, Assessment
from balise.evaluation.option_codes import is_current_challenge, option_ids_from_codes
from balise.evaluation.services.policies import answer_refusal, policy_for
from balise.i18n.translation import content_language

# What moving to the next question (or finishing) changes on an assessment.
ADVANCED_FIELDS = [
    "answer_log",
    "answered_count",
    "estimated_total",
    "progress_percent",
    "current_challenge",
    "current_shown_at",
    "current_focus_lost",
    "state",
    "completed_at",
]


@dataclass(frozen=True)
class AnswerOutcome:
    answer: Answer
    finished: bool
    timed_out: bool


def advance(assessment: Assessment, now: datetime) -> bool:
    """Ask the test's policy for the next challenge; finish the test when there is none."""
    policy = policy_for(assessment)
    step = policy.next_step(assessment)
    answered = len(assessment.answer_log)
    assessment.answered_count = answered
    assessment.estimated_total = max(step.estimated_total, answered + (1 if step.challenge_id else 0))
    share = 100 if step.challenge_id is None else 100 * answered // assessment.estimated_total
    assessment.progress_percent = max(assessment.progress_percent, share)
    if step.challenge_id is None:
        policy.complete(assessment, step, now)
        assessment.state = Assessment.State.COMPLETED
        assessment.completed_at = now
        assessment.current_challenge = None
        assessment.current_shown_at = None
        return True
    assessment.current_challenge_id = step.challenge_id
    # A timed question's clock starts only when the learner says they are ready.
    timed = step.timed and assessment.time_allowance != TimeAllowance.UNTIMED
    assessment.current_shown_at = None if timed else now
    assessment.current_focus_lost = False
    return False


# Longer than any real answer: refusing it keeps a pasted document out of the database.
MAX_OPEN_ANSWER_LENGTH = 500


def answer_problem(value) -> str | None:
    """Why an answer cannot be recorded as it is (a message for the learner), or None."""
    if value is None or (isinstance(value, (list, dict, str)) and not value):
        return _("Please answer, or choose “I skip”.")
    if isinstance(value, dict):
        texts = [v for v in value.values() if isinstance(v, str)]
        if texts and all(not v.strip() for v in texts):
            return _("Please answer, or choose “I skip”.")
        if any(len(v) > MAX_OPEN_ANSWER_LENGTH for v in texts):
            return _("This answer is too long (at most %(n)s characters).") % {"n": MAX_OPEN_ANSWER_LENGTH}
    return None


@transaction.atomic
def assessment_answer(
    user,
    public_id,
    challenge_code: str,
    read_value: Callable[[Challenge], object],
    *,
    skipped: bool = False,
    focus_lost: bool = False,
    now: datetime,
) -> AnswerOutcome:
    """Record the learner's answer to the current challenge, exactly once, and move on.

    `challenge_code` is what the page or the API called the question (option_codes).

    `read_value` turns the request into the answer once the current challenge is known
    (the form's fields depend on its type).
    """
    assessment = assessment_access(user, public_id, for_update=True)
    if assessment.state != Assessment.State.STARTED:
        raise AssessmentFinished()
    if refusal := answer_refusal(assessment):
        raise refusal
    if not is_current_challenge(assessment, challenge_code):
        raise NotCurrentChallenge()
    challenge = challenge_for_answering(assessment.content_version, assessment.current_challenge_id)

    limit = allowed_seconds(challenge.timer, assessment.time_allowance)
    if limit and assessment.current_shown_at is None and not skipped:
        raise TimerNotStarted()
    elapsed = (now - assessment.current_shown_at).total_seconds() if assessment.current_shown_at else None
    timed_out = bool(limit and elapsed is not None and elapsed > limit + settings.BALISE_TIMER_GRACE_SECONDS)
    focused_out = challenge.focused and (focus_lost or assessment.current_focus_lost)
    solution = challenge_solution(challenge, assessment.language)
    value = None if skipped else option_ids_from_codes(read_value(challenge), assessment.seed, challenge.id, solution.options)
    problem = None if skipped else answer_problem(value)
    if problem:
        raise InvalidAnswer(problem)
    try:
        status = answer_status(
            solution,
            value,
            skipped=skipped,
            timed_out=timed_out,
            focused_out=focused_out,
        )
    except InvalidResponse as error:
        # The engine's message is for developers; the learner reads a translated one.
        raise InvalidAnswer(field=error.field) from error

    answer = Answer(
        assessment=assessment,
        position=len(assessment.answer_log),
        challenge=challenge,
        skill_id=challenge.skill_id,
        value=value,
        status=status.value,
        elapsed_seconds=elapsed,
    )
    answer.save(force_insert=True)
    assessment.answer_log = [*assessment.answer_log, [challenge.id, challenge.skill_id, status.value]]
    finished = advance(assessment, now)
    assessment.save(update_fields=ADVANCED_FIELDS)
    return AnswerOutcome(answer=answer, finished=finished, timed_out=timed_out)


@transaction.atomic
def assessment_timer_start(user, public_id, challenge_code: str, *, now: datetime) -> Assessment:
    """The learner is ready for the timed question: its clock starts now (once)."""
    assessment = assessment_access(user, public_id, for_update=True)
    if assessment.state != Assessment.State.STARTED:
        raise AssessmentFinished()
    if refusal := answer_refusal(assessment):
        raise refusal
    if not is_current_challenge(assessment, challenge_code):
        raise NotCurrentChallenge()
    if assessment.current_shown_at is None:
        assessment.current_shown_at = now
        assessment.save(update_fields=["current_shown_at"])
    return assessment


def assessment_record_focus_lost(assessment: Assessment, challenge_code: str) -> bool:
    """The page of a focused challenge lost focus: remember it until the answer arrives."""
    if not is_current_challenge(assessment, challenge_code):
        return False
    # Conditional on the question still being current: the answer may have moved on meanwhile.
    updated = Assessment.objects.filter(
        pk=assessment.pk, state=Assessment.State.STARTED, current_challenge_id=assessment.current_challenge_id
    ).update(current_focus_lost=True)
    return bool(updated)


def tests_in_progress_language_set(user, language: str) -> int:
    """The learner switched language: their tests in progress continue in it (questions,
    options and the accepted answers checked from the next answer on)."""
    return Assessment.objects.filter(user=user, state=Assessment.State.STARTED).update(
        language=content_language(language)
    )
