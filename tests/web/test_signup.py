"""Sign-up says nothing of who has an account, and is limited per network address (issue 12).

The page and the API answer the same whether an account uses the address or not; the address's
owner learns by mail what happened. Real requests, real database, Django's outbox."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from .conftest import PASSWORD, assert_error, signup_confirmed, signup_token_mailed_to

pytestmark = pytest.mark.django_db
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

User = get_user_model()


def form(email, **change):
    return {"full_name": "Lou Bernard", "email": email, "password": PASSWORD, "accept_terms": "on", **change}


def api_signup(client, email, address="10.1.1.1"):
    token = client.get("/api/auth/csrf").json()["csrf_token"]
    payload = {"full_name": "Lou Bernard", "email": email, "password": PASSWORD, "accept_terms": True}
    return client.post(
        "/api/auth/signup", json.dumps(payload), content_type="application/json",
        headers={"X-CSRFToken": token}, REMOTE_ADDR=address,
    )


def visible(response) -> tuple:
    """What a prober sees of an answer: its status, its headers but the cookies, and its body
    with the address typed (which the page repeats) replaced."""
    headers = {k: v for k, v in response.headers.items() if k.lower() not in {"set-cookie", "content-length"}}
    return response.status_code, headers


def test_the_page_answers_the_same_for_a_known_and_an_unknown_address(learner):
    known = Client().post("/accounts/signup/", form(learner.email))
    unknown = Client().post("/accounts/signup/", form("nobody@example.org"))
    assert visible(known) == visible(unknown)
    assert known.status_code == 200
    blank = CSRF_VALUE.sub("", known.content.decode().replace(learner.email, "@"))
    other = CSRF_VALUE.sub("", unknown.content.decode().replace("nobody@example.org", "@"))
    assert blank == other  # but for the per-request CSRF token
    assert "Vérifiez votre messagerie" in blank
    # The owner is told, with a way in; the stranger's address gets the link that creates an account.
    to_owner = next(m for m in mail.outbox if learner.email in m.to)
    assert "/accounts/login/" in to_owner.body and "/accounts/password-reset/" in to_owner.body
    assert "/accounts/signup/confirm/" not in to_owner.body
    assert signup_token_mailed_to("nobody@example.org")
    assert User.objects.filter(email__iexact=learner.email).count() == 1
    assert not User.objects.filter(email="nobody@example.org").exists()


def test_the_api_answers_202_with_no_body_for_a_known_and_an_unknown_address(learner):
    known, unknown = api_signup(Client(), learner.email), api_signup(Client(), "nobody@example.org")
    assert visible(known) == visible(unknown)
    assert (known.status_code, known.content, unknown.content) == (202, b"", b"")
    assert {tuple(m.to) for m in mail.outbox} == {(learner.email,), ("nobody@example.org",)}


def test_the_mailed_link_creates_the_account_once_in_the_space_and_language_of_the_sign_up(content):
    client = Client()
    response = signup_confirmed(client, form("Lou@Example.org"))
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    lou = User.objects.get(email="lou@example.org")
    assert lou.check_password(PASSWORD) and lou.terms_accepted_at is not None and lou.full_name == "Lou Bernard"
    # Opened again (from the mailbox, a day later): a clear refusal, no second account, no 500.
    token = signup_token_mailed_to("lou@example.org")
    again = Client().post(f"/accounts/signup/confirm/{token}/")
    assert again.status_code == 400 and 'role="alert"' in again.content.decode()
    assert User.objects.filter(email="lou@example.org").count() == 1


def test_opening_the_link_shows_a_button_and_creates_nothing(content):
    Client().post("/accounts/signup/", form("lou@example.org"))
    token = signup_token_mailed_to("lou@example.org")
    page = Client().get(f"/accounts/signup/confirm/{token}/")  # a mail scanner opens links
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert not User.objects.filter(email="lou@example.org").exists()


def test_a_damaged_link_is_a_clear_400_on_the_page_and_the_api(content):
    page = Client().post("/accounts/signup/confirm/not-a-token/")
    assert page.status_code == 400 and 'role="alert"' in page.content.decode()
    client = Client()
    token = client.get("/api/auth/csrf").json()["csrf_token"]
    response = client.post(
        "/api/auth/signup/confirm", json.dumps({"token": "x:y:z"}), content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    body = assert_error(response, 400, "signup_refused")
    assert body["field"] == "token"
    assert not User.objects.exists()


def test_the_invitation_s_next_page_survives_the_mailed_link(content):
    client = Client()
    response = signup_confirmed(client, form("lou@example.org", next="/tutorials/"))
    assert response.status_code == 302 and response["Location"] == "/tutorials/"
    elsewhere = signup_confirmed(Client(), form("ana@example.org", next="https://evil.example/"))
    assert elsewhere["Location"] != "https://evil.example/"


@pytest.mark.parametrize("way", ["page", "api"])
def test_sign_ups_are_limited_per_network_address_with_a_clear_429(content, settings, way):
    settings.SIGNUP_RATE_LIMIT_PER_ADDRESS = 5
    answers = []
    for i in range(7):
        client = Client(REMOTE_ADDR="10.1.1.1")
        if way == "page":
            answers.append(client.post("/accounts/signup/", form(f"pupil{i}@example.org")))
        else:
            answers.append(api_signup(client, f"pupil{i}@example.org"))
    statuses = [answer.status_code for answer in answers]
    assert statuses == [200 if way == "page" else 202] * 5 + [429] * 2
    refused = answers[-1]
    assert refused["Retry-After"] == "3600"
    if way == "api":
        assert "réessayez dans une heure" in assert_error(refused, 429, "rate_limited")["message"]
    else:
        assert "réessayez dans une heure" in refused.content.decode()
    assert len(mail.outbox) == 5  # the refused ones sent nothing
    # Another address is not limited by this one.
    other = Client(REMOTE_ADDR="10.1.1.2").post("/accounts/signup/", form("elsewhere@example.org"))
    assert other.status_code == 200


def test_no_more_than_three_mails_an_hour_go_to_one_address(learner):
    for _ in range(6):
        Client(REMOTE_ADDR="10.1.1.3").post("/accounts/signup/", form(learner.email))
    assert len([m for m in mail.outbox if learner.email in m.to]) == 3
