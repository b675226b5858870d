"""Django's admin: closed to learners, open to staff, and the imported content read-only."""

import pytest
from django.test import Client
from django.urls import reverse

from balise.accounts.models import User
from balise.content.models import Area, Challenge, Competence, ContentRelease, Skill, Tube, Tutorial

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def operator(content):
    return User.objects.create_superuser(email="op@example.org", password=PASSWORD, full_name="Op Erator")


@pytest.fixture
def operator_client(operator):
    client = Client()
    assert client.login(email=operator.email, password=PASSWORD)
    return client


def sends_to_admin_login(response, next_url):
    return response.status_code == 302 and response["Location"] == f"{ADMIN_LOGIN}?next={next_url}"


@pytest.mark.parametrize("url", ["/admin/", "/admin/accounts/user/", "/admin/content/challenge/"])
def test_anonymous_visitors_are_sent_to_the_admin_login(client, content, url):
    assert sends_to_admin_login(client.get(url), url)


@pytest.mark.parametrize("url", ["/admin/", "/admin/accounts/user/", "/admin/content/challenge/"])
def test_a_learner_has_no_access_to_the_admin(learner_client, learner, url):
    response = learner_client.get(url)
    assert sends_to_admin_login(response, url)
    # The admin's login page says so, and lists none of the admin's pages.
    login_page = learner_client.get(response["Location"]).content.decode()
    assert "vous n’êtes pas autorisé à accéder à cette page" in login_page
    assert 'href="/admin/accounts/' not in login_page and 'href="/admin/content/' not in login_page


def test_a_learner_cannot_log_in_to_the_admin(client, learner):
    response = client.post(ADMIN_LOGIN, {"username": learner.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 200  # the form again, with its error
    assert "errornote" in response.content.decode()
    assert sends_to_admin_login(client.get("/admin/"), "/admin/")


def test_a_learner_cannot_change_a_user_through_the_admin(learner_client, learner, other_learner):
    url = reverse("admin:accounts_user_change", args=[other_learner.pk])
    response = learner_client.post(url, {"email": "taken@example.org", "is_staff": "on", "is_superuser": "on"})
    assert sends_to_admin_login(response, url)
    other_learner.refresh_from_db()
    learner.refresh_from_db()
    assert other_learner.email == "alex@example.org" and not other_learner.is_staff
    assert not learner.is_staff and not learner.is_superuser


def test_staff_without_permissions_cannot_see_the_users(client, content):
    User.objects.create_user(email="staff@example.org", password=PASSWORD, full_name="Staff", is_staff=True)
    assert client.login(email="staff@example.org", password=PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_the_operator_lists_and_opens_the_users(operator_client, learner):
    index = operator_client.get("/admin/")
    assert index.status_code == 200
    assert 'href="/admin/accounts/user/"' in index.content.decode()
    changelist = operator_client.get(reverse("admin:accounts_user_changelist"))
    assert changelist.status_code == 200
    text = changelist.content.decode()
    assert learner.email in text and "op@example.org" in text
    search = operator_client.get(reverse("admin:accounts_user_changelist"), {"q": "camille"}).content.decode()
    assert learner.email in search and "op@example.org" not in search.split("<tbody>")[1]
    change = operator_client.get(reverse("admin:accounts_user_change", args=[learner.pk]))
    assert change.status_code == 200
    page = change.content.decode()
    assert f'value="{learner.email}"' in page and 'value="Camille Martin"' in page
    assert PASSWORD not in page


CONTENT_MODELS = [Area, Competence, Tube, Skill, Challenge, Tutorial, ContentRelease]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_the_operator_reads_the_imported_content(operator_client, model):
    response = operator_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    obj = model.objects.order_by("pk").first()
    assert obj is not None, "the fixture pack has no such row"
    assert operator_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    # Read-only: no "add" link on the list.
    assert admin_url(model, "add") not in response.content.decode()


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_the_imported_content_cannot_be_added_changed_or_deleted(operator_client, model):
    obj = model.objects.order_by("pk").first()
    before = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    count = model.objects.count()
    assert operator_client.get(admin_url(model, "add")).status_code == 403
    assert operator_client.post(admin_url(model, "add"), {"id": "new"}).status_code == 403
    change = operator_client.get(admin_url(model, "change", obj.pk)).content.decode()
    assert 'name="_save"' not in change  # shown for reading, without a save button
    changed = {f.name: "changed" for f in model._meta.concrete_fields if f.get_internal_type() == "CharField"}
    assert operator_client.post(admin_url(model, "change", obj.pk), changed).status_code == 403
    assert operator_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields} == before
    assert model.objects.count() == count


def test_the_bulk_delete_action_is_not_offered_for_content(operator_client, content):
    response = operator_client.get(admin_url(Challenge, "changelist"))
    assert 'value="delete_selected"' not in response.content.decode()
    pks = list(Challenge.objects.values_list("pk", flat=True)[:2])
    operator_client.post(
        admin_url(Challenge, "changelist"), {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
    )
    assert Challenge.objects.filter(pk__in=pks).count() == len(pks)


def _space_form(space, **changes):
    """The space's admin form as an operator's browser would send it, with some changes."""
    from django.conf import settings

    data = {
        "slug": space.slug,
        "path_prefix": space.path_prefix,
        "default_language": space.default_language,
        "primary_colour": space.primary_colour,
        "dark_colour": space.dark_colour,
        "footer_links": "[]",
        "hosts_text": "\n".join(space.hosts),
        "languages_offered": list(space.languages),
    }
    for code, _name in settings.LANGUAGES:
        key = code.replace("-", "_")
        data[f"name__{key}"] = space.name.get(code, "")
        data[f"home_page__{key}"] = space.home_page.get(code, "")
        for page in ("terms", "privacy", "accessibility", "contact"):
            data[f"legal__{page}__{key}"] = space.legal_page(page).get(code, "")
    data.update(changes)
    return data


def test_an_operator_edits_a_space_per_language_not_as_json(operator_client):
    from balise.spaces.models import Space

    fwb = Space.objects.get(slug="fwb")
    url = reverse("admin:spaces_space_change", args=[fwb.pk])
    page = operator_client.get(url).content.decode()
    assert 'name="name__fr_be"' in page and 'name="legal__privacy__en"' in page and 'name="hosts_text"' in page

    response = operator_client.post(url, _space_form(
        fwb, name__en="Wallonia-Brussels Federation (test)", home_page__fr="# Bienvenue",
        hosts_text="fwb.localhost\nCompetences.Example.BE\n", legal__contact__fr="Écrivez-nous.",
    ))
    assert response.status_code == 302, response.content.decode()[:2000]
    fwb.refresh_from_db()
    assert fwb.name["en"] == "Wallonia-Brussels Federation (test)"
    assert fwb.home_page["fr"] == "# Bienvenue"
    assert fwb.hosts == ["fwb.localhost", "competences.example.be"]
    assert fwb.legal_page("contact")["fr"] == "Écrivez-nous."


def test_a_space_colour_without_contrast_is_refused_in_the_admin_and_changes_nothing(operator_client):
    from balise.spaces.models import Space

    fwb = Space.objects.get(slug="fwb")
    url = reverse("admin:spaces_space_change", args=[fwb.pk])
    for changes, field in [({"primary_colour": "#f0c000"}, "primary_colour"),
                           ({"languages_offered": ["en"]}, "default_language")]:
        response = operator_client.post(url, _space_form(fwb, **changes))
        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors
    fwb.refresh_from_db()
    assert (fwb.primary_colour, fwb.languages) == ("#8a1538", ["fr-be", "en"])


def test_the_admin_speaks_the_operators_language_and_results_are_read_only(operator_client):
    operator_client.post("/language/", {"language": "fr", "next": "/admin/"})
    index = operator_client.get("/admin/").content.decode()
    assert "Administration de Balise" in index and "Django" not in index.split("<body")[1]
    assert "Acquis" in index and "Acquiss" not in index
    for model in ("assessment", "competencescore"):
        assert operator_client.get(f"/admin/evaluation/{model}/add/").status_code == 403
        assert f'href="/admin/evaluation/{model}/add/"' not in operator_client.get(f"/admin/evaluation/{model}/").content.decode()
