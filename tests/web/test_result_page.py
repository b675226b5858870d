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


def test_the_result_shows_each_answer_and_the_expected_one_only_once_the_test_is_over(learner_client, learner):
    from django.urls import reverse

    from balise.content.models import Challenge
    from balise.evaluation.corrections import corrections_of_test
    from balise.evaluation.errors import NotAvailableYet
    from balise.evaluation.models import Assessment

    # In progress: nothing of the corrections, on the page or through the service.
    started = learner_client.post(reverse("evaluation:start", args=["2.1"]))
    in_progress = Assessment.objects.get(user=learner, competence_id="2.1")
    with pytest.raises(NotAvailableYet):
        corrections_of_test(in_progress)
    assert "Vos réponses et celles attendues" not in learner_client.get(started["Location"]).content.decode()

    result_url = take_test(learner_client, correct=lambda challenge: challenge.skill.level == 1)
    page = learner_client.get(result_url).content.decode()
    assessment = Assessment.objects.get(user=learner, competence_id="1.1")
    answers = list(Answer.objects.filter(assessment=assessment).order_by("position"))
    corrections = corrections_of_test(assessment)
    assert [c.position for c in corrections] == list(range(1, len(answers) + 1))
    assert [c.right for c in corrections] == [a.status == "ok" for a in answers]
    assert "Vos réponses et celles attendues" in page
    for answer, correction in zip(answers, corrections):
        challenge = Challenge.objects.get(id=answer.challenge_id)
        solution = challenge.solutions["fr"]
        if challenge.type in {"qcu", "qcm"}:
            right_texts = {o["text"]["fr"] for o in challenge.display["options"] if o["id"] in solution["correct_options"]}
            assert {line.text for line in correction.expected} == right_texts
            assert all(text in page for text in right_texts)
        elif challenge.type == "qrocm-dep":  # any distinct answers of the pool: the pool, once
            assert [line.text for line in correction.expected] == [" · ".join(g[0] for g in solution["pool"])]
        else:
            assert [line.text for line in correction.expected] == [f["accepted"][0] for f in solution["fields"]]
        if answer.status == "ko" and challenge.type not in {"qcu", "qcm"}:
            assert [line.text for line in correction.given] == [v for v in answer.value.values() if v]


def test_the_api_result_carries_the_corrections(learner_client, learner):
    from .test_api import take_test as take_test_by_api

    finished = take_test_by_api(learner_client, correct=False)
    result = learner_client.get(f"/api/assessments/{finished['id']}/result").json()
    assert result["corrections"] and not any(c["right"] for c in result["corrections"])
    first = result["corrections"][0]
    assert set(first) == {"position", "instruction", "status", "right", "given", "expected"}
    assert first["position"] == 1 and first["expected"] and first["instruction"]
