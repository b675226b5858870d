"""An exam day over HTTP, as browsers would do it (HTML forms, CSRF): candidates log in, enter
their session, accept the instructions, wait until let in, then answer at human pace; each
session's invigilator opens the live page with its password, follows it every 1.5 s and lets in
whoever waits. Run it through bench/bench_exam_day.py (its own server on 127.0.0.1).

Environment: BALISE_LOAD_PASSWORD (every account's), BALISE_EXAM_FILE (the JSON the
`load_test_candidates` command wrote), BALISE_LOAD_THINK_TIME ("min,max" seconds before an
answer, default "20,60").
"""

import itertools
import json
import os
import re
import time
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser
from locustfile import FORM_HEADERS, FormInputs

EXAM = json.loads(Path(os.environ["BALISE_EXAM_FILE"]).read_text())
THINK_TIME_SECONDS = tuple(float(s) for s in os.environ.get("BALISE_LOAD_THINK_TIME", "20,60").split(","))
_next_candidate = itertools.count()
# As in an exam room, the invigilators let candidates in once the room has arrived (the bench sets
# it to the arrival's length): the test's answers then do not queue behind the arrivals' logins.
EXAM_STARTS_AT = time.monotonic() + float(os.environ.get("BALISE_EXAM_START_DELAY", "0"))
# Answers the server said it recorded, over the whole run (locust's own counts restart once every
# user has arrived, with --reset-stats): the bench compares them with the database.
ACKNOWLEDGED = {"answers": 0}


@events.quitting.add_listener
def _write_acknowledged(environment, **_kwargs):
    if os.environ.get("BALISE_EXAM_ACK_FILE"):
        Path(os.environ["BALISE_EXAM_ACK_FILE"]).write_text(json.dumps(ACKNOWLEDGED))
_next_session = itertools.count()
AUTHORISE_FORM = re.compile(r'action="(/certification/invigilation/\d+/candidates/\d+/)">\s*<input type="hidden" '
                            r'name="csrfmiddlewaretoken" value="([^"]+)">\s*<input type="hidden" name="action" '
                            r'value="authorise">')


class Browser(FastHttpUser):
    abstract = True

    def form(self, url, fields, name, *, expect=(302,)):
        with self.client.post(url, data=urlencode(fields), headers=FORM_HEADERS, name=name, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code} {(response.headers or {}).get('Location', '')!r}")
                return None
            response.success()
            return response

    def page(self, url, name):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {(response.headers or {}).get('Location', '')!r}")
                return None
            response.success()
            return response.text


class Candidate(Browser):
    weight = 25
    wait_time = between(*THINK_TIME_SECONDS)

    def on_start(self):
        index = next(_next_candidate)
        if index >= len(EXAM["candidates"]):
            raise StopUser("no candidate left")
        me = EXAM["candidates"][index]
        page = self.page("/accounts/login/", "GET /accounts/login/")
        token = FormInputs(page).first_value("csrfmiddlewaretoken")
        if self.form("/accounts/login/", [("csrfmiddlewaretoken", token), ("username", me["email"]),
                                          ("password", os.environ["BALISE_LOAD_PASSWORD"])], "POST /accounts/login/") is None:
            raise StopUser("login refused")
        page = self.page("/certification/", "GET /certification/")
        entered = self.form("/certification/", [
            ("csrfmiddlewaretoken", FormInputs(page).first_value("csrfmiddlewaretoken")),
            ("session_number", str(me["session"])), ("access_code", me["access_code"]),
            ("last_name", me["last_name"]), ("first_name", me["first_name"]), ("birth_date", me["birth_date"]),
        ], "POST /certification/ (entry)")
        if entered is None:
            raise StopUser("entry refused")
        self.candidacy = entered.headers["Location"]
        page = self.page(self.candidacy, "GET /certification/candidacies/[id]/")
        self.form(self.candidacy, [("csrfmiddlewaretoken", FormInputs(page).first_value("csrfmiddlewaretoken")),
                                   ("accepted", "on")], "POST /certification/candidacies/[id]/ (instructions)")
        self.test_url = None

    def wait_to_be_let_in(self):
        for _ in range(300):
            with self.client.get(self.candidacy + "state.json", name="GET /certification/candidacies/[id]/state.json",
                                 catch_response=True) as response:
                state = response.json().get("state") if response.status_code == 200 else None
                response.success() if state else response.failure(str(response.status_code))
            if state == "authorised":
                return True
            if state == "ended":
                return False
            time.sleep(3)  # the waiting page asks every 3 s
        return False

    @task
    def sit(self):
        if self.test_url is None:
            if not self.wait_to_be_let_in():
                raise StopUser("never let in")
            page = self.page(self.candidacy, "GET /certification/candidacies/[id]/")
            started = self.form(self.candidacy + "start/", [("csrfmiddlewaretoken", FormInputs(page).first_value("csrfmiddlewaretoken"))],
                                "POST /certification/candidacies/[id]/start/")
            if started is None:
                raise StopUser("could not start")
            self.test_url = started.headers["Location"]
        page = self.page(self.test_url, "GET /tests/[id]/")
        if page is None or 'name="challenge_id"' not in page:
            raise StopUser("the test is over")
        inputs = FormInputs(page)
        hidden = [(name, inputs.first_value(name)) for name in ("csrfmiddlewaretoken", "challenge_id")]
        if f'action="{self.test_url}timer/"' in page:
            self.form(self.test_url + "timer/", hidden, "POST /tests/[id]/timer/")
            return
        # The response objects of FastHttpUser are falsy for a redirect: compare with None.
    # The answer is timed alone (no redirect followed); a rendered next page (200) is fine too.
        if self.form(self.test_url + "answer/", [*hidden, ("focus_lost", "0"), ("action", "skip")],
                     "POST /tests/[id]/answer/", expect=(200, 302)) is not None:
            ACKNOWLEDGED["answers"] += 1


class Invigilator(Browser):
    weight = 1
    fixed_count = len(EXAM["sessions"])
    wait_time = constant(1.5)  # the live page follows every 1.5 s

    def on_start(self):
        index = next(_next_session)
        if index >= len(EXAM["sessions"]):
            raise StopUser("every session has its invigilator")
        session = EXAM["sessions"][index]
        page = self.page("/certification/invigilation/", "GET /certification/invigilation/")
        opened = self.form("/certification/invigilation/", [
            ("csrfmiddlewaretoken", FormInputs(page).first_value("csrfmiddlewaretoken")),
            ("session_number", str(session["number"])), ("password", session["password"])],
            "POST /certification/invigilation/")
        if opened is None:
            raise StopUser("invigilation refused")
        self.live = opened.headers["Location"]

    @task
    def follow(self):
        page = self.page(self.live + "?part=rows", "GET /certification/invigilation/[id]/ (refresh)")
        if time.monotonic() < EXAM_STARTS_AT:
            return
        for action, token in AUTHORISE_FORM.findall(page or "")[:5]:
            self.form(action, [("csrfmiddlewaretoken", token), ("action", "authorise")],
                      "POST /certification/invigilation/[id]/candidates/[id]/ (let in)")
