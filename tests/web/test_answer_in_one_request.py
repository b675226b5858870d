"""An answer costs one request: its response is the next question (decision 0023).

The browser's reload and Back must stay safe: the page names its own address (the script puts
it in the address bar), and a resubmitted answer is refused, recording nothing twice.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balise.content.models import Challenge
from balise.content.selectors import challenge_for_answering, challenge_for_showing, competence_for_showing
from balise.evaluation.models import Answer, Assessment
from solutions import answer_data, challenge_ref, seed_of

from .conftest import current_challenge_id, open_question

pytestmark = pytest.mark.django_db


def _started(client):
    url = client.post(reverse("evaluation:start", args=["1.1"]))["Location"]
    challenge = Challenge.objects.select_related("skill").get(
        id=current_challenge_id(open_question(client, url).content.decode())
    )
    return url, challenge


def _wrong_answer(url, challenge):
    """A wrong answer to a level-1 question: 1.1 goes on to another question (it does not end)."""
    return {
        "challenge_id": challenge_ref(url, challenge.id),
        "action": "answer",
        **answer_data(challenge, correct=False, seed=seed_of(url)),
    }


def test_the_answers_response_is_the_next_question_with_its_own_address(learner_client):
    url, challenge = _started(learner_client)

    response = learner_client.post(url + "answer/", _wrong_answer(url, challenge))

    assert response.status_code == 200
    page = response.content.decode()
    assessment = Assessment.objects.get(public_id=url.strip("/").split("/")[1])
    assert assessment.state == Assessment.State.STARTED and assessment.answered_count == 1
    # The very page a GET of the test shows now: the current question, numbered 2.
    assert current_challenge_id(page) == assessment.current_challenge_id != challenge.id
    assert "Question 2" in re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    # Its address for the address bar (reload and Back then ask for the test, not this POST).
    assert f'data-page-url="{url}"' in page
    # Never kept by the browser: Back asks the server again (the test may have moved on).
    assert "no-store" in response["Cache-Control"]


def test_a_resubmitted_answer_is_refused_and_recorded_once(learner_client):
    """A reload of the answer's response without the script posts the same answer again."""
    url, challenge = _started(learner_client)
    data = _wrong_answer(url, challenge)

    first = learner_client.post(url + "answer/", data)
    again = learner_client.post(url + "answer/", data)

    assert first.status_code == 200
    assert again.status_code == 409
    assert Answer.objects.filter(challenge=challenge).count() == 1
    assert Answer.objects.count() == 1
    # The learner sees where they are: the same next question, with the reason on top.
    assert current_challenge_id(again.content.decode()) == current_challenge_id(first.content.decode())
    assert "déjà répondu" in again.content.decode()


def test_an_answer_and_its_next_question_cost_at_most_seven_queries(learner_client, learner):
    """Counted once the release's questions are in the process's copy (as on a warm server).

    Test settings keep sessions in the database (with Redis, production reads them there): the
    session, the user, the savepoint, the locked test, the answer, the test's update and the
    release of the savepoint. Nothing more for the next question's page: its challenge and
    competence come from the release's copy, its heading from the test row."""
    url, challenge = _started(learner_client)
    assessment = Assessment.objects.get(user=learner)
    for known in Challenge.objects.all():
        challenge_for_answering(assessment.content_version, known.id)
        challenge_for_showing(assessment.content_version, known.id)
    competence_for_showing(assessment.content_version, "1.1")

    data = _wrong_answer(url, challenge)

    with CaptureQueriesContext(connection) as queries:
        response = learner_client.post(url + "answer/", data)

    assert response.status_code == 200 and 'name="challenge_id"' in response.content.decode()
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) <= 7, "\n".join(statements)
    assert not [sql for sql in statements if 'FROM "content_' in sql], "content read again for the next question"
