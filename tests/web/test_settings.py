"""The production settings, loaded in a fresh interpreter without the tests' relaxations
(pytest sets PYTEST_VERSION, which turns TESTING on: MD5 hashes, plain HTTP, no HSTS)."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PRODUCTION_SECRET_KEY = "production-like-secret-key-" + "x" * 40
# Variables that would relax the production settings or point them elsewhere.
LEFT_OUT = {
    "SECRET_KEY",
    "DEBUG",
    "PYTEST_VERSION",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "STATIC_ROOT",
}


def production_env(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BALISE_") and k not in LEFT_OUT}
    env.update(env_overrides)
    return env


def run_settings(env_overrides):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='balise.site.settings'; "
            "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)",
        ],
        capture_output=True,
        text=True,
        env=production_env(env_overrides),
    )


# Set up Django with the production settings on a fresh SQLite database of its own. Only the
# static files storage is swapped: the manifest storage needs `collectstatic` (16 s), and
# which file names the pages link to has nothing to do with what these tests check.
PRODUCTION_PRELUDE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "balise.site.settings"
import django
from django.conf import settings
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
"""


def run_in_production(script: str, tmp_path, env_overrides=None) -> dict:
    """Run `script` after PRODUCTION_PRELUDE; it prints a JSON object on its last line."""
    env = production_env(
        {
            "SECRET_KEY": PRODUCTION_SECRET_KEY,
            "ALLOWED_HOSTS": "testserver",
            "BALISE_DATA_DIR": str(tmp_path),
            **(env_overrides or {}),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PRELUDE + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_defaults_are_safe():
    result = run_settings({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "balise.example.org"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "31536000"]


SITE_VISIT = """
from django.test import Client
from balise.accounts.services import user_create

PASSWORD = "a-long-enough-passphrase-42"
user_create(email="camille@example.org", full_name="Camille Martin", password=PASSWORD)


def seen(response):
    cookies = {
        name: {
            "secure": bool(morsel["secure"]),
            "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"],
        }
        for name, morsel in response.cookies.items()
    }
    return {"status": response.status_code, "headers": dict(response.headers), "cookies": cookies}


client = Client()
plain = client.get("/competences/")
proxied = Client().get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
login_page = client.get("/accounts/login/", secure=True)
login = client.post("/accounts/login/", {"username": "camille@example.org", "password": PASSWORD}, secure=True)
competences = client.get("/competences/", secure=True)
print(json.dumps({
    "plain": seen(plain),
    "proxied": seen(proxied),
    "login_page": seen(login_page),
    "login": seen(login),
    "competences": seen(competences),
    "settings": {
        "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
        "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
        "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
        "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    },
}))
"""


@pytest.fixture(scope="module")
def production_visit(tmp_path_factory):
    """A learner's visit to a site running the production settings, over HTTP then HTTPS."""
    return run_in_production(SITE_VISIT, tmp_path_factory.mktemp("production"))


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_plain_http_is_redirected_to_https(production_visit):
    plain = production_visit["plain"]
    assert plain["status"] == 301
    assert plain["headers"]["Location"] == "https://testserver/competences/"
    assert "Strict-Transport-Security" not in plain["headers"]  # only sent over HTTPS


def test_https_seen_by_the_proxy_is_trusted(production_visit):
    """Behind the TLS-terminating proxy, X-Forwarded-Proto: https is not redirected again."""
    proxied = production_visit["proxied"]
    assert proxied["status"] == 200
    assert proxied["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_pages_send_hsts_and_a_strict_content_security_policy(production_visit):
    for visit in ("login_page", "competences"):
        response = production_visit[visit]
        assert response["status"] == 200, visit
        headers = response["headers"]
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        csp = csp_directives(headers["Content-Security-Policy"])
        assert csp["script-src"] == ["'self'"]
        assert csp["default-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in csp["style-src"]
        assert not any("'unsafe-inline'" in values or "'unsafe-eval'" in values for values in csp.values())


def test_session_and_csrf_cookies_are_secure_in_production(production_visit):
    assert production_visit["settings"]["SESSION_COOKIE_SECURE"] is True
    assert production_visit["settings"]["CSRF_COOKIE_SECURE"] is True
    csrf = production_visit["login_page"]["cookies"]["csrftoken"]
    assert csrf["secure"]
    login = production_visit["login"]
    assert login["status"] == 302 and login["headers"]["Location"] == "/competences/"
    session = login["cookies"]["sessionid"]
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert login["cookies"]["csrftoken"]["secure"]  # rotated at login, still secure


def test_ssl_redirect_and_hsts_follow_the_environment(tmp_path):
    seen = run_in_production(
        """
        from django.test import Client
        response = Client().get("/accounts/login/")
        print(json.dumps({"status": response.status_code, "headers": dict(response.headers),
                          "hsts": settings.SECURE_HSTS_SECONDS}))
        """,
        tmp_path,
        {"SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "600"},
    )
    assert seen["status"] == 200  # no redirect when the proxy already redirects
    assert seen["hsts"] == 600
    assert "Strict-Transport-Security" not in seen["headers"]  # never over plain HTTP


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/login/", "/api/docs", "/competences/", "/accounts/login/"])
def test_every_page_has_a_content_security_policy_and_a_permissions_policy(client, content, url):
    response = client.get(url, follow=True)
    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"] and csp["object-src"] == ["'none'"]  # no inline script anywhere
    assert csp["frame-ancestors"] == ["'none'"]
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions and "microphone=()" in permissions and "geolocation=()" in permissions


def test_gunicorn_as_make_serve_runs_it_does_not_name_itself(tmp_path):
    """A real gunicorn with the project's configuration, on a fresh database."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    env = {**os.environ, "BALISE_DEV": "1", "BALISE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "balise.site.settings"}
    env.pop("BALISE_TESTING", None)
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "balise.site.wsgi", "-c", "python:balise.site.gunicorn_config", "--bind", f"127.0.0.1:{port}",
         "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    headers = dict(response.headers)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
        # An API address longer than the API takes but shorter than gunicorn's line limit reaches
        # Django and gets the API's JSON 414; a line beyond gunicorn's limit is refused by gunicorn.
        long_answers = []
        for length in (3000, 9000):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/competences?q={'a' * length}", timeout=5)
            except urllib.error.HTTPError as error:
                long_answers.append((error.code, error.headers.get("Content-Type", ""), error.read()))
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "gunicorn" not in headers.get("Server", "").lower()
    assert "Permissions-Policy" in headers
    (status, content_type, body), (gunicorn_status, gunicorn_type, _body) = long_answers
    assert (status, content_type) == (414, "application/json")
    assert json.loads(body)["error"] == "address_too_long"
    assert gunicorn_status == 414 and gunicorn_type != "application/json"  # gunicorn's own, in plain text
