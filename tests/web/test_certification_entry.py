"""Exam day: a learner enters a session (number, access code, names, birth date), reads the
instructions and waits; the invigilator opens the session's live page with its password and
lets them in, lets them resume after they entered again, or ends their test. Every refusal says
why and changes nothing; no way in reaches another space's session or another person's seat."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from balise.certification import services
from balise.certification.access import candidacy_access
from balise.certification.errors import CandidacyNotFound
from balise.certification.models import Candidate, Centre, Session
from balise.spaces.models import Space

from .campaign_fixtures import organization_with_admin
from .certification_fixtures import make_eligible
from .conftest import PASSWORD

IDENTITY = {"last_name": "Martin", "first_name": "Camille", "birth_date": "2008-03-14"}


@pytest.fixture
def staff(content):
    from balise.accounts.services import user_create

    return user_create(email="certif@lycee.example", full_name="Claude Référent", password=PASSWORD)


@pytest.fixture
def session(staff):
    centre = Centre.objects.create(organization=organization_with_admin(staff))
    session = services.session_create(centre, by=staff, site="Bâtiment A", room="B12",
                                      date=timezone.localdate() + timedelta(days=1), time=time(9), examiner="M. Dupont")
    services.candidate_add(session, last_name="Martin", first_name="Camille", birth_date=date(2008, 3, 14), sex="F",
                           birth_place="Namur", extra_time_percent=33)
    return session


def enter(client, session, **changes):
    return client.post("/certification/", {"session_number": str(session.pk), "access_code": session.access_code,
                                            **IDENTITY, **changes})


def invigilator(client, session):
    response = client.post("/certification/invigilation/", {"session_number": str(session.pk),
                                                            "password": session.invigilator_password})
    assert response.status_code == 302
    return f"/certification/invigilation/{session.pk}/"


def test_the_day_from_entry_to_the_end_with_a_resume_between(session, learner, client_of, client):
    make_eligible(learner)
    candidate_client = client_of(learner)
    response = enter(candidate_client, session, access_code=session.access_code.lower(),
                     last_name="MARTIN", first_name=" camille")  # typed as people type
    candidate = Candidate.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/certification/candidacies/{candidate.pk}/"
    assert candidate.user == learner and candidate.state == Candidate.State.READING
    page = candidate_client.get(response["Location"]).content.decode()
    assert "32" in page and 'name="accepted"' in page
    assert candidate_client.post(response["Location"], {}).status_code == 400  # the box must be ticked
    candidate_client.post(response["Location"], {"accepted": "on"})
    assert candidate_client.get(f"{response['Location']}state.json").json() == {"state": "waiting"}

    live = invigilator(client, session)
    page = client.get(live).content.decode()
    assert "Martin Camille" in page and "33 %" in page
    assert client.post(f"{live}candidates/{candidate.pk}/", {"action": "authorise"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.AUTHORISED

    enter(candidate_client, session)  # a lost connection: entering again waits to resume
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.WAITING_TO_RESUME and candidate.resumes == 1
    assert "waiting_to_resume" in client.get(f"{live}?part=rows").content.decode()
    client.post(f"{live}candidates/{candidate.pk}/", {"action": "authorise"})
    client.post(f"{live}candidates/{candidate.pk}/", {"action": "end"})
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.ENDED and candidate.ended_by_invigilator
    again = enter(candidate_client, session)
    assert again.status_code == 409 and Candidate.objects.get().state == Candidate.State.ENDED


def test_a_wrong_number_and_a_wrong_code_get_the_same_answer_and_no_seat(session, learner, client_of):
    make_eligible(learner)
    client = client_of(learner)
    wrong_code = enter(client, session, access_code="ZZZZ99")
    wrong_number = client.post("/certification/", {"session_number": "987654", "access_code": session.access_code,
                                                   **IDENTITY})
    assert wrong_code.status_code == wrong_number.status_code == 404
    message = "Aucune session n'a ce numéro et ce code d'accès ici"
    assert message in wrong_code.content.decode().replace("&#x27;", "'")
    assert message in wrong_number.content.decode().replace("&#x27;", "'")
    assert enter(client, session, first_name="Camilla").status_code == 404  # nobody enrolled by these names
    assert enter(client, session, birth_date="2008-03-15").status_code == 404
    assert not Candidate.objects.filter(user__isnull=False).exists()


def test_a_session_of_another_space_does_not_exist_here(session, learner, client_of):
    make_eligible(learner)
    session.centre.organization.space = Space.objects.get(slug="fwb")
    session.centre.organization.save()
    assert enter(client_of(learner), session).status_code == 404
    assert not Candidate.objects.filter(user__isnull=False).exists()


def test_a_learner_not_yet_eligible_is_told_why_and_what_to_do(session, learner, client_of):
    response = enter(client_of(learner), session)
    assert response.status_code == 403 and "au moins 5 compétences" in response.content.decode()
    assert not Candidate.objects.filter(user__isnull=False).exists()


def test_a_seat_taken_by_another_account_stays_theirs(session, learner, other_learner, client_of):
    make_eligible(learner)
    enter(client_of(learner), session)
    response = enter(client_of(other_learner), session)
    assert response.status_code == 409 and Candidate.objects.get().user == learner


def test_entries_are_limited_per_account(session, learner, client_of):
    make_eligible(learner)
    client = client_of(learner)
    statuses = [enter(client, session, access_code="ZZZZ99").status_code for _ in range(services.ENTRY_ATTEMPTS)]
    assert set(statuses) == {404}
    assert enter(client, session).status_code == 429  # even the right code, now
    assert not Candidate.objects.filter(user__isnull=False).exists()


def test_candidacy_access_is_the_persons_own(session, learner, other_learner):
    make_eligible(learner)
    candidate = services.candidate_enter(learner, space=session.centre.organization.space, now=timezone.now(),
                                         session_number=str(session.pk), access_code=session.access_code,
                                         first_name="Camille", last_name="Martin", birth_date=date(2008, 3, 14))
    with pytest.raises(CandidacyNotFound) as theirs:
        candidacy_access(other_learner, candidate.pk)
    with pytest.raises(CandidacyNotFound) as made_up:
        candidacy_access(other_learner, 999_999)
    assert str(theirs.value) == str(made_up.value)
    assert candidacy_access(learner, candidate.pk) == candidate


def test_the_invigilator_page_opens_only_with_its_password_in_this_browser(session, client, client_of, learner):
    url = f"/certification/invigilation/{session.pk}/"
    assert client.get(url).status_code == 403  # never opened here
    refused = client.post("/certification/invigilation/", {"session_number": str(session.pk), "password": "wrong1"})
    assert refused.status_code == 403 and client.get(url).status_code == 403
    candidate = Candidate.objects.get()
    assert client.post(f"{url}candidates/{candidate.pk}/", {"action": "end"}).status_code == 403
    assert Candidate.objects.get().ended_at is None
    invigilator(client, session)
    assert client.get(url).status_code == 200
    Session.objects.filter(pk=session.pk).update(status=Session.Status.FINALISED)
    assert client.get(url).status_code == 403  # a finalised session is no longer invigilated


def test_invigilator_passwords_are_limited_per_session(session, client):
    for _ in range(services.INVIGILATION_ATTEMPTS):
        client.post("/certification/invigilation/", {"session_number": str(session.pk), "password": "wrong1"})
    response = client.post("/certification/invigilation/", {"session_number": str(session.pk),
                                                            "password": session.invigilator_password})
    assert response.status_code == 429


def test_the_invigilator_records_an_incident_for_the_jury_and_a_stranger_cannot(session, client):
    from balise.certification.models import Incident

    candidate = Candidate.objects.get()
    url = f"/certification/invigilation/{session.pk}/incidents/"
    fields = {"candidate": str(candidate.pk), "category": "late", "description": "Arrivée à 9 h 20."}
    assert client.post(url, fields).status_code == 403 and not Incident.objects.exists()  # not opened here
    live = invigilator(client, session)
    assert client.post(url, {**fields, "category": "nonsense"}).status_code == 400 and not Incident.objects.exists()
    assert client.post(url, fields)["Location"] == live
    incident = Incident.objects.get()
    assert (incident.candidate, incident.category, incident.recorded_by) == (candidate, "late", "invigilator")
    assert "Arrivée à 9 h 20." in client.get(live).content.decode()


def test_another_spaces_session_cannot_be_invigilated_here(session, client):
    organization = session.centre.organization
    organization.space = Space.objects.get(slug="fwb")
    organization.save()
    response = client.post("/certification/invigilation/", {"session_number": str(session.pk),
                                                            "password": session.invigilator_password})
    assert response.status_code == 403 and client.get(f"/certification/invigilation/{session.pk}/").status_code == 403
