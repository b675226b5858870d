"""Accounts through the JSON API: sign-up, login (rate-limited with the login page), logout,
password reset, and the learner's own account. Real HTTP requests, real database."""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from balise.learning.models import SavedTutorial

from .conftest import PASSWORD, assert_error, says_refused_until, signup_token_mailed_to

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "another-long-passphrase-7"


def send(client, method, url, payload=None, **headers):
    if method == "get":
        return client.get(url, headers=headers)
    body = json.dumps(payload) if payload is not None else ""
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def csrf_client():
    """A client that enforces CSRF like a browser, with its token from /api/auth/csrf."""
    client = Client(enforce_csrf_checks=True)
    response = client.get("/api/auth/csrf")
    assert response.status_code == 200
    token = response.json()["csrf_token"]
    assert client.cookies["csrftoken"].value  # the cookie the token goes with
    return client, token


@pytest.fixture
def fresh_limits(settings):
    cache.clear()
    settings.LOGIN_RATE_LIMIT = 3
    yield
    cache.clear()


# --- sign-up


def test_signup_mails_a_link_whose_token_creates_the_account_and_logs_in(content):
    client, token = csrf_client()
    payload = {"full_name": " Lou Bernard ", "email": "Lou@Example.org", "password": PASSWORD, "accept_terms": True}
    asked = send(client, "post", "/api/auth/signup", payload, **{"X-CSRFToken": token})
    assert asked.status_code == 202, asked.content
    assert not User.objects.filter(email="lou@example.org").exists()  # nothing before the link
    assert client.get("/api/me").status_code == 401
    link_token = signup_token_mailed_to("lou@example.org")
    response = send(client, "post", "/api/auth/signup/confirm", {"token": link_token}, **{"X-CSRFToken": token})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"] == {
        "full_name": "Lou Bernard",
        "email": "lou@example.org",
        "language": "fr",
        "home_space": "international",
        "time_allowance": "standard",
    }
    user = User.objects.get(email="lou@example.org")
    assert user.check_password(PASSWORD) and user.terms_accepted_at is not None
    # Logged in: the session works, with the new token (the old one is no longer accepted).
    assert body["csrf_token"] and body["csrf_token"] != token
    assert client.get("/api/me").json()["email"] == "lou@example.org"
    stale = send(client, "post", "/api/assessments", {"competence_id": "1.1"}, **{"X-CSRFToken": token})
    assert_error(stale, 403, "csrf_failed")
    fresh = send(client, "post", "/api/assessments", {"competence_id": "1.1"}, **{"X-CSRFToken": body["csrf_token"]})
    assert fresh.status_code == 201


def test_signup_refuses_what_the_signup_page_refuses(learner):
    client = Client()
    cases = [
        ({"password": "12345678"}, "password"),  # too short, only digits
        ({"password": "password123"}, "password"),  # too common
        ({"accept_terms": False}, "accept_terms"),
        ({"email": "not-an-address"}, "email"),
        ({"full_name": ""}, "full_name"),
    ]
    for change, field in cases:
        payload = {
            "full_name": "Lou Bernard",
            "email": "lou@example.org",
            "password": PASSWORD,
            "accept_terms": True,
            **change,
        }
        body = assert_error(send(client, "post", "/api/auth/signup", payload), 400, "invalid")
        assert field in body["fields"], (change, body)
        assert all(isinstance(m, str) and m for m in body["fields"][field])
    assert list(User.objects.values_list("email", flat=True)) == [learner.email]
    assert client.get("/api/me").status_code == 401


def test_signup_with_a_missing_field_is_a_422_in_the_common_shape(content):
    response = send(Client(), "post", "/api/auth/signup", {"full_name": "Lou", "password": PASSWORD})
    body = assert_error(response, 422, "validation_error")
    assert set(body["fields"]) == {"email", "accept_terms"}
    assert not User.objects.exists()


def test_signup_and_login_need_the_csrf_token(learner):
    client, _token = csrf_client()
    payload = {"full_name": "Lou", "email": "lou@example.org", "password": PASSWORD, "accept_terms": True}
    body = assert_error(send(client, "post", "/api/auth/signup", payload), 403, "csrf_failed")
    assert "X-CSRFToken" in body["message"]
    assert not User.objects.filter(email="lou@example.org").exists()
    login = send(client, "post", "/api/auth/login", {"email": learner.email, "password": PASSWORD})
    assert_error(login, 403, "csrf_failed")
    wrong_token = send(
        client, "post", "/api/auth/login", {"email": learner.email, "password": PASSWORD}, **{"X-CSRFToken": "x" * 32}
    )
    assert_error(wrong_token, 403, "csrf_failed")
    assert client.get("/api/me").status_code == 401


# --- login and logout


def test_login_then_logout(learner, fresh_limits):
    learner.language = "en"
    learner.save()
    client, token = csrf_client()
    response = send(
        client,
        "post",
        "/api/auth/login",
        {"email": " Camille@Example.ORG", "password": PASSWORD},
        **{"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.content
    assert response.json()["user"]["email"] == learner.email
    assert response.cookies["django_language"].value == "en"  # the account's language follows the person
    token = response.json()["csrf_token"]
    assert client.get("/api/me").status_code == 200

    assert_error(send(client, "post", "/api/auth/logout"), 403, "csrf_failed")
    assert client.get("/api/me").status_code == 200  # still logged in
    assert send(client, "post", "/api/auth/logout", **{"X-CSRFToken": token}).status_code == 204
    assert_error(client.get("/api/me"), 401, "not_authenticated")


def test_login_with_a_wrong_password_is_a_400(learner, fresh_limits):
    client = Client()
    response = send(client, "post", "/api/auth/login", {"email": learner.email, "password": "wrong"})
    assert_error(response, 400, "invalid_credentials")
    unknown = send(client, "post", "/api/auth/login", {"email": "nobody@example.org", "password": PASSWORD})
    assert_error(unknown, 400, "invalid_credentials")
    assert client.get("/api/me").status_code == 401
    assert_error(send(client, "post", "/api/auth/login", {"email": learner.email}), 422, "validation_error")


def test_login_is_rate_limited_together_with_the_login_page(learner, fresh_limits):
    api, site = Client(), Client()
    wrong = {"email": learner.email, "password": "wrong"}
    assert site.post(reverse("accounts:login"), {"username": learner.email, "password": "wrong"}).status_code == 400
    assert send(api, "post", "/api/auth/login", wrong).status_code == 400
    assert send(api, "post", "/api/auth/login", {**wrong, "email": learner.email.upper()}).status_code == 400
    # Three failures, two of them through the API: even the right password is refused now, everywhere.
    blocked = send(api, "post", "/api/auth/login", {"email": learner.email, "password": PASSWORD})
    body = assert_error(blocked, 429, "rate_limited")
    assert says_refused_until(body["message"], settings.LOGIN_RATE_WINDOW_SECONDS)
    assert body["refused_until"] and 0 < int(blocked["Retry-After"]) <= settings.LOGIN_RATE_WINDOW_SECONDS
    assert api.get("/api/me").status_code == 401
    assert site.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD}).status_code == 429


def test_logout_without_a_session_is_harmless(content):
    assert send(Client(), "post", "/api/auth/logout").status_code == 204


# --- password reset


def test_password_reset_mails_a_working_link_and_says_nothing_about_accounts(learner):
    client = Client()
    assert send(client, "post", "/api/auth/password-reset", {"email": "nobody@example.org"}).status_code == 202
    assert mail.outbox == []
    response = send(client, "post", "/api/auth/password-reset", {"email": learner.email})
    assert response.status_code == 202 and response.content == b""
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    assert form_page.status_code == 200
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


def test_password_reset_refuses_a_malformed_address_and_needs_csrf(learner):
    body = assert_error(send(Client(), "post", "/api/auth/password-reset", {"email": "nope"}), 400, "invalid")
    assert list(body["fields"]) == ["email"]
    client, _token = csrf_client()
    assert_error(send(client, "post", "/api/auth/password-reset", {"email": learner.email}), 403, "csrf_failed")
    assert mail.outbox == []


# --- my account


def test_my_account(learner_client, learner):
    assert learner_client.get("/api/me").json() == {
        "full_name": "Camille Martin",
        "email": "camille@example.org",
        "language": "fr",
        "home_space": "international",
        "time_allowance": "standard",
    }


def test_account_endpoints_need_a_session(content):
    client = Client()
    for method, url in [("get", "/api/me"), ("patch", "/api/me"), ("delete", "/api/me"), ("get", "/api/me/data")]:
        assert_error(send(client, method, url, {}), 401, "not_authenticated")


def test_change_my_name_and_language(learner_client, learner):
    response = send(learner_client, "patch", "/api/me", {"full_name": " Camille Dupont ", "language": "en"})
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "Camille Dupont" and response.json()["language"] == "en"
    assert response.cookies["django_language"].value == "en"
    learner.refresh_from_db()
    assert (learner.full_name, learner.language) == ("Camille Dupont", "en")
    # The API now answers in English.
    missing = learner_client.get("/api/assessments/00000000-0000-0000-0000-000000000000")
    assert missing.json()["message"] == "This test does not exist or is not yours."
    # Only what is sent changes.
    assert send(learner_client, "patch", "/api/me", {"language": "fr-be"}).json()["full_name"] == "Camille Dupont"
    learner.refresh_from_db()
    assert learner.language == "fr-be"


def test_a_refused_change_changes_nothing(learner_client, learner):
    unknown_language = send(learner_client, "patch", "/api/me", {"full_name": "Someone Else", "language": "xx"})
    body = assert_error(unknown_language, 400, "invalid")
    assert body["field"] == "language" and list(body["fields"]) == ["language"]
    empty_name = send(learner_client, "patch", "/api/me", {"full_name": "   ", "language": "en"})
    assert list(assert_error(empty_name, 400, "invalid")["fields"]) == ["full_name"]
    assert_error(send(learner_client, "patch", "/api/me", {"language": 3}), 422, "validation_error")
    learner.refresh_from_db()
    assert (learner.full_name, learner.language) == ("Camille Martin", "fr")


def test_delete_my_account_needs_my_password(learner_client, learner):
    learner_client.put("/api/tutorials/saved/tuto-searchEngines-keywords")
    wrong = send(learner_client, "delete", "/api/me", {"password": "not-mine"})
    assert list(assert_error(wrong, 400, "invalid")["fields"]) == ["password"]
    assert_error(send(learner_client, "delete", "/api/me"), 422, "validation_error")
    assert User.objects.filter(pk=learner.pk).exists()

    assert send(learner_client, "delete", "/api/me", {"password": PASSWORD}).status_code == 204
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not SavedTutorial.objects.exists()
    assert learner_client.get("/api/me").status_code == 401


def test_delete_my_account_needs_the_csrf_token(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert_error(send(client, "delete", "/api/me", {"password": PASSWORD}), 403, "csrf_failed")
    assert_error(send(client, "patch", "/api/me", {"full_name": "Mallory"}), 403, "csrf_failed")
    learner.refresh_from_db()
    assert learner.full_name == "Camille Martin"


def test_download_my_data(learner_client, learner, other_learner, client_of):
    learner_client.put("/api/tutorials/saved/tuto-searchEngines-keywords")
    client_of(other_learner).put("/api/tutorials/saved/tuto-searchEngines-operators")
    response = learner_client.get("/api/me/data")
    assert response.status_code == 200
    data = response.json()
    assert data["format"] == "balise-personal-data"
    assert data["account"]["email"] == learner.email
    assert [s["tutorial"] for s in data["saved_tutorials"]] == ["tuto-searchEngines-keywords"]


def test_change_my_password_through_the_api(learner, client_of):
    here, elsewhere = client_of(learner), client_of(learner)
    wrong = send(here, "post", "/api/me/password", {"old_password": "nope", "new_password": NEW_PASSWORD})
    assert "old_password" in assert_error(wrong, 400, "invalid")["fields"]
    weak = send(here, "post", "/api/me/password", {"old_password": PASSWORD, "new_password": "12345678"})
    assert assert_error(weak, 400, "invalid")["fields"]
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD) and mail.outbox == []

    ok = send(here, "post", "/api/me/password", {"old_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert ok.status_code == 204
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    assert len(mail.outbox) == 1  # the owner is told
    assert here.get("/api/me").status_code == 200
    assert elsewhere.get("/api/me").status_code == 401


def test_change_my_email_through_the_api_waits_for_the_link(learner_client, learner, other_learner):
    taken = send(learner_client, "post", "/api/me/email", {"new_email": other_learner.email, "password": PASSWORD})
    assert list(assert_error(taken, 400, "invalid")["fields"]) == ["new_email"]
    asked = send(learner_client, "post", "/api/me/email", {"new_email": "camille@new.example", "password": PASSWORD})
    assert asked.status_code == 202
    assert mail.outbox[-1].to == ["camille@new.example"]
    assert "/accounts/me/email/confirm/" in mail.outbox[-1].body
    learner.refresh_from_db()
    assert learner.email == "camille@example.org"
