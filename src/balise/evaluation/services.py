"""Writes of the evaluation app: starting a test, recording an answer, finishing, resetting.

Each service takes `now` so waiting periods and timers can be tested without sleeping.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from balise.accounts.time_allowance import TimeAllowance, allowed_seconds
from balise.content.access import competence_access
from balise.content.models import Challenge
from balise.content.selectors import (
    challenge_for_answering,
    challenge_solution,
    current_content_version,
    engine_scope,
    partner_tube_ids,
)
from balise.engine.answers import AnswerStatus, InvalidResponse, answer_status
from balise.engine.positioning import (
    KnowledgeElement as EngineKnowledgeElement,
)
from balise.engine.positioning import (
    KnowledgeSource,
    KnowledgeStatus,
    PastAnswer,
    PositioningInput,
    next_step,
)
from balise.engine.scoring import competence_score
from balise.evaluation.access import assessment_access
from balise.evaluation.errors import (
    AssessmentFinished,
    InvalidAnswer,
    NotAvailableYet,
    NotCurrentChallenge,
    TimerNotStarted,
)
from balise.evaluation.models import Answer, Assessment, CompetenceScore, KnowledgeElement
from balise.evaluation.option_codes import option_ids_from_codes
from balise.evaluation.selectors import (
    competence_action,
    current_knowledge,
    started_assessment,
)
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


def _positioning_input(assessment: Assessment) -> PositioningInput:
    skills, challenges = engine_scope(assessment.competence_id, assessment.context, assessment.content_version)
    prior = tuple(
        EngineKnowledgeElement(
            skill_id=ke["skill"], status=KnowledgeStatus(ke["status"]), source=KnowledgeSource(ke["source"])
        )
        for ke in assessment.prior_knowledge
    )
    return PositioningInput(
        skills=skills,
        challenges=challenges,
        answers=tuple(
            PastAnswer(challenge_id=challenge_id, skill_id=skill_id, status=AnswerStatus(status))
            for challenge_id, skill_id, status in assessment.answer_log
        ),
        prior=prior,
        retest_skill_ids=frozenset(assessment.retest_skill_ids),
        language=assessment.language,
        seed=assessment.seed,
        # A partner's own topics are asked, never inferred from the shared framework.
        evidence_only_tube_ids=partner_tube_ids(
            assessment.content_version, assessment.competence_id, assessment.context
        ),
    )


def _advance(assessment: Assessment, now: datetime) -> bool:
    """Ask the engine for the next challenge; finish the test when there is none."""
    step = next_step(_positioning_input(assessment), strategy=assessment.strategy)
    answered = len(assessment.answer_log)
    assessment.answered_count = answered
    assessment.estimated_total = max(step.estimated_total, answered + (1 if step.challenge else 0))
    share = 100 if step.challenge is None else 100 * answered // assessment.estimated_total
    assessment.progress_percent = max(assessment.progress_percent, share)
    if step.challenge is None:
        _complete(assessment, step.knowledge, now)
        return True
    assessment.current_challenge_id = step.challenge.id
    # A timed question's clock starts only when the learner says they are ready.
    timed = step.challenge.timed and assessment.time_allowance != TimeAllowance.UNTIMED
    assessment.current_shown_at = None if timed else now
    assessment.current_focus_lost = False
    return False


def _complete(assessment: Assessment, knowledge, now: datetime) -> None:
    skills, _challenges = engine_scope(assessment.competence_id, assessment.context, assessment.content_version)
    in_scope = {s.id for s in skills}
    KnowledgeElement.objects.bulk_create(
        [
            KnowledgeElement(
                user_id=assessment.user_id,
                assessment=assessment,
                competence_id=assessment.competence_id,
                skill_id=ke.skill_id,
                status=ke.status.value,
                source=ke.source.value,
            )
            for ke in knowledge
            if ke.skill_id in in_scope
        ]
    )
    validated = {ke.skill_id for ke in knowledge if ke.status == KnowledgeStatus.VALIDATED}
    score = competence_score(assessment.competence_id, skills, validated, max_level=settings.BALISE_MAX_REACHABLE_LEVEL)
    # One upsert statement (INSERT … ON CONFLICT) instead of update_or_create's locked read,
    # savepoints and write: the last answer of a test stays within the query budget.
    CompetenceScore.objects.bulk_create(
        [
            CompetenceScore(
                user_id=assessment.user_id,
                competence_id=assessment.competence_id,
                pix=score.pix,
                level=score.level,
                last_assessment=assessment,
                completed_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "competence"],
        update_fields=["pix", "level", "last_assessment", "completed_at"],
    )
    assessment.state = Assessment.State.COMPLETED
    assessment.completed_at = now
    assessment.current_challenge = None
    assessment.current_shown_at = None


@transaction.atomic
def assessment_start(user, competence_id: str, *, now: datetime, language: str) -> Assessment:
    """Start (or return the one in progress) a positioning test in a competence."""
    competence = competence_access(user, competence_id)
    action = competence_action(user, competence_id, now)
    if action.kind == "resume":
        return action.assessment
    if action.kind not in {"start", "improve", "retry"}:
        raise NotAvailableYet(action.message)

    prior, retest = [], []
    kind = Assessment.Kind.START
    if action.kind == "improve":
        kind = Assessment.Kind.IMPROVE
        prior = current_knowledge(user, competence_id)
        retest = [ke["skill"] for ke in prior if ke["status"] == KnowledgeElement.Status.INVALIDATED]
    elif action.kind == "retry":
        kind = Assessment.Kind.RETRY
    assessment = Assessment(
        user=user,
        competence=competence,
        kind=kind,
        strategy=settings.BALISE_POSITIONING_STRATEGY,
        language=content_language(language),
        context=user.context,
        seed=secrets.randbits(48),
        content_version=current_content_version(),
        retest_skill_ids=retest,
        prior_knowledge=prior,
        time_allowance=user.time_allowance,
    )
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        # A second click started the same test a moment ago: give that one back.
        return started_assessment(user, competence_id)
    _advance(assessment, now)
    assessment.save()
    return assessment


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
    challenge_id: str,
    read_value: Callable[[Challenge], object],
    *,
    skipped: bool = False,
    focus_lost: bool = False,
    now: datetime,
) -> AnswerOutcome:
    """Record the learner's answer to the current challenge, exactly once, and move on.

    `read_value` turns the request into the answer once the current challenge is known
    (the form's fields depend on its type).
    """
    assessment = assessment_access(user, public_id, for_update=True)
    if assessment.state != Assessment.State.STARTED:
        raise AssessmentFinished()
    if assessment.current_challenge_id is None or assessment.current_challenge_id != challenge_id:
        raise NotCurrentChallenge()
    challenge = challenge_for_answering(assessment.content_version, challenge_id)

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
    finished = _advance(assessment, now)
    assessment.save(update_fields=ADVANCED_FIELDS)
    return AnswerOutcome(answer=answer, finished=finished, timed_out=timed_out)


@transaction.atomic
def assessment_timer_start(user, public_id, challenge_id: str, *, now: datetime) -> Assessment:
    """The learner is ready for the timed question: its clock starts now (once)."""
    assessment = assessment_access(user, public_id, for_update=True)
    if assessment.state != Assessment.State.STARTED:
        raise AssessmentFinished()
    if assessment.current_challenge_id != challenge_id:
        raise NotCurrentChallenge()
    if assessment.current_shown_at is None:
        assessment.current_shown_at = now
        assessment.save(update_fields=["current_shown_at"])
    return assessment


def assessment_record_focus_lost(assessment_id: int, challenge_id: str) -> bool:
    """The page of a focused challenge lost focus: remember it until the answer arrives."""
    updated = Assessment.objects.filter(
        pk=assessment_id, state=Assessment.State.STARTED, current_challenge_id=challenge_id
    ).update(current_focus_lost=True)
    return bool(updated)


@transaction.atomic
def competence_reset(user, competence_id: str, *, now: datetime) -> None:
    """Wipe a competence so the learner can start it from scratch (after the waiting period)."""
    # The one access check, for every caller (as in assessment_start): a competence outside
    # the learner's context does not exist for them.
    competence_access(user, competence_id)
    action = competence_action(user, competence_id, now)
    if not action.can_reset:
        raise NotAvailableYet(action.reset_message)
    CompetenceScore.objects.filter(user=user, competence_id=competence_id).delete()
    Assessment.objects.filter(user=user, competence_id=competence_id, state=Assessment.State.STARTED).update(
        state=Assessment.State.ABANDONED
    )
    # Knowledge elements stay as the history of past tests; with the score gone, the next
    # test starts from nothing.


def tests_in_progress_language_set(user, language: str) -> int:
    """The learner switched language: their tests in progress continue in it (questions,
    options and the accepted answers checked from the next answer on)."""
    return Assessment.objects.filter(user=user, state=Assessment.State.STARTED).update(
        language=content_language(language)
    )
