import re

import pytest
from django.test import Client

from balise.accounts.services import user_create
from balise.content.models import Challenge

PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture
def learner(content):
    return user_create(email="camille@example.org", full_name="Camille Martin", password=PASSWORD)


@pytest.fixture
def other_learner(content):
    return user_create(email="alex@example.org", full_name="Alex Taylor", password=PASSWORD)


@pytest.fixture
def client_of():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def learner_client(learner, client_of):
    return client_of(learner)


def current_challenge_id(html: str) -> str:
    match = re.search(r'name="challenge_id" value="([^"]+)"', html)
    assert match, "no challenge on the page"
    return match.group(1)


def answer_data(challenge: Challenge, language: str = "fr", *, correct: bool = True) -> dict:
    """Form data answering a challenge right (or wrong), read from its stored solution."""
    solution = challenge.solutions[language]
    kind = challenge.type
    if kind == "qcu":
        options = solution["options"]
        right = sorted(solution["correct_options"])[0]
        wrong = next(o for o in options if o not in solution["correct_options"])
        return {"answer": right if correct else wrong}
    if kind == "qcm":
        if correct:
            return {"answer": sorted(solution["correct_options"])}
        return {"answer": [o for o in solution["options"] if o not in solution["correct_options"]]}
    if kind == "qrocm-dep":
        fields = solution["fields"]
        return {
            f"field-{f['id']}": (solution["pool"][i][0] if correct else "zzz-wrong")
            for i, f in enumerate(fields)
        }
    return {f"field-{f['id']}": (f["accepted"][0] if correct else "zzz-wrong") for f in solution["fields"]}
