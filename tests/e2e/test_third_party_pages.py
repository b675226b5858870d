"""Django's admin and the API reference under their Content-Security-Policy, in a browser that
enforces it (the other browser tests bypass it to inject axe-core): they still work, and the
browser reports no violation. The API reference, once a third-party viewer (Swagger UI) that failed
axe's contrast rules and spoke only English, is now Balise's own page: checked with axe here too."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture
def strict_page(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.violations = []
    # A blocked script or style, or a header the browser cannot read, is reported on the console.
    page.on(
        "console",
        lambda message: any(word in message.text for word in ("Content Security Policy", "Permissions-Policy"))
        and page.violations.append(message.text),
    )
    yield page
    context.close()


def test_the_api_reference_works_under_its_policy(strict_page):
    strict_page.goto("/")
    strict_page.get_by_role("contentinfo").get_by_role("link", name="API").click()
    expect(strict_page.get_by_role("heading", level=1)).to_have_text("Référence de l'API")
    expect(strict_page.get_by_role("heading", level=3, name="POST /api/assessments").first).to_be_visible()
    assert strict_page.violations == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_api_reference_passes_axe_in_each_language(page, audit, texts_in, language):
    t = texts_in(language)
    page.goto("/")
    audit.check()
    if language != "fr":
        page.get_by_label(texts_in("fr")("Language")).select_option(language)
        page.get_by_role("button", name=texts_in("fr")("Change")).click()
        audit.check()
    page.get_by_role("contentinfo").get_by_role("link", name="API").click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("API reference"))
    # The contents lead to each operation; the operations' English texts say they are English.
    page.get_by_role("navigation", name=t("Operations")).get_by_role("link", name="PATCH /api/me").click()
    expect(page.get_by_role("heading", level=3, name="PATCH /api/me")).to_be_in_viewport()
    assert page.locator("h3 span[lang=en]").count() >= 30
    # On a phone, the page reflows: nothing wider than the screen, axe still content.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate(
        "[...document.querySelectorAll('main table')].every(t => t.scrollWidth <= t.parentElement.clientWidth)"
    )
    audit.check()
    # The description for programs is still served, as JSON.
    schema = page.request.get("/api/openapi.json")
    assert schema.ok and schema.json()["info"]["title"] == "Balise API"


def test_the_admin_works_under_its_policy(strict_page):
    from balise.accounts.models import User

    User.objects.create_superuser(email="op@example.org", password=PASSWORD, full_name="Op")
    strict_page.goto("/admin/login/")
    strict_page.get_by_label("Adresse électronique").fill("op@example.org")
    strict_page.get_by_label("Mot de passe").fill(PASSWORD)
    strict_page.locator("#login-form input[type=submit]").click()
    expect(strict_page.get_by_role("heading", level=1)).to_be_visible()
    strict_page.goto("/admin/organizations/organization/add/")
    expect(strict_page.locator("#organization_form")).to_be_visible()
    assert strict_page.violations == []
