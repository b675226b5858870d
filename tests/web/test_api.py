"""The same journey through the JSON API, with session authentication and CSRF."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from balise.content.models import Challenge
from balise.evaluation.models import Answer, Assessment, CompetenceScore
from balise.learning.models import SavedTutorial, TutorialRating
from balise.spaces.models import Space
from solutions import challenge_id_of_code, challenge_ref, response_for, seed_of

from .conftest import PASSWORD, assert_error

pytestmark = pytest.mark.django_db

TUTORIAL = "tuto-searchEngines-keywords"
BELGIAN_TUTORIAL = "tuto-publicServicesBe-ebox"  # of the FWB space only
NO_SUCH_TEST = "00000000-0000-0000-0000-000000000000"


def answer_of(challenge: Challenge, test_id: str, *, correct: bool = True):
    response = response_for(challenge, "fr", correct=correct, seed=seed_of(f"/tests/{test_id}/"))
    return response[0] if challenge.type == "qcu" else response


def right_answer(challenge: Challenge, test_id: str):
    return answer_of(challenge, test_id)


def post(client, url, payload=None, **headers):
    body = json.dumps(payload) if payload is not None else ""
    return client.post(url, body, content_type="application/json", headers=headers)


def put(client, url, payload=None):
    return client.put(url, json.dumps(payload) if payload is not None else "", content_type="application/json")


def open_challenge(client, assessment: dict) -> dict:
    """The test with its current question shown: a timed question is started first."""
    challenge = assessment["challenge"]
    if challenge["timer_seconds"] and not challenge["timer_started"]:
        started = post(client, f"/api/assessments/{assessment['id']}/timer", {"challenge_id": challenge["id"]})
        assert started.status_code == 200, started.content
        assessment = started.json()
        assert assessment["challenge"]["timer_started"] and assessment["challenge"]["instruction"]
    return assessment


def challenge_of(assessment: dict) -> str:
    """The pack id of the question the API shows (by its code)."""
    return challenge_id_of_code(f"/tests/{assessment['id']}/", assessment["challenge"]["id"])


def take_test(client, competence_id="1.1", *, correct=True, limit=40) -> dict:
    """Start a test through the API and answer until it ends; the last assessment state."""
    started = post(client, "/api/assessments", {"competence_id": competence_id})
    assert started.status_code == 201, started.content
    assessment = started.json()
    for _ in range(limit):
        assessment = open_challenge(client, assessment)
        challenge = Challenge.objects.get(id=challenge_of(assessment))
        answered = post(
            client,
            f"/api/assessments/{assessment['id']}/answers",
            {"challenge_id": assessment["challenge"]["id"], "answer": answer_of(challenge, assessment["id"], correct=correct)},
        )
        assert answered.status_code == 201, answered.content
        assessment = client.get(f"/api/assessments/{assessment['id']}").json()
        if answered.json()["finished"]:
            assert assessment["state"] == "completed" and assessment["challenge"] is None
            return assessment
    raise AssertionError("the test never ended")


def test_api_requires_login(content, client):
    body = assert_error(client.get("/api/competences"), 401, "not_authenticated")
    assert set(body) == {"error", "message"}


def test_api_refuses_a_write_without_csrf_token(learner):
    client = Client(enforce_csrf_checks=True)
    client.login(email=learner.email, password=PASSWORD)
    response = post(client, "/api/assessments", {"competence_id": "1.1"})
    assert_error(response, 403, "csrf_failed")
    assert not Assessment.objects.exists()
    for response in [
        client.put(f"/api/tutorials/saved/{TUTORIAL}"),
        client.put(f"/api/tutorials/{TUTORIAL}/rating", '{"useful": true}', content_type="application/json"),
        post(client, "/api/competences/1.1/reset"),
    ]:
        assert_error(response, 403, "csrf_failed")
    assert not SavedTutorial.objects.exists() and not TutorialRating.objects.exists()
    # Reading needs no token; writing with the token works.
    assert client.get("/api/competences").status_code == 200
    token = client.get("/api/auth/csrf").json()["csrf_token"]
    assert post(client, "/api/assessments", {"competence_id": "1.1"}, **{"X-CSRFToken": token}).status_code == 201


def test_full_journey_through_the_api(learner_client):
    competences = learner_client.get("/api/competences").json()
    assert {c["id"] for c in competences} >= {"1.1", "1.2"}
    started = post(learner_client, "/api/assessments", {"competence_id": "1.1"})
    assert started.status_code == 201
    assessment = started.json()
    # No solution ever reaches the client.
    assert "correct" not in json.dumps(assessment) and "accepted" not in json.dumps(assessment)
    for _ in range(30):
        assessment = open_challenge(learner_client, assessment)
        challenge = Challenge.objects.get(id=challenge_of(assessment))
        # Nor a hint: the question is named by a code of this test, not by its pack id.
        assert assessment["challenge"]["id"] != challenge.id
        # Nor a hint: the options are named by codes of this test, not by the pack's ids.
        pack_ids = {o["id"] for o in challenge.display.get("options", [])}
        assert not pack_ids & {o["id"] for o in assessment["challenge"]["options"]}
        answered = post(
            learner_client,
            f"/api/assessments/{assessment['id']}/answers",
            {"challenge_id": assessment["challenge"]["id"], "answer": right_answer(challenge, assessment["id"])},
        )
        assert answered.status_code == 201, answered.content
        assert answered.json()["status"] == "ok"
        if answered.json()["finished"]:
            assert answered.json()["assessment"]["state"] == "completed"
            assert answered.json()["assessment"]["challenge"] is None
            break
        # The answer's response carries the next question: the same as a GET of the test now.
        assessment = answered.json()["assessment"]
        assert assessment == learner_client.get(f"/api/assessments/{assessment['id']}").json()
    result = learner_client.get(f"/api/assessments/{assessment['id']}/result").json()
    assert result["level"] >= 1 and result["pix"] > 0
    profile = learner_client.get("/api/profile").json()
    assert profile["total_pix"] == result["pix"] and profile["max_total"] == 1024
    row = next(c for c in profile["competences"] if c["id"] == "1.1")
    assert row == {
        "id": "1.1",
        "name": "Mener une recherche et une veille d'information",
        "area": "1",
        "level": result["level"],
        "pix": result["pix"],
    }
    card = next(c for c in learner_client.get("/api/competences").json() if c["id"] == "1.1")
    assert card["pix"] == result["pix"] and card["assessment_id"] is None


def test_profile_names_competences_in_the_learners_language(learner_client):
    profile = learner_client.get("/api/profile", headers={"Accept-Language": "en"}).json()
    names = {c["id"]: c["name"] for c in profile["competences"]}
    assert names["1.2"] == "Managing data"
    assert all(c["level"] == 0 and c["pix"] == 0 for c in profile["competences"])


def test_starting_a_test_in_progress_gives_it_back(learner_client, learner):
    first = post(learner_client, "/api/assessments", {"competence_id": "1.1"})
    assert first.status_code == 201
    again = post(learner_client, "/api/assessments", {"competence_id": "1.1"})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["challenge"]["id"] == first.json()["challenge"]["id"]
    assert Assessment.objects.filter(user=learner).count() == 1
    other = post(learner_client, "/api/assessments", {"competence_id": "1.2"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_api_bad_input_gets_a_clear_error_and_changes_nothing(learner_client, other_learner, client_of):
    assessment = post(learner_client, "/api/assessments", {"competence_id": "1.1"}).json()
    url = f"/api/assessments/{assessment['id']}/answers"
    challenge_id = assessment["challenge"]["id"]

    wrong_challenge = post(learner_client, url, {"challenge_id": "not-the-current-one", "answer": "a"})
    body = assert_error(wrong_challenge, 409, "not_current_challenge")
    # The client can resync from the error itself.
    assert body["assessment"]["id"] == assessment["id"]
    assert body["assessment"]["challenge"]["id"] == challenge_id
    assert body["assessment"]["answered"] == 0

    malformed = post(learner_client, url, {"challenge_id": challenge_id, "answer": ["x", "y", "z"]})
    assert_error(malformed, 400, "invalid_answer")

    empty = post(learner_client, url, {"challenge_id": challenge_id, "answer": ""})
    assert_error(empty, 400, "invalid_answer")

    no_challenge = post(learner_client, url, {"answer": "a"})
    body = assert_error(no_challenge, 422, "validation_error")
    assert body["field"] == "challenge_id" and list(body["fields"]) == ["challenge_id"]

    wrong_type = post(learner_client, url, {"challenge_id": challenge_id, "answer": 12, "skipped": "maybe"})
    assert set(assert_error(wrong_type, 422, "validation_error")["fields"]) == {"answer", "skipped"}

    not_json = learner_client.post(url, "{not json", content_type="application/json")
    assert_error(not_json, 400, "bad_request")

    intruder = client_of(other_learner)
    assert_error(post(intruder, url, {"challenge_id": challenge_id, "answer": "a"}), 404, "not_found")
    assert_error(intruder.get(f"/api/assessments/{assessment['id']}"), 404, "not_found")
    assert_error(intruder.get(f"/api/assessments/{assessment['id']}/result"), 404, "not_found")
    timer = post(intruder, f"/api/assessments/{assessment['id']}/timer", {"challenge_id": challenge_id})
    assert_error(timer, 404, "not_found")
    assert_error(learner_client.get("/api/assessments/not-a-uuid"), 404, "not_found")
    assert_error(learner_client.get(f"/api/assessments/{NO_SUCH_TEST}"), 404, "not_found")

    unknown = post(learner_client, "/api/assessments", {"competence_id": "9.9"})
    assert_error(unknown, 404, "not_found")
    assert_error(post(learner_client, "/api/assessments", {}), 422, "validation_error")
    assert not Answer.objects.exists()
    assert Assessment.objects.count() == 1
    assert learner_client.get(f"/api/assessments/{assessment['id']}").json()["answered"] == 0


def test_result_of_a_test_in_progress_is_a_409(learner_client):
    assessment = post(learner_client, "/api/assessments", {"competence_id": "1.1"}).json()
    assert_error(learner_client.get(f"/api/assessments/{assessment['id']}/result"), 409, "not_available_yet")


def test_answering_a_finished_test_is_a_409_with_its_state(learner_client):
    assessment = take_test(learner_client)
    last = Answer.objects.filter(assessment__public_id=assessment["id"]).order_by("-position").first()
    again = post(
        learner_client,
        f"/api/assessments/{assessment['id']}/answers",
        {"challenge_id": challenge_ref(f"/tests/{assessment['id']}/", last.challenge_id), "answer": "a"},
    )
    body = assert_error(again, 409, "assessment_finished")
    assert body["assessment"]["state"] == "completed" and body["assessment"]["challenge"] is None
    timer = post(learner_client, f"/api/assessments/{assessment['id']}/timer", {"challenge_id": challenge_ref(f"/tests/{assessment['id']}/", last.challenge_id)})
    assert assert_error(timer, 409, "assessment_finished")["assessment"]["id"] == assessment["id"]
    assert Answer.objects.count() == assessment["answered"]
    # Starting the competence again is not possible yet: the learner waits.
    assert_error(post(learner_client, "/api/assessments", {"competence_id": "1.1"}), 409, "not_available_yet")


def test_errors_are_in_the_learners_language(learner_client):
    french = learner_client.get(f"/api/assessments/{NO_SUCH_TEST}", headers={"Accept-Language": "fr"}).json()
    english = learner_client.get(f"/api/assessments/{NO_SUCH_TEST}", headers={"Accept-Language": "en"}).json()
    assert english["message"] == "This test does not exist or is not yours."
    assert french["message"] != english["message"] and french["error"] == english["error"] == "not_found"
    missing = post(learner_client, "/api/assessments", {}, **{"Accept-Language": "en"}).json()
    assert missing["fields"] == {"competence_id": ["This field is required."]}
    missing_fr = post(learner_client, "/api/assessments", {}, **{"Accept-Language": "fr"}).json()
    assert missing_fr["fields"]["competence_id"] != ["This field is required."]


# --- competence reset


def test_reset_a_competence(learner_client, learner):
    assert_error(post(learner_client, "/api/competences/1.1/reset"), 409, "not_available_yet")  # nothing to reset
    take_test(learner_client, "1.1")
    too_soon = assert_error(post(learner_client, "/api/competences/1.1/reset"), 409, "not_available_yet")
    assert too_soon["message"]
    assert CompetenceScore.objects.filter(user=learner, competence_id="1.1").exists()

    CompetenceScore.objects.filter(user=learner).update(completed_at=timezone.now() - timedelta(days=30))
    response = post(learner_client, "/api/competences/1.1/reset")
    assert response.status_code == 200, response.content
    card = response.json()
    assert (card["id"], card["level"], card["pix"], card["action"]) == ("1.1", 0, 0, "start")
    assert not CompetenceScore.objects.filter(user=learner).exists()
    assert learner_client.get("/api/profile").json()["total_pix"] == 0
    assert post(learner_client, "/api/assessments", {"competence_id": "1.1"}).status_code == 201


def test_reset_an_unknown_or_hidden_competence_is_a_404(learner_client, learner, other_learner, client_of):
    assert_error(post(learner_client, "/api/competences/9.9/reset"), 404, "not_found")
    # Someone else's score is not touched by my reset.
    take_test(client_of(other_learner), "1.1")
    CompetenceScore.objects.update(completed_at=timezone.now() - timedelta(days=30))
    assert_error(post(learner_client, "/api/competences/1.1/reset"), 409, "not_available_yet")
    assert CompetenceScore.objects.filter(user=other_learner).exists()


# --- tutorials


def test_api_tutorials_save_rate_and_list(learner_client, learner):
    assert learner_client.put(f"/api/tutorials/saved/{TUTORIAL}").status_code == 204
    assert learner_client.put(f"/api/tutorials/saved/{TUTORIAL}").status_code == 204  # idempotent
    assert [t["id"] for t in learner_client.get("/api/tutorials/saved").json()] == [TUTORIAL]
    rating = put(learner_client, f"/api/tutorials/{TUTORIAL}/rating", {"useful": True})
    assert rating.status_code == 204
    assert TutorialRating.objects.get(user=learner, tutorial_id=TUTORIAL).useful is True
    mine = learner_client.get("/api/tutorials/saved").json()
    assert mine[0]["saved"] is True and mine[0]["useful"] is True
    assert put(learner_client, f"/api/tutorials/{TUTORIAL}/rating", {"useful": False}).status_code == 204
    assert TutorialRating.objects.get(user=learner, tutorial_id=TUTORIAL).useful is False
    assert learner_client.delete(f"/api/tutorials/{TUTORIAL}/rating").status_code == 204
    assert not TutorialRating.objects.filter(user=learner).exists()
    assert learner_client.get(f"/api/tutorials/{TUTORIAL}").json()["useful"] is None
    assert learner_client.delete(f"/api/tutorials/saved/{TUTORIAL}").status_code == 204
    assert learner_client.get("/api/tutorials/saved").json() == []
    assert_error(learner_client.put("/api/tutorials/saved/nope"), 404, "not_found")


def test_tutorials_of_a_competence(learner_client):
    listed = learner_client.get("/api/competences/1.1/tutorials")
    assert listed.status_code == 200
    tutorials = {t["id"]: t for t in listed.json()}
    # The FWB's own helpline tutorial is not the default space's (tests/web/test_spaces.py).
    assert set(tutorials) == {"tuto-searchEngines-keywords", "tuto-searchEngines-operators", "tuto-searchEngines-helpFr"}
    assert tutorials[TUTORIAL] == {
        "id": TUTORIAL,
        "title": "Choisir ses mots-clés",
        "kind": "text",
        "duration_minutes": 3,
        "competence": "1.1",
        "saved": False,
        "useful": None,
    }
    learner_client.put(f"/api/tutorials/saved/{TUTORIAL}")
    put(learner_client, f"/api/tutorials/{TUTORIAL}/rating", {"useful": False})
    again = {t["id"]: t for t in learner_client.get("/api/competences/1.1/tutorials").json()}
    assert again[TUTORIAL]["saved"] is True and again[TUTORIAL]["useful"] is False
    assert again["tuto-searchEngines-operators"]["saved"] is False
    assert_error(learner_client.get("/api/competences/9.9/tutorials"), 404, "not_found")


def test_one_tutorial(learner_client):
    text = learner_client.get(f"/api/tutorials/{TUTORIAL}", headers={"Accept-Language": "en"}).json()
    assert text["title"] == "Choosing keywords" and "**important**" in text["text"] and text["url"] == ""
    page = learner_client.get("/api/tutorials/tuto-searchEngines-operators").json()
    assert page["kind"] == "page" and page["url"].startswith("https://fr.wikipedia.org/")
    assert_error(learner_client.get("/api/tutorials/nope"), 404, "not_found")


def test_tutorials_of_another_space_are_not_found(learner_client, learner):
    for response in [
        learner_client.get(f"/api/tutorials/{BELGIAN_TUTORIAL}"),
        learner_client.put(f"/api/tutorials/saved/{BELGIAN_TUTORIAL}"),
        put(learner_client, f"/api/tutorials/{BELGIAN_TUTORIAL}/rating", {"useful": True}),
    ]:
        assert_error(response, 404, "not_found")
    assert BELGIAN_TUTORIAL not in {t["id"] for t in learner_client.get("/api/competences/2.1/tutorials").json()}
    assert not SavedTutorial.objects.exists() and not TutorialRating.objects.exists()
    learner.home_space = Space.objects.get(slug="fwb")
    learner.save()
    assert learner_client.get(f"/api/tutorials/{BELGIAN_TUTORIAL}").status_code == 200


def test_a_bad_rating_changes_nothing(learner_client):
    for payload in [None, {}, {"useful": "perhaps"}]:
        assert_error(put(learner_client, f"/api/tutorials/{TUTORIAL}/rating", payload), 422, "validation_error")
    assert not TutorialRating.objects.exists()


# --- the OpenAPI description


def test_openapi_schema_documents_every_operation_and_its_errors(content, client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/assessments/{assessment_id}/answers" in schema["paths"]
    for path in ["/api/auth/csrf", "/api/auth/login", "/api/me", "/api/competences/{competence_id}/tutorials"]:
        assert path in schema["paths"], path
    assert {"error", "message", "field", "fields"} <= set(schema["components"]["schemas"]["ErrorOut"]["properties"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary") and operation.get("description"), (method, path)
            if method != "get" or path not in {"/api/auth/csrf"}:
                errors = [code for code in operation["responses"] if code.startswith(("4", "5"))]
                assert errors, (method, path)
    answers = schema["paths"]["/api/assessments/{assessment_id}/answers"]["post"]["responses"]
    assert {"201", "400", "404", "409", "422"} <= set(answers)
    conflict = answers["409"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "assessment" in schema["components"]["schemas"][conflict]["properties"]
    assert {"200", "201"} <= set(schema["paths"]["/api/assessments"]["post"]["responses"])
    assert client.get("/api/docs").status_code == 200


def test_an_unknown_api_address_is_a_json_404(learner_client, client):
    for c in (learner_client, client):
        assert_error(c.get("/api/nothing-here"), 404, "not_found")
        assert_error(post(c, "/api/tutorials/saved/x/y"), 404, "not_found")
