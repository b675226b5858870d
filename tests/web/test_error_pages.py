"""Error pages speak the learner's language and keep the site around them."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_translated_404_with_the_menu(content, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page and 'class="site-header"' in page
    client.post(reverse("site:language_change"), {"language": "en", "next": "/"})
    assert "Page not found" in client.get("/no-such-page/").content.decode()


def test_a_form_sent_without_its_token_is_explained_and_changes_nothing(learner):
    from .conftest import PASSWORD

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "Veuillez renvoyer le formulaire" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_500_page_renders_without_a_database_or_a_request():
    from django.template import loader

    page = loader.get_template("500.html").render({})
    assert "<h1>" in page and "Balise" in page
