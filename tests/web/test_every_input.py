"""Text no database or page can hold, sent to EVERY address (generated from the URL patterns and
the API schema, so an endpoint written tomorrow is covered the day it exists): a 400 that says so
(JSON on the API, a page elsewhere), a 415 for a body that is not JSON on the API, never a 500, and
nothing written."""

import json
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import assert_error

SURROGATE_JSON = b'{"answer": "\\ud800", "competence_id": "1.1", "email": "a\\ud83d@b.c", "challenge_id": "x"}'
NUL_JSON = json.dumps({"answer": "a\u0000b", "competence_id": "1.1"}).encode()


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _address(route: str) -> str:
    # Any value for the path's parameters: the check comes before the view finds (or not) the object.
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "1", route)
    path = re.sub(r"\^|\$|\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path.replace("//", "/")


PAGES = sorted({_address(r) for r in _patterns() if not r.startswith(("api/", "admin/"))})


def _row_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in {
        "accounts", "evaluation", "learning", "organizations", "campaigns"}}


@pytest.fixture
def api_operations(learner_client):
    schema = learner_client.get("/api/openapi.json").json()
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"post", "put", "patch", "delete"}
    ]


def test_the_walk_covers_pages_and_api(api_operations):
    assert len(PAGES) >= 30 and len(api_operations) >= 15


def test_every_api_write_refuses_unstorable_text_and_non_json_bodies(learner_client, api_operations):
    learner_client.get("/api/auth/csrf")
    token = learner_client.cookies["csrftoken"].value
    before = _row_counts()
    for method, path in api_operations:
        for body in (SURROGATE_JSON, NUL_JSON):
            response = learner_client.generic(method, path, body, content_type="application/json", headers={"X-CSRFToken": token})
            assert_error(response, 400, "unreadable_text")
        multipart = learner_client.generic(
            method, path, b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n",
            content_type="multipart/form-data; boundary=x", headers={"X-CSRFToken": token},
        )
        assert_error(multipart, 415, "unsupported_media_type")
        bad_utf8 = learner_client.generic(method, path, b'{"a": "\xff\xfe"}', content_type="application/json", headers={"X-CSRFToken": token})
        assert_error(bad_utf8, 400, "unreadable_text")
    assert _row_counts() == before


def test_every_api_operation_refuses_unstorable_text_in_its_path(learner_client):
    """A NUL in an id of the path reached PostgreSQL's lookups (a 500 there, a 404 on SQLite)."""
    schema = learner_client.get("/api/openapi.json").json()
    learner_client.get("/api/auth/csrf")
    token = learner_client.cookies["csrftoken"].value
    checked = 0
    for path, operations in schema["paths"].items():
        if "{" not in path:
            continue
        for method in operations:
            for value in ("a%00b", "%00"):
                response = learner_client.generic(method.upper(), re.sub(r"\{[^}]+\}", value, path), b"{}",
                                                  content_type="application/json", headers={"X-CSRFToken": token})
                assert assert_error(response, 400, "unreadable_text")["field"] == "path", (method, path)
            checked += 1
    assert checked >= 15


@pytest.mark.parametrize("address", sorted({_address(r) for r in _patterns() if not r.startswith(("api/", "admin/")) and "<" in r}))
def test_every_page_with_a_parameter_refuses_unstorable_text_in_its_path(learner_client, address):
    route = next(r for r in _patterns() if _address(r) == address)
    with_nul = "/" + re.sub(r"<(?:\w+:)?(\w+)>", "a%00b", route).replace("//", "/")
    response = learner_client.get(with_nul)
    assert response.status_code == 400, (with_nul, response.status_code)
    assert "Nothing was recorded" in response.content.decode() or "Rien n" in response.content.decode()


@pytest.mark.parametrize("address", PAGES)
def test_every_page_refuses_unstorable_text_in_its_form_or_address(learner_client, address):
    before = _row_counts()
    posted = learner_client.post(address, {"name": "a\u0000b", "email": "x@example.org\u0000"})
    assert posted.status_code == 400, (address, posted.status_code)
    assert "Nothing was recorded" in posted.content.decode() or "Rien n" in posted.content.decode()
    asked = learner_client.get(address, {"q": "a\u0000"})
    assert asked.status_code == 400, (address, asked.status_code)
    assert _row_counts() == before
