"""A learner in a real browser takes a campaign: the code typed on the home page, the landing
page, the test with its campaign heading and one progress bar, the result page, the explicit
sending step; axe-core on every page, no sideways scroll at 320 px."""

import pytest
from playwright.sync_api import expect

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
        ready = page.get_by_role("button", name=t("I am ready: show the question"))
        if ready.count():
            ready.click()
            audit.check()
        expect(page.get_by_role("progressbar")).to_be_visible()
        planned = plan.answer_for(page.locator("input[name=challenge_id]").input_value(), page.url)
        if planned.skip:
            page.get_by_role("button", name=t("I skip")).click()
            continue
        for option_id in planned.option_ids:
            page.locator(f"label[for='option-{option_id}']").click()
        for field_id, value in planned.field_values.items():
            page.locator(f"#field-{field_id}").fill(value)
        page.get_by_role("button", name=t("Submit my answer")).click()
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
