"""The challenge page in a real browser: reflow at 200 % zoom, the countdown of a timed
challenge, and the record of leaving the page during a focused one."""

import re

import pytest
from playwright.sync_api import expect

from balise.evaluation.models import Answer, Assessment
from balise.evaluation.option_codes import option_code
from solutions import challenge_id_of_code, seed_of

pytestmark = pytest.mark.browser

# 2.1's only tube outside the fr-BE context (tests/fixtures/pack/tubes/2.1/emailAddresses.yaml):
# an untimed level-2 question first, then, once it is answered wrong, a timed and focused one.
FIRST_QUESTION = "emailAddresses2a"
TIMED_AND_FOCUSED = "emailAddresses1a"
HAS_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


def click_option(page, option_id: str) -> None:
    """Click the label of the pack's option `option_id`: the page names it by this test's code."""
    challenge_id = question_on(page)
    code = option_code(seed_of(page.url), challenge_id, option_id)
    page.locator(f"label[for='option-{code}']").click()


def question_on(page) -> str:
    """The pack id of the question on the page (the page shows only this test's code for it)."""
    return challenge_id_of_code(page.url, page.locator("input[name=challenge_id]").input_value())


def start_test(page, audit, t, competence_id):
    page.goto("/competences/")
    audit.check()
    card = page.locator("li.card", has=page.get_by_role("heading", name=re.compile(rf"^{re.escape(competence_id)} ")))
    card.get_by_role("button", name=t("Start")).click()
    audit.check()


def open_the_timed_and_focused_question(page, audit, t):
    start_test(page, audit, t, "2.1")
    assert question_on(page) == FIRST_QUESTION
    click_option(page, "b")
    page.get_by_role("button", name=t("Submit my answer")).click()
    audit.check()
    # The timed question is announced, and shown once the learner is ready.
    expect(
        page.get_by_text(
            t.pattern("The next question is timed: you will have %(seconds)s seconds to answer it.", named=False)
        )
    ).to_be_visible()
    assert question_on(page) == TIMED_AND_FOCUSED
    # The progress bar is there too, where it was on the question before.
    progress = page.get_by_role("progressbar", name=t("Progress of the test"))
    assert int(progress.get_attribute("value")) > 0
    page.get_by_role("button", name=t("I am ready: show the question")).click()
    audit.check()
    assert question_on(page) == TIMED_AND_FOCUSED


@pytest.mark.parametrize("width", [640, 320])
def test_every_question_reflows_at_200_and_400_percent_zoom(page, audit, signed_in, texts_in, width):
    """A 1280 px wide screen at 200 % zoom leaves 640 CSS pixels, at 400 % 320 (a phone):
    no horizontal scrolling, long addresses in code included (the fixture pack has one)."""
    t = texts_in("fr")
    page.set_viewport_size({"width": width, "height": 450})
    start_test(page, audit, t, "1.1")
    questions = 0
    while "/result/" not in page.url:
        questions += 1
        assert questions <= 20, "the test never ends"
        if questions > 1:
            audit.check()
        assert not page.evaluate(HAS_HORIZONTAL_SCROLL), f"horizontal scroll on question {questions}"
        ready = page.get_by_role("button", name=t("I am ready: show the question"))
        if ready.count():  # a timed question's announcement, then the question itself
            ready.click()
            audit.check()
            assert not page.evaluate(HAS_HORIZONTAL_SCROLL), f"horizontal scroll on question {questions}"
        for control in [*page.locator("fieldset input").all(), *page.get_by_role("button").all()]:
            box = control.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{control} is cut off"
        page.get_by_role("button", name=t("I skip")).click()
    audit.check()
    assert questions >= 2
    assert not page.evaluate(HAS_HORIZONTAL_SCROLL), "horizontal scroll on the result page"


def test_a_timed_challenge_counts_down(page, audit, signed_in, texts_in):
    t = texts_in("fr")
    open_the_timed_and_focused_question(page, audit, t)
    expect(page.locator("#timer")).to_contain_text(
        t.pattern("Timed question: you have %(seconds)s seconds.", named=False)
    )
    countdown = page.locator(".timer-value")
    first = int(countdown.inner_text())
    assert 85 <= first <= 90  # the limit is 90 s and the clock started when the learner was ready
    expect(countdown).to_have_text(str(first - 2), timeout=5_000)  # the script ticks each second


def test_leaving_a_focused_challenge_is_recorded(page, audit, signed_in, texts_in):
    t = texts_in("fr")
    open_the_timed_and_focused_question(page, audit, t)
    expect(
        page.get_by_text(t("Stay on this page while you answer: if you leave it, that will be recorded."))
    ).to_be_visible()
    expect(page.locator("#focus-left")).to_be_hidden()
    assessment = Assessment.objects.get(user=signed_in, competence_id="2.1", state="started")
    assert not assessment.current_focus_lost

    # The learner switches to another window, then comes back and answers right. Headless
    # Chromium keeps every page focused and visible whatever happens, so the window's blur
    # is dispatched as the browser would dispatch it; the page's own script does the rest.
    with page.expect_response(re.compile(r"/focus-lost/$")) as reported:
        page.evaluate("window.dispatchEvent(new FocusEvent('blur'))")
    assert reported.value.ok
    assessment.refresh_from_db()
    assert assessment.current_focus_lost
    expect(page.locator("#focus-left")).to_be_visible()  # the learner is told it was recorded

    click_option(page, "a")
    page.get_by_role("button", name=t("Submit my answer")).click()
    audit.check()
    answer = Answer.objects.get(assessment=assessment, challenge_id=TIMED_AND_FOCUSED)
    assert answer.status == Answer.Status.FOCUSED_OUT  # right, but after leaving the page


def test_leaving_a_focused_challenge_by_the_menu_then_back_shows_it_was_recorded(page, audit, signed_in, texts_in):
    t = texts_in("fr")
    open_the_timed_and_focused_question(page, audit, t)
    question = page.url
    page.get_by_role("navigation").get_by_role("link", name=t("My tutorials")).click()
    page.wait_for_url(re.compile(r"/tutorials/$"))
    audit.check()
    assessment = Assessment.objects.get(user=signed_in, competence_id="2.1", state="started")
    for _ in range(50):  # the report leaves with the page (keepalive); it may land just after
        if assessment.current_focus_lost:
            break
        page.wait_for_timeout(100)
        assessment.refresh_from_db()
    assert assessment.current_focus_lost
    page.go_back()
    page.wait_for_url(question)
    # Not a stored copy from before the departure: the page says it was recorded.
    expect(page.locator("#focus-left")).to_be_visible()
    audit.check()


def test_staying_on_a_focused_challenge_records_nothing(page, audit, signed_in, texts_in):
    t = texts_in("fr")
    open_the_timed_and_focused_question(page, audit, t)
    click_option(page, "a")
    page.get_by_role("button", name=t("Submit my answer")).click()
    audit.check()
    answer = Answer.objects.get(assessment__user=signed_in, challenge_id=TIMED_AND_FOCUSED)
    assert answer.status == Answer.Status.OK


def test_an_answer_is_one_request_and_reload_or_back_never_post_it_again(page, audit, signed_in, texts_in):
    """The answer's response is the next page (decision 0023). The script puts the test's
    address in the address bar: a reload and Back then ask for the test, never for the POST."""
    t = texts_in("fr")
    start_test(page, audit, t, "2.1")
    test_url = page.url
    assert question_on(page) == FIRST_QUESTION
    documents = []
    page.on("request", lambda r: documents.append((r.method, r.url)) if r.resource_type == "document" else None)

    click_option(page, "b")
    page.get_by_role("button", name=t("Submit my answer")).click()
    audit.check()

    assert documents == [("POST", test_url + "answer/")]  # one request, no redirect to follow
    assert page.url == test_url
    assert question_on(page) == TIMED_AND_FOCUSED  # its announcement: the next question's page
    assert Answer.objects.count() == 1

    for leave_and_return in (page.reload, page.go_back):
        documents.clear()
        leave_and_return()
        audit.check()
        assert all(method == "GET" for method, _url in documents) and documents, documents
        assert Answer.objects.count() == 1
        refused = "This question has already been answered or is not the current one. Your answers are safe: here is where you are."
        expect(page.get_by_text(t(refused))).to_have_count(0)
    # Back leads to the test as it stands: its current question, never the one answered.
    assert page.url == test_url and question_on(page) == TIMED_AND_FOCUSED
