"""Learners taking positioning tests in Balise, over HTTP, as a browser would (HTML forms, CSRF).

Each simulated learner logs in with its own account (created by the `load_test_learners`
management command), then, again and again: opens the competences page, starts one of the
competences it offers, answers every question with a plausible answer (an option picked,
a word or a number typed, sometimes "I skip") with think time in between, and reads the result.

Run it through bench/bench_load.py, which starts and stops its own server on 127.0.0.1;
see tests/load/README.md to run it by hand. Environment:
    BALISE_LOAD_PASSWORD   the password of every load-test account (required)
    BALISE_LOAD_LEARNERS   how many accounts exist (default 200); run at most that many users
    BALISE_LOAD_THINK_TIME seconds a learner thinks before each answer, "min,max" (default "10,30")

Redirects are never followed automatically: the answer POST is then timed alone, and every
redirect target is checked, so that a wrong one (back to the login page, to an error) fails.
"""

import itertools
import os
import random
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

from locust import FastHttpUser, between, task
from locust.exception import StopUser

from balise.accounts.management.commands.load_test_learners import load_test_email

LEARNER_COUNT = int(os.environ.get("BALISE_LOAD_LEARNERS", "200"))
# Each simulated user takes the next account: two users sharing one would fight over its tests.
_next_learner_index = itertools.count()

# By default a learner reads each question and answers in 2 to 8 s; real ones take longer
# (often 20-60 s), so this load is heavier than 200 real learners would make.
THINK_TIME_SECONDS = tuple(float(s) for s in os.environ.get("BALISE_LOAD_THINK_TIME", "10,30").split(","))
SKIP_PROBABILITY = 0.1
TYPED_WORDS = ["mot de passe", "cookie", "navigateur", "fichier", "réseau", "sauvegarde", "lien", "pdf"]

START_FORM_ACTION = re.compile(r'action="([^"]*/competences/[^/"]+/start/)"')
TEST_URL = re.compile(r"/tests/[^/]+/$")
RESULT_URL = re.compile(r"/tests/[^/]+/result/$")
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


class FormInputs(HTMLParser):
    """The <input> elements of a page, as lists of attribute dicts (the browser's view of the forms)."""

    def __init__(self, html: str):
        super().__init__()
        self.inputs: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append({name: value or "" for name, value in attrs})

    def first_value(self, name: str) -> str | None:
        return next((i.get("value", "") for i in self.inputs if i.get("name") == name), None)


def plausible_answer(inputs: list[dict], rng: random.Random) -> list[tuple[str, str]]:
    """What a learner would submit: one option, a few checked boxes, or a word (a number if numeric)."""
    options = [i for i in inputs if i.get("name") == "answer"]
    if options and options[0].get("type") == "radio":
        return [("answer", rng.choice(options)["value"])]
    if options:
        picked = rng.sample(options, rng.randint(1, min(3, len(options))))
        return [("answer", option["value"]) for option in picked]
    fields = [i for i in inputs if i.get("name", "").startswith("field-")]
    return [
        (field["name"], str(rng.randint(1, 100)) if field.get("inputmode") == "decimal" else rng.choice(TYPED_WORDS))
        for field in fields
    ]


class Learner(FastHttpUser):
    wait_time = between(*THINK_TIME_SECONDS)

    def on_start(self):
        index = next(_next_learner_index)
        if index >= LEARNER_COUNT:
            raise StopUser(f"only {LEARNER_COUNT} load-test accounts: run at most that many users")
        self.rng = random.Random(index)
        self.log_in(load_test_email(index), os.environ["BALISE_LOAD_PASSWORD"])

    def post_form(
        self, url: str, fields: list[tuple[str, str]], name: str, expected_location: re.Pattern
    ) -> str | None:
        """POST a form without following the redirect; return its target, or None (a failure is recorded)."""
        with self.client.post(
            url, data=urlencode(fields), headers=FORM_HEADERS, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = (response.headers or {}).get("Location", "")
            if response.status_code != 302 or not expected_location.search(location):
                response.failure(
                    f"expected a redirect to {expected_location.pattern}, got {response.status_code} {location!r}"
                )
                return None
            response.success()
            return location

    def get_page(self, url: str, name: str) -> str | None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(
                    f"expected a page, got {response.status_code} {(response.headers or {}).get('Location', '')!r}"
                )
                return None
            response.success()
            return response.text

    def log_in(self, email: str, password: str) -> None:
        page = self.get_page("/accounts/login/", name="GET /accounts/login/")
        token = page and FormInputs(page).first_value("csrfmiddlewaretoken")
        if not token or not self.post_form(
            "/accounts/login/",
            [("csrfmiddlewaretoken", token), ("username", email), ("password", password)],
            name="POST /accounts/login/",
            expected_location=re.compile(r"/competences/$"),
        ):
            raise StopUser(f"{email} could not log in")

    @task
    def take_a_test(self):
        page = self.get_page("/competences/", name="GET /competences/")
        if page is None:
            return
        start_urls = START_FORM_ACTION.findall(page)
        if not start_urls:
            raise StopUser("every competence is done or waiting")
        test_url = self.post_form(
            self.rng.choice(start_urls),
            [("csrfmiddlewaretoken", FormInputs(page).first_value("csrfmiddlewaretoken"))],
            name="POST /competences/[id]/start/",
            expected_location=TEST_URL,
        )
        next_url = test_url
        page = None  # the next question comes in the answer's response (decision 0023)
        while next_url and not RESULT_URL.search(next_url):
            page = page or self.get_page(next_url, name="GET /tests/[id]/")
            if page is None:
                return
            if f'action="{test_url}timer/"' in page:
                # A timed question is announced first; the learner presses "I am ready".
                inputs = FormInputs(page)
                self.post_form(
                    test_url + "timer/",
                    [(name, inputs.first_value(name)) for name in ("csrfmiddlewaretoken", "challenge_id")],
                    name="POST /tests/[id]/timer/",
                    expected_location=TEST_URL,
                )
                page = None
                continue
            next_url, page = self.answer(test_url, FormInputs(page))
        if next_url:
            self.get_page(next_url, name="GET /tests/[id]/result/")

    def answer(self, test_url: str, page: FormInputs) -> tuple[str | None, str | None]:
        """Think, then answer (or skip) the question on the page: (the URL of the page the learner
        is on next, its HTML when the answer's response is that page), or (None, None) on a failure."""
        self.wait()
        hidden = [(name, page.first_value(name)) for name in ("csrfmiddlewaretoken", "challenge_id", "focus_lost")]
        if self.rng.random() < SKIP_PROBABILITY:
            fields = [*hidden, ("action", "skip")]
        else:
            fields = [*hidden, *plausible_answer(page.inputs, self.rng), ("action", "answer")]
        with self.client.post(
            test_url + "answer/",
            data=urlencode(fields),
            headers=FORM_HEADERS,
            name="POST /tests/[id]/answer/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = (response.headers or {}).get("Location", "")
            if response.status_code == 200 and 'name="challenge_id"' in response.text:
                response.success()
                return test_url, response.text
            if response.status_code == 302 and RESULT_URL.search(location):
                response.success()
                return location, None
            response.failure(f"expected the next question or a redirect to the result, got {response.status_code} {location!r}")
            return None, None
