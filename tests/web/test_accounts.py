import pytest
from django.core import mail
from django.urls import reverse

from .conftest import PASSWORD, says_refused_until
from .test_settings import run_in_production

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production(tmp_path):
    """In a fresh interpreter without pytest's testing mode (which hashes with MD5 for speed)."""
    seen = run_in_production(
        """
        from balise.accounts.services import user_create
        user = user_create(email="camille@example.org", full_name="Camille Martin",
                           password="a-long-enough-passphrase-42")
        user.refresh_from_db()
        print(json.dumps({
            "hashers": settings.PASSWORD_HASHERS,
            "encoded": user.password,
            "checks": user.check_password("a-long-enough-passphrase-42"),
            "wrong_checks": user.check_password("another-passphrase-42"),
        }))
        """,
        tmp_path,
    )
    assert seen["hashers"][0] == "balise.accounts.hashers.BaliseArgon2PasswordHasher"
    # argon2$argon2id$v=19$m=<memory KiB>,t=<time cost>,p=<parallelism>$<salt>$<hash>
    algorithm, variety, version, parameters, salt, digest = seen["encoded"].split("$")
    assert algorithm == "argon2" and variety == "argon2id" and version == "v=19"
    assert parameters == f"m={19 * 1024},t=2,p=1"
    assert salt and digest
    assert seen["checks"] is True and seen["wrong_checks"] is False


def test_login_and_logout(learner, client):
    response = client.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("evaluation:competences")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("evaluation:competences")).status_code == 302


def test_login_failures_are_rate_limited(learner, client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.LOGIN_RATE_LIMIT = 3
    for _ in range(3):
        assert (
            client.post(reverse("accounts:login"), {"username": learner.email, "password": "wrong"}).status_code == 400
        )
    blocked = client.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert says_refused_until(blocked.content.decode(), 900)
    cache.clear()


def test_password_reset_sends_a_working_link(learner, client):
    response = client.post(reverse("accounts:password_reset"), {"email": learner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "another-long-passphrase-7"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(new_password)


def test_language_switch_is_remembered_for_the_account(learner_client, learner):
    response = learner_client.post(reverse("site:language_change"), {"language": "en", "next": "/competences/"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.language == "en"
    assert "Competences" in learner_client.get("/competences/").content.decode()
    learner_client.post(reverse("site:language_change"), {"language": "xx"})
    learner.refresh_from_db()
    assert learner.language == "en"


def test_open_redirect_is_refused(learner_client):
    response = learner_client.post(reverse("site:language_change"), {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_login_accepts_the_email_in_any_case(learner, client):
    response = client.post(reverse("accounts:login"), {"username": "  Camille@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 302


def test_language_menu_names_each_language_in_itself(learner_client):
    page = learner_client.get(reverse("evaluation:competences")).content.decode()
    assert ">English</option>" in page and ">Français</option>" in page


def test_api_docs_need_no_outside_server(content, client):
    import re

    page = client.get("/api/docs").content.decode()
    assert "cdn." not in page
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
    assert assets and all(a.startswith("/static/balise/") for a in assets), assets


def test_imported_content_is_read_only_in_the_admin(content, client):
    from balise.accounts.models import User

    User.objects.create_superuser(email="op@example.org", password=PASSWORD, full_name="Op")
    client.login(email="op@example.org", password=PASSWORD)
    assert client.get("/admin/content/challenge/").status_code == 200
    assert client.get("/admin/content/challenge/add/").status_code == 403
    assert client.get("/admin/evaluation/competencescore/").status_code == 200


def test_terms_can_be_read_before_accepting_them(content, client):
    signup = client.get(reverse("accounts:signup")).content.decode()
    assert reverse("site:terms") in signup
    terms = client.get(reverse("site:terms"))
    assert terms.status_code == 200 and "effacement" in terms.content.decode()
