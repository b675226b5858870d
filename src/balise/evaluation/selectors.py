"""Reads of the evaluation app: the learner's competences, tests and profile."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _

from balise.content.selectors import areas_with_competences
from balise.evaluation.models import Assessment, CompetenceScore, KnowledgeElement
from balise.spaces.selectors import content_space_id


def started_assessment(user, competence_id: str) -> Assessment | None:
    return Assessment.objects.filter(user=user, competence_id=competence_id, state=Assessment.State.STARTED).first()


def current_knowledge(user, competence_id: str) -> list[dict]:
    """The knowledge elements behind the learner's current score in a competence."""
    score = CompetenceScore.objects.filter(user=user, competence_id=competence_id).first()
    if score is None or score.last_assessment_id is None:
        return []
    return [
        {"skill": skill, "status": status, "source": source}
        for skill, status, source in KnowledgeElement.objects.filter(
            assessment_id=score.last_assessment_id
        ).values_list("skill_id", "status", "source")
    ]


def current_knowledge_of_competences(user, competence_ids) -> list[dict]:
    """`current_knowledge` of several competences in two queries (a campaign's prior)."""
    last = dict(
        CompetenceScore.objects.filter(user=user, competence_id__in=list(competence_ids))
        .exclude(last_assessment=None)
        .values_list("competence_id", "last_assessment_id")
    )
    if not last:
        return []
    return [
        {"skill": skill, "status": status, "source": source}
        for competence, assessment, skill, status, source in KnowledgeElement.objects.filter(
            assessment_id__in=set(last.values()), competence_id__in=list(last)
        ).values_list("competence_id", "assessment_id", "skill_id", "status", "source")
        if last[competence] == assessment
    ]


@dataclass(frozen=True)
class CompetenceAction:
    """What the learner can do next in a competence, and when."""

    kind: str  # start | resume | improve | retry | wait | done
    available_at: datetime | None = None
    can_reset: bool = False
    reset_available_at: datetime | None = None
    assessment: Assessment | None = None

    @property
    def message(self) -> str:
        if self.kind == "wait" and self.available_at:
            return _("You can test yourself again in this competence from %(date)s.") % {
                "date": formats.date_format(self.available_at, "DATE_FORMAT")
            }
        if self.kind == "done":
            return _("You have reached the highest level of this competence.")
        return ""

    @property
    def reset_message(self) -> str:
        if self.reset_available_at:
            return _("You can reset this competence from %(date)s.") % {
                "date": formats.date_format(self.reset_available_at, "DATE_FORMAT")
            }
        return _("There is nothing to reset in this competence.")


def _action_for(
    score: CompetenceScore | None, in_progress: Assessment | None, has_missed: bool, now
) -> CompetenceAction:
    if in_progress is not None:
        return CompetenceAction("resume", assessment=in_progress)
    if score is None:
        return CompetenceAction("start")
    reset_at = score.completed_at + timedelta(days=settings.BALISE_RESET_AFTER_DAYS)
    can_reset = now >= reset_at
    # Nothing proved yet: a new attempt from scratch. Something proved: improve on the rest.
    if score.pix == 0:
        kind, wait_days = "retry", settings.BALISE_RETRY_AFTER_DAYS
    elif has_missed and score.level < settings.BALISE_MAX_REACHABLE_LEVEL:
        kind, wait_days = "improve", settings.BALISE_IMPROVE_AFTER_DAYS
    else:
        return CompetenceAction("done", can_reset=can_reset, reset_available_at=reset_at)
    available_at = score.completed_at + timedelta(days=wait_days)
    if now < available_at:
        return CompetenceAction("wait", available_at=available_at, can_reset=can_reset, reset_available_at=reset_at)
    return CompetenceAction(kind, available_at=available_at, can_reset=can_reset, reset_available_at=reset_at)


def _missed_by_assessment(assessment_ids) -> set[int]:
    return set(
        KnowledgeElement.objects.filter(
            assessment_id__in=assessment_ids, status=KnowledgeElement.Status.INVALIDATED
        ).values_list("assessment_id", flat=True)
    )


def competence_action(user, competence_id: str, now: datetime) -> CompetenceAction:
    score = CompetenceScore.objects.filter(user=user, competence_id=competence_id).first()
    missed = _missed_by_assessment([score.last_assessment_id]) if score else set()
    return _action_for(
        score,
        started_assessment(user, competence_id),
        bool(score and score.last_assessment_id in missed),
        now,
    )


@dataclass(frozen=True)
class CompetenceCard:
    competence: object
    pix: int
    level: int
    action: CompetenceAction
    last_result: object = None  # public id of the last finished test, for "my last result"


def competence_cards(user, now: datetime):
    """The learner's competences grouped by area, each with level, pix and next action."""
    scores = {
        s.competence_id: s
        for s in CompetenceScore.objects.filter(user=user).annotate(last_public_id=F("last_assessment__public_id"))
    }
    started = {a.competence_id: a for a in Assessment.objects.filter(user=user, state=Assessment.State.STARTED)}
    missed = _missed_by_assessment([s.last_assessment_id for s in scores.values()])
    grouped = []
    for area, competences in areas_with_competences(content_space_id(user)):
        cards = []
        for competence in competences:
            score = scores.get(competence.id)
            cards.append(
                CompetenceCard(
                    competence=competence,
                    pix=score.pix if score else 0,
                    level=score.level if score else 0,
                    action=_action_for(
                        score,
                        started.get(competence.id),
                        bool(score and score.last_assessment_id in missed),
                        now,
                    ),
                    last_result=score.last_public_id if score else None,
                )
            )
        grouped.append((area, cards))
    return grouped
