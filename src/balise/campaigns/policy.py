"""The campaign test's policy: the target profile's tubes up to their caps, one competence
after the other, sat through the evaluation machinery (decision 0008).

The engine's positioning model links the tubes of one competence by a level in that competence,
so a profile that spans several competences is asked competence by competence: the engine runs
on the competence of the last answer (those before it are finished by construction) and moves
on when it has nothing left to ask there — one engine call per answer, as in a positioning test.
What the learner proved before (their profile) is the prior: nothing they proved is asked again.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.urls import reverse
from django.utils.translation import gettext as _

from balise.campaigns.models import Participation
from balise.campaigns.results import assessment_results
from balise.content.selectors import engine_scope, release_cache
from balise.engine.positioning import (
    KnowledgeElement,
    KnowledgeSource,
    KnowledgeStatus,
    next_step,
    restrict_to_target_profile,
)
from balise.evaluation.models import Assessment
from balise.evaluation.services.policies import NextStep, TestHeading, policy_register
from balise.evaluation.services.positioning import competence_knowledge_settle, engine_input


@dataclass(frozen=True)
class CompetenceScope:
    competence_id: str
    skills: tuple
    challenges: tuple


@release_cache
@lru_cache(maxsize=512)
def _scopes_of_release(content_version: str, space_id: int | None, caps: tuple, competences: tuple):
    # A release never changes once imported (see content.selectors.engine_scope): the capped
    # scope of a profile is computed once per process.
    tube_caps = dict(caps)
    scopes = []
    for competence_id in competences:
        skills, challenges = engine_scope(competence_id, space_id, content_version)
        kept_skills, kept_challenges = restrict_to_target_profile(skills, challenges, tube_caps)
        scopes.append(CompetenceScope(competence_id, kept_skills, kept_challenges))
    skill_index = {skill.id: index for index, scope in enumerate(scopes) for skill in scope.skills}
    return tuple(scopes), skill_index


def campaign_scopes(assessment: Assessment) -> tuple[tuple[CompetenceScope, ...], dict[str, int]]:
    """The profile's capped scope, one entry per competence in the order they are asked."""
    caps = tuple(sorted((tube, int(level)) for tube, level in assessment.scope["tube_caps"].items()))
    return _scopes_of_release(
        assessment.content_version, assessment.space_id, caps, tuple(assessment.scope["competences"])
    )


def _step(assessment, scope: CompetenceScope):
    return next_step(engine_input(assessment, scope.competence_id, scope.skills, scope.challenges), assessment.strategy)


class CampaignPolicy:
    def next_step(self, assessment: Assessment) -> NextStep:
        scopes, skill_index = campaign_scopes(assessment)
        log = assessment.answer_log
        current = skill_index.get(log[-1][1], 0) if log else 0
        estimates = assessment.scope.get("estimates") or [0] * len(scopes)
        for index in range(current, len(scopes)):
            step = _step(assessment, scopes[index])
            if step.challenge is not None:
                answered_before = sum(1 for _c, skill, _s in log if skill_index.get(skill, -1) < index)
                still_to_come = sum(estimates[index + 1 :])
                return NextStep(
                    challenge_id=step.challenge.id,
                    timed=step.challenge.timed,
                    estimated_total=answered_before + step.estimated_total + still_to_come,
                )
        return NextStep(challenge_id=None, estimated_total=len(log), result=None)

    def heading(self, assessment: Assessment) -> TestHeading:
        title = assessment.scope.get("title", "")
        code = assessment.scope.get("code", "")
        return TestHeading(
            title=title,
            breadcrumb=_("Campaign %(code)s · %(title)s") % {"code": code, "title": title},
            leave_url=reverse("campaigns:mine"),
            leave_label=_("Back to my campaigns"),
            result_url=reverse("campaigns:participation", args=[assessment.scope.get("participation", "")]),
        )

    def complete(self, assessment: Assessment, step: NextStep, now: datetime) -> None:
        """Settle each competence the profile spans (the learner's profile grows from the
        campaign's answers too), then write the participation's results once."""
        scopes, skill_index = campaign_scopes(assessment)
        asked = {skill_index[skill] for _c, skill, _s in assessment.answer_log if skill in skill_index}
        validated = set()
        for index, scope in enumerate(scopes):
            knowledge = _step(assessment, scope).knowledge
            validated |= {ke.skill_id for ke in knowledge if ke.status == KnowledgeStatus.VALIDATED}
            # A competence the test asked nothing in keeps its score as it was (or none).
            if index in asked:
                competence_knowledge_settle(assessment, scope.competence_id, _with_prior(assessment, knowledge), now)
        participation = Participation.objects.select_for_update().get(assessment=assessment)
        results = assessment_results(participation.campaign.target_profile, scopes, validated)
        participation.results = results.as_json()
        participation.mastery_percent = results.mastery_percent
        participation.stage = results.stage
        participation.badge_keys = results.badge_keys
        participation.status = Participation.Status.TO_SHARE
        participation.completed_at = now
        participation.save(
            update_fields=["results", "mastery_percent", "stage", "badge_keys", "status", "completed_at"]
        )


def _with_prior(assessment: Assessment, knowledge) -> list:
    """The test's knowledge plus what the learner had proved outside the profile's caps, so that
    the competence's score, settled from this test, keeps everything proved before."""
    known = {ke.skill_id: ke for ke in knowledge}
    for ke in assessment.prior_knowledge:
        known.setdefault(
            ke["skill"],
            KnowledgeElement(
                skill_id=ke["skill"], status=KnowledgeStatus(ke["status"]), source=KnowledgeSource(ke["source"])
            ),
        )
    return list(known.values())


def scope_estimates(assessment: Assessment) -> list[int]:
    """Each competence's expected number of questions before the first answer: what the
    progress bar counts on for the competences still to come."""
    scopes, _ = campaign_scopes(assessment)
    return [_step(assessment, scope).estimated_total for scope in scopes]


policy_register(Assessment.Purpose.CAMPAIGN, CampaignPolicy())
