"""Real-browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's
live server, and axe-core checks every page a test visits.

Without Chromium or axe-core the browser tests are skipped, with one clear line at the end of
the run saying how to install them; with BALISE_REQUIRE_BROWSER=1 (set by CI) they fail instead.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from solutions import challenge_id_of_code, response_for, seed_of

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("BALISE_CHROMIUM", "/usr/bin/chromium"))  # Debian's, by default
AXE_SCRIPT = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
# Without the background-networking flags Chromium keeps calling home, which an offline
# machine refuses (see ../shared/design/TESTING.md).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PASSWORD = "a-long-enough-passphrase-42"


def _missing_browser_tools() -> list[str]:
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"Chromium is not installed at {CHROMIUM} (install it: sudo apt-get install chromium)")
    if not AXE_SCRIPT.is_file():
        missing.append(f"axe-core is missing from {AXE_SCRIPT.parent.parent} (install it: npm install)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python is missing (install it: make install)")
    return missing


MISSING_TOOLS = _missing_browser_tools()
BROWSER_REQUIRED = os.environ.get("BALISE_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    if not MISSING_TOOLS or BROWSER_REQUIRED:
        return
    skip = pytest.mark.skip(reason="browser test skipped: " + "; ".join(MISSING_TOOLS))
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "browser" in r.keywords]
    if skipped and MISSING_TOOLS:
        terminalreporter.write_sep("=", "browser tests skipped", yellow=True)
        terminalreporter.write_line(f"{len(skipped)} browser tests were skipped:")
        for reason in MISSING_TOOLS:
            terminalreporter.write_line(f"  - {reason}")


@pytest.fixture(scope="module")
def browser():
    if MISSING_TOOLS:  # only reached with BALISE_REQUIRE_BROWSER=1: the tests were not skipped
        pytest.fail("BALISE_REQUIRE_BROWSER=1 but " + "; ".join(MISSING_TOOLS), pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while the browser
    # lives, and Django then refuses any ORM call here (the fixtures' and the database flush
    # between tests). Nothing of Django runs in that loop, so the guard is lifted meanwhile.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(browser, live_server, content, settings):
    """A fresh browser profile on the live server, asking for French as a French browser does."""
    settings.CONTENT_PACK_DIR = content  # illustrations and attachments of the fixture pack
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        viewport={"width": 1280, "height": 900},
        # axe-core is injected as an inline script, which the site's CSP rightly forbids.
        bypass_csp=True,
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


class AccessibilityAudit:
    """axe-core on a page, and a record of the pages loaded, so that a test can prove it
    checked every page it visited (the same URL shows a new question after each answer, so
    each page load counts, not each URL)."""

    def __init__(self, page):
        self.page = page
        self.loads: list[dict] = []
        page.on("load", lambda _page: self.loads.append({"url": page.url, "checked": False}))

    def check(self):
        """Assert that axe-core finds no WCAG 2.2 AA or best-practice violation on the page."""
        self.page.wait_for_load_state("load")
        self.page.add_script_tag(path=str(AXE_SCRIPT))
        violations = self.page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
            AXE_TAGS,
        )
        if self.loads:
            self.loads[-1]["checked"] = True
        assert not violations, f"axe-core on {self.page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n"
            + "\n".join(f"    {node['target']}: {node.get('failureSummary', '')}" for node in v["nodes"])
            for v in violations
        )

    def unchecked_pages(self) -> list[str]:
        return [load["url"] for load in self.loads if not load["checked"]]


@pytest.fixture
def page(site):
    return site.new_page()


@pytest.fixture
def audit(page):
    """Every test that takes it must run axe-core on each page it loads (checked at the end)."""
    accessibility = AccessibilityAudit(page)
    yield accessibility
    unchecked = accessibility.unchecked_pages()
    assert not unchecked, f"pages loaded but never checked with axe-core: {unchecked}"


@pytest.fixture
def signed_in(site, live_server):
    """A learner already logged in, for tests whose subject is not the sign-up."""
    from balise.accounts.services import user_create

    user = user_create(email="camille@example.org", full_name="Camille Martin", password=PASSWORD)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    site.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return user


class InterfaceTexts:
    """The site's interface texts as a learner sees them in one language, read from the
    site's own catalog, so that the tests follow the translators' wording. Outside English
    a text missing from the catalog fails the test."""

    def __init__(self, language: str):
        self.language = language

    def __call__(self, message: str) -> str:
        with translation.override(self.language):
            text = translation.gettext(message)
        if not self.language.startswith("en"):
            # gettext answers the msgid itself when it is missing, and some texts read the
            # same in French ("Question %(n)s"): only the catalog tells them apart.
            catalog = translation.trans_real.translation(self.language)._catalog
            assert catalog.get(message), f"no {self.language} translation for {message!r}"
        text = re.sub(r"<[^>]+>", "", text)  # the visible text of a translation with markup
        # French typography puts (narrow) non-breaking spaces before « : ; ? ! »; accessible
        # names and Playwright's text matching read them as spaces.
        return text.replace("\u00a0", " ").replace("\u202f", " ")

    def pattern(self, message: str, *, named: bool = True) -> re.Pattern:
        """The text with each %(name)s placeholder turned into a group of digits, named
        for reading the figures in Python, unnamed for Playwright (JavaScript regexes spell
        named groups differently)."""
        escaped = re.escape(self(message)).replace("\\ ", "\\s")  # any space, non-breaking ones too
        group = r"(?P<\1>\\d+)" if named else r"(\\d+)"
        return re.compile(re.sub(r"%\\\((\w+)\\\)s", group, escaped))


@pytest.fixture
def texts_in():
    """texts_in("fr")("Competences") is the French of that interface text."""
    return InterfaceTexts


@dataclass
class PlannedAnswer:
    skip: bool = False
    option_ids: list[str] = field(default_factory=list)
    field_values: dict[str, str] = field(default_factory=dict)


class AnswerPlan:
    """What the learner answers in a positioning test: level-1 questions right, the first
    harder question skipped and the other harder ones wrong, so that the result validates
    some skills, misses others and suggests tutorials. The test's questions depend on a
    random seed, so the plan reads each question's solution when it comes."""

    def __init__(self, language: str):
        self.language = language
        self.skipped = 0
        self.answered = 0

    def answer_for(self, challenge_code: str, test_url: str) -> PlannedAnswer:
        from balise.content.models import Challenge

        challenge = Challenge.objects.select_related("skill").get(id=challenge_id_of_code(test_url, challenge_code))
        if challenge.skill.level > 1 and not self.skipped:
            self.skipped += 1
            return PlannedAnswer(skip=True)
        self.answered += 1
        return self._response(challenge, correct=challenge.skill.level == 1, seed=seed_of(test_url))

    def _response(self, challenge, *, correct: bool, seed: int) -> PlannedAnswer:
        response = response_for(challenge, self.language, correct=correct, seed=seed)
        if isinstance(response, dict):
            return PlannedAnswer(field_values=response)
        return PlannedAnswer(option_ids=response)


@pytest.fixture
def answer_plan():
    """answer_plan("fr") decides each answer of a test taken in French."""
    return AnswerPlan


SIGNUP_LINK = re.compile(r"https?://[^\s/]+(/[^\s]*/accounts/signup/confirm/[^/\s]+/|/accounts/signup/confirm/[^/\s]+/)")


@pytest.fixture
def signup_link_path():
    """signup_link_path(email): the path of the last sign-up link mailed to this address."""
    return _signup_link_path


def _signup_link_path(email: str) -> str:
    """The path of the last sign-up link mailed to this address (the live server shares the
    test's process, so Django's outbox holds what it sent)."""
    from django.core import mail

    for message in reversed(mail.outbox):
        if email.lower() in [to.lower() for to in message.to]:
            found = SIGNUP_LINK.search(message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no sign-up link was mailed to {email}")
