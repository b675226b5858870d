"""The API reference at /api/docs is a page of the site read from the OpenAPI description: every
operation of the description is on it (generated: one added tomorrow appears the day it exists),
with its parameters, body fields and every status it can answer; the headings speak the reader's
language and the operations' English texts say they are English."""

import re
from html import unescape

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def description(content, client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return response.json()


def _section_of(page: str, method: str, path: str) -> str:
    anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-")
    start = page.index(f'<h3 id="{anchor}">')
    end = page.find('<article', start)
    return page[start:end if end != -1 else len(page)]


def test_every_operation_is_on_the_page_with_its_fields_and_statuses(client, description):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = unescape(response.content.decode())
    components = description["components"]["schemas"]
    count = 0
    for path, operations in description["paths"].items():
        for method, operation in operations.items():
            section = _section_of(page, method, path)
            assert f"<code>{path}</code>" in section and f">{method.upper()}</code>" in section
            if operation.get("summary"):
                assert f'<span lang="en">{operation["summary"]}</span>' in section
            for parameter in operation.get("parameters", []):
                assert f"<code>{parameter['name']}</code>" in section, (method, path, parameter["name"])
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                for name in components[body["$ref"].rsplit("/", 1)[1]]["properties"]:
                    assert f"<code>{name}</code>" in section, (method, path, name)
            statuses = re.findall(r'<th scope="row" class="api-status">(\d{3})</th>', section)
            assert statuses == list(operation["responses"]), (method, path)
            count += 1
    assert count >= 30


def test_the_constraints_of_a_field_are_in_words(client, description):
    page = unescape(client.get("/api/docs", headers={"Accept-Language": "en"}).content.decode())
    signup = _section_of(page, "post", "/api/auth/signup")
    assert "string, at least 10 characters" in signup  # the password
    assert "one of: true" in signup  # the terms accepted
    assert "string or null, one of: standard, extra_third, untimed<" in _section_of(page, "patch", "/api/me")
    timer = _section_of(page, "post", "/api/assessments/{assessment_id}/timer")
    assert '<th scope="row" class="api-status">400</th>' in timer
    french = unescape(client.get("/api/docs", headers={"Accept-Language": "fr"}).content.decode())
    assert "string, au moins 10 caractères" in _section_of(french, "post", "/api/auth/signup")


@pytest.mark.parametrize("language, heading, words", [
    ("fr", "Référence de l'API", "Paramètres"),
    ("en", "API reference", "Parameters"),
    ("fr-be", "Référence de l'API", "Paramètres"),
])
def test_the_page_speaks_the_readers_language_and_marks_the_english_texts(content, language, heading, words):
    page = unescape(Client().get("/api/docs", headers={"Accept-Language": language}).content.decode())
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page and words in page
    assert '<div class="prose" lang="en"><p>The learner' in page  # the API's own description, as written


def test_the_footer_links_to_the_reference_and_the_swagger_viewer_is_gone(client, description):
    home = client.get("/").content.decode()
    assert '<a href="/api/docs">' in home
    assert client.get("/api/docs").status_code == 200
    assert "swagger" not in client.get("/api/docs").content.decode().lower()
