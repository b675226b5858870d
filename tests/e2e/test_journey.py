"""The learner's whole journey in a real browser, with the mouse, in French and in English:
sign up, a positioning test in 1.1, the result, a tutorial saved and rated, the profile."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

COMPETENCE = "1.1"


def sign_up(page, audit, t, signup_link_path, *, email):
    page.get_by_role("navigation").get_by_role("link", name=t("Sign up")).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Create my account"))
    page.get_by_label(t("Full name")).fill("Camille Martin")
    page.get_by_label(t("Email address")).fill(email)
    page.get_by_label(t("Password"), exact=False).fill("a-long-enough-passphrase-42")
    page.get_by_label(t("I accept the terms of use and the personal data policy")).check()
    page.get_by_role("button", name=t("Create my account")).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your mailbox"))
    # The mailed link, opened in the same browser: a page with one button creates the account.
    page.goto(signup_link_path(email))
    audit.check()
    page.get_by_role("button", name=t("Create my account")).click()
    audit.check()


def answer_the_question(page, audit, t, plan):
    """The question on the page, answered (or skipped) as the plan says, with the mouse."""
    ready = page.get_by_role("button", name=t("I am ready: show the question"))
    if ready.count():  # a timed question is announced first
        ready.click()
        audit.check()
    expect(page.get_by_role("progressbar")).to_be_visible()
    planned = plan.answer_for(page.locator("input[name=challenge_id]").input_value(), page.url)
    if planned.skip:
        page.get_by_role("button", name=t("I skip")).click()
        return
    for option_id in planned.option_ids:
        page.locator(f"label[for='option-{option_id}']").click()  # a real click on the label
    for field_id, value in planned.field_values.items():
        page.locator(f"#field-{field_id}").fill(value)
    page.get_by_role("button", name=t("Submit my answer")).click()


def take_the_test(page, audit, t, plan):
    """Answer every question until the result page, as the plan says."""
    card = page.locator("li.card", has=page.get_by_role("heading", name=re.compile(rf"^{re.escape(COMPETENCE)} ")))
    card.get_by_role("button", name=t("Start")).click()
    questions = 0
    while "/result/" not in page.url:
        questions += 1
        assert questions <= 20, "the test never ends"
        audit.check()
        expect(page).to_have_title(t.pattern("Question %(n)s", named=False))
        answer_the_question(page, audit, t, plan)
    audit.check()
    assert plan.skipped == 1 and plan.answered >= 1, "the test asked no harder question to skip"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_learner_journey_with_the_mouse(page, audit, texts_in, answer_plan, language, signup_link_path):
    page.goto("/")
    audit.check()
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # French by default
    if language != "fr":
        page.get_by_label(texts_in("fr")("Language")).select_option(language)
        page.get_by_role("button", name=texts_in("fr")("Change")).click()
        audit.check()
        expect(page.locator("html")).to_have_attribute("lang", language)
    t = texts_in(language)

    sign_up(page, audit, t, signup_link_path, email=f"camille-{language}@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Competences"))
    expect(page.get_by_role("navigation")).to_contain_text(t("My profile"))

    plan = answer_plan(language)
    take_the_test(page, audit, t, plan)
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Your result"))
    summary = page.locator(".result-summary").inner_text()
    level = int(t.pattern("Level %(level)s").search(summary)["level"])
    pix = int(re.search(r"(\d+) pix", summary)[1])
    assert pix > 0, summary  # the level-1 questions were answered right
    expect(page.get_by_role("heading", name=t("What you can learn next"))).to_be_visible()
    # The corrections, folded until asked for; open, each question says how it went in words.
    corrections = page.get_by_role("region", name=t("Your answers and the expected ones"))
    corrections.locator("summary").click()
    expect(corrections.locator("li.correction").first).to_be_visible()
    expect(corrections.locator("li.correction").first).to_contain_text(t("Expected answer"))
    audit.check()

    suggested = page.get_by_role("region", name=t("Tutorials for you")).locator("li.tutorial-card").first
    title = suggested.get_by_role("heading").inner_text()
    suggested.get_by_role("button", name=t("Save")).click()
    audit.check()
    expect(page.get_by_role("status")).to_contain_text(t("Tutorial saved in \u201cMy tutorials\u201d."))
    expect(page.locator("li.tutorial-card", has_text=title).get_by_role("button")).to_have_text(
        t("Remove from my tutorials")
    )

    page.get_by_role("navigation").get_by_role("link", name=t("My tutorials")).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My tutorials"))
    page.get_by_role("link", name=title).click()
    audit.check()
    useful = page.get_by_role("button", name=t("Useful"), exact=True)
    expect(useful).to_have_attribute("aria-pressed", "false")
    useful.click()
    audit.check()
    expect(page.get_by_role("status")).to_contain_text(t("Thank you for your opinion."))
    expect(page.get_by_role("button", name=t("Useful"), exact=True)).to_have_attribute("aria-pressed", "true")

    page.get_by_role("navigation").get_by_role("link", name=t("My profile")).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My profile"))
    total = page.locator(".big-number").inner_text()  # "4 pix out of 1,024" / "4 pix sur 1 024"
    figures = re.findall(r"\d[\d\s,\u202f\u00a0]*\d|\d", total)
    assert [int(re.sub(r"\D", "", f)) for f in figures] == [pix, 1024], total
    chart = page.get_by_role("img", name=t("Pix per competence"))
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(
        re.compile(
            re.escape(
                t("Bar chart of the pix of each competence, grouped by area; the same figures are in the table below.")
            )
        )
    )
    # The text alternative: the same figures in a table, 1.1 with the level and pix above.
    table = page.get_by_role("table", name=t("Level and pix per competence"))
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(COMPETENCE)} "))
    )
    expect(row.get_by_role("cell")).to_have_text([str(level), str(pix)])
    # Grouped by area: the area's name heads its group of rows.
    from balise.content.models import Competence

    area_name = Competence.objects.select_related("area").get(id=COMPETENCE).area.name[language]
    expect(table.get_by_role("rowheader", name=area_name, exact=True)).to_be_visible()
