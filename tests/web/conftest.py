import re

import pytest
from django.test import Client

from balise.accounts.services import user_create

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


def open_question(client, test_url: str):
    """The question page of a test; a timed question is started first, as the learner would."""
    page = client.get(test_url)
    if page.status_code == 200 and 'action="' + test_url + 'timer/"' in page.content.decode():
        client.post(test_url + "timer/", {"challenge_id": current_challenge_id(page.content.decode())})
        page = client.get(test_url)
    return page


def assert_error(response, status, code):
    """An API error: the status, and the one error shape ({error, message, …}) with a message."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    return body
