"""Campaigns: a learner joins by code, takes the profile's test, sends the results; the
organization sees them only once sent."""

import pytest
from django.utils import timezone

from balise.campaigns import services
from balise.campaigns.access import campaign_by_code, participant_access
from balise.campaigns.errors import AlreadySent, CampaignArchived, NotFinished, ParticipationNotFound
from balise.campaigns.models import Participation
from balise.evaluation.models import Answer, CompetenceScore
from .campaign_fixtures import PROFILE_CAPS, answer_until_done, assessment_campaign, organization_with_admin
from .conftest import PASSWORD


@pytest.fixture
def admin_user(content):
    from balise.accounts.services import user_create

    return user_create(email="direction@lycee.example", full_name="Dominique Admin", password=PASSWORD)


@pytest.fixture
def campaign(admin_user):
    return assessment_campaign(organization_with_admin(admin_user), admin_user)


def test_a_campaign_code_has_six_letters_and_three_digits_without_ambiguous_characters(campaign):
    code = campaign.code
    assert len(code) == 9 and code[:6].isalpha() and code[6:].isdigit()
    assert not set(code) & set("ILO01")


def test_the_test_asks_only_the_profiles_tubes_up_to_their_caps_and_the_results_wait_for_sending(campaign, learner):
    now = timezone.now()
    participation = services.participation_start(campaign, learner, now=now, language="fr")
    assert participation.status == Participation.Status.STARTED
    assessment = answer_until_done(participation, learner, now)
    asked = Answer.objects.filter(assessment=assessment).select_related("skill")
    assert asked, "the test asked nothing"
    for answer in asked:
        assert answer.skill.tube_id in PROFILE_CAPS and answer.skill.level <= PROFILE_CAPS[answer.skill.tube_id]
    participation.refresh_from_db()
    assert participation.status == Participation.Status.TO_SHARE
    assert participation.mastery_percent == 100
    assert participation.stage.threshold == 100
    assert participation.badge_keys == ["chercheur"]
    # The learner's profile grows from the campaign's answers.
    assert CompetenceScore.objects.filter(user=learner, competence_id="1.1", pix__gt=0).exists()
    # Nothing is visible to the organization before the learner sends it.
    with pytest.raises(ParticipationNotFound):
        participant_access(campaign, participation.pk)
    services.participation_share(participation, now=now)
    assert participant_access(campaign, participation.pk).shared_at == now
    with pytest.raises(AlreadySent):
        services.participation_share(participation, now=now)
    with pytest.raises(AlreadySent):  # one sending only
        services.participation_start(campaign, learner, now=now, language="fr")


def test_sending_before_the_end_is_refused_and_changes_nothing(campaign, learner):
    participation = services.participation_start(campaign, learner, now=timezone.now(), language="fr")
    with pytest.raises(NotFinished):
        services.participation_share(participation, now=timezone.now())
    participation.refresh_from_db()
    assert participation.status == Participation.Status.STARTED and participation.shared_at is None


def test_joining_twice_resumes_the_same_participation(campaign, learner):
    first = services.participation_start(campaign, learner, now=timezone.now(), language="fr")
    again = services.participation_start(campaign, learner, now=timezone.now(), language="fr")
    assert first.pk == again.pk and Participation.objects.count() == 1


def test_an_archived_campaign_refuses_new_participants(campaign, learner):
    services.campaign_archive(campaign, now=timezone.now())
    campaign.refresh_from_db()
    with pytest.raises(CampaignArchived):
        services.participation_start(campaign, learner, now=timezone.now(), language="fr")
    assert not Participation.objects.exists()


def test_a_code_is_found_in_its_organizations_space_only(campaign):
    from balise.campaigns.errors import CampaignNotFound
    from balise.spaces.models import Space

    assert campaign_by_code(campaign.code.lower(), Space.objects.get(is_default=True)) == campaign
    with pytest.raises(CampaignNotFound):
        campaign_by_code(campaign.code, Space.objects.get(slug="fwb"))
