"""Organizations, target profiles and campaigns over the fixture pack, for the campaign tests."""

from balise.campaigns import services as campaign_services
from balise.campaigns.models import (
    Badge,
    BadgeCriterion,
    Campaign,
    Stage,
    TargetProfile,
    TargetProfileTube,
    Training,
    TrainingTrigger,
)
from balise.content.models import Challenge
from balise.evaluation.option_codes import challenge_code
from balise.evaluation.services import answering
from balise.organizations.models import Membership, Organization, Role
from balise.spaces.models import Space
from solutions import response_for

# Two competences (1.1 and 2.1), capped below their top: the test asks only these skills.
PROFILE_CAPS = {"searchEngines": 2, "emailAddresses": 2}


def organization_with_admin(user, *, name="Lycée Jean Monnet", space_slug="international"):
    space = Space.objects.get(slug=space_slug) if space_slug != "international" else Space.objects.get(is_default=True)
    organization = Organization.objects.create(name=name, type=Organization.Type.SCHOOL, space=space)
    Membership.objects.create(organization=organization, user=user, role=Role.ADMIN)
    return organization


def target_profile(name="Compétences de base", caps=None) -> TargetProfile:
    profile = TargetProfile.objects.create(name=name, description="Chercher et écrire")
    for tube, cap in (caps or PROFILE_CAPS).items():
        TargetProfileTube.objects.create(target_profile=profile, tube_id=tube, level_cap=cap)
    Stage.objects.create(target_profile=profile, threshold=0, title="Premiers pas")
    Stage.objects.create(target_profile=profile, threshold=50, title="En route")
    Stage.objects.create(target_profile=profile, threshold=100, title="Maîtrise")
    badge = Badge.objects.create(target_profile=profile, key="chercheur", title="Chercheur", image_alt="Une loupe")
    criterion = BadgeCriterion.objects.create(badge=badge, threshold=100)
    criterion.tubes.set(["searchEngines"])
    training = Training.objects.create(
        title="Mieux chercher en ligne", link="https://example.org/chercher", type=Training.Type.E_LEARNING,
        duration_minutes=45, languages=["fr"], editor_name="Balise",
    )
    trigger = TrainingTrigger.objects.create(
        training=training, target_profile=profile, kind=TrainingTrigger.Kind.GOAL, threshold=80
    )
    trigger.tubes.set(["searchEngines"])
    return profile


def assessment_campaign(organization, owner, profile=None, **fields) -> Campaign:
    return campaign_services.campaign_create(
        organization, by=owner, owner=owner, type=Campaign.Type.ASSESSMENT,
        target_profile=profile or target_profile(), name=fields.pop("name", "Rentrée 2026"), **fields,
    )


def answer_until_done(participation, user, now, *, correct=True, limit=60):
    """Answer every question of the participation's test, right (or wrong)."""
    assessment = participation.assessment
    for _ in range(limit):
        assessment.refresh_from_db()
        if assessment.state != assessment.State.STARTED:
            return assessment
        challenge = Challenge.objects.get(pk=assessment.current_challenge_id)
        if assessment.current_shown_at is None:
            answering.assessment_timer_start(user, assessment.public_id, challenge_code(assessment.seed, challenge.id), now=now)
        answering.assessment_answer(
            user, assessment.public_id, challenge_code(assessment.seed, challenge.id),
            lambda c, challenge=challenge: _as_posted(challenge, response_for(challenge, "fr", correct=correct, seed=assessment.seed)),
            now=now,
        )
    raise AssertionError("the test did not end")


def _as_posted(challenge, response):
    # A single-choice page posts one code, not a list.
    return response[0] if challenge.type == "qcu" else response
