"""Every string a person reads is translated: no empty or fuzzy entry in any catalogue."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "balise" / "i18n" / "locale"


@pytest.mark.parametrize("language", ["fr", "en", "fr_BE"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


def test_catalogue_covers_every_string_of_the_code():
    """A string added to a template or the code without running makemessages would show in English."""
    import re

    catalogue = {e.msgid for e in polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))}
    root = LOCALE.parents[1]
    patterns = [
        re.compile(r"""{%\s*translate\s+"([^"]+)"\s*%}"""),
        re.compile(r"""{%\s*translate\s+'([^']+)'\s*%}"""),
        re.compile(r"""\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*"([^"]+)"\s*[,)]"""),
    ]
    missing = []
    for path in list(root.rglob("*.html")) + list(root.rglob("*.txt")) + list(root.rglob("*.py")):
        if "engine" in path.parts or "content_pack" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            missing += [f"{path.name}: {m}" for m in pattern.findall(text) if m not in catalogue]
    assert not missing, "run makemessages and translate: " + "; ".join(missing)


@pytest.mark.django_db
def test_belgian_french_can_be_chosen_and_stays_selected(content, client):
    from django.urls import reverse

    from balise.accounts.services import user_create

    learner = user_create(email="lou@example.be", full_name="Lou", password="a-long-enough-passphrase-42")
    client.force_login(learner)
    page = client.get(reverse("evaluation:competences")).content.decode()
    assert 'value="fr-be" lang="fr-be">Français (Belgique)</option>' in page
    response = client.post(reverse("site:language_change"), {"language": "fr-be", "next": "/competences/"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.language == "fr-be"
    page = client.get(reverse("evaluation:competences")).content.decode()
    assert '<html lang="fr-be">' in page
    assert 'value="fr-be" lang="fr-be" selected>' in page  # the menu shows what is in use


@pytest.mark.django_db
def test_the_language_chosen_at_sign_up_does_not_choose_the_content(content, client):
    """A language is not a tenant: Belgian French on the international platform is a language;
    the FWB's content comes with its space (tests/web/test_spaces.py)."""
    from django.urls import reverse

    from balise.accounts.models import User

    from .conftest import signup_confirmed

    client.post(reverse("site:language_change"), {"language": "fr-be", "next": "/"})
    response = signup_confirmed(
        client,
        {"full_name": "Lou", "email": "lou@example.be", "password": "a-long-enough-passphrase-42", "accept_terms": "on"},
    )
    assert response.status_code == 302
    learner = User.objects.get(email="lou@example.be")
    assert (learner.language, learner.home_space.slug) == ("fr-be", "international")


@pytest.mark.django_db
def test_switching_language_during_a_test_continues_it_in_that_language(content, client):
    from django.urls import reverse

    from balise.accounts.services import user_create
    from balise.evaluation.models import Assessment

    learner = user_create(email="lou@example.org", full_name="Lou", password="a-long-enough-passphrase-42")
    client.force_login(learner)
    url = client.post(reverse("evaluation:start", args=["1.1"]))["Location"]
    challenge = Assessment.objects.get(user=learner).current_challenge
    client.post(reverse("site:language_change"), {"language": "en", "next": url})
    page = client.get(url, follow=True).content.decode()
    assert Assessment.objects.get(user=learner).language == "en"
    first_words = challenge.display["instruction"]["en"].split("?")[0][:30]
    assert first_words.replace("'", "&#x27;") in page  # the question itself, not only the buttons
