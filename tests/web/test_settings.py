import os
import subprocess
import sys


def run_settings(env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BALISE_") and k not in {"SECRET_KEY", "DEBUG", "PYTEST_VERSION"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='balise.site.settings'; "
            "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)",
        ],
        capture_output=True,
        text=True,
        env=env,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_defaults_are_safe():
    result = run_settings({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "balise.example.org"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "31536000"]


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"
