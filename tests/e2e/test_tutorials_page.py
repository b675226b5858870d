"""A competence's tutorials and "My tutorials" in a real browser: a tutorial saved from the
competence's page, found in "My tutorials", rated, then removed; axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from balise.learning.models import SavedTutorial, TutorialRating

pytestmark = pytest.mark.browser

# tests/fixtures/pack/tubes/1.1/searchEngines.yaml: the tutorials of competence 1.1 a learner of
# the default space sees (the FWB's own help tutorial is not among them).
COMPETENCE = "1.1"
KEYWORDS = "Choisir ses mots-clés"  # tuto-searchEngines-keywords
OPERATORS = "Les opérateurs de recherche"  # tuto-searchEngines-operators
HELP_FR = "Se faire aider en France"  # tuto-searchEngines-helpFr


def card(page, title):
    return page.locator("li.tutorial-card", has=page.get_by_role("heading", name=title, exact=True))


def test_save_rate_and_remove_a_tutorial_of_a_competence(page, audit, signed_in, texts_in):
    t = texts_in("fr")
    page.goto("/competences/")
    audit.check()
    competence_card = page.locator(
        "li.card", has=page.get_by_role("heading", name=re.compile(rf"^{re.escape(COMPETENCE)} "))
    )
    competence_card.get_by_role("link", name=re.compile(rf"^{re.escape(t('Tutorials'))}")).click()
    audit.check()
    assert page.url.endswith(f"/tutorials/competence/{COMPETENCE}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{COMPETENCE} Mener une recherche")
    expect(page.locator("li.tutorial-card").get_by_role("heading")).to_have_text([HELP_FR, KEYWORDS, OPERATORS])
    competence_page = page.url

    # Nothing saved yet.
    page.get_by_role("navigation").get_by_role("link", name=t("My tutorials")).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My tutorials"))
    expect(page.locator("li.tutorial-card")).to_have_count(0)
    empty = t("You have not saved any tutorial yet. After a test, save the tutorials suggested for you.")
    expect(page.get_by_text(empty)).to_be_visible()

    # Saved from the competence's page, which the learner stays on.
    page.go_back()
    audit.check()
    save = card(page, KEYWORDS).get_by_role("button", name=t("Save"))
    expect(save).to_have_accessible_description(KEYWORDS)  # which tutorial the button saves
    save.click()
    audit.check()
    assert page.url == competence_page
    expect(page.get_by_role("status")).to_contain_text(t("Tutorial saved in \u201cMy tutorials\u201d."))
    expect(card(page, KEYWORDS).get_by_role("button")).to_have_text(t("Remove from my tutorials"))
    expect(card(page, OPERATORS).get_by_role("button")).to_have_text(t("Save"))
    assert list(SavedTutorial.objects.filter(user=signed_in).values_list("tutorial_id", flat=True)) == [
        "tuto-searchEngines-keywords"
    ]

    page.get_by_role("navigation").get_by_role("link", name=t("My tutorials")).click()
    audit.check()
    expect(page.get_by_role("navigation").get_by_role("link", name=t("My tutorials"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("li.tutorial-card").get_by_role("heading")).to_have_text([KEYWORDS])

    # Rated on the tutorial's own page: the pressed button says which opinion was given.
    page.get_by_role("link", name=KEYWORDS, exact=True).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(KEYWORDS)
    expect(page.locator(".tutorial-text strong")).to_have_text("importants")  # the tutorial's Markdown
    useful = page.get_by_role("button", name=t("Useful"), exact=True)
    not_useful = page.get_by_role("button", name=t("Not useful"), exact=True)
    expect(page.get_by_role("group", name=t("Was this tutorial useful?"))).to_be_visible()
    expect(useful).to_have_attribute("aria-pressed", "false")
    expect(not_useful).to_have_attribute("aria-pressed", "false")
    useful.click()
    audit.check()
    expect(page.get_by_role("status")).to_contain_text(t("Thank you for your opinion."))
    expect(useful).to_have_attribute("aria-pressed", "true")
    expect(not_useful).to_have_attribute("aria-pressed", "false")
    assert TutorialRating.objects.get(user=signed_in).useful is True
    not_useful.click()
    audit.check()
    expect(useful).to_have_attribute("aria-pressed", "false")
    expect(not_useful).to_have_attribute("aria-pressed", "true")
    assert TutorialRating.objects.get(user=signed_in).useful is False

    # Removed from "My tutorials", which is empty again.
    page.get_by_role("navigation").get_by_role("link", name=t("My tutorials")).click()
    audit.check()
    card(page, KEYWORDS).get_by_role("button", name=t("Remove from my tutorials")).click()
    audit.check()
    expect(page.get_by_role("status")).to_contain_text(t("Tutorial removed from your list."))
    expect(page.locator("li.tutorial-card")).to_have_count(0)
    expect(page.get_by_text(empty)).to_be_visible()
    assert not SavedTutorial.objects.filter(user=signed_in).exists()


def test_an_unknown_competence_has_no_tutorials_page(page, audit, signed_in):
    response = page.goto("/tutorials/competence/9.9/")
    assert response.status == 404
    audit.check()
