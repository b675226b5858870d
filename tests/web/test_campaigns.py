"""Campaigns: a learner joins by code, takes the profile's test, sends the results; the
organization sees them only once sent."""

import re

import pytest
from django.utils import timezone

from balise.campaigns import selectors, services
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


def _take_the_test_by_pages(client, test_url):
    from balise.content.models import Challenge
    from solutions import answer_data, seed_of

    from .conftest import current_challenge_id, open_question

    for _ in range(60):
        page = open_question(client, test_url)
        if page.status_code == 302:
            return page
        challenge = Challenge.objects.get(pk=current_challenge_id(page.content.decode()))
        code = re.search(r'name="challenge_id" value="([^"]+)"', page.content.decode()).group(1)
        response = client.post(test_url + "answer/", {"challenge_id": code, **answer_data(challenge, seed=seed_of(test_url))})
        if response.status_code == 302:  # the end; each question before comes in the answer's response
            assert "/result/" in response["Location"]
            return client.get(response["Location"])
        assert response.status_code == 200
    raise AssertionError("the test did not end")


def test_the_learner_joins_by_code_takes_the_test_and_sends_the_results(campaign, learner_client, learner):
    home = learner_client.get("/campagnes/", {"code": campaign.code.lower()})
    assert home.status_code == 302 and home["Location"] == f"/campagnes/{campaign.code}/"
    landing = learner_client.get(home["Location"])
    assert landing.status_code == 200 and campaign.name in landing.content.decode()
    started = learner_client.post(home["Location"])
    assert started.status_code == 302 and started["Location"].startswith("/tests/")
    page = learner_client.get(started["Location"])
    assert f"Campagne {campaign.code}" in page.content.decode() or f"Campaign {campaign.code}" in page.content.decode()
    result = _take_the_test_by_pages(learner_client, started["Location"])
    participation = Participation.objects.get(user=learner)
    assert result.status_code == 302 and result["Location"] == f"/campagnes/participations/{participation.public_id}/"
    shown = learner_client.get(result["Location"]).content.decode()
    assert "100 %" in shown and "Maîtrise" in shown and "Chercheur" in shown
    # Mastered: the goal-triggered training is not recommended.
    assert "Mieux chercher en ligne" not in shown
    sent = learner_client.post(result["Location"] + "send/")
    assert sent.status_code == 302
    participation.refresh_from_db()
    assert participation.status == Participation.Status.SHARED


def test_a_wrong_code_says_so_and_an_unknown_participation_is_a_404(content, learner_client, other_learner, campaign, client_of):
    assert learner_client.get("/campagnes/", {"code": "ABC"}).status_code == 400
    missing = learner_client.get("/campagnes/ZZZZZZ999/")
    assert missing.status_code == 404 and "9" in missing.content.decode()
    participation = services.participation_start(campaign, other_learner, now=timezone.now(), language="fr")
    # Another learner's participation does not exist for this one.
    assert learner_client.get(f"/campagnes/participations/{participation.public_id}/").status_code == 404
    assert learner_client.post(f"/campagnes/participations/{participation.public_id}/send/").status_code == 302
    participation.refresh_from_db()
    assert participation.status == Participation.Status.STARTED


def test_a_campaign_with_an_external_id_asks_for_it_and_checks_an_email(admin_user, learner_client, learner):
    from .campaign_fixtures import target_profile

    organization = organization_with_admin(admin_user, name="Ministère")
    campaign = assessment_campaign(
        organization, admin_user, target_profile("P2"), external_id_label="adresse professionnelle",
        external_id_type="email",
    )
    refused = learner_client.post(f"/campagnes/{campaign.code}/", {"external_id": "pas-une-adresse"})
    assert refused.status_code == 400 and not Participation.objects.exists()
    accepted = learner_client.post(f"/campagnes/{campaign.code}/", {"external_id": "camille@ministere.example"})
    assert accepted.status_code == 302
    assert Participation.objects.get().external_id == "camille@ministere.example"


def test_deleting_a_participation_anonymises_it(campaign, learner_client, learner):
    participation = services.participation_start(campaign, learner, now=timezone.now(), language="fr")
    url = f"/campagnes/participations/{participation.public_id}/delete/"
    assert learner_client.get(url).status_code == 200
    assert Participation.objects.get().user_id == learner.pk  # the confirmation page changes nothing
    assert learner_client.post(url).status_code == 302
    row = Participation.objects.get()
    assert row.user_id is None and row.participant_last_name == "" and row.deleted_at is not None


def test_a_school_that_keeps_its_list_finds_the_learner_on_it_or_refuses_clearly(admin_user, learner_client, learner):
    import datetime

    from balise.organizations import learner_file
    from balise.organizations.models import OrganizationLearner

    organization = organization_with_admin(admin_user, name="Collège des Saules")
    organization.manages_learners = True
    organization.save()
    OrganizationLearner.objects.create(
        organization=organization, identifier="123456789AB", first_name="Camille", last_name="Martin-Durand",
        birth_date=datetime.date(2010, 5, 4), group="3e B", name_key=learner_file.name_key("Camille", "Martin-Durand"),
    )
    campaign = assessment_campaign(organization, admin_user)
    url = f"/campagnes/{campaign.code}/"
    landing = learner_client.get(url).content.decode()
    assert 'name="birth_date"' in landing
    refused = learner_client.post(url, {"first_name": "Camille", "last_name": "Martin-Durand", "birth_date": "05/04/2010"})
    assert refused.status_code == 403 and not Participation.objects.exists()
    assert "Collège des Saules" in refused.content.decode()
    joined = learner_client.post(url, {"first_name": "camille", "last_name": "martin durand", "birth_date": "04/05/2010"})
    assert joined.status_code == 302
    participation = Participation.objects.get()
    assert (participation.participant_first_name, participation.participant_last_name) == ("Camille", "Martin-Durand")
    assert OrganizationLearner.objects.get().user_id == learner.pk


def test_erasing_an_account_keeps_the_organizations_figures_without_the_person(campaign, learner):
    from balise.learner.services import learner_erase

    now = timezone.now()
    participation = services.participation_start(campaign, learner, now=now, language="fr")
    answer_until_done(participation, learner, now)
    services.participation_share(participation, now=now)
    learner_erase(learner)
    row = Participation.objects.get()
    assert row.user_id is None and row.participant_last_name == "" and row.deleted_at is not None
    assert row.mastery_percent == 100  # the campaign's figures stay true


def test_the_api_joins_sends_and_answers_clearly(campaign, learner_client, learner, other_learner, client_of):
    from .conftest import assert_error
    from .test_api import post

    shown = learner_client.get(f"/api/campaigns/{campaign.code.lower()}")
    assert shown.status_code == 200 and shown.json()["title"] == campaign.name
    assert_error(learner_client.get("/api/campaigns/ZZZZZZ999"), 404, "not_found")
    joined = post(learner_client, f"/api/campaigns/{campaign.code}/participations", {})
    assert joined.status_code == 201, joined.content
    body = joined.json()
    assert body["status"] == "started" and body["test"] and body["results"] == {}
    again = post(learner_client, f"/api/campaigns/{campaign.code}/participations", {})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert_error(post(learner_client, f"/api/participations/{body['id']}/send"), 409, "not_finished")
    # Another learner's participation does not exist for this one.
    assert_error(client_of(other_learner).get(f"/api/participations/{body['id']}"), 404, "not_found")
    answer_until_done(Participation.objects.get(), learner, timezone.now())
    sent = post(learner_client, f"/api/participations/{body['id']}/send")
    assert sent.status_code == 200 and sent.json()["status"] == "shared" and sent.json()["mastery_percent"] == 100
    assert_error(post(learner_client, f"/api/participations/{body['id']}/send"), 409, "already_sent")
    assert [p["id"] for p in learner_client.get("/api/participations").json()] == [body["id"]]


def test_my_trainings_lists_what_finished_campaign_tests_recommend(campaign, learner_client, learner):
    now = timezone.now()
    participation = services.participation_start(campaign, learner, now=now, language="fr")
    assert "Mieux chercher en ligne" not in learner_client.get("/campagnes/formations/").content.decode()
    answer_until_done(participation, learner, now, correct=False)
    page = learner_client.get("/campagnes/formations/").content.decode()
    # Nothing mastered: the goal (mastery at most 80 %) holds, the training is recommended.
    assert "Mieux chercher en ligne" in page and campaign.name in page
    result = learner_client.get(f"/campagnes/participations/{participation.public_id}/").content.decode()
    assert "Mieux chercher en ligne" in result and "0 %" in result


def test_a_campaign_test_is_answered_through_the_tests_api(campaign, learner_client, learner):
    from .conftest import assert_error
    from .test_api import post

    joined = post(learner_client, f"/api/campaigns/{campaign.code}/participations", {}).json()
    test = learner_client.get(f"/api/assessments/{joined['test']}")
    assert test.status_code == 200 and test.json()["competence"] is None and test.json()["challenge"]
    answer_until_done(Participation.objects.get(), learner, timezone.now())
    assert_error(learner_client.get(f"/api/assessments/{joined['test']}/result"), 409, "campaign_test")


def test_a_retake_keeps_the_sent_participation_as_history(admin_user, learner):
    organization = organization_with_admin(admin_user)
    campaign = assessment_campaign(organization, admin_user, multiple_sendings=True)
    now = timezone.now()
    first = services.participation_start(campaign, learner, now=now, language="fr")
    answer_until_done(first, learner, now, correct=False)
    services.participation_share(first, now=now)
    second = services.participation_start(campaign, learner, now=now, language="fr")
    # A second chance on what was missed: asked again.
    assert second.pk != first.pk and second.status == Participation.Status.STARTED
    first.refresh_from_db()
    assert first.improved and first.status == Participation.Status.SHARED and first.mastery_percent == 0
    answer_until_done(second, learner, now)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.mastery_percent == 100 and first.mastery_percent == 0  # the history does not change
    assert [p.pk for p in selectors.participations_of(learner)] == [second.pk]


def test_a_profiles_collection_receives_the_profile_as_it_is_when_sent(admin_user, learner_client, learner):
    from balise.campaigns.models import Campaign
    from balise.evaluation.models import CompetenceScore

    organization = organization_with_admin(admin_user, name="Université")
    campaign = services.campaign_create(
        organization, by=admin_user, owner=admin_user, type=Campaign.Type.PROFILES_COLLECTION, name="Profils L1"
    )
    CompetenceScore.objects.create(user=learner, competence_id="1.1", pix=17, level=2, completed_at=timezone.now())
    joined = learner_client.post(f"/campagnes/{campaign.code}/")
    participation = Participation.objects.get()
    assert joined["Location"] == f"/campagnes/participations/{participation.public_id}/"
    assert participation.status == Participation.Status.TO_SHARE and participation.results == {}
    learner_client.post(joined["Location"] + "send/")
    participation.refresh_from_db()
    assert participation.results["pix_total"] == 17 and participation.results["competences"]["1.1"] == [2, 17]
    assert participation.results["certifiable"] is False
    page = learner_client.get(joined["Location"]).content.decode()
    assert "17 pix" in page


def _export(client, campaign):
    response = client.get(f"/organizations/{campaign.organization_id}/campaigns/{campaign.pk}/export.csv")
    return response, b"".join(response.streaming_content).decode("utf-8") if response.status_code == 200 else ""


def test_the_csv_export_streams_sent_results_only_and_is_a_404_to_another_organization(
    campaign, admin_user, learner, other_learner, client_of
):
    import csv
    import io

    now = timezone.now()
    sent = services.participation_start(campaign, learner, now=now, language="fr")
    answer_until_done(sent, learner, now)
    services.participation_share(sent, now=now)
    unsent = services.participation_start(campaign, other_learner, now=now, language="fr")
    Participation.objects.filter(pk=unsent.pk).update(participant_last_name='=HYPERLINK("x")')
    response, text = _export(client_of(admin_user), campaign)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert f"-{campaign.pk}-" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header, by_name = rows[0], {row[5]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert len(rows) == 3 and len(set(len(r) for r in rows)) == 1
    camille = by_name["Camille Martin"]
    # organization, id, code, name, profile, last name, first name, class, progress, started, sent, sent on,
    # stage, the badge, overall mastery, then per competence and area.
    assert header[7] == "Classe" and camille[header[8]] == "100"
    assert camille[header[10]] == "Oui" and camille[header[12]] == "2/2"  # the top stage of two (after the zero one)
    assert camille[header[13]] == "Oui" and camille[header[14]] == "100"
    unsent_row = next(r for name, r in by_name.items() if name != "Camille Martin")
    assert unsent_row[header[5]].startswith("'=")  # never run as a formula
    assert unsent_row[header[10]] == "Non" and unsent_row[header[14]] == ""  # nothing before sending

    outsider = client_of(other_learner)
    assert _export(outsider, campaign)[0].status_code == 404
    other_org = organization_with_admin(other_learner, name="Autre école")
    assert outsider.get(f"/organizations/{other_org.pk}/campaigns/{campaign.pk}/export.csv").status_code == 404
