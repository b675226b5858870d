"""The competences page leads back to a finished test's result."""

import pytest
from django.urls import reverse

from .test_journey import take_test

pytestmark = pytest.mark.django_db


def test_a_finished_competence_links_to_its_last_result(learner_client):
    before = learner_client.get(reverse("evaluation:competences")).content.decode()
    assert "/result/" not in before
    result_url = take_test(learner_client, correct=True)
    after = learner_client.get(reverse("evaluation:competences")).content.decode()
    assert f'href="{result_url}"' in after
    assert after.count("/result/") == 1  # only the competence that was tested
