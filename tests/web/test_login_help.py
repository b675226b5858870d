"""What a learner is told around the login limits, and how the block ends."""

import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from balise.accounts.services import user_create

from .conftest import PASSWORD, assert_error

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another-long-passphrase-7"


@pytest.fixture(autouse=True)
def limits(settings):
    cache.clear()
    settings.LOGIN_RATE_LIMIT = 3
    yield
    cache.clear()


def login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_the_last_attempts_are_announced_before_the_block(learner, settings):
    settings.LOGIN_RATE_LIMIT = 4
    client = Client()
    assert "tentative" not in login(client, learner.email, "wrong-1").content.decode()  # 3 left: not yet
    assert "2 tentatives restantes" in login(client, learner.email, "wrong-2").content.decode()
    assert "1 tentative restante" in login(client, learner.email, "wrong-3").content.decode()
    login(client, learner.email, "wrong-4")
    blocked = login(client, learner.email, PASSWORD)
    assert blocked.status_code == 429 and 890 <= int(blocked["Retry-After"]) <= 900  # what is left of the window


def test_resetting_the_password_ends_the_block(learner, client):
    for attempt in range(3):
        login(client, learner.email, f"wrong-{attempt}")
    assert login(client, learner.email, PASSWORD).status_code == 429
    client.post(reverse("accounts:password_reset"), {"email": learner.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "Votre mot de passe a été modifié." in mail.outbox[-1].body  # the owner is told, as for a change
    assert login(client, learner.email, NEW_PASSWORD).status_code == 302


def test_the_admin_login_says_the_account_is_blocked(content):
    staff = user_create(email="staff@example.org", full_name="Staff", password=PASSWORD)
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = Client()
    for attempt in range(3):
        client.post("/admin/login/", {"username": staff.email, "password": f"wrong-{attempt}"})
    page = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD}).content.decode()
    assert "Trop de tentatives" in page
    assert "_auth_user_id" not in client.session


def send(client, method, url, payload):
    return getattr(client, method)(url, json.dumps(payload), content_type="application/json")


def test_api_rate_limit_says_when_to_retry(learner):
    client = Client()
    for attempt in range(3):
        send(client, "post", "/api/auth/login", {"email": learner.email, "password": f"wrong-{attempt}"})
    blocked = send(client, "post", "/api/auth/login", {"email": learner.email, "password": PASSWORD})
    assert_error(blocked, 429, "rate_limited")
    assert 890 <= int(blocked["Retry-After"]) <= 900


def test_api_account_inputs_are_strict_and_named_as_sent(learner_client, learner, content):
    weak = send(learner_client, "post", "/api/me/password", {"old_password": PASSWORD, "new_password": "12345678"})
    assert set(assert_error(weak, 400, "invalid")["fields"]) == {"new_password"}
    unknown = send(learner_client, "patch", "/api/me", {"email": "mallory@example.org"})
    assert unknown.status_code == 422
    learner.refresh_from_db()
    assert learner.email == "camille@example.org"
    standard_case = send(learner_client, "patch", "/api/me", {"language": "fr-BE"})
    assert standard_case.status_code == 200 and standard_case.json()["language"] == "fr-be"
    wrong = send(learner_client, "patch", "/api/me", {"language": "de"})
    assert "fr, en, fr-be" in assert_error(wrong, 400, "invalid")["fields"]["language"][0]
    anonymous = Client()
    csrf = anonymous.get("/api/auth/csrf").json()["csrf_token"]
    consent_as_text = anonymous.post(
        "/api/auth/signup",
        json.dumps({"full_name": "Lou", "email": "lou@example.org", "password": PASSWORD, "accept_terms": "yes"}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert consent_as_text.status_code == 422


def test_api_validation_messages_say_what_is_wrong(learner_client):
    unknown = send(learner_client, "patch", "/api/me", {"email": "x@example.org"})
    assert assert_error(unknown, 422, "validation_error")["fields"]["email"] == ["Ce champ n'est pas accepté ici."]
    wrong_type = send(learner_client, "patch", "/api/me", {"full_name": 42})
    assert "type" in assert_error(wrong_type, 422, "validation_error")["fields"]["full_name"][0]
