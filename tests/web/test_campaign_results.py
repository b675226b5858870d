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


def _listed_school(campaign, users_groups):
    """The campaign's school keeps a list: each (user, class) on it, reconciled."""
    from datetime import date

    from balise.organizations.models import OrganizationLearner

    organization = campaign.organization
    organization.manages_learners = True
    organization.save()
    for number, (user, group) in enumerate(users_groups):
        OrganizationLearner.objects.create(
            organization=organization, identifier=f"INE{number}", first_name="X", last_name=user.full_name,
            birth_date=date(2010, 1, 1), group=group, name_key=f"x {number}", user=user,
        )


def test_participants_are_filtered_by_class_and_badge(campaign, admin_user, learner, other_learner, client_of):
    now = timezone.now()
    expert = services.participation_start(campaign, learner, now=now, language="fr")
    answer_until_done(expert, learner, now)
    services.participation_share(expert, now=now)
    beginner = services.participation_start(campaign, other_learner, now=now, language="fr")
    answer_until_done(beginner, other_learner, now, correct=False)
    services.participation_share(beginner, now=now)
    _listed_school(campaign, [(learner, "3e B"), (other_learner, "3e A")])
    client = client_of(admin_user)
    url = f"/organizations/{campaign.organization_id}/campaigns/{campaign.pk}/participants/"

    def names(**filters):
        page = client.get(url, filters).content.decode()
        return {name for name in ("Camille Martin", "Alex Taylor") if name in page}

    assert names() == {"Camille Martin", "Alex Taylor"}
    assert names(group="3e B") == {"Camille Martin"} and names(group="3e A") == {"Alex Taylor"}
    assert names(group="6e Z") == set()
    assert names(badge="chercheur") == {"Camille Martin"}  # earned by the one who answered right
    assert names(badge="unknown-key") == {"Camille Martin", "Alex Taylor"}  # not a badge of the profile: no filter
    assert names(group="3e A", badge="chercheur") == set()
    page = client.get(url).content.decode()
    assert "3e B" in page and "Chercheur" in page  # the class column and the badges column
    api = client.get(f"/api/organizations/{campaign.organization_id}/campaigns/{campaign.pk}/participants",
                     {"badge": "chercheur"}).json()
    assert [(p["last_name"], p["group"]) for p in api["participants"]] == [("Camille Martin", "3e B")]


def test_the_dashboard_counts_starts_and_sendings_per_day_and_a_retake_moves_the_sending(
    campaign, admin_user, learner, other_learner, client_of
):
    from datetime import timedelta

    from balise.campaigns.models import CampaignTotals

    campaign.multiple_sendings = True
    campaign.save()
    monday = timezone.now() - timedelta(days=3)
    first = services.participation_start(campaign, learner, now=monday, language="fr")
    answer_until_done(first, learner, monday)
    services.participation_share(first, now=monday)
    services.participation_start(campaign, other_learner, now=monday, language="fr")  # started, never sent
    Participation.objects.filter(campaign=campaign).update(created_at=monday)
    days = CampaignTotals.objects.get(campaign=campaign).sums["days"]
    assert days == {timezone.localdate(monday).isoformat(): 1}

    thursday = timezone.now()
    retake, _created = services.participation_join(campaign, learner, now=thursday, language="fr")
    answer_until_done(retake, learner, thursday)
    services.participation_share(retake, now=thursday)
    days = CampaignTotals.objects.get(campaign=campaign).sums["days"]
    # The first sending is history now: the campaign's current sendings are one, on Thursday.
    assert days == {timezone.localdate(monday).isoformat(): 0, timezone.localdate(thursday).isoformat(): 1}
    figures = client_of(admin_user).get(f"/api/organizations/{campaign.organization_id}/campaigns/{campaign.pk}").json()
    assert figures["sent_by_day"] == [{"day": timezone.localdate(thursday).isoformat(), "count": 1}]
    assert figures["started_by_day"] == [
        {"day": timezone.localdate(monday).isoformat(), "count": 1},
        {"day": timezone.localdate(thursday).isoformat(), "count": 1},
    ]
    page = client_of(admin_user).get(f"/organizations/{campaign.organization_id}/campaigns/{campaign.pk}/").content.decode()
    assert "Participants par jour" in page and 'class="days-chart"' in page


def test_a_universitys_export_carries_group_student_number_diploma_and_department(campaign, admin_user, learner, client_of):
    import csv
    import io

    from balise.organizations.models import Organization, OrganizationLearner

    Organization.objects.filter(pk=campaign.organization_id).update(type=Organization.Type.HIGHER_EDUCATION)
    campaign.refresh_from_db()
    now = timezone.now()
    sent = services.participation_start(campaign, learner, now=now, language="fr")
    answer_until_done(sent, learner, now)
    services.participation_share(sent, now=now)
    _listed_school(campaign, [(learner, "L1 groupe 2")])
    OrganizationLearner.objects.filter(user=learner).update(identifier="22004567", diploma="Licence de droit", department="Faculté de droit")
    response = client_of(admin_user).get(f"/organizations/{campaign.organization_id}/campaigns/{campaign.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")), delimiter=";"))
    line = dict(zip(rows[0], rows[1]))
    assert (line["Groupe"], line["Numéro étudiant"], line["Diplôme"], line["Composante"]) == (
        "L1 groupe 2", "22004567", "Licence de droit", "Faculté de droit")


def test_a_profiles_collection_lists_pix_certifiable_and_levels_and_filters_on_certifiable(
    admin_user, learner, other_learner, client_of
):
    from balise.content.models import Competence
    from balise.content.selectors import content_caches_clear
    from balise.evaluation.models import CompetenceScore

    area = Competence.objects.get(pk="1.1").area
    for code in ("1.3", "2.2"):  # certifiable takes five competences: the fixture pack has three
        Competence.objects.create(id=code, area=area, name={"fr": f"Compétence {code}", "en": f"Competence {code}"})
    content_caches_clear()
    organization = organization_with_admin(admin_user, name="Université")
    campaign = services.campaign_create(
        organization, by=admin_user, owner=admin_user, type=Campaign.Type.PROFILES_COLLECTION, name="Profils L1"
    )
    now = timezone.now()
    CompetenceScore.objects.create(user=learner, competence_id="1.1", pix=17, level=2, completed_at=now)
    for competence in ("1.1", "1.2", "1.3", "2.1", "2.2"):  # level 1 in five competences: certifiable
        CompetenceScore.objects.create(user=other_learner, competence_id=competence, pix=9, level=1, completed_at=now)
    for user in (learner, other_learner):
        services.participation_share(services.participation_start(campaign, user, now=now, language="fr"), now=now)
    client = client_of(admin_user)
    url = f"/organizations/{organization.pk}/campaigns/{campaign.pk}/participants/"

    def names(**filters):
        page = client.get(url, filters).content.decode()
        return {name for name in ("Camille Martin", "Alex Taylor") if name in page}

    assert names() == {"Camille Martin", "Alex Taylor"}
    assert names(certifiable="yes") == {"Alex Taylor"} and names(certifiable="no") == {"Camille Martin"}
    assert names(certifiable="maybe") == {"Camille Martin", "Alex Taylor"}  # not a choice: no filter
    page = client.get(url).content.decode()
    assert "<td>17</td>" in page and "<td>45</td>" in page  # pix totals
    assert "Certifiable" in page and ">2.2<" in page  # a level column per competence sent
    camille_row = next(row for row in page.split("<tr>") if "Camille Martin" in row)
    assert camille_row.count("<td>0</td>") == 4 and "<td>2</td>" in camille_row and "–" not in camille_row
    sent_before = Participation.objects.get(user=learner, campaign=campaign)
    del sent_before.results["competences"]["2.2"]  # sent before 2.2 joined the framework
    sent_before.save(update_fields=["results"])
    camille_row = next(row for row in client.get(url).content.decode().split("<tr>") if "Camille Martin" in row)
    assert camille_row.count("–") == 1 and camille_row.count("visually-hidden") == 1
    api = client.get(f"/api/organizations/{organization.pk}/campaigns/{campaign.pk}/participants",
                     {"certifiable": "yes"}).json()["participants"]
    assert [(p["last_name"], p["pix_total"], p["certifiable"]) for p in api] == [("Alex Taylor", 45, True)]
    assert api[0]["levels"] == {"1.1": 1, "1.2": 1, "1.3": 1, "2.1": 1, "2.2": 1}


def test_the_campaign_list_keeps_my_campaigns_or_one_kind(campaign, admin_user, other_learner, client_of):
    organization = campaign.organization
    Membership.objects.create(organization=organization, user=other_learner, role=Role.ADMIN)
    services.campaign_create(organization, by=other_learner, owner=other_learner,
                             type=Campaign.Type.PROFILES_COLLECTION, name="Profils d'Alex")
    client = client_of(admin_user)
    url = f"/organizations/{organization.pk}/campaigns/"

    def listed(**filters):
        page = client.get(url, filters).content.decode()
        return {name for name in (campaign.name, "Profils d&#x27;Alex") if name in page}

    assert listed() == {campaign.name, "Profils d&#x27;Alex"}
    assert listed(owner="me") == {campaign.name}
    assert listed(type="profiles") == {"Profils d&#x27;Alex"} and listed(type="nonsense") == listed()
    assert "Alex Taylor" in client.get(url).content.decode()  # the owner column
    api = client.get(f"/api/organizations/{organization.pk}/campaigns", {"owner": "me"}).json()
    assert [(c["name"], c["owner"]) for c in api] == [(campaign.name, admin_user.full_name)]
