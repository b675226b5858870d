"""A learner who needs it gets a third more time, or no time limit, for timed questions."""

from datetime import timedelta

import pytest
from django.urls import reverse

from balise.content.models import Challenge
from balise.content.selectors import content_caches_clear
from balise.evaluation.models import Answer, Assessment
from solutions import answer_data, challenge_ref, seed_of

pytestmark = pytest.mark.django_db


def start_with_a_timed_question(client, learner, *, timer: int, seconds_ago: int):
    """Start 1.1, make its first question a timed one shown `seconds_ago` (as if the learner
    had pressed "I am ready" then)."""
    url = client.post(reverse("evaluation:start", args=["1.1"]))["Location"]
    assessment = Assessment.objects.get(user=learner, state="started")
    challenge = assessment.current_challenge
    Challenge.objects.filter(id=challenge.id).update(timer=timer)
    content_caches_clear()
    shown_at = assessment.current_shown_at - timedelta(seconds=seconds_ago)
    Assessment.objects.filter(pk=assessment.pk).update(current_shown_at=shown_at)
    return url, Challenge.objects.get(id=challenge.id)


def answer_right(client, url, challenge):
    client.post(url + "answer/", {"challenge_id": challenge_ref(url, challenge.id), **answer_data(challenge, seed=seed_of(url))})
    return Answer.objects.get(challenge=challenge).status


def test_a_third_more_time(learner_client, learner, settings):
    settings.BALISE_TIMER_GRACE_SECONDS = 0
    assert learner_client.post(reverse("accounts:time_allowance"), {"time_allowance": "extra_third"}).status_code == 302
    url, challenge = start_with_a_timed_question(learner_client, learner, timer=30, seconds_ago=5)
    page = learner_client.get(url).content.decode()
    assert "vous avez 40 secondes" in page  # 30 s + a third
    Assessment.objects.filter(user=learner).update(
        current_shown_at=Assessment.objects.get().current_shown_at - timedelta(seconds=33)
    )
    assert answer_right(learner_client, url, challenge) == "ok"  # 38 s: late for others, in time here


def test_no_time_limit(learner_client, learner, settings):
    settings.BALISE_TIMER_GRACE_SECONDS = 0
    learner_client.post(reverse("accounts:time_allowance"), {"time_allowance": "untimed"})
    url, challenge = start_with_a_timed_question(learner_client, learner, timer=30, seconds_ago=600)
    page = learner_client.get(url).content.decode()
    assert 'class="timer"' not in page and "chronométrée" not in page
    assert answer_right(learner_client, url, challenge) == "ok"


def test_a_test_keeps_the_conditions_it_started_with(learner_client, learner, settings):
    settings.BALISE_TIMER_GRACE_SECONDS = 0
    url, challenge = start_with_a_timed_question(learner_client, learner, timer=30, seconds_ago=60)
    learner_client.post(reverse("accounts:time_allowance"), {"time_allowance": "untimed"})
    assert answer_right(learner_client, url, challenge) == "timedout"


def test_an_unknown_choice_is_refused_and_changes_nothing(learner_client, learner):
    response = learner_client.post(reverse("accounts:time_allowance"), {"time_allowance": "forever"})
    assert response.status_code == 400
    assert "Choisissez une des options" in response.content.decode()
    learner.refresh_from_db()
    assert learner.time_allowance == "standard"
    page = learner_client.get(reverse("accounts:account")).content.decode()
    assert 'value="standard" id="time-standard" checked' in page


def test_the_api_reads_and_sets_the_allowance_and_gives_the_allowed_seconds(learner_client, learner):
    import json

    assert learner_client.get("/api/me").json()["time_allowance"] == "standard"
    changed = learner_client.patch(
        "/api/me", json.dumps({"time_allowance": "extra_third"}), content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["time_allowance"] == "extra_third"
    refused = learner_client.patch(
        "/api/me", json.dumps({"time_allowance": "forever"}), content_type="application/json"
    )
    assert refused.status_code == 400 and "time_allowance" in refused.json()["fields"]
    url, _challenge = start_with_a_timed_question(learner_client, learner, timer=30, seconds_ago=0)
    test_id = url.strip("/").split("/")[1]
    assert learner_client.get(f"/api/assessments/{test_id}").json()["challenge"]["timer_seconds"] == 40
