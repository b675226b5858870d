"""The organization's campaign pages: creating a campaign, its figures, its participants; only
sent results are shown; another organization's member gets a 404; the queries do not grow with
the number of participants."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from balise.campaigns import services
from balise.campaigns.models import Campaign, Participation
from balise.organizations.models import Membership, Role

from .campaign_fixtures import answer_until_done, assessment_campaign, organization_with_admin, target_profile
from .conftest import PASSWORD


@pytest.fixture
def admin_user(content):
    from balise.accounts.services import user_create

    return user_create(email="direction@lycee.example", full_name="Dominique Admin", password=PASSWORD)


@pytest.fixture
def campaign(admin_user):
    return assessment_campaign(organization_with_admin(admin_user), admin_user)


def test_an_administrator_creates_a_campaign_in_the_pages(admin_user, client_of):
    organization = organization_with_admin(admin_user)
    profile = target_profile()
    profile.organizations.add(organization)
    client = client_of(admin_user)
    url = f"/organizations/{organization.pk}/campaigns/new/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"type": "assessment", "name": "Sans profil"})
    assert refused.status_code == 400 and not Campaign.objects.exists()
    created = client.post(url, {"type": "assessment", "target_profile": profile.pk, "name": "Rentrée", "external_id_label": "matricule", "external_id_type": "text"})
    assert created.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.owner == admin_user and len(campaign.code) == 9
    page = client.get(created["Location"]).content.decode()
    assert campaign.code in page and f"/campagnes/{campaign.code}/" in page
    listing = client.get(f"/organizations/{organization.pk}/campaigns/").content.decode()
    assert "Rentrée" in listing


def test_a_member_sees_figures_of_sent_results_only(campaign, admin_user, learner, other_learner, client_of):
    now = timezone.now()
    sent = services.participation_start(campaign, learner, now=now, language="fr")
    answer_until_done(sent, learner, now)
    services.participation_share(sent, now=now)
    finished = services.participation_start(campaign, other_learner, now=now, language="fr")
    answer_until_done(finished, other_learner, now, correct=False)
    client = client_of(admin_user)
    base = f"/organizations/{campaign.organization_id}/campaigns/{campaign.pk}/"
    page = client.get(base).content.decode()
    assert "100 %" in page  # the average of the one sent result, not of the unsent 0 %
    participants = client.get(base + "participants/").content.decode()
    assert "Camille Martin" in participants and "Alex Taylor" not in participants
    assert client.get(base + f"participants/{sent.pk}/").status_code == 200
    assert client.get(base + f"participants/{finished.pk}/").status_code == 404  # not sent: not theirs


def test_every_campaign_page_is_a_404_to_another_organizations_member(campaign, other_learner, client_of, learner):
    now = timezone.now()
    sent = services.participation_start(campaign, learner, now=now, language="fr")
    answer_until_done(sent, learner, now)
    services.participation_share(sent, now=now)
    outsider = client_of(other_learner)
    own = organization_with_admin(other_learner, name="Autre école")
    for organization_id in (campaign.organization_id, own.pk):
        base = f"/organizations/{organization_id}/campaigns/{campaign.pk}/"
        for url in (base, base + "edit/", base + "participants/", base + f"participants/{sent.pk}/", base + "export.csv"):
            assert outsider.get(url).status_code == 404, url
        assert outsider.post(base + "archive/").status_code == 404
    campaign.refresh_from_db()
    assert campaign.archived_at is None


def test_a_member_who_is_not_administrator_cannot_edit_or_archive(campaign, other_learner, client_of):
    Membership.objects.create(organization=campaign.organization, user=other_learner, role=Role.MEMBER)
    member = client_of(other_learner)
    base = f"/organizations/{campaign.organization_id}/campaigns/{campaign.pk}/"
    assert member.get(base).status_code == 200
    assert member.post(base + "archive/").status_code == 403
    assert member.get(f"/organizations/{campaign.organization_id}/campaigns/new/").status_code == 403


def _sent_participants(campaign, count, start):
    from balise.accounts.models import User

    users = User.objects.bulk_create(
        User(email=f"p{start + i}@example.org", full_name=f"P{start + i}") for i in range(count)
    )
    Participation.objects.bulk_create(
        Participation(campaign=campaign, user=u, participant_last_name=u.full_name, status="shared",
                      shared_at=timezone.now(), mastery_percent=50, results={"tubes": {}, "competences": {}})
        for u in users
    )


@pytest.mark.parametrize("page", ["", "participants/"])
def test_the_dashboard_and_participants_queries_do_not_grow_with_participants(campaign, admin_user, client_of, page):
    client = client_of(admin_user)
    url = f"/organizations/{campaign.organization_id}/campaigns/{campaign.pk}/{page}"
    counts = []
    for start, added in ((0, 10), (10, 990)):
        _sent_participants(campaign, added, start)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_api_gives_members_the_same_figures_and_outsiders_a_404(campaign, admin_user, learner, other_learner, client_of):
    from .conftest import assert_error

    now = timezone.now()
    sent = services.participation_start(campaign, learner, now=now, language="fr")
    answer_until_done(sent, learner, now)
    services.participation_share(sent, now=now)
    member = client_of(admin_user)
    base = f"/api/organizations/{campaign.organization_id}/campaigns"
    listed = member.get(base).json()
    assert [c["code"] for c in listed] == [campaign.code] and listed[0]["sent"] == 1
    figures = member.get(f"{base}/{campaign.pk}").json()
    assert figures["sent"] == 1 and figures["average_mastery"] == 100 and figures["mastery"][0]["percent"] == 100
    people = member.get(f"{base}/{campaign.pk}/participants").json()
    assert people["count"] == 1 and people["participants"][0]["last_name"] == "Camille Martin"
    outsider = client_of(other_learner)
    for url in (base, f"{base}/{campaign.pk}", f"{base}/{campaign.pk}/participants"):
        assert_error(outsider.get(url), 404, "not_found")
