"""An organization's administrator in a real browser: the member list, an invitation sent,
then the invitation's page as the invited person sees it; axe-core on every page, and the
tables readable at 320 px without scrolling the page sideways."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from balise.organizations.models import Membership, Organization, Role
from balise.spaces.models import Space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_invites_a_colleague_who_opens_the_link(page, audit, signed_in, texts_in):
    t = texts_in("fr")
    school = Organization.objects.create(name="Athénée Royal de Namur", type="school", space=Space.objects.get(slug="fwb"))
    Membership.objects.create(organization=school, user=signed_in, role=Role.ADMIN)

    page.goto("/accounts/me/")
    audit.check()
    page.get_by_role("link", name=t("My organizations")).click()
    audit.check()
    page.get_by_role("link", name="Athénée Royal de Namur").click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Athénée Royal de Namur")
    expect(page.get_by_role("table")).to_contain_text("Camille Martin")

    page.get_by_label(t("Email address")).fill("collegue@example.be")
    page.get_by_role("button", name=t("Send the invitation")).click()
    audit.check()
    expect(page.get_by_role("status")).to_contain_text("collegue@example.be")
    expect(page.get_by_role("heading", name=t("Invitations waiting for an answer"))).to_be_visible()

    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    wide = page.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-scroll')).map(e => e.tagName + '.' + e.className).slice(0, 8)""")
    assert not overflow, f"the page scrolls sideways at 320 px: {wide}"

    link = re.search(r"https?://\S+/organizations/invitation/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Athénée Royal de Namur")
