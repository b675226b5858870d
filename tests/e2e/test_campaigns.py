"""A learner in a real browser takes a campaign: the code typed on the home page, the landing
page, the test with its campaign heading and one progress bar, the result page, the explicit
sending step; axe-core on every page, no sideways scroll at 320 px."""

import pytest
from playwright.sync_api import expect
from test_journey import answer_the_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_joins_by_code_takes_the_campaign_and_sends_the_results(page, audit, signed_in, texts_in, answer_plan):
    from web.campaign_fixtures import assessment_campaign, organization_with_admin

    from balise.accounts.services import user_create
    from balise.campaigns.models import Participation

    t = texts_in("fr")
    director = user_create(email="direction@lycee.example", full_name="Dominique Leroy", password="a-long-enough-passphrase-42")
    campaign = assessment_campaign(organization_with_admin(director), director, name="Rentrée des secondes")

    page.goto("/campagnes/")
    audit.check()
    page.get_by_label(t("Campaign code")).fill(campaign.code.lower())
    page.get_by_role("button", name=t("Go to the campaign")).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rentrée des secondes")
    page.get_by_role("button", name=t("Start")).click()

    plan = answer_plan("fr")
    questions = 0
    while "/campagnes/participations/" not in page.url:
        questions += 1
        assert questions <= 40, "the campaign test never ends"
        audit.check()
        expect(page.locator(".breadcrumb")).to_contain_text(campaign.code)
        answer_the_question(page, audit, t, plan)
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rentrée des secondes")
    expect(page.get_by_role("region", name=t("Mastery per competence and topic"))).to_be_visible()
    assert Participation.objects.get().status == Participation.Status.TO_SHARE

    page.set_viewport_size({"width": 320, "height": 800})
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    page.get_by_role("button", name=t("Send my results")).click()
    audit.check()
    expect(page.get_by_role("heading", name=t("Results sent"))).to_be_visible()
    assert Participation.objects.get().status == Participation.Status.SHARED

    page.get_by_role("navigation").get_by_role("link", name=t("My campaigns")).click()
    audit.check()
    expect(page.get_by_role("link", name="Rentrée des secondes")).to_be_visible()


def test_an_administrator_creates_a_campaign_and_follows_it(page, audit, signed_in, texts_in):
    from web.campaign_fixtures import answer_until_done, organization_with_admin, target_profile

    from balise.accounts.services import user_create
    from balise.campaigns import services
    from balise.campaigns.models import Campaign

    t = texts_in("fr")
    organization = organization_with_admin(signed_in, name="Lycée Jean Monnet")
    target_profile("Les essentiels").organizations.add(organization)

    page.goto(f"/organizations/{organization.pk}/")
    audit.check()
    page.get_by_role("link", name=t("Campaigns"), exact=True).click()
    audit.check()
    page.get_by_role("link", name=t("Create a campaign")).click()
    audit.check()
    page.locator("#id_name").fill("Rentrée 2026")
    page.get_by_label(t("target profile").capitalize(), exact=False).select_option(label="Les essentiels")
    page.get_by_role("button", name=t("Create the campaign")).click()
    audit.check()
    assert Campaign.objects.exists(), page.locator("main").inner_text()
    campaign = Campaign.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rentrée 2026")
    expect(page.locator(".big-code")).to_have_text(campaign.code)

    pupil = user_create(email="eleve@example.org", full_name="Lou Bernard", password="a-long-enough-passphrase-42")
    from django.utils import timezone

    participation = services.participation_start(campaign, pupil, now=timezone.now(), language="fr")
    answer_until_done(participation, pupil, timezone.now())
    services.participation_share(participation, now=timezone.now())
    page.reload()
    audit.check()
    expect(page.get_by_role("region", name=t("Mastery per competence and topic") + " (" + t("table") + ")")).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 800})
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    page.get_by_role("link", name=t("Participants"), exact=True).click()
    audit.check()
    page.get_by_role("link", name="Lou Bernard").click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lou Bernard")
    csv_text = page.request.get(f"/organizations/{organization.pk}/campaigns/{campaign.pk}/export.csv").text()
    assert csv_text.startswith("\ufeff") and "Lou Bernard" in csv_text and ";" in csv_text

    # A profiles collection: pix, certifiable and a level per competence, read by a screen reader.
    page.set_viewport_size({"width": 1280, "height": 800})
    collection = services.campaign_create(organization, by=signed_in, owner=signed_in,
                                          type=Campaign.Type.PROFILES_COLLECTION, name="Profils 2026")
    services.participation_share(services.participation_start(collection, pupil, now=timezone.now(), language="fr"),
                                 now=timezone.now())
    page.goto(f"/organizations/{organization.pk}/campaigns/{collection.pk}/participants/")
    audit.check()
    expect(page.get_by_role("columnheader", name=t("Certifiable"))).to_be_visible()
    page.goto(f"/organizations/{organization.pk}/campaigns/?owner=me&type=profiles")
    audit.check()
    expect(page.get_by_role("link", name="Profils 2026")).to_be_visible()
    expect(page.get_by_role("link", name="Rentrée 2026")).to_have_count(0)
