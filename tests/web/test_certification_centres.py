"""Certification centres: sessions (codes, states), candidates one by one or from one file for
many sessions (every error with its line, nothing written while one remains), and the one access
check per resource: another centre's people get the 404 of something that does not exist."""

import re
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from balise.certification import services
from balise.certification.access import candidate_access, centre_access, session_access
from balise.certification.errors import CandidateNotFound, CentreNotFound, SessionNotFound, SessionStarted
from balise.certification.models import Candidate, Centre, Session

from .campaign_fixtures import organization_with_admin
from .conftest import PASSWORD

HEADER = "Numéro de session;Site;Salle;Date de la session;Heure de début;Surveillant(s);Nom de naissance;Prénom;Date de naissance;Sexe;Lieu de naissance;Temps majoré (%);Aménagement\n"


@pytest.fixture
def staff(content):
    from balise.accounts.services import user_create

    return user_create(email="certif@lycee.example", full_name="Claude Référent", password=PASSWORD)


@pytest.fixture
def outsider(content):
    from balise.accounts.services import user_create

    return user_create(email="autre@college.example", full_name="Sam Ailleurs", password=PASSWORD)


@pytest.fixture
def centre(staff):
    return Centre.objects.create(organization=organization_with_admin(staff, name="Lycée Jean Monnet"))


@pytest.fixture
def other_centre(outsider):
    return Centre.objects.create(organization=organization_with_admin(outsider, name="Collège Voltaire"))


def soon(days=7) -> date:
    return timezone.localdate() + timedelta(days=days)


def a_session(centre, staff, **fields) -> Session:
    values = {"site": "Bâtiment A", "room": "B12", "date": soon(), "time": time(9, 30), "examiner": "M. Dupont"}
    return services.session_create(centre, by=staff, **{**values, **fields})


def a_candidate(session, **fields) -> Candidate:
    values = {"last_name": "Martin", "first_name": "Camille", "birth_date": date(2008, 3, 14), "sex": "F",
              "birth_place": "Namur"}
    return services.candidate_add(session, **{**values, **fields})


def upload(client, centre, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/certification/centres/{centre.pk}/import/",
                       {"file": SimpleUploadedFile("candidats.csv", text.encode("utf-8"), content_type="text/csv")})


# Access: one function per resource, an outsider gets what a made-up id gets.

def test_centre_access_hides_another_centre(centre, other_centre, staff, outsider):
    with pytest.raises(CentreNotFound) as theirs:
        centre_access(outsider, centre.pk)
    with pytest.raises(CentreNotFound) as made_up:
        centre_access(outsider, 999_999)
    assert str(theirs.value) == str(made_up.value)
    assert centre_access(staff, centre.pk)[1] == centre


def test_session_access_hides_another_centres_session_even_through_ones_own_centre(centre, other_centre, staff, outsider):
    session = a_session(centre, staff)
    with pytest.raises(CentreNotFound):
        session_access(outsider, centre.pk, session.pk)
    with pytest.raises(SessionNotFound):  # their own centre, our session's number
        session_access(outsider, other_centre.pk, session.pk)
    assert session_access(staff, centre.pk, session.pk)[1] == session


def test_candidate_access_hides_another_sessions_candidate(centre, staff):
    first, second = a_session(centre, staff), a_session(centre, staff)
    candidate = a_candidate(first)
    with pytest.raises(CandidateNotFound):
        candidate_access(staff, centre.pk, second.pk, candidate.pk)
    assert candidate_access(staff, centre.pk, first.pk, candidate.pk) == candidate


def test_every_page_of_a_centre_is_a_404_to_an_outsider_and_changes_nothing(centre, other_centre, staff, outsider, client_of):
    session = a_session(centre, staff)
    candidate = a_candidate(session)
    client = client_of(outsider)
    base = f"/certification/centres/{centre.pk}"
    for url in (f"{base}/", f"{base}/sessions/new/", f"{base}/import/", f"{base}/import/template.csv",
                f"{base}/sessions/{session.pk}/", f"{base}/sessions/{session.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Lycée Jean Monnet" not in response.content.decode() and session.access_code not in response.content.decode()
    for url in (f"{base}/sessions/{session.pk}/delete/", f"{base}/sessions/{session.pk}/candidates/{candidate.pk}/delete/",
                f"/certification/centres/{other_centre.pk}/sessions/{session.pk}/delete/"):
        assert client.post(url).status_code == 404, url
    assert Session.objects.filter(pk=session.pk).exists() and Candidate.objects.filter(pk=candidate.pk).exists()
    assert "Lycée Jean Monnet" not in client.get("/certification/centres/").content.decode()


# Sessions.

def test_a_member_creates_a_session_with_its_codes_and_finds_it_on_the_centre_page(centre, staff, client_of):
    client = client_of(staff)
    response = client.post(f"/certification/centres/{centre.pk}/sessions/new/", {
        "site": "Campus Nord", "room": "Salle 3", "date": soon().isoformat(), "time": "14:00", "examiner": "Mme Leroy",
    })
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/sessions/{session.pk}/")
    assert re.fullmatch(r"[A-HJKMNP-Z]{4}[2-9]{2}", session.access_code)
    assert re.fullmatch(r"[a-hjkmnp-z2-9]{6}", session.invigilator_password)
    assert session.status == Session.Status.CREATED and session.created_by == staff
    page = client.get(response["Location"]).content.decode()
    assert session.access_code in page and session.invigilator_password in page
    assert f"Session {session.pk}" in client.get(f"/certification/centres/{centre.pk}/").content.decode()


def test_access_codes_differ_between_sessions(centre, staff):
    codes = {a_session(centre, staff).access_code for _ in range(30)}
    assert len(codes) == 30


def test_a_session_in_the_past_or_without_a_room_is_refused_with_the_reasons(centre, staff, client_of):
    response = client_of(staff).post(f"/certification/centres/{centre.pk}/sessions/new/", {
        "site": "Campus Nord", "date": (timezone.localdate() - timedelta(days=1)).isoformat(), "time": "25:00",
        "examiner": "x",
    })
    assert response.status_code == 400 and not Session.objects.exists()
    page = response.content.decode()
    assert "passée" in page and 'id="id_room"' in page and 'aria-invalid="true"' in page


def test_a_session_changes_until_a_candidate_enters_then_stays_as_it_is(centre, staff, client_of):
    session = a_session(centre, staff)
    client = client_of(staff)
    edit = f"/certification/centres/{centre.pk}/sessions/{session.pk}/edit/"
    values = {"site": "Bâtiment C", "room": "C1", "date": soon(3).isoformat(), "time": "08:15", "examiner": "M. Petit",
              "notes": "Apporter une pièce d'identité."}
    assert client.post(edit, values).status_code == 302
    session.refresh_from_db()
    assert (session.site, session.time, session.notes) == ("Bâtiment C", time(8, 15), "Apporter une pièce d'identité.")
    candidate = a_candidate(session)
    Candidate.objects.filter(pk=candidate.pk).update(entered_at=timezone.now(), user=staff)
    response = client.post(edit, {**values, "room": "D4"})
    assert response.status_code == 409 and "déjà" in response.content.decode()
    assert client.post(f"/certification/centres/{centre.pk}/sessions/{session.pk}/delete/").status_code == 409
    session.refresh_from_db()
    assert session.room == "C1"
    with pytest.raises(SessionStarted):
        services.session_delete(session)
    removal = client.post(f"/certification/centres/{centre.pk}/sessions/{session.pk}/candidates/{candidate.pk}/delete/")
    assert removal.status_code == 409 and Candidate.objects.filter(pk=candidate.pk).exists()


def test_a_session_without_entries_is_deleted_with_its_candidates(centre, staff, client_of):
    session = a_session(centre, staff)
    a_candidate(session)
    response = client_of(staff).post(f"/certification/centres/{centre.pk}/sessions/{session.pk}/delete/")
    assert response.status_code == 302 and not Session.objects.exists() and not Candidate.objects.exists()


def test_a_finalised_session_enrols_no_one(centre, staff, client_of):
    session = a_session(centre, staff)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.FINALISED)
    response = client_of(staff).post(f"/certification/centres/{centre.pk}/sessions/{session.pk}/candidates/", {
        "last_name": "Martin", "first_name": "Camille", "birth_date": "2008-03-14", "sex": "F", "birth_place": "Namur",
    })
    assert response.status_code == 409 and not Candidate.objects.exists()


# Candidates one by one.

def test_a_candidate_is_enrolled_once_with_extra_time_and_the_form_says_what_is_wrong(centre, staff, client_of):
    session = a_session(centre, staff)
    client = client_of(staff)
    url = f"/certification/centres/{centre.pk}/sessions/{session.pk}/candidates/"
    values = {"last_name": "Martin", "first_name": "Camille", "birth_date": "2008-03-14", "sex": "F",
              "birth_place": "Namur", "extra_time_percent": "33", "accessibility_needed": "on"}
    assert client.post(url, values).status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.extra_time_percent, candidate.accessibility_needed, candidate.sex) == (33, True, "F")
    again = client.post(url, {**values, "last_name": "MARTIN ", "first_name": "camille"})  # the same person
    assert again.status_code == 409 and Candidate.objects.count() == 1
    wrong = client.post(url, {**values, "birth_date": "1850-01-01", "sex": "X", "extra_time_percent": "150"})
    assert wrong.status_code == 400 and Candidate.objects.count() == 1
    page = wrong.content.decode()
    assert page.count('aria-invalid="true"') == 3 and "1900" in page


# Candidates from a file.

def test_one_file_creates_twenty_sessions_of_thirty_candidates_in_one_go(centre, staff, client_of):
    day = soon(10).strftime("%d/%m/%Y")
    lines = [
        f";Campus;Salle {s};{day};{9 + s % 8}:00;M. Surveillant;Nom{s}x{c};Prénom{c};{(c % 28) + 1:02d}/05/2007;"
        f"{'F' if c % 2 else 'M'};Liège;{33 if c == 0 else ''};{'oui' if c == 1 else ''}\n"
        for s in range(20) for c in range(30)
    ]
    response = upload(client_of(staff), centre, HEADER + "".join(lines))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Session.objects.filter(centre=centre).count() == 20 and Candidate.objects.count() == 600
    assert set(Session.objects.values_list("room", flat=True)) == {f"Salle {s}" for s in range(20)}
    assert Candidate.objects.filter(extra_time_percent=33).count() == 20
    assert Candidate.objects.filter(accessibility_needed=True).count() == 20
    assert len(set(Session.objects.values_list("access_code", flat=True))) == 20


def test_a_file_with_errors_writes_nothing_and_names_each_line_and_column(centre, staff, client_of):
    existing = a_session(centre, staff)
    a_candidate(existing)
    finalised = a_session(centre, staff)
    Session.objects.filter(pk=finalised.pk).update(status=Session.Status.FINALISED)
    day = soon().strftime("%d/%m/%Y")
    text = HEADER + "".join([
        f"{existing.pk};;;;;;Durand;Lou;01/02/2007;F;Mons;;\n",  # line 2: fine
        f"{existing.pk};;;;;;Martin;Camille;14/03/2008;F;Namur;;\n",  # 3: already enrolled
        "999999;;;;;;Petit;Noa;01/02/2007;M;Mons;;\n",  # 4: no such session
        f"{finalised.pk};;;;;;Petit;Noa;01/02/2007;M;Mons;;\n",  # 5: finalised
        f";Campus;A1;{day};9h30;X;Roux;Léa;31/02/2007;Z;Mons;150;peut-être\n",  # 6: date, sex, percent, yes/no
        ";Campus;;01/01/2020;;X;Blanc;Yan;01/02/2007;M;Mons;;\n",  # 7: room and time missing
        f"{existing.pk};;;;;;Durand;Lou;01/02/2007;F;Mons;;\n",  # 8: line 2 again
        f";Campus;A1;{day};09:30;X;;Eva;01/02/2007;F;;;\n",  # 9: birth name and place required
    ])
    response = upload(client_of(staff), centre, text)
    assert response.status_code == 400
    assert Candidate.objects.count() == 1 and Session.objects.count() == 2  # nothing written
    page = response.content.decode().replace("&#x27;", "'")
    rows = re.findall(r'<tr><th scope="row">(\d+)</th><td>([^<]*)</td><td>([^<]*)</td></tr>', page)
    by_line: dict[int, list[tuple[str, str]]] = {}
    for line, column, reason in rows:
        by_line.setdefault(int(line), []).append((column, reason))
    assert 2 not in by_line
    assert "déjà inscrit" in by_line[3][0][1]
    assert "999999" in by_line[4][0][1]
    assert "finalisée" in by_line[5][0][1]
    assert {column for column, _ in by_line[6]} == {"Date de naissance", "Sexe", "Temps majoré (%)", "Aménagement"}
    assert {column for column, _ in by_line[7]} == {"Salle", "Heure de début"}
    assert "ligne 2" in by_line[8][0][1]
    assert {column for column, _ in by_line[9]} == {"Nom de naissance", "Lieu de naissance"}


@pytest.mark.parametrize("data, expected", [
    (b"", "vide"),
    ("Nom;Prénom\nMartin;Camille\n".encode(), "manque"),
    (HEADER.encode(), "aucun candidat"),
    (b"PK\x03\x04 a spreadsheet", "tableur"),
])
def test_a_file_that_cannot_be_read_says_why(centre, staff, client_of, data, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_of(staff).post(f"/certification/centres/{centre.pk}/import/",
                                     {"file": SimpleUploadedFile("c.csv", data, content_type="text/csv")})
    assert response.status_code == 400 and expected in response.content.decode().replace("&#x27;", "'")
    assert not Candidate.objects.exists() and not Session.objects.exists()


def test_the_template_names_every_column_for_a_spreadsheet(centre, staff, client_of):
    response = client_of(staff).get(f"/certification/centres/{centre.pk}/import/template.csv")
    text = response.content.decode()
    assert text.startswith("\ufeffNuméro de session;Site;Salle;") and "Temps majoré (%)" in text


def test_the_organization_page_leads_to_its_centre(centre, staff, client_of):
    page = client_of(staff).get(f"/organizations/{centre.organization_id}/").content.decode()
    assert f"/certification/centres/{centre.pk}/" in page


def test_a_persons_candidacies_are_in_their_data_export(centre, staff, learner, client_of):
    candidate = a_candidate(a_session(centre, staff), extra_time_percent=25)
    Candidate.objects.filter(pk=candidate.pk).update(user=learner, entered_at=timezone.now())
    data = client_of(learner).get("/api/me/data").json()
    assert [(c["last_name"], c["extra_time_percent"], c["centre"]) for c in data["certification_candidacies"]] == [
        ("Martin", 25, "Lycée Jean Monnet")]
    assert client_of(staff).get("/api/me/data").json()["certification_sessions"][0]["room"] == "B12"
