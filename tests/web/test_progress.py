"""The progress indicator never moves back, whatever the answers (on the starter pack, whose
competences have tests long enough for the estimate to move)."""

import random
from pathlib import Path

import pytest
from django.urls import reverse

from balise.content.models import Challenge
from balise.evaluation.models import Assessment
from solutions import answer_data, challenge_ref, seed_of

from .conftest import PASSWORD, current_challenge_id, open_question

pytestmark = pytest.mark.django_db

STARTER_PACK = Path(__file__).resolve().parents[2] / "content"


def test_the_progress_bar_only_moves_forward(client_of):
    from balise.accounts.services import user_create
    from balise.content.selectors import content_caches_clear
    from balise.content.services import content_pack_import

    content_caches_clear()
    content_pack_import(STARTER_PACK)
    for luck in range(8):
        learner = user_create(email=f"learner{luck}@example.org", full_name="Learner", password=PASSWORD)
        progress_of_one_test(client_of(learner), random.Random(luck))
    content_caches_clear()


def progress_of_one_test(learner_client, rng):
    url = learner_client.post(reverse("evaluation:start", args=[rng.choice(["1.1", "2.1", "3.1", "4.1"])]))["Location"]
    shown = []
    for _ in range(60):
        page = open_question(learner_client, url)
        if page.status_code == 302:
            break
        assessment = Assessment.objects.get(public_id=url.strip("/").split("/")[1])
        shown.append(assessment.progress_percent)
        assert f'max="100" value="{assessment.progress_percent}"' in page.content.decode()
        # Never "done" while a question is still asked.
        assert assessment.progress_percent < 100
        challenge = Challenge.objects.get(id=current_challenge_id(page.content.decode()))
        data = {"challenge_id": challenge_ref(url, challenge.id), **answer_data(challenge, correct=rng.random() < 0.5, seed=seed_of(url))}
        learner_client.post(url + "answer/", data)
    assert len(shown) >= 3
    assert all(later >= earlier for earlier, later in zip(shown, shown[1:])), shown
    assert shown[-1] > shown[0]  # it does move
