"""Failed logins are limited per account on every way in, and per address only far higher."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from balise.accounts.services import user_create

from .conftest import PASSWORD, says_refused_until

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
    assert says_refused_until(blocked.content.decode(), 900) and 'aria-invalid="true"' in blocked.content.decode()


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
    assert blocked.status_code == 429 and says_refused_until(blocked.content.decode(), 600)


def test_behind_a_trusted_proxy_the_forwarded_address_is_used(learner, settings):
    from balise.accounts.throttle import client_address

    class Request:
        META = {"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}

    settings.BALISE_TRUSTED_PROXY_COUNT = 0
    assert client_address(Request) == "10.9.9.9"
    settings.BALISE_TRUSTED_PROXY_COUNT = 1
    # The proxy appended the address it saw; what the client wrote before it is not trusted.
    assert client_address(Request) == "203.0.113.7"


@pytest.fixture
def private_redis(tmp_path):
    """A Redis of the test's own (other helpers' data in a shared one must not count), as the
    cache Balise uses when REDIS_URL is set."""
    import socket
    import subprocess
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(params=["database", "redis"])
def shared_store(request, settings):
    """Each store Balise counts in: the database without REDIS_URL, Redis with it."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": request.getfixturevalue("private_redis"),
            }
        }
    return request.param


@pytest.mark.django_db(transaction=True)  # the threads' own connections see the rows
def test_a_burst_of_parallel_attempts_gets_no_more_password_checks_than_the_limit(settings, shared_store):
    """The attempt is counted before the (slow) password check: 20 requests at once on one
    account, each thread on its own database connection, get exactly the limit's worth of
    checks, not 20."""
    import threading

    from django.db import connection

    from balise.accounts import throttle

    settings.LOGIN_RATE_LIMIT = 5
    allowed = []
    barrier = threading.Barrier(20)

    def attempt():
        barrier.wait()
        try:
            allowed.append(throttle.login_attempt("10.0.0.9", "target@example.org"))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 20 and allowed.count(True) == 5


def test_a_right_password_is_not_counted_against_the_address(learner, settings):
    settings.LOGIN_RATE_LIMIT_PER_ADDRESS = 3
    for _ in range(5):  # five learners of one school log in right, one after the other
        client = Client(REMOTE_ADDR="10.0.0.7")
        assert (
            client.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD}).status_code == 302
        )


def _gunicorn(env, port, workers):
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "balise.site.wsgi", "-c", "python:balise.site.gunicorn_config", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise AssertionError("gunicorn did not answer")


def _api_login(port, email, password) -> int:
    """One login through the API, as a new client (its own cookies and CSRF token)."""
    import http.cookiejar
    import json
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"http://127.0.0.1:{port}/api/auth/csrf", timeout=10) as response:
        token = json.load(response)["csrf_token"]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/auth/login",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
        method="POST",
    )
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_three_gunicorn_workers_without_redis_check_no_more_passwords_than_the_limit_and_a_restart_forgets_nothing(
    tmp_path,
):
    """The sweep's case: SQLite, no REDIS_URL, 3 workers, 15 wrong passwords for one account.
    Each worker counted on its own before (15 checked); the database is the shared store now."""
    import os
    import socket
    import subprocess
    import sys

    env = {**os.environ, "BALISE_DEV": "1", "BALISE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "balise.site.settings"}
    for name in ("BALISE_TESTING", "REDIS_URL", "DATABASE_URL"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _gunicorn(env, port, workers=3)
    try:
        statuses = [_api_login(port, "victim@example.org", f"guess-{i}") for i in range(15)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert statuses == [400] * 5 + [429] * 10
    server = _gunicorn(env, port, workers=3)
    try:
        after_restart = _api_login(port, "victim@example.org", "guess-again")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert after_restart == 429


# --- a stranger who knows an address cannot lock its owner out (issue 12, part 3)


def test_a_stranger_who_knows_the_address_locks_out_only_themselves(learner, settings):
    settings.LOGIN_RATE_LIMIT = 5
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    fail(stranger, learner.email, 5)
    assert stranger.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD}).status_code == 429
    owner = Client(REMOTE_ADDR="203.0.113.20")
    assert owner.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD}).status_code == 302


def test_the_failure_that_reaches_the_limit_says_until_when_and_how_to_get_in(learner, settings):
    settings.LOGIN_RATE_LIMIT = 3
    client = Client(REMOTE_ADDR="198.51.100.8")
    fail(client, learner.email, 2)
    third = client.post(reverse("accounts:login"), {"username": learner.email, "password": "wrong-password"})
    page = third.content.decode()
    assert third.status_code == 400  # this password was checked: it is wrong
    assert says_refused_until(page, settings.LOGIN_RATE_WINDOW_SECONDS)
    assert "réinitialisez votre mot de passe" in page and f'href="{reverse("accounts:password_reset")}"' in page


def test_through_the_api_the_failure_that_reaches_the_limit_carries_refused_until(learner, settings):
    import json
    from datetime import datetime

    settings.LOGIN_RATE_LIMIT = 2
    client = Client(REMOTE_ADDR="198.51.100.9")
    bodies = []
    for attempt in range(3):
        response = client.post(
            "/api/auth/login", json.dumps({"email": learner.email, "password": f"wrong-{attempt}"}),
            content_type="application/json",
        )
        bodies.append((response.status_code, response.json()))
    assert [status for status, _ in bodies] == [400, 400, 429]
    assert "refused_until" not in bodies[0][1]
    assert bodies[1][1]["error"] == "invalid_credentials" and says_refused_until(bodies[1][1]["message"], 900)
    assert datetime.fromisoformat(bodies[1][1]["refused_until"]) == datetime.fromisoformat(bodies[2][1]["refused_until"])


def test_guesses_from_many_addresses_reach_the_account_ceiling_and_the_mailed_link_lets_the_owner_in(learner, settings):
    from django.core import mail

    settings.LOGIN_RATE_LIMIT = 5
    settings.LOGIN_RATE_LIMIT_PER_ACCOUNT = 8
    for i in range(4):  # 2 guesses from each of 4 addresses: under every pair's limit
        fail(Client(REMOTE_ADDR=f"198.51.100.{20 + i}"), learner.email, 2)
    owner = Client(REMOTE_ADDR="203.0.113.30")
    refused = owner.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert "réinitialisez votre mot de passe" in refused.content.decode()
    owner.post(reverse("accounts:password_reset"), {"email": learner.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/reset/" in line)
    form_page = owner.get(link.split("testserver", 1)[1], follow=True)
    new_password = "another-long-passphrase-7"
    owner.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert owner.post(reverse("accounts:login"), {"username": learner.email, "password": new_password}).status_code == 302


def test_a_network_at_its_limit_is_told_so_without_a_reset_that_would_not_help(learner, settings):
    settings.LOGIN_RATE_LIMIT_PER_ADDRESS = 4
    school = Client(REMOTE_ADDR="10.0.0.40")
    for i in range(4):
        fail(school, f"pupil{i}@example.org", 1)
    refused = school.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD})
    page = refused.content.decode()
    assert refused.status_code == 429 and "depuis votre réseau" in page
    assert f'href="{reverse("accounts:password_reset")}">' not in page.split('role="alert"', 1)[1].split("</div>", 1)[0]
