"""Bad input and concurrency: each gets a clear message and changes nothing."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from balise.content.models import Challenge
from balise.evaluation.models import Answer, Assessment
from solutions import answer_data, challenge_ref, seed_of

from .conftest import current_challenge_id, open_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(learner_client):
    response = learner_client.post(reverse("evaluation:start", args=["1.1"]))
    url = response["Location"]
    challenge = Challenge.objects.get(id=current_challenge_id(open_question(learner_client, url).content.decode()))
    return url, challenge


def test_answering_twice_records_one_answer(learner_client, started):
    url, challenge = started
    data = {"challenge_id": challenge_ref(url, challenge.id), "action": "answer", **answer_data(challenge, seed=seed_of(url))}
    first = learner_client.post(url + "answer/", data)
    second = learner_client.post(url + "answer/", data)
    assert first.status_code == 302
    assert second.status_code == 409  # refused, with the page of where the learner is now
    assert Answer.objects.filter(challenge=challenge).count() == 1
    page = second.content.decode()
    # "already answered" or, if that answer ended the test, "this test is finished" — in French.
    assert "déjà répondu" in page or "Ce test est terminé" in page
    assessment = Assessment.objects.get(public_id=url.strip("/").split("/")[1])
    if assessment.current_challenge_id:
        assert current_challenge_id(page) == assessment.current_challenge_id


def test_answering_a_challenge_that_is_not_the_current_one_changes_nothing(learner_client, started):
    url, challenge = started
    other = Challenge.objects.exclude(id=challenge.id).first()
    response = learner_client.post(url + "answer/", {"challenge_id": challenge_ref(url, other.id), **answer_data(other, seed=seed_of(url))})
    assert response.status_code == 409
    assert "déjà répondu" in response.content.decode()
    assert current_challenge_id(response.content.decode()) == challenge.id  # the question to answer is shown
    assert not Answer.objects.exists()
    assert current_challenge_id(learner_client.get(url).content.decode()) == challenge.id


def test_tampered_option_is_refused_with_a_message(learner_client, started):
    url, challenge = started
    if challenge.type in {"qcu", "qcm"}:
        field, value = "answer", "<script>zz</script>"  # not one of the options
    else:
        field, value = f"field-{challenge.display['fields'][0]['id']}", "x" * 10_000
    response = learner_client.post(url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), field: value})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Answer.objects.exists()


def test_empty_answer_asks_to_answer_or_skip(learner_client, started):
    url, challenge = started
    response = learner_client.post(url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), "action": "answer"})
    assert response.status_code == 400
    assert "je passe" in response.content.decode().lower()
    assert not Answer.objects.exists()


def test_skip_is_recorded_as_skipped(learner_client, started):
    url, challenge = started
    learner_client.post(url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), "action": "skip"})
    assert Answer.objects.get().status == "skipped"


def test_unknown_and_someone_elses_assessment_are_not_found(learner_client, started, other_learner, client_of):
    url, challenge = started
    assert learner_client.get("/tests/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert learner_client.get("/tests/not-a-uuid/").status_code == 404
    intruder = client_of(other_learner)
    assert intruder.get(url).status_code == 404
    response = intruder.post(url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), **answer_data(challenge, seed=seed_of(url))})
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_answer_after_the_time_limit_is_timed_out(learner_client, learner, settings):
    settings.BALISE_TIMER_GRACE_SECONDS = 0
    # Make the current challenge a timed one whose limit has passed.
    url = learner_client.post(reverse("evaluation:start", args=["1.1"]))["Location"]
    assessment = Assessment.objects.get(user=learner)
    challenge = assessment.current_challenge
    Challenge.objects.filter(id=challenge.id).update(timer=1)
    from datetime import timedelta

    Assessment.objects.filter(pk=assessment.pk).update(
        current_shown_at=assessment.current_shown_at - timedelta(seconds=30)
    )
    learner_client.post(url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), **answer_data(challenge, seed=seed_of(url))})
    assert Answer.objects.get().status == "timedout"


def test_focus_lost_on_a_focused_challenge_makes_a_right_answer_focused_out(learner_client, learner):
    url = learner_client.post(reverse("evaluation:start", args=["1.1"]))["Location"]
    assessment = Assessment.objects.get(user=learner)
    challenge = assessment.current_challenge
    Challenge.objects.filter(id=challenge.id).update(focused=True)
    assert learner_client.post(url + "focus-lost/", {"challenge_id": challenge_ref(url, challenge.id)}).status_code == 200
    assert learner_client.post(url + "focus-lost/", {"challenge_id": "other"}).status_code == 409
    learner_client.post(url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), **answer_data(challenge, seed=seed_of(url))})
    assert Answer.objects.get().status == "focusedout"


def test_answer_after_the_test_is_finished_changes_nothing(learner_client, learner):
    from .test_journey import take_test

    take_test(learner_client, correct=True)
    assessment = Assessment.objects.get(user=learner)
    count = Answer.objects.count()
    challenge = Answer.objects.filter(assessment=assessment).first().challenge
    url = reverse("evaluation:answer", args=[assessment.public_id])
    response = learner_client.post(url, {"challenge_id": challenge_ref(url, challenge.id), **answer_data(challenge, seed=seed_of(url))})
    assert response.status_code == 409
    assert "Ce test est terminé" in response.content.decode()
    assert Answer.objects.count() == count


def test_get_on_answer_leads_to_the_test(learner_client, started):
    """Without the script, the address bar keeps the answer's address: opened again, it leads
    to the test as it stands (a GET records nothing); other methods are refused."""
    url, _challenge = started
    response = learner_client.get(url + "answer/")
    assert response.status_code == 302 and response["Location"] == url
    assert learner_client.put(url + "answer/").status_code == 405
    assert not Answer.objects.exists()


def test_anonymous_visitor_is_sent_to_login(content, client):
    response = client.get(reverse("evaluation:competences"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_two_tabs_answering_at_once_record_one_answer(content, learner):
    """Two concurrent requests with the same answer: exactly one is recorded."""
    starter = Client()
    starter.force_login(learner)
    url = starter.post(reverse("evaluation:start", args=["1.1"]))["Location"]
    challenge = Challenge.objects.get(id=current_challenge_id(starter.get(url).content.decode()))
    data = {"challenge_id": challenge_ref(url, challenge.id), **answer_data(challenge, seed=seed_of(url))}
    statuses = []

    def post():
        client = Client()
        client.force_login(learner)
        statuses.append(client.post(url + "answer/", data).status_code)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 409, 409, 409]  # one recorded, three told it already was
    assert Answer.objects.filter(challenge=challenge).count() == 1
    assert Answer.objects.count() == 1


def test_a_timed_question_is_announced_and_its_clock_starts_when_the_learner_is_ready(learner_client, learner):
    url = learner_client.post(reverse("evaluation:start", args=["1.1"]))["Location"]
    assessment = Assessment.objects.get(user=learner)
    challenge = assessment.current_challenge
    Challenge.objects.filter(id=challenge.id).update(timer=60)
    Assessment.objects.filter(pk=assessment.pk).update(current_shown_at=None)  # as for a timed question

    intro = learner_client.get(url).content.decode()
    assert "chronométrée" in intro and "60" in intro
    instruction = challenge.display["instruction"]["fr"][:40]
    assert instruction not in intro  # the question itself is not shown before the clock runs

    early = learner_client.post(url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), **answer_data(challenge, seed=seed_of(url))})
    assert early.status_code == 409 and not Answer.objects.exists()

    assert learner_client.post(url + "timer/", {"challenge_id": challenge_ref(url, challenge.id)}).status_code == 302
    started_at = Assessment.objects.get(pk=assessment.pk).current_shown_at
    assert started_at is not None
    learner_client.post(url + "timer/", {"challenge_id": challenge_ref(url, challenge.id)})  # a second click changes nothing
    assert Assessment.objects.get(pk=assessment.pk).current_shown_at == started_at
    question = learner_client.get(url).content.decode()
    assert 'data-remaining="' in question and 'name="challenge_id"' in question
    learner_client.post(url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), **answer_data(challenge, seed=seed_of(url))})
    assert Answer.objects.get().status == "ok"


def test_the_packs_own_option_ids_are_refused(learner_client, learner):
    """Authors put the right option first as "a": posting pack ids instead of the page's codes
    must not score (web and API alike)."""
    import json

    for competence in ["1.1", "1.2", "2.1"]:
        url = learner_client.post(reverse("evaluation:start", args=[competence]))["Location"]
        challenge = Challenge.objects.get(id=current_challenge_id(open_question(learner_client, url).content.decode()))
        if challenge.type not in {"qcu", "qcm"}:
            continue
        right = sorted(challenge.solutions["fr"]["correct_options"])
        response = learner_client.post(
            url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), "answer": right[0] if challenge.type == "qcu" else right}
        )
        assert response.status_code == 400
        test_id = url.strip("/").split("/")[1]
        api = learner_client.post(
            f"/api/assessments/{test_id}/answers",
            json.dumps({"challenge_id": challenge_ref(url, challenge.id), "answer": right[0] if challenge.type == "qcu" else right}),
            content_type="application/json",
        )
        assert api.status_code == 400 and api.json()["error"] == "invalid_answer"
        assert not Answer.objects.filter(challenge=challenge).exists()
        return
    pytest.fail("no choice question to try")
