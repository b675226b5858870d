"""The result page counts what happened in the test and puts the nearest steps first."""

import re
from pathlib import Path

import pytest

from balise.evaluation.models import Answer

from .test_journey import take_test

pytestmark = pytest.mark.django_db


def test_the_result_counts_questions_right_and_skipped(learner_client, learner):
    result_url = take_test(learner_client, correct=lambda challenge: challenge.skill.level == 1)
    page = learner_client.get(result_url).content.decode().replace("\u00a0", " ")
    answers = Answer.objects.filter(assessment__user=learner)
    asked, right = answers.count(), answers.filter(status="ok").count()
    skipped = answers.filter(status="skipped").count()
    summary = re.search(r"(\d+) questions? posées? : (\d+) réussies?, (\d+) passées?", page)
    assert summary, page
    assert tuple(int(n) for n in summary.groups()) == (asked, right, skipped)
    assert 0 < right < asked


def test_a_tutorial_opinion_can_be_taken_back_and_a_bad_one_is_refused(learner_client, learner):
    from django.urls import reverse

    from balise.content.models import Tutorial
    from balise.learning.models import TutorialRating

    tutorial = Tutorial.objects.filter(space=None).first()
    url = reverse("learning:rate", args=[tutorial.id])
    learner_client.post(url, {"useful": "yes"})
    page = learner_client.get(reverse("learning:show", args=[tutorial.id])).content.decode()
    assert 'value="withdraw" aria-pressed="true"' in page  # pressing it again takes it back
    learner_client.post(url, {"useful": "withdraw"})
    assert not TutorialRating.objects.filter(user=learner).exists()
    refused = learner_client.post(url, {"useful": "maybe"})
    assert refused.status_code == 400
    assert (
        "Choisissez « utile » ou « pas utile »" in refused.content.decode().replace("\u00a0", " ")
        and 'aria-pressed="true"' not in refused.content.decode()
    )
    assert not TutorialRating.objects.filter(user=learner).exists()


@pytest.mark.parametrize(
    ("counts", "french"),
    [
        ((5, 1, 0), "5 questions posées : 1 réussie, 0 passée."),
        ((7, 4, 2), "7 questions posées : 4 réussies, 2 passées."),
    ],
)
def test_each_count_of_the_result_takes_its_own_plural(counts, french):
    from django.template import Context, Template
    from django.utils import translation

    template = Path(__file__).resolve().parents[2] / "src/balise/site/templates/evaluation/result.html"
    line = next(line for line in template.read_text().splitlines() if "question asked" in line)
    asked, right, skipped = counts
    with translation.override("fr"):
        rendered = Template("{% load i18n %}" + line).render(
            Context({"asked": asked, "right": right, "skipped": skipped})
        )
    assert french in rendered.replace("\u00a0", " ")
