"""The positioning policy: a learner tests themself in one competence, adaptively.

The engine chooses each question from the learner's answers so far (`balise.engine.positioning`);
a finished test settles the competence's knowledge elements and its score (level and pix).
Starting, improving, retrying and resetting a competence are its own rules; recording the
answers is the shared machinery of `answering`.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from balise.content.access import competence_access
from balise.content.selectors import current_content_version, engine_scope, partner_tube_ids
from balise.engine.answers import AnswerStatus
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
from balise.evaluation.errors import NotAvailableYet
from balise.evaluation.models import Assessment, CompetenceScore, KnowledgeElement
from balise.evaluation.selectors import competence_action, current_knowledge, started_assessment
from balise.evaluation.services.answering import advance
from balise.evaluation.services.policies import NextStep, TestHeading, policy_register
from balise.i18n.translation import content_language, pick_text
from balise.spaces.selectors import content_space_id


def _positioning_input(assessment: Assessment) -> PositioningInput:
    skills, challenges = engine_scope(assessment.competence_id, assessment.space_id, assessment.content_version)
    return engine_input(assessment, assessment.competence_id, skills, challenges)


def engine_input(assessment: Assessment, competence_id: str, skills, challenges) -> PositioningInput:
    """The engine's input for one competence of a test: its skills and challenges in scope
    (the whole competence, or a campaign's capped tubes), the answers, what was proved before."""
    in_scope = {s.id for s in skills}
    prior = tuple(
        EngineKnowledgeElement(
            skill_id=ke["skill"], status=KnowledgeStatus(ke["status"]), source=KnowledgeSource(ke["source"])
        )
        for ke in assessment.prior_knowledge
        if ke["skill"] in in_scope
    )
    return PositioningInput(
        skills=skills,
        challenges=challenges,
        answers=tuple(
            PastAnswer(challenge_id=challenge_id, skill_id=skill_id, status=AnswerStatus(status))
            for challenge_id, skill_id, status in assessment.answer_log
            if skill_id in in_scope
        ),
        prior=prior,
        retest_skill_ids=frozenset(assessment.retest_skill_ids),
        language=assessment.language,
        seed=assessment.seed,
        # A partner's own topics are asked, never inferred from the shared framework.
        evidence_only_tube_ids=partner_tube_ids(assessment.content_version, competence_id, assessment.space_id),
    )


def competence_knowledge_settle(assessment: Assessment, competence_id: str, knowledge, now: datetime) -> None:
    """Write what a finished test settled in one competence — its knowledge elements and the
    learner's score there (level and pix). A positioning test settles its competence; a
    campaign test each competence it asked (the learner's profile grows from both)."""
    skills, _challenges = engine_scope(competence_id, assessment.space_id, assessment.content_version)
    in_scope = {s.id for s in skills}
    KnowledgeElement.objects.bulk_create(
        [
            KnowledgeElement(
                user_id=assessment.user_id,
                assessment=assessment,
                competence_id=competence_id,
                skill_id=ke.skill_id,
                status=ke.status.value,
                source=ke.source.value,
            )
            for ke in knowledge
            if ke.skill_id in in_scope
        ]
    )
    validated = {ke.skill_id for ke in knowledge if ke.status == KnowledgeStatus.VALIDATED}
    score = competence_score(competence_id, skills, validated, max_level=settings.BALISE_MAX_REACHABLE_LEVEL)
    # One upsert statement (INSERT … ON CONFLICT) instead of update_or_create's locked read,
    # savepoints and write: the last answer of a test stays within the query budget.
    CompetenceScore.objects.bulk_create(
        [
            CompetenceScore(
                user_id=assessment.user_id,
                competence_id=competence_id,
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


class PositioningPolicy:
    def next_step(self, assessment: Assessment) -> NextStep:
        step = next_step(_positioning_input(assessment), strategy=assessment.strategy)
        if step.challenge is None:
            return NextStep(challenge_id=None, estimated_total=step.estimated_total, result=step.knowledge)
        return NextStep(challenge_id=step.challenge.id, timed=step.challenge.timed, estimated_total=step.estimated_total)

    def heading(self, assessment: Assessment) -> TestHeading:
        name = pick_text(assessment.competence.name)
        return TestHeading(
            title=name,
            breadcrumb=f"{assessment.competence_id} {name}",
            leave_url=reverse("evaluation:competences"),
            leave_label=_("Back to competences"),
        )

    def complete(self, assessment: Assessment, step: NextStep, now: datetime) -> None:
        competence_knowledge_settle(assessment, assessment.competence_id, step.result, now)


policy_register(Assessment.Purpose.POSITIONING, PositioningPolicy())


def assessment_start(user, competence_id: str, *, now: datetime, language: str) -> Assessment:
    """Start (or return the one in progress) a positioning test in a competence."""
    return assessment_join(user, competence_id, now=now, language=language)[0]


@transaction.atomic
def assessment_join(user, competence_id: str, *, now: datetime, language: str) -> tuple[Assessment, bool]:
    """(the test, whether this call created it): of ten simultaneous starts, one creates it."""
    competence = competence_access(user, competence_id)
    action = competence_action(user, competence_id, now)
    if action.kind == "resume":
        return action.assessment, False
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
        purpose=Assessment.Purpose.POSITIONING,
        competence=competence,
        kind=kind,
        strategy=settings.BALISE_POSITIONING_STRATEGY,
        language=content_language(language),
        space_id=content_space_id(user),
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
        return started_assessment(user, competence_id), False
    advance(assessment, now)
    assessment.save()
    return assessment, True


@transaction.atomic
def competence_reset(user, competence_id: str, *, now: datetime) -> None:
    """Wipe a competence so the learner can start it from scratch (after the waiting period)."""
    # The one access check, for every caller (as in assessment_start): a competence outside
    # the learner's home space does not exist for them.
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


