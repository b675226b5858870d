"""The same journey through the JSON API, with session authentication and CSRF."""

import json

import pytest
from django.test import Client

from balise.content.models import Challenge
from balise.evaluation.models import Answer
from solutions import response_for, seed_of

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def right_answer(challenge: Challenge, test_id: str):
    response = response_for(challenge, "fr", seed=seed_of(f"/tests/{test_id}/"))
    return response[0] if challenge.type == "qcu" else response


def post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_api_requires_login(content, client):
    assert client.get("/api/competences").status_code == 401


def test_api_refuses_a_write_without_csrf_token(learner):
    client = Client(enforce_csrf_checks=True)
    client.login(email=learner.email, password=PASSWORD)
    response = post(client, "/api/assessments", {"competence_id": "1.1"})
    assert response.status_code == 403


def test_full_journey_through_the_api(learner_client):
    competences = learner_client.get("/api/competences").json()
    assert {c["id"] for c in competences} >= {"1.1", "1.2"}
    started = post(learner_client, "/api/assessments", {"competence_id": "1.1"})
    assert started.status_code == 201
    assessment = started.json()
    # No solution ever reaches the client.
    assert "correct" not in json.dumps(assessment) and "accepted" not in json.dumps(assessment)
    for _ in range(30):
        challenge = Challenge.objects.get(id=assessment["challenge"]["id"])
        # Nor a hint: the options are named by codes of this test, not by the pack's ids.
        pack_ids = {o["id"] for o in challenge.display.get("options", [])}
        assert not pack_ids & {o["id"] for o in assessment["challenge"]["options"]}
        answered = post(
            learner_client,
            f"/api/assessments/{assessment['id']}/answers",
            {"challenge_id": challenge.id, "answer": right_answer(challenge, assessment["id"])},
        )
        assert answered.status_code == 201, answered.content
        assert answered.json()["status"] == "ok"
        if answered.json()["finished"]:
            break
        assessment = learner_client.get(f"/api/assessments/{assessment['id']}").json()
    result = learner_client.get(f"/api/assessments/{assessment['id']}/result").json()
    assert result["level"] >= 1 and result["pix"] > 0
    profile = learner_client.get("/api/profile").json()
    assert profile["total_pix"] == result["pix"] and profile["max_total"] == 1024


def test_api_bad_input_gets_a_clear_error_and_changes_nothing(learner_client, other_learner, client_of):
    assessment = post(learner_client, "/api/assessments", {"competence_id": "1.1"}).json()
    url = f"/api/assessments/{assessment['id']}/answers"
    challenge_id = assessment["challenge"]["id"]

    wrong_challenge = post(learner_client, url, {"challenge_id": "not-the-current-one", "answer": "a"})
    assert wrong_challenge.status_code == 409
    assert wrong_challenge.json()["error"] == "not_current_challenge"

    malformed = post(learner_client, url, {"challenge_id": challenge_id, "answer": ["x", "y", "z"]})
    assert malformed.status_code in (400, 422)
    assert malformed.json().get("message") or malformed.json().get("detail")

    intruder = post(client_of(other_learner), url, {"challenge_id": challenge_id, "answer": "a"})
    assert intruder.status_code == 404

    unknown = post(learner_client, "/api/assessments", {"competence_id": "9.9"})
    assert unknown.status_code == 404
    assert not Answer.objects.exists()


def test_api_tutorials_save_rate_and_list(learner_client):
    tutorial = "tuto-searchEngines-keywords"
    assert learner_client.put(f"/api/tutorials/saved/{tutorial}").status_code == 204
    assert [t["id"] for t in learner_client.get("/api/tutorials/saved").json()] == [tutorial]
    rating = learner_client.put(
        f"/api/tutorials/{tutorial}/rating", json.dumps({"useful": True}), content_type="application/json"
    )
    assert rating.status_code == 204
    assert learner_client.delete(f"/api/tutorials/saved/{tutorial}").status_code == 204
    assert learner_client.get("/api/tutorials/saved").json() == []
    assert learner_client.put("/api/tutorials/saved/nope").status_code == 404


def test_openapi_schema_is_served(content, client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/assessments/{assessment_id}/answers" in response.json()["paths"]
