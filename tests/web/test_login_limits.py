"""Failed logins are limited per account on every way in, and per address only far higher."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from balise.accounts.services import user_create

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def fail(client, email, times, url=None):
    for _ in range(times):
        client.post(url or reverse("accounts:login"), {"username": email, "password": "wrong-password"})


def test_the_admin_login_counts_against_the_same_account_limit(learner, settings):
    settings.LOGIN_RATE_LIMIT = 3
    staff = user_create(email="staff@example.org", full_name="Staff", password=PASSWORD)
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = Client()
    fail(client, staff.email, 3, url="/admin/login/")
    # Even the right password is refused now, on the admin's page and on the learners' one.
    client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    blocked = client.post(reverse("accounts:login"), {"username": staff.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "15 minutes" in blocked.content.decode() and 'aria-invalid="true"' in blocked.content.decode()


def test_a_school_behind_one_address_is_not_locked_out_by_a_few_typos(learner, settings):
    settings.LOGIN_RATE_LIMIT = 3
    settings.LOGIN_RATE_LIMIT_PER_ADDRESS = 20
    classmates = [f"pupil{i}@example.org" for i in range(6)]
    client = Client(REMOTE_ADDR="10.0.0.1")
    for email in classmates:
        fail(client, email, 2)  # 12 typos from the school's address, 2 per pupil
    response = client.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD})
    assert response.status_code == 302  # the next pupil logs in
    guesser = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(8):  # 20 failures from the address, on accounts under their own limit: now it is blocked
        fail(guesser, f"guess{i}@example.org", 1)
    assert guesser.post(reverse("accounts:login"), {"username": "x@example.org", "password": "y"}).status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert elsewhere.post(reverse("accounts:login"), {"username": "x@example.org", "password": "y"}).status_code == 400


def test_the_window_in_the_message_follows_the_setting(learner, settings):
    settings.LOGIN_RATE_LIMIT = 1
    settings.LOGIN_RATE_WINDOW_SECONDS = 600
    client = Client()
    fail(client, learner.email, 1)
    blocked = client.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD})
    assert blocked.status_code == 429 and "10 minutes" in blocked.content.decode()


def test_behind_a_trusted_proxy_the_forwarded_address_is_used(learner, settings):
    from balise.accounts.throttle import client_address

    class Request:
        META = {"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}

    settings.BALISE_TRUSTED_PROXY_COUNT = 0
    assert client_address(Request) == "10.9.9.9"
    settings.BALISE_TRUSTED_PROXY_COUNT = 1
    # The proxy appended the address it saw; what the client wrote before it is not trusted.
    assert client_address(Request) == "203.0.113.7"


def test_a_burst_of_parallel_attempts_gets_no_more_password_checks_than_the_limit(settings):
    """The attempt is counted before the (slow) password check: 20 requests at once on one
    account get exactly the limit's worth of checks, not 20."""
    import threading

    from balise.accounts import throttle

    settings.LOGIN_RATE_LIMIT = 5
    allowed = []
    barrier = threading.Barrier(20)

    def attempt():
        barrier.wait()
        allowed.append(throttle.login_attempt("10.0.0.9", "target@example.org"))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 5


def test_a_right_password_is_not_counted_against_the_address(learner, settings):
    settings.LOGIN_RATE_LIMIT_PER_ADDRESS = 3
    for _ in range(5):  # five learners of one school log in right, one after the other
        client = Client(REMOTE_ADDR="10.0.0.7")
        assert (
            client.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD}).status_code == 302
        )
