"""One access function per resource; an outsider gets exactly what a made-up id gets: a 404.

Each function is checked directly (the same error for "not yours" and "does not exist") and
through one page and one API address that rely on it."""

import pytest

from balise.content.access import CompetenceNotFound, competence_access
from balise.content.models import Competence
from balise.evaluation.access import assessment_access
from balise.evaluation.errors import AssessmentNotFound
from balise.evaluation.services import assessment_start
from balise.learning.access import TutorialNotFound, tutorial_access
from balise.spaces.models import Space

BELGIAN_TUTORIAL = "tuto-publicServicesBe-ebox"


@pytest.fixture
def belgian_competence(content):
    Competence.objects.filter(id="2.1").update(space=Space.objects.get(slug="fwb"))
    return "2.1"


def assert_hidden_like_a_made_up_id(access, not_found, learner, partner_id, made_up_id):
    """An outsider gets the very error a made-up id gets; the partner's learner gets the resource."""
    with pytest.raises(not_found) as outsider:
        access(learner, partner_id)
    with pytest.raises(not_found) as made_up:
        access(learner, made_up_id)
    assert str(outsider.value) == str(made_up.value)
    learner.home_space = Space.objects.get(slug="fwb")
    assert access(learner, partner_id).id == partner_id


def test_competence_access_hides_a_partner_competence(learner, belgian_competence):
    assert_hidden_like_a_made_up_id(competence_access, CompetenceNotFound, learner, belgian_competence, "9.9")


def test_a_partner_competence_is_a_404_on_pages_and_api(learner_client, belgian_competence):
    # The same addresses answer for a shared competence: the 404 is the access check's.
    assert learner_client.get("/tutorials/competence/1.1/").status_code == 200
    assert learner_client.get("/api/competences/1.1/tutorials").status_code == 200
    assert learner_client.get(f"/tutorials/competence/{belgian_competence}/").status_code == 404
    assert learner_client.get(f"/api/competences/{belgian_competence}/tutorials").status_code == 404
    assert learner_client.post(f"/competences/{belgian_competence}/start/").status_code == 404


def test_tutorial_access_hides_a_partner_tutorial(learner):
    assert_hidden_like_a_made_up_id(tutorial_access, TutorialNotFound, learner, BELGIAN_TUTORIAL, "no-such-tutorial")


def test_a_partner_tutorial_is_a_404_on_pages_and_api(learner_client):
    assert learner_client.get("/tutorials/tuto-emailAddresses-parts/").status_code == 200
    assert learner_client.get("/api/tutorials/tuto-emailAddresses-parts").status_code == 200
    assert learner_client.get(f"/tutorials/{BELGIAN_TUTORIAL}/").status_code == 404
    assert learner_client.get(f"/api/tutorials/{BELGIAN_TUTORIAL}").status_code == 404


def test_assessment_access_hides_another_learners_test(learner, other_learner, client_of):
    from django.utils import timezone

    test = assessment_start(other_learner, "1.1", now=timezone.now(), language="fr")
    with pytest.raises(AssessmentNotFound) as outsider:
        assessment_access(learner, test.public_id)
    with pytest.raises(AssessmentNotFound) as made_up:
        assessment_access(learner, "00000000-0000-0000-0000-000000000000")
    assert str(outsider.value) == str(made_up.value)
    assert assessment_access(other_learner, test.public_id) == test
    outsider_client = client_of(learner)
    assert outsider_client.get(f"/tests/{test.public_id}/").status_code == 404
    assert outsider_client.get(f"/api/assessments/{test.public_id}").status_code == 404
    assert client_of(other_learner).get(f"/api/assessments/{test.public_id}").status_code == 200
