"""Every error the API can give is in its one JSON shape ({"error", "message", …}), whatever caused it
— a method the address does not take, an address too long, a bug in an operation, a host that is
not allowed — generated over EVERY operation of the OpenAPI schema (and every operation of the
router, for the 500), so an endpoint written tomorrow is covered the day it exists."""

import json
import logging
import re

import pytest
from django.test import Client

from balise.api.urls import api

from .conftest import assert_error, schema_example

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _address(path: str) -> str:
    # Any value in the path's parameters: a wrong method is refused before any lookup.
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
def schema_paths(learner_client):
    return learner_client.get("/api/openapi.json").json()["paths"]


@pytest.fixture
def csrf_headers(learner_client):
    learner_client.get("/api/auth/csrf")
    return {"X-CSRFToken": learner_client.cookies["csrftoken"].value}


def test_the_walk_covers_every_path(schema_paths):
    assert len(schema_paths) >= 25


def test_every_address_answers_a_wrong_method_with_405_json_and_allow(learner_client, schema_paths, csrf_headers):
    checked = 0
    for path, operations in schema_paths.items():
        allowed = {method.upper() for method in operations}
        for method in sorted(METHODS - allowed):
            response = learner_client.generic(method, _address(path), b"{}", content_type="application/json",
                                              headers=csrf_headers)
            body = assert_error(response, 405, "method_not_allowed")
            assert response["Content-Type"].startswith("application/json")
            assert {m.strip() for m in response["Allow"].split(",")} == allowed, (method, path)
            assert "Allow" in body["message"]
            checked += 1
    assert checked >= 100


@pytest.mark.parametrize("language, words", [("fr", "cette méthode"), ("en", "this method"), ("fr-be", "cette méthode")])
def test_the_405_speaks_the_clients_language(content, language, words):
    response = Client().put("/api/auth/csrf", headers={"Accept-Language": language})
    assert words in assert_error(response, 405, "method_not_allowed")["message"].lower()


def test_every_operation_answers_an_over_long_address_with_414_json(learner_client, schema_paths, csrf_headers):
    for path, operations in schema_paths.items():
        for method in operations:
            address = _address(path)
            for too_long in (address + "?q=" + "a" * 2000, address + "/" + "b" * 2000):
                response = learner_client.generic(method.upper(), too_long, b"{}", content_type="application/json",
                                                  headers=csrf_headers)
                assert_error(response, 414, "address_too_long")
            # Just under the limit is answered by the operation as usual.
            fits = address + "?q=" + "a" * (1990 - len(address))
            response = learner_client.generic(method.upper(), fits, b"{}", content_type="application/json",
                                              headers=csrf_headers)
            assert response.status_code != 414, (method, path)


def _operations():
    """The operations as the URL patterns run them (ninja binds a copy of each router to the API)."""
    for bound in api._get_bound_routers():
        router_prefix = bound.prefix
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                if operation.include_in_schema:
                    yield router_prefix, path, operation


def test_the_operations_walk_matches_the_schema(schema_paths):
    assert sum(len(op.methods) for _prefix, _path, op in _operations()) == sum(len(ops) for ops in schema_paths.values())


def test_a_bug_in_any_operation_is_a_500_json_that_tells_nothing_and_logs_the_traceback(
    learner_client, schema_paths, csrf_headers, caplog, monkeypatch
):
    """Each operation's own function is made to fail (the one way to reach every operation's
    unexpected error without a real bug): the client gets the common shape, never the cause."""

    def broken(request, **kwargs):
        raise RuntimeError("secret-detail-of-the-failure")

    components = learner_client.get("/api/openapi.json").json()["components"]["schemas"]
    for _prefix, _path, operation in _operations():
        monkeypatch.setattr(operation, "view_func", broken)
    caplog.set_level(logging.ERROR, logger="django.request")
    count = 0
    for path, methods in schema_paths.items():
        for method, operation in methods.items():
            caplog.clear()
            # The body is read before the function runs: send one the schema accepts.
            body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            body = json.dumps(schema_example(body_schema, components) if body_schema else {})
            response = learner_client.generic(method.upper(), _address(path), body, content_type="application/json",
                                              headers=csrf_headers)
            body = assert_error(response, 500, "server_error")
            assert "secret" not in response.content.decode() and "Traceback" not in response.content.decode()
            assert set(body) == {"error", "message"}
            logged = [r for r in caplog.records if r.exc_info and "secret-detail-of-the-failure" in str(r.exc_info[1])]
            assert len(logged) == 1, (method, path, caplog.records)
            assert logged[0].status_code == 500
            count += 1
    assert count >= 25


def test_a_500_is_translated(content, learner, client_of, monkeypatch):
    def broken(request, **kwargs):
        raise RuntimeError("boom")

    for _prefix, path, operation in _operations():
        if path == "/competences" and "GET" in operation.methods:
            monkeypatch.setattr(operation, "view_func", broken)
    client = client_of(learner)
    french = client.get("/api/competences", headers={"Accept-Language": "fr"})
    assert "Rien n'a été enregistré" in assert_error(french, 500, "server_error")["message"].replace("’", "'")


def test_a_host_that_is_not_allowed_gets_a_json_400_on_the_api_and_a_page_elsewhere(content, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client(raise_request_exception=False)
    assert_error(client.get("/api/me", HTTP_HOST="evil.example"), 400, "bad_request")
    page = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and not page["Content-Type"].startswith("application/json")


def test_a_value_the_schema_forbids_is_a_translated_422_naming_the_field(learner_client, csrf_headers):
    empty = learner_client.post("/api/assessments", {"competence_id": ""}, content_type="application/json",
                                headers=csrf_headers)
    body = assert_error(empty, 422, "validation_error")
    assert body["fields"] == {"competence_id": ["Ce champ est obligatoire."]}
    listed = learner_client.get("/api/organizations/1/campaigns?state=everything")
    body = assert_error(listed, 422, "validation_error")
    assert body["field"] == "state" and "archived" in body["fields"]["state"][0]
    as_text = learner_client.put("/api/tutorials/1/rating", {"useful": "yes"}, content_type="application/json",
                                 headers=csrf_headers)
    assert assert_error(as_text, 422, "validation_error")["fields"] == {"useful": ["Valeur attendue\xa0: true ou false."]}
