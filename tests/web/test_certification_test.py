"""The certification test: let in by the invigilator, the candidate answers the engine's
questions over every competence through the evaluation machinery; an answer while not let in
is refused and recorded nowhere; the invigilator's end finishes and scores the test; nothing of
the result or the solutions reaches the candidate before the jury."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from balise.accounts.time_allowance import TimeAllowance
from balise.certification import services
from balise.certification.errors import CertificationPaused
from balise.certification.models import Candidate, Centre
from balise.evaluation.models import Answer, Assessment
from balise.evaluation.option_codes import challenge_code
from balise.evaluation.services import answering

from .campaign_fixtures import answer_until_done
from .certification_fixtures import let_in
from .conftest import PASSWORD, open_question


@pytest.fixture
def staff(content):
    from balise.accounts.services import user_create

    return user_create(email="certif@lycee.example", full_name="Claude Référent", password=PASSWORD)


def test_a_candidate_let_in_sits_the_test_over_every_competence_and_sees_no_result(learner, staff, client_of):
    candidate = let_in(learner, staff)
    client = client_of(learner)
    response = client.post(f"/certification/candidacies/{candidate.pk}/start/")
    candidate.refresh_from_db()
    assessment = candidate.assessment
    assert response.status_code == 302 and response["Location"] == f"/tests/{assessment.public_id}/"
    assert assessment.purpose == Assessment.Purpose.CERTIFICATION and assessment.competence_id is None
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="challenge_id"' in page.content.decode()
    assert client.post(f"/certification/candidacies/{candidate.pk}/start/")["Location"] == response["Location"]
    assert Assessment.objects.filter(user=learner).count() == 1  # starting again resumes it

    done = answer_until_done(candidate, learner, timezone.now())
    candidate.refresh_from_db()
    competences = {answer.challenge.competence_id for answer in Answer.objects.filter(assessment=done)}
    from balise.content.models import Challenge

    with_challenges = set(Challenge.objects.filter(status="validated").values_list("competence_id", flat=True))
    assert done.state == Assessment.State.COMPLETED and competences == with_challenges  # every competence asked
    assert candidate.state == Candidate.State.ENDED and candidate.result["answered"] == done.answered_count
    assert candidate.result["score"] > 0 and set(candidate.result["levels"]) == competences
    result = client.get(f"/tests/{done.public_id}/result/")
    assert result.status_code == 302 and result["Location"] == f"/certification/candidacies/{candidate.pk}/"
    assert str(candidate.result["score"]) not in client.get(result["Location"]).content.decode()
    assert client.get(f"/api/assessments/{done.public_id}/result").status_code == 409


def test_an_answer_while_not_let_in_is_refused_and_recorded_nowhere(learner, staff, client_of):
    candidate = let_in(learner, staff)
    assessment = services.certification_start(candidate, language="fr", now=timezone.now())
    services.candidate_enter(learner, space=candidate.session.centre.organization.space, now=timezone.now(),
                             session_number=str(candidate.session_id), access_code=candidate.session.access_code,
                             first_name="Camille", last_name="Martin", birth_date=date(2008, 3, 14))
    assessment.refresh_from_db()
    code = challenge_code(assessment.seed, assessment.current_challenge_id)
    with pytest.raises(CertificationPaused):
        answering.assessment_answer(learner, assessment.public_id, code, lambda c: [], skipped=True, now=timezone.now())
    client = client_of(learner)
    posted = client.post(f"/tests/{assessment.public_id}/answer/", {"challenge_id": code, "action": "skip"})
    assert posted.status_code == 409 and not Answer.objects.exists()
    page = client.get(f"/tests/{assessment.public_id}/")
    assert page.status_code == 302 and page["Location"] == f"/certification/candidacies/{candidate.pk}/"
    api = client.post(f"/api/assessments/{assessment.public_id}/answers", {"challenge_id": code, "skipped": True},
                      content_type="application/json")
    assert api.status_code == 409 and not Answer.objects.exists()
    services.candidate_authorise(candidate, now=timezone.now())  # let resume: the same question goes on
    # The answer's response is the next question (decision 0023).
    resumed = client.post(f"/tests/{assessment.public_id}/answer/", {"challenge_id": code, "action": "skip"})
    assert resumed.status_code == 200 and 'name="challenge_id"' in resumed.content.decode()
    assert Answer.objects.count() == 1


def test_the_invigilators_end_finishes_and_scores_the_test_from_its_answers(learner, staff):
    candidate = let_in(learner, staff)
    assessment = services.certification_start(candidate, language="fr", now=timezone.now())
    for _ in range(2):  # the fixture pack's bank asks 3 (one challenge per tube): end before
        assessment.refresh_from_db()
        code = challenge_code(assessment.seed, assessment.current_challenge_id)
        if assessment.current_shown_at is None:
            answering.assessment_timer_start(learner, assessment.public_id, code, now=timezone.now())
        answering.assessment_answer(learner, assessment.public_id, code, lambda c: [], skipped=True, now=timezone.now())
    assert services.candidate_end(candidate, now=timezone.now())
    candidate.refresh_from_db()
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.COMPLETED and candidate.state == Candidate.State.ENDED
    assert candidate.result["answered"] == 2 and candidate.result["valid"] is False  # fewer than 20 answers


def test_extra_time_gives_a_third_more_on_timed_questions_and_no_one_sits_untimed(learner, staff):
    learner.time_allowance = TimeAllowance.UNTIMED
    learner.save()
    candidate = let_in(learner, staff)
    assert services.certification_start(candidate, language="fr", now=timezone.now()).time_allowance == TimeAllowance.STANDARD
    other = let_in_other(staff)
    assert services.certification_start(other, language="fr", now=timezone.now()).time_allowance == TimeAllowance.EXTRA_THIRD


def let_in_other(staff) -> Candidate:
    from balise.accounts.services import user_create

    user = user_create(email="lou@example.org", full_name="Lou Durand", password=PASSWORD)
    from balise.evaluation.models import CompetenceScore

    for code in ("1.1", "1.2", "1.3", "2.1", "2.2"):
        CompetenceScore.objects.create(user=user, competence_id=code, pix=9, level=1, completed_at=timezone.now())
    centre = Centre.objects.get()
    session = services.session_create(centre, by=staff, site="A", room="C1", date=timezone.localdate() + timedelta(days=2),
                                      time=time(14), examiner="M. Roy")
    services.candidate_add(session, last_name="Durand", first_name="Lou", birth_date=date(2007, 1, 2), sex="M",
                           birth_place="Mons", extra_time_percent=33)
    now = timezone.now()
    candidate = services.candidate_enter(user, space=centre.organization.space, now=now, session_number=str(session.pk),
                                         access_code=session.access_code, first_name="Lou", last_name="Durand",
                                         birth_date=date(2007, 1, 2))
    services.instructions_accept(candidate, now=now)
    services.candidate_authorise(candidate, now=now)
    candidate.refresh_from_db()
    return candidate


def test_a_candidate_not_let_in_cannot_start(learner, staff, client_of):
    candidate = let_in(learner, staff)
    Candidate.objects.filter(pk=candidate.pk).update(authorised_at=None)
    response = client_of(learner).post(f"/certification/candidacies/{candidate.pk}/start/")
    assert response.status_code == 302 and response["Location"] == f"/certification/candidacies/{candidate.pk}/"
    assert not Assessment.objects.exists()


def test_an_alert_validated_replaces_the_question_and_a_dismissed_one_keeps_it(learner, staff, client_of, client):
    from balise.certification.models import Alert

    from .certification_fixtures import certification_bank_of

    certification_bank_of(12)
    candidate = let_in(learner, staff)
    assessment = services.certification_start(candidate, language="fr", now=timezone.now())
    me = client_of(learner)
    page = open_question(me, f"/tests/{assessment.public_id}/").content.decode()  # a timed one is started first
    assert f'action="/certification/candidacies/{candidate.pk}/alert/"' in page and "data-stays-on-question" in page
    alerted = assessment.current_challenge_id
    response = me.post(f"/certification/candidacies/{candidate.pk}/alert/", {"reason": "image"})
    assert response.status_code == 302 and Alert.objects.get().challenge_id == alerted
    me.post(f"/certification/candidacies/{candidate.pk}/alert/", {"reason": "site"})  # the same question: one alert
    assert Alert.objects.count() == 1
    session = candidate.session
    client.post("/certification/invigilation/", {"session_number": str(session.pk), "password": session.invigilator_password})
    live = f"/certification/invigilation/{session.pk}/"
    rows = client.get(f"{live}?part=rows").content.decode()
    assert "1 alerte" in rows and "une image ne s&#x27;affiche pas" in rows.lower()
    client.post(f"{live}candidates/{candidate.pk}/", {"action": "alert_validate", "alert": str(Alert.objects.get().pk)})
    assessment.refresh_from_db()
    candidate.refresh_from_db()
    assert Alert.objects.get().status == "validated" and candidate.neutralised == [alerted]
    assert assessment.current_challenge_id != alerted and assessment.answered_count == 0  # replaced, nothing counted
    second = assessment.current_challenge_id
    me.post(f"/certification/candidacies/{candidate.pk}/alert/", {"reason": "other"})
    client.post(f"{live}candidates/{candidate.pk}/", {"action": "alert_dismiss", "alert": str(Alert.objects.last().pk)})
    assessment.refresh_from_db()
    assert assessment.current_challenge_id == second and Alert.objects.last().status == "dismissed"
    done = answer_until_done(candidate, learner, timezone.now())
    asked = [entry[0] for entry in done.answer_log]
    assert alerted not in asked and second in asked


def test_only_the_candidate_reports_on_their_own_test(learner, other_learner, staff, client_of):
    from balise.certification.models import Alert

    candidate = let_in(learner, staff)
    services.certification_start(candidate, language="fr", now=timezone.now())
    assert client_of(other_learner).post(f"/certification/candidacies/{candidate.pk}/alert/", {"reason": "image"}).status_code == 404
    assert not Alert.objects.exists()
