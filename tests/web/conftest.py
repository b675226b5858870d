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
    """The pack id of the question on a test page (the page itself shows only its code)."""
    from solutions import challenge_id_of_code

    match = re.search(r'name="challenge_id" value="([^"]+)"', html)
    assert match, "no challenge on the page"
    test_url = re.search(r'action="(/tests/[0-9a-f-]{36}/)', html)
    assert test_url, "no test form on the page"
    return challenge_id_of_code(test_url.group(1), match.group(1))


def open_question(client, test_url: str):
    """The question page of a test; a timed question is started first, as the learner would."""
    page = client.get(test_url)
    if page.status_code == 200 and 'action="' + test_url + 'timer/"' in page.content.decode():
        code = re.search(r'name="challenge_id" value="([^"]+)"', page.content.decode()).group(1)
        client.post(test_url + "timer/", {"challenge_id": code})
        page = client.get(test_url)
    return page


def assert_error(response, status, code):
    """An API error: the status, and the one error shape ({error, message, …}) with a message."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    return body


SIGNUP_LINK = re.compile(r"https?://[^\s]+/accounts/signup/confirm/([^/\s]+)/")


def signup_token_mailed_to(email: str) -> str:
    """The token of the last sign-up link mailed to this address (the test fails if none)."""
    from django.core import mail

    for message in reversed(mail.outbox):
        if email.lower() in [to.lower() for to in message.to]:
            found = SIGNUP_LINK.search(message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no sign-up link was mailed to {email}")


def signup_confirmed(client, data: dict, **post_kwargs):
    """Sign up through the page, then open the mailed link and confirm, as a person does: the
    answer of the confirmation (a redirect, logged in)."""
    sent = client.post("/accounts/signup/", data, **post_kwargs)
    assert sent.status_code == 200, sent.content.decode()[:500]
    token = signup_token_mailed_to(data["email"])
    return client.post(f"/accounts/signup/confirm/{token}/", **post_kwargs)


def refusal_times(window_seconds: int) -> set[str]:
    """How the login pages write the end of a window opened about now (the minute may turn
    during the test): the time in the site's time zone, as French writes it."""
    from datetime import timedelta

    from django.utils import formats, timezone, translation

    with translation.override("fr"):
        return {
            formats.time_format(timezone.localtime(timezone.now() + timedelta(seconds=window_seconds + shift)), "TIME_FORMAT")
            for shift in (-60, 0)
        }


def says_refused_until(text: str, window_seconds: int) -> bool:
    return any(f"jusqu'à {time}" in text.replace("&#x27;", "'") for time in refusal_times(window_seconds))


def schema_example(schema: dict, components: dict):
    """A small value of a JSON schema (enough for the request bodies of this API: required fields only)."""
    if "$ref" in schema:
        return schema_example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "anyOf" in schema:
        return schema_example(schema["anyOf"][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {name: schema_example(schema["properties"][name], components) for name in schema.get("required", [])}
    if kind == "string":
        if schema.get("format") == "date":
            return "2000-01-01"
        if schema.get("format") == "email":
            return "someone@example.org"
        return "x" * max(1, schema.get("minLength", 1))
    return {"boolean": True, "integer": 1, "number": 1, "array": [], "null": None}[kind]
