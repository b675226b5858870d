"""The result page counts what happened in the test and puts the nearest steps first."""

import re

import pytest

from balise.evaluation.models import Answer

from .test_journey import take_test

pytestmark = pytest.mark.django_db


def test_the_result_counts_questions_right_and_skipped(learner_client, learner):
    result_url = take_test(learner_client, correct=lambda challenge: challenge.skill.level == 1)
    page = learner_client.get(result_url).content.decode()
    answers = Answer.objects.filter(assessment__user=learner)
    asked, right = answers.count(), answers.filter(status="ok").count()
    skipped = answers.filter(status="skipped").count()
    summary = re.search(r"(\d+) questions? posées? : (\d+) réussies?, (\d+) passées?", page)
    assert summary, page
    assert tuple(int(n) for n in summary.groups()) == (asked, right, skipped)
    assert 0 < right < asked
