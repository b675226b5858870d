"""Schema-driven fuzzing of EVERY API operation (schemathesis), logged in as a learner, against the
WSGI application: whatever schemathesis generates from the OpenAPI description — values the schema
allows and values it forbids — the server never fails (no 5xx), answers only statuses the
description lists for the operation, with the content type and body shape it documents, and
refuses what the description forbids. An operation added tomorrow is fuzzed the day it exists.

The number of examples per operation is bounded (EXAMPLES) so the whole run stays near a minute
on the project's 2-core machine; set BALISE_FUZZ_EXAMPLES higher for a longer hunt."""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks as all_checks
from schemathesis.specs.openapi import checks

from balise.api.urls import api

from .conftest import schema_example

EXAMPLES = int(os.environ.get("BALISE_FUZZ_EXAMPLES", "25"))

# The description as /api/openapi.json serves it (through JSON, as a client reads it).
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
schema.app = get_wsgi_application()

CHECKS = [
    all_checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
]


@pytest.fixture
def logged_in(learner_client):
    """The session and CSRF cookies of a logged-in learner, and the header writes need.

    The WSGI handler closes the database connection around each request, which would end the
    test's transaction: as Django's own test client does, that is switched off meanwhile (after
    the test client's request here, which switches it back on when it ends)."""
    learner_client.get("/api/auth/csrf")
    cookies = {name: morsel.value for name, morsel in learner_client.cookies.items()}
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield cookies, {"X-CSRFToken": cookies["csrftoken"]}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible, CI does not flake
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_schema(case, logged_in):
    cookies, headers = logged_in
    # The session cookie is the schema's security scheme: schemathesis puts one in each case (a
    # made-up value) or leaves it out to check the refusal; the learner's real one replaces it.
    sent = {"csrftoken": cookies["csrftoken"]}
    if "sessionid" in (case.cookies or {}):
        case.cookies = {**case.cookies, "sessionid": cookies["sessionid"]}
    case.call_and_validate(headers=headers, cookies=sent, checks=CHECKS)


def _text_fields(body_schema: dict, components: dict) -> dict[str, dict]:
    if "$ref" in body_schema:
        body_schema = components[body_schema["$ref"].rsplit("/", 1)[1]]
    return {
        name: field for name, field in body_schema.get("properties", {}).items()
        if field.get("type") == "string" or {"type": "string"} in field.get("anyOf", [])
    }


def _forbids_empty(field: dict) -> bool:
    return field.get("minLength", 0) >= 1 or "" not in field.get("enum", [""]) or field.get("pattern") is not None


def test_every_text_field_the_server_refuses_empty_is_marked_so_in_the_schema(learner_client):
    """Generated over every text field of every request body: an empty string that the server
    refuses naming the field has a schema that forbids it (minLength, a pattern or an enum), so a
    client learns it from the description, not from the refusal."""
    description = learner_client.get("/api/openapi.json").json()
    components = description["components"]["schemas"]
    learner_client.get("/api/auth/csrf")
    headers = {"X-CSRFToken": learner_client.cookies["csrftoken"].value}
    checked, refused = 0, []
    for path, operations in description["paths"].items():
        for method, operation in operations.items():
            body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if not body_schema:
                continue
            for name, field in _text_fields(body_schema, components).items():
                body = {**schema_example(body_schema, components), name: ""}
                response = learner_client.generic(
                    method.upper(), path.replace("{", "").replace("}", ""), json.dumps(body),
                    content_type="application/json", headers=headers,
                )
                answer = response.json() if response.content else {}
                if name in (answer.get("fields") or {}) or answer.get("field") == name:
                    refused.append((method, path, name))
                    assert _forbids_empty(field), (method, path, name, answer)
                checked += 1
    assert checked >= 15 and len(refused) >= 8, (checked, refused)
