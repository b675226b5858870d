"""Spaces: the FWB's platform beside the international one — resolution by host and prefix,
branding checked for contrast, sign-up and home space, and isolation of each space's content."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from balise.accounts.models import User
from balise.accounts.services import user_create
from balise.spaces.contrast import AA_TEXT, contrast_ratio
from balise.spaces.models import TEXT_ON_COLOUR, Space
from balise.spaces.selectors import space_resolve
from balise.spaces.services import SpaceFileError, space_import

from .conftest import PASSWORD, signup_confirmed

SPACE_FILES = Path(__file__).resolve().parents[2] / "content" / "spaces"
FWB_HOST = "fwb.localhost"
# What only the FWB's learners may meet (tests/fixtures/pack/tubes/2.1/publicServicesBe.yaml).
# What only the FWB's learners may see, and what they must not (a shared record it excludes).
BELGIAN_MARKERS = (
    "publicServicesBe", "eBox", "Échanger avec l'administration belge", "Belgian public services",
    "helpBe", "Se faire aider en Belgique", "Getting help in Belgium",
)
EXCLUDED_IN_FWB_MARKERS = ("helpFr", "Se faire aider en France", "Getting help in France")


@pytest.fixture
def spaces(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for path in sorted(SPACE_FILES.glob("*.yaml")):
        space_import(path)
    return {space.slug: space for space in Space.objects.all()}


def test_every_shipped_space_has_colours_that_reach_wcag_aa(spaces):
    assert set(spaces) >= {"international", "fwb"}
    for space in spaces.values():
        for colour in (space.primary_colour, space.dark_colour):
            assert contrast_ratio(colour, TEXT_ON_COLOUR) >= AA_TEXT, (space.slug, colour)


def test_a_colour_without_enough_contrast_is_refused_on_save(spaces):
    fwb = spaces["fwb"]
    fwb.primary_colour = "#f0c000"  # yellow: white text on it reads at about 1.8:1
    with pytest.raises(ValidationError) as refused:
        fwb.save()
    assert "primary_colour" in refused.value.message_dict
    assert Space.objects.get(slug="fwb").primary_colour == "#8a1538"


def test_the_contrast_formula_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_a_request_finds_its_space_by_host_then_by_prefix_else_the_default(spaces):
    assert space_resolve("fwb.localhost:8000", "/")[0].slug == "fwb"
    assert space_resolve("FWB.localhost", "/")[0].slug == "fwb"
    assert space_resolve("127.0.0.1:8000", "/fwb/competences/") == (spaces["fwb"], "fwb")
    assert space_resolve("127.0.0.1:8000", "/competences/")[0].slug == "international"
    assert space_resolve("unknown.localhost", "/nothing/")[0].slug == "international"


def test_the_home_page_is_the_spaces_own(spaces):
    fwb = Client(HTTP_HOST=FWB_HOST).get("/").content.decode()
    assert "Fédération Wallonie-Bruxelles" in fwb and "Pour les écoles" in fwb
    assert '<html lang="fr-be">' in fwb  # plain "fr" from a browser reads the space's Belgian French
    default = Client(HTTP_HOST="127.0.0.1").get("/").content.decode()
    assert "Fédération Wallonie-Bruxelles" not in default
    assert "space.css" not in default and "space.css" in fwb


def test_the_path_prefix_serves_the_space_and_its_links_keep_the_prefix(spaces):
    page = Client(HTTP_HOST="127.0.0.1").get("/fwb/").content.decode()
    assert "Fédération Wallonie-Bruxelles" in page
    assert 'href="/fwb/accounts/signup/"' in page


def test_an_unknown_host_gets_the_default_space_without_listing_the_others(spaces, settings):
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    response = Client(HTTP_HOST="nowhere.localhost").get("/")
    assert response.status_code == 200
    assert "fwb" not in response.content.decode().lower()


def test_the_space_costs_at_most_one_cached_read_per_request(spaces):
    client = Client(HTTP_HOST=FWB_HOST)
    client.get("/")  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries.captured_queries if "spaces_space" in q["sql"]]


def test_the_space_stylesheet_and_logo_are_served(spaces):
    client = Client(HTTP_HOST=FWB_HOST)
    css = client.get("/space.css")
    assert css.status_code == 200 and "#8a1538" in css.content.decode()
    logo = client.get("/space-logo")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/svg+xml"
    assert "sandbox" in logo["Content-Security-Policy"]
    assert Client().get("/space-logo").status_code == 404  # the default space has no logo


def test_the_spaces_legal_pages(spaces):
    client = Client(HTTP_HOST=FWB_HOST)
    page = client.get("/legal/accessibility/")
    assert page.status_code == 200 and "WCAG 2.2" in page.content.decode()
    assert 'href="/legal/accessibility/"' in client.get("/").content.decode()
    assert client.get("/legal/nothing/").status_code == 404
    assert Client().get("/legal/accessibility/").status_code == 404


def signup(client, email):
    return signup_confirmed(
        client,
        {"full_name": "Lou", "email": email, "password": PASSWORD, "accept_terms": "on"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )


def test_signing_up_on_the_fwb_platform_makes_it_the_home_space(content, spaces):
    client = Client(HTTP_HOST=FWB_HOST)
    assert signup(client, "lou@example.be").status_code == 302
    lou = User.objects.get(email="lou@example.be")
    assert (lou.home_space.slug, lou.language) == ("fwb", "fr-be")
    assert "eBox" in client.get("/tutorials/competence/2.1/").content.decode()

    elsewhere = Client(HTTP_HOST="127.0.0.1")
    elsewhere.post("/language/", {"language": "fr-be", "next": "/"})
    signup(elsewhere, "ana@example.fr")
    ana = User.objects.get(email="ana@example.fr")
    # The language is not a tenant: Belgian French on the international platform is just a language.
    assert ana.home_space.slug == "international"
    assert "eBox" not in elsewhere.get("/tutorials/competence/2.1/").content.decode()


def test_a_learner_sees_which_space_they_are_in_and_can_change_their_home_space(content, spaces):
    learner = user_create(email="camille@example.org", full_name="Camille", password=PASSWORD)
    client = Client(HTTP_HOST=FWB_HOST)
    client.force_login(learner)
    page = client.get("/competences/").content.decode()
    assert "Vous êtes sur la plateforme de Fédération Wallonie-Bruxelles" in page

    refused = client.post("/accounts/me/space/", {"space": "no-such-space"})
    assert refused.status_code == 400
    learner.refresh_from_db()
    assert learner.home_space.slug == "international"

    assert client.post("/accounts/me/space/", {"space": "fwb"}).status_code == 302
    learner.refresh_from_db()
    assert learner.home_space.slug == "fwb"
    assert "Vous êtes sur la plateforme" not in client.get("/competences/").content.decode()


def test_a_space_file_with_an_unknown_key_names_the_file_and_changes_nothing(spaces, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: fwb\nhosts: [evil.localhost]\ncolour: '#000000'\n", encoding="utf-8")
    with pytest.raises(SpaceFileError, match=r"bad\.yaml: unknown key\(s\) colour"):
        space_import(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("slug: fwb\nhosts: [a\n", encoding="utf-8")
    with pytest.raises(SpaceFileError, match=r"broken\.yaml:\d+"):
        space_import(broken)
    assert Space.objects.get(slug="fwb").hosts == ["fwb.localhost"]


def _content_pages_and_endpoints() -> list[str]:
    """Every page and API address that lists or shows content and takes no argument or a
    competence id, found from the URL configuration and the API schema (not listed by hand)."""
    addresses = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith(("admin", "api")):
                    walk(pattern.url_patterns, route)
            elif (
                isinstance(pattern, URLPattern)
                and "<" not in route.replace("<str:competence_id>", "")
                and not re.search(r"(logout|reset|start|language|healthz|data\.json|space-logo)", route)
            ):
                addresses.append("/" + route)

    walk(get_resolver().url_patterns)
    schema = Client().get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        if "get" in operations and "{" not in path.replace("{competence_id}", ""):
            addresses.append(path)
    return addresses


@pytest.mark.parametrize("space_slug", ["international", "fwb"])
def test_no_content_of_another_space_reaches_a_learner(content, spaces, space_slug):
    learner = user_create(email=f"{space_slug}@example.org", full_name="L", password=PASSWORD, space=spaces[space_slug])
    host = FWB_HOST if space_slug == "fwb" else "127.0.0.1"
    client = Client(HTTP_HOST=host)
    client.force_login(learner)
    walked = 0
    for address in _content_pages_and_endpoints():
        for competence_id in (["1.1", "2.1"] if "competence_id" in address else [None]):
            url = address.replace("<str:competence_id>", competence_id or "").replace("{competence_id}", competence_id or "")
            response = client.get(url)
            if response.status_code != 200:
                continue
            walked += 1
            text = response.content.decode()
            for marker in BELGIAN_MARKERS:
                assert space_slug == "fwb" or marker not in text, (url, marker)
            for marker in EXCLUDED_IN_FWB_MARKERS:
                assert space_slug != "fwb" or marker not in text, (url, marker)
    assert walked >= 10
    # And the positive control: the FWB learner does meet the Belgian tutorial.
    belgian = client.get("/api/competences/2.1/tutorials").content.decode()
    assert ("eBox" in belgian) == (space_slug == "fwb")
    helplines = {t["id"] for t in client.get("/api/competences/1.1/tutorials").json()}
    expected = "tuto-searchEngines-helpBe" if space_slug == "fwb" else "tuto-searchEngines-helpFr"
    assert {"tuto-searchEngines-helpBe", "tuto-searchEngines-helpFr"} & helplines == {expected}


@pytest.mark.parametrize("space_slug", ["international", "fwb"])
def test_another_spaces_tutorial_is_a_404_by_its_id(content, spaces, client_of, space_slug):
    learner = user_create(email=f"{space_slug}@example.org", full_name="L", password=PASSWORD, space=spaces[space_slug])
    client = client_of(learner)
    other = "tuto-searchEngines-helpFr" if space_slug == "fwb" else "tuto-searchEngines-helpBe"
    own = "tuto-searchEngines-helpBe" if space_slug == "fwb" else "tuto-searchEngines-helpFr"
    assert client.get(f"/api/tutorials/{other}").status_code == 404
    assert client.get(f"/tutorials/{other}/").status_code == 404
    assert client.get(f"/api/tutorials/{own}").status_code == 200


def test_a_pack_naming_a_space_the_platform_lacks_is_refused_and_changes_nothing(content, spaces, tmp_path):
    import shutil

    from balise.content.models import ContentRelease, Tube
    from balise.content.services import UnknownSpace, content_pack_import

    pack = tmp_path / "pack"
    shutil.copytree(content, pack)
    for path in pack.rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("fwb", "ostbelgien"), encoding="utf-8")
    releases = ContentRelease.objects.count()
    with pytest.raises(UnknownSpace, match="ostbelgien"):
        content_pack_import(pack)
    assert ContentRelease.objects.count() == releases
    assert Tube.objects.get(id="publicServicesBe").space.slug == "fwb"


def test_a_spaces_own_picture_reaches_only_its_people(content, spaces, client_of, settings):
    """A file only the FWB's challenges show (publicServicesBe2a's picture): a 404 for anyone
    else, like a file that does not exist; a shared challenge's picture stays public."""
    settings.CONTENT_PACK_DIR = content
    url, shared = "/content-media/ebox-inbox.svg", "/content-media/results-page.svg"
    fwb_learner = user_create(email="lou@example.be", full_name="Lou", password=PASSWORD, space=spaces["fwb"])
    other = user_create(email="ana@example.fr", full_name="Ana", password=PASSWORD)
    def without_tokens(response):
        # The page around differs only by its form token and its own address (the language form's "next").
        body = re.sub(rb'value="[A-Za-z0-9]{32,}"', b"", response.content)
        return body.replace(b"ebox-inbox.svg", b"").replace(b"no-such-file.svg", b"")

    for client in (Client(), client_of(other)):
        refused, made_up = client.get(url), client.get("/content-media/no-such-file.svg")
        assert refused.status_code == 404 and without_tokens(refused) == without_tokens(made_up)
        assert client.get(shared).status_code == 200
    served = client_of(fwb_learner).get(url)
    assert served.status_code == 200 and served["Cache-Control"].startswith("private")
    assert Client().get(shared)["Cache-Control"].startswith("public")
