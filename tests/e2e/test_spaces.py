"""The FWB's space in a real browser at fwb.localhost (Chromium resolves *.localhost to this
machine): its home page, legal page, sign-up and account page pass axe in its colours."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from balise.spaces.services import space_import

pytestmark = pytest.mark.browser

SPACE_FILES = Path(__file__).resolve().parents[2] / "content" / "spaces"


@pytest.fixture
def fwb_url(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    space_import(SPACE_FILES / "fwb.yaml")
    return f"http://fwb.localhost:{urlsplit(live_server.url).port}"


def test_the_fwb_space_passes_axe_from_home_page_to_account(page, audit, texts_in, fwb_url, signup_link_path):
    t = texts_in("fr-be")
    page.goto(fwb_url + "/")
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fédération Wallonie-Bruxelles")
    expect(page.locator("html")).to_have_attribute("lang", "fr-be")
    page.get_by_role("link", name=t("Accessibility statement")).click()
    audit.check()
    page.goto(fwb_url + "/accounts/signup/")
    audit.check()
    page.get_by_label(t("Full name")).fill("Lou Dupont")
    page.get_by_label(t("Email address")).fill("lou@example.be")
    page.get_by_label(t("Password")).fill("a-long-enough-passphrase-42")
    page.locator("input[name=accept_terms]").check()
    page.get_by_role("button", name=t("Create my account")).click()
    audit.check()
    page.goto(fwb_url + signup_link_path("lou@example.be"))
    audit.check()
    page.get_by_role("button", name=t("Create my account")).click()
    audit.check()
    page.goto(fwb_url + "/accounts/me/")
    audit.check()
    expect(page.get_by_label(t("Home space"), exact=True)).to_have_value("fwb")
