"""The pages a visitor sees before signing in, and the account pages: each checked with axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_public_and_account_pages_pass_axe(page, audit, texts_in):
    t = texts_in("fr")
    page.goto("/")
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name=t("Terms of use and personal data")).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Terms of use and personal data"))
    page.goto("/accounts/login/")
    audit.check()
    page.get_by_role("link", name=t("Forgot your password?")).click()
    audit.check()
    page.locator("input[name=email]").fill("nobody@example.org")
    page.get_by_role("button", name=t("Send the link")).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Email sent"))


def test_account_page_and_wrong_password_pass_axe(page, audit, texts_in, signed_in):
    t = texts_in("fr")
    page.goto("/accounts/me/")
    audit.check()
    page.get_by_label(t("Your password, to confirm")).fill("not my password")
    page.get_by_role("button", name=t("Delete my account")).click()
    audit.check()
    expect(page.get_by_role("alert")).to_be_visible()


def test_my_account_pages_pass_axe_and_work_with_real_clicks(page, audit, texts_in, signed_in):
    t = texts_in("fr")
    page.goto("/accounts/me/")
    audit.check()
    page.get_by_label(t("A third more time")).check()
    page.locator("section[aria-labelledby=time-title]").get_by_role("button", name=t("Save")).click()
    audit.check()
    expect(page.get_by_role("status")).to_contain_text(t("Saved: it applies to the tests you start from now on."))
    signed_in.refresh_from_db()
    assert signed_in.time_allowance == "extra_third"
    for link, field in [
        ("Change my name", "Full name"),
        ("Change my email address", "New email address"),
        ("Change my password", "Old password"),
    ]:
        page.goto("/accounts/me/")
        audit.check()
        page.get_by_role("link", name=t(link)).click()
        audit.check()
        expect(page.get_by_role("heading", level=1)).to_have_text(t(link))
        expect(page.get_by_label(t(field))).to_be_visible()
        if link == "Change my name":
            page.get_by_label(t(field)).fill("")
            page.get_by_role("button", name=t("Save")).click()
            audit.check()  # the refused form: error summary and the field tied to its message
            expect(page.get_by_role("alert")).to_be_visible()


def test_the_main_pages_reflow_at_320_css_pixels(page, audit, signed_in):
    """WCAG 1.4.10: a 1280 px screen at 400 % zoom leaves 320 CSS pixels; nothing may scroll sideways
    (a data table may scroll inside its own region)."""
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/competences/", "/profile/", "/tutorials/", "/accounts/me/", "/accounts/me/password/"]:
        page.goto(path)
        audit.check()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} CSS pixels wide at 320"


def test_error_and_confirmation_pages_pass_axe(page, audit, texts_in, signed_in):
    from balise.accounts.services import email_change_token

    t = texts_in("fr")
    page.goto("/no-such-page/")
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Page not found"))
    page.goto(f"/accounts/me/email/confirm/{email_change_token(signed_in, 'nouvelle@example.org')}/")
    audit.check()
    expect(page.get_by_role("button", name=t("Confirm my new address"))).to_be_visible()
    page.goto("/accounts/me/email/confirm/not-a-token/")
    audit.check()
    expect(page.get_by_role("alert")).to_be_visible()
