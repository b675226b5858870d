"""Sitting a test is one machinery: a test of another purpose than positioning, spanning no
single competence, is answered through the same service with its own policy."""

import pytest
from django.utils import timezone

from balise.content.models import Challenge
from balise.evaluation.models import Answer, Assessment
from balise.evaluation.option_codes import challenge_code
from balise.evaluation.services import answering, policies


class FixedListPolicy:
    """Asks the given challenges in order, then records that it settled the test."""

    def __init__(self, challenge_ids):
        self.challenge_ids = challenge_ids
        self.settled = []

    def next_step(self, assessment):
        asked = len(assessment.answer_log)
        if asked == len(self.challenge_ids):
            return policies.NextStep(challenge_id=None, estimated_total=asked, result=asked)
        return policies.NextStep(challenge_id=self.challenge_ids[asked], estimated_total=len(self.challenge_ids))

    def complete(self, assessment, step, now):
        self.settled.append((assessment.pk, step.result))


@pytest.fixture
def campaign_policy(content):
    # Two challenges of two different competences: the test is not one competence's.
    ids = [
        Challenge.objects.filter(competence_id="1.1", timer__isnull=True).values_list("id", flat=True).first(),
        Challenge.objects.filter(competence_id="2.1", timer__isnull=True).values_list("id", flat=True).first(),
    ]
    policy = FixedListPolicy(ids)
    registered = policies._POLICIES.get(Assessment.Purpose.CAMPAIGN)
    policies.policy_register(Assessment.Purpose.CAMPAIGN, policy)
    yield policy
    policies.policy_register(Assessment.Purpose.CAMPAIGN, registered)


def test_a_test_of_another_purpose_is_answered_by_the_same_machinery(learner, campaign_policy):
    now = timezone.now()
    test = Assessment(
        user=learner, purpose=Assessment.Purpose.CAMPAIGN, competence=None, strategy="fixed",
        language="fr", seed=1234, time_allowance=learner.time_allowance,
    )
    test.save()
    answering.advance(test, now)
    test.save()
    first, second = campaign_policy.challenge_ids
    assert test.current_challenge_id == first and test.progress_percent == 0

    answering.assessment_answer(learner, test.public_id, challenge_code(test.seed, first), lambda c: None, skipped=True, now=now)
    test.refresh_from_db()
    assert test.current_challenge_id == second and test.progress_percent == 50
    with pytest.raises(answering.NotCurrentChallenge):  # the same machinery refuses a replay
        answering.assessment_answer(learner, test.public_id, challenge_code(test.seed, first), lambda c: None, skipped=True, now=now)

    outcome = answering.assessment_answer(learner, test.public_id, challenge_code(test.seed, second), lambda c: None, skipped=True, now=now)
    test.refresh_from_db()
    assert outcome.finished and test.state == Assessment.State.COMPLETED and test.progress_percent == 100
    assert campaign_policy.settled == [(test.pk, 2)]
    assert list(Answer.objects.filter(assessment=test).values_list("challenge_id", flat=True)) == [first, second]


def test_a_purpose_without_a_policy_is_refused_loudly(learner, content):
    test = Assessment(user=learner, purpose=Assessment.Purpose.CERTIFICATION, strategy="x", language="fr", seed=1)
    with pytest.raises(LookupError):
        answering.advance(test, timezone.now())
