"""Django's admin and the OpenAPI viewer under their Content-Security-Policy, in a browser that
enforces it (the other browser tests bypass it to inject axe-core): they still work, and the
browser reports no violation."""

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
    strict_page.goto("/api/docs")
    expect(strict_page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15_000)
    assert strict_page.violations == []


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
