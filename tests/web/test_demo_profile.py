"""The demo learner's filled profile: real tests through the services, varied levels, once."""

import pytest
from django.core.management import call_command

from balise.evaluation.models import Answer, Assessment, CompetenceScore

pytestmark = pytest.mark.django_db


def test_the_demo_learner_gets_a_profile_from_real_tests_once(content, learner):
    call_command("demo_profile", learner.email)
    scores = dict(CompetenceScore.objects.filter(user=learner).values_list("competence_id", "level"))
    # The fixture pack has competences 1.1, 1.2 and 2.1 of the demo list; each got a test to its end.
    assert set(scores) >= {"1.1", "2.1"}
    assert Assessment.objects.filter(user=learner, state="completed").count() == len(scores)
    assert Answer.objects.filter(assessment__user=learner, status="ok").exists()
    assert Answer.objects.filter(assessment__user=learner, status="ko").exists()
    answers = Answer.objects.count()
    call_command("demo_profile", learner.email)
    assert Answer.objects.count() == answers
