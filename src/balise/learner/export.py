"""Everything Balise keeps about a person, in one JSON document (GDPR right to data portability).

It reads the other apps' tables on purpose: the export must not forget a record because
it lives elsewhere. A test fails when a model with a `user` field is left out.
"""

from django.db.models import Q

from balise.campaigns.models import Campaign, Participation
from balise.certification.models import Candidate, JuryDecision, Session
from balise.content.models import Challenge
from balise.evaluation.corrections import answer_text
from balise.evaluation.models import Answer, Assessment, CompetenceScore, KnowledgeElement
from balise.i18n.translation import pick_text
from balise.learning.models import SavedTutorial, TutorialRating
from balise.organizations.models import Invitation, LearnerImport, Membership, OrganizationLearner

# 2: each answer with its question and the chosen options' texts; 3: home_space (was context), memberships, invitations;
# 4: the organizations' learner records linked to the account, the learner lists the person imported
# 6: certification candidacies (as the centre enrolled the person), the sessions the person created,
#    finalised or reviewed, and their decisions as a jury member
EXPORT_FORMAT_VERSION = 6


def _when(value):
    return value.isoformat() if value else None


def user_data_export(user) -> dict:
    assessments = list(Assessment.objects.filter(user=user).order_by("created_at", "pk"))
    language_of = {a.pk: a.language for a in assessments}  # each answer is shown in its test's language
    answers_by_assessment: dict[int, list] = {}
    answers = list(Answer.objects.filter(assessment__user=user).order_by("assessment_id", "position"))
    # What was asked, in words: a person reading their data should not need the content pack.
    displays = dict(Challenge.objects.filter(id__in={a.challenge_id for a in answers}).values_list("id", "display"))
    for answer in answers:
        display, language = displays.get(answer.challenge_id, {}), language_of[answer.assessment_id]
        answers_by_assessment.setdefault(answer.assessment_id, []).append(
            {
                "position": answer.position,
                "challenge": answer.challenge_id,
                "question": pick_text(display.get("instruction"), language),
                "skill": answer.skill_id,
                "value": answer.value,
                "answer_text": answer_text(answer.value, display, language),
                "status": answer.status,
                "elapsed_seconds": answer.elapsed_seconds,
                "answered_at": _when(answer.created_at),
            }
        )
    return {
        "format": "balise-personal-data",
        "version": EXPORT_FORMAT_VERSION,
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "home_space": user.home_space.slug if user.home_space_id else None,
            "time_allowance": user.time_allowance,
            "date_joined": _when(user.date_joined),
            "terms_accepted_at": _when(user.terms_accepted_at),
            "last_login": _when(user.last_login),
        },
        "competence_scores": [
            {"competence": s.competence_id, "level": s.level, "pix": s.pix, "completed_at": _when(s.completed_at)}
            for s in CompetenceScore.objects.filter(user=user).order_by("competence_id")
        ],
        "assessments": [
            {
                "id": str(a.public_id),
                "competence": a.competence_id,
                "kind": a.kind,
                "state": a.state,
                "language": a.language,
                "time_allowance": a.time_allowance,
                "started_at": _when(a.created_at),
                "completed_at": _when(a.completed_at),
                "answers": answers_by_assessment.get(a.pk, []),
            }
            for a in assessments
        ],
        "knowledge_elements": [
            {
                "skill": ke.skill_id,
                "competence": ke.competence_id,
                "status": ke.status,
                "source": ke.source,
                "recorded_at": _when(ke.created_at),
            }
            for ke in KnowledgeElement.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "memberships": [
            {
                "organization": m.organization.name,
                "role": m.role,
                "since": _when(m.created_at),
                "disabled_at": _when(m.disabled_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organization").order_by("created_at")
        ],
        # The campaigns joined, with what was sent to each organization (deleted ones no longer name
        # the person: they are not theirs any more).
        "participations": [
            {
                "campaign": p.campaign.code,
                "campaign_name": p.campaign.learner_title,
                "organization": p.campaign.organization.name,
                "external_id": p.external_id,
                "status": p.status,
                "started_at": _when(p.created_at),
                "completed_at": _when(p.completed_at),
                "shared_at": _when(p.shared_at),
                "mastery_percent": p.mastery_percent,
                "stage": p.stage.title if p.stage else None,
                "badges": p.badge_keys,
                "results": p.results,
                "retaken": p.improved,
            }
            for p in Participation.objects.filter(user=user)
            .select_related("campaign", "campaign__organization", "stage")
            .order_by("created_at", "pk")
        ],
        "campaigns_owned": [
            {"code": c.code, "name": c.name, "organization": c.organization.name, "created_at": _when(c.created_at)}
            for c in Campaign.objects.filter(Q(owner=user) | Q(created_by=user)).select_related("organization")
        ],
        "invitations_sent": [
            {"organization": i.organization.name, "email": i.email, "role": i.role, "sent_at": _when(i.created_at)}
            for i in Invitation.objects.filter(invited_by=user).select_related("organization").order_by("created_at")
        ],
        "invitations_accepted": [
            {"organization": i.organization.name, "accepted_at": _when(i.accepted_at)}
            for i in Invitation.objects.filter(accepted_by=user).select_related("organization").order_by("accepted_at")
        ],
        # What a school or university's list says of the person, once linked to their account.
        "organization_learner_records": [
            {
                "organization": learner.organization.name,
                "identifier": learner.identifier,
                "first_name": learner.first_name,
                "last_name": learner.last_name,
                "birth_date": learner.birth_date.isoformat(),
                "group": learner.group,
                "email": learner.email,
                "diploma": learner.diploma,
                "department": learner.department,
                "linked_at": _when(learner.reconciled_at),
                "left_the_list_at": _when(learner.disabled_at),
            }
            for learner in OrganizationLearner.objects.filter(user=user).select_related("organization").order_by("pk")
        ],
        "learner_lists_imported": [
            {"organization": i.organization.name, "file_name": i.file_name, "status": i.status, "uploaded_at": _when(i.created_at)}
            for i in LearnerImport.objects.filter(uploaded_by=user).select_related("organization").order_by("created_at")
        ],
        "certification_candidacies": [
            {
                "centre": c.session.centre.organization.name, "session": c.session_id,
                "date": c.session.date.isoformat(), "last_name": c.last_name, "first_name": c.first_name,
                "birth_date": c.birth_date.isoformat(), "sex": c.sex, "birth_place": c.birth_place,
                "results_email": c.results_email, "local_id": c.local_id, "extra_time_percent": c.extra_time_percent,
                "accessibility_needed": c.accessibility_needed, "entered_at": _when(c.entered_at),
            }
            for c in Candidate.objects.filter(user=user).select_related("session__centre__organization").order_by("pk")
        ],
        "certification_sessions": [  # created, finalised or reviewed by the person
            {"centre": s.centre.organization.name, "session": s.pk, "date": s.date.isoformat(), "site": s.site,
             "room": s.room, "created_at": _when(s.created_at)}
            for s in Session.objects.filter(Q(created_by=user) | Q(finalised_by=user) | Q(reviewer=user))
            .select_related("centre__organization").order_by("pk")
        ],
        # What the person decided as a member of the certification jury (the audit log keeps it).
        "certification_jury_decisions": [
            {"session": d.session_id, "action": d.action, "challenge": d.challenge_id, "reason": d.reason, "at": _when(d.at)}
            for d in JuryDecision.objects.filter(by=user).order_by("at", "pk")
        ],
        "saved_tutorials": [
            {"tutorial": s.tutorial_id, "saved_at": _when(s.saved_at)}
            for s in SavedTutorial.objects.filter(user=user).order_by("saved_at")
        ],
        "tutorial_ratings": [
            {"tutorial": r.tutorial_id, "useful": r.useful, "rated_at": _when(r.rated_at)}
            for r in TutorialRating.objects.filter(user=user).order_by("rated_at")
        ],
    }
