"""After the exam: the centre finalises (a reason for each test ended early, incidents, a
comment), the jury reviews (neutralise and rescore, cancel or reject with a reason, everything in
the audit log) and publishes; the holder sees the certificate, anyone with the code verifies it,
its PDF is a real tagged PDF, and its signed credential verifies offline until a byte changes."""

import json

import pytest
from django.utils import timezone

from balise.certification import services
from balise.certification.errors import ExamInProgress
from balise.certification.models import Candidate, Incident, JuryDecision, Session
from balise.cli import main as balise_cli

from .campaign_fixtures import answer_until_done
from .certification_fixtures import certification_bank_of, let_in
from .conftest import PASSWORD


@pytest.fixture
def staff(content):
    from balise.accounts.services import user_create

    return user_create(email="certif@lycee.example", full_name="Claude Référent", password=PASSWORD)


@pytest.fixture
def operator(content):
    from balise.accounts.services import user_create

    user = user_create(email="jury@balise.example", full_name="Dominique Jury", password=PASSWORD)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def sat(learner, staff, settings, tmp_path):
    """A candidate who answered the whole test, in a session not finalised yet."""
    settings.BALISE_CREDENTIAL_KEY_FILE = tmp_path / "issuer.pem"
    certification_bank_of(36)
    candidate = let_in(learner, staff)
    services.certification_start(candidate, language="fr", now=timezone.now())
    candidate.refresh_from_db()
    answer_until_done(candidate, learner, timezone.now())
    candidate.refresh_from_db()
    assert candidate.result["answered"] == 32 and candidate.result["valid"]
    return candidate


def finalise_url(candidate):
    return f"/certification/centres/{candidate.session.centre_id}/sessions/{candidate.session_id}/finalise/"


def test_finalising_is_refused_while_a_test_is_in_progress_then_asks_why_a_test_ended_early(learner, staff, client_of):
    candidate = let_in(learner, staff)
    services.certification_start(candidate, language="fr", now=timezone.now())
    client = client_of(staff)
    response = client.post(finalise_url(candidate), {"comment": "RAS"})
    assert response.status_code == 409 and Session.objects.get().status == Session.Status.CREATED
    with pytest.raises(ExamInProgress):
        services.session_finalise(candidate.session, by=staff, comment="", reasons={}, now=timezone.now())
    services.candidate_end(candidate, now=timezone.now())  # the invigilator ends it: 0 answers of 32
    assert client.post(finalise_url(candidate), {"comment": "RAS"}).status_code == 400  # no reason given
    incident = client.post(f"/certification/centres/{candidate.session.centre_id}/sessions/{candidate.session_id}/incidents/",
                           {"candidate": str(candidate.pk), "category": "technical", "description": "Coupure réseau à 9 h 40."})
    assert incident.status_code == 302 and Incident.objects.get().candidate == candidate
    response = client.post(finalise_url(candidate), {"comment": "Coupure de 10 minutes.", f"reason_{candidate.pk}": "technical"})
    assert response.status_code == 302
    session = Session.objects.get()
    candidate.refresh_from_db()
    assert session.status == Session.Status.FINALISED and session.examiner_comment == "Coupure de 10 minutes."
    assert candidate.abort_reason == "technical"
    late = {"last_name": "Roux", "first_name": "Léa", "birth_date": "2007-02-01", "sex": "F", "birth_place": "Mons"}
    assert client.post(f"/certification/centres/{session.centre_id}/sessions/{session.pk}/candidates/", late).status_code == 409


def test_the_jury_neutralises_rescores_publishes_and_every_decision_is_logged(sat, staff, operator, client_of, learner):
    services.session_finalise(sat.session, by=staff, comment="", reasons={}, now=timezone.now())
    jury = client_of(operator)
    assert client_of(staff).get("/certification/jury/").status_code == 404  # operators only
    assert f"Session {sat.session_id}" in jury.get("/certification/jury/").content.decode()
    url = f"/certification/jury/sessions/{sat.session_id}/"
    jury.post(f"{url}actions/", {"action": "review"})
    first = sat.assessment.answer_log[0][0]
    before = Candidate.objects.get().result
    jury.post(f"{url}candidates/{sat.pk}/", {"action": "neutralise", "challenge": first, "reason": "Image absente"})
    after = Candidate.objects.get()
    assert after.neutralised == [first] and after.result["answered"] == before["answered"] - 1
    jury.post(f"{url}candidates/{sat.pk}/", {"action": "neutralise", "challenge": "not-asked"})  # ignored
    assert Candidate.objects.get().neutralised == [first]
    jury.post(f"{url}actions/", {"action": "publish"})
    session = Session.objects.get()
    candidate = Candidate.objects.get()
    assert session.status == Session.Status.PUBLISHED and candidate.verification_code.startswith("B-")
    assert len(candidate.verification_code) == 10
    actions = list(JuryDecision.objects.values_list("action", "by__email", "reason"))
    assert actions == [("review", operator.email, ""), ("neutralise", operator.email, "Image absente"),
                       ("publish", operator.email, "")]
    mine = client_of(learner).get("/certification/mine/").content.decode()
    assert candidate.verification_code in mine and f"{candidate.result['score']} sur 1" in mine.replace("\u202f", " ")


def test_anyone_with_the_code_verifies_until_the_jury_cancels(sat, staff, operator, client, client_of):
    services.session_finalise(sat.session, by=staff, comment="", reasons={}, now=timezone.now())
    services.session_publish(sat.session, by=operator, now=timezone.now())
    code = Candidate.objects.get().verification_code
    page = client.get(f"/verify/{code}")
    assert page.status_code == 200 and "Camille Martin" in page.content.decode() and "authentique" in page.content.decode()
    assert client.get(f"/verify/{code.lower().replace('-', '')}").status_code == 200  # typed as people type
    assert client.get("/verify/B-ZZZZZZZZ").status_code == 404
    client_of(operator).post(f"/certification/jury/sessions/{sat.session_id}/candidates/{sat.pk}/",
                             {"action": "cancelled", "reason": "Fraude constatée"})
    page = client.get(f"/verify/{code}").content.decode()
    assert "annulé" in page and "Camille Martin" not in page
    assert code in json.dumps(client.get("/verify/revocations").json())
    assert client.get(f"/verify/{code}/certificate.pdf").status_code == 404


def test_the_pdf_is_a_tagged_pdf_with_the_code(sat, staff, operator, client):
    services.session_finalise(sat.session, by=staff, comment="", reasons={}, now=timezone.now())
    services.session_publish(sat.session, by=operator, now=timezone.now())
    code = Candidate.objects.get().verification_code
    response = client.get(f"/verify/{code}/certificate.pdf")
    pdf = response.content
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF-")
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]  # tagged
    assert catalog["/Lang"] == "fr" and b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()  # PDF/UA-1
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    descriptors = [font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font
                   else font["/FontDescriptor"] for font in fonts]
    assert fonts and all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors)  # embedded
    text = "".join(page.extract_text() for page in reader.pages)
    assert code in text and "Camille Martin" in text


def test_the_credential_verifies_offline_and_fails_once_a_byte_changes(sat, staff, operator, client, tmp_path, capsys):
    services.session_finalise(sat.session, by=staff, comment="", reasons={}, now=timezone.now())
    services.session_publish(sat.session, by=operator, now=timezone.now())
    code = Candidate.objects.get().verification_code
    document = client.get(f"/verify/{code}/credential.json").json()
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    issuer = client.get("/.well-known/balise-issuer.json").json()
    assert document["proof"]["verificationMethod"] == issuer["verificationMethod"][0]["id"]
    file, key = tmp_path / "credential.json", tmp_path / "issuer.json"
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    key.write_text(json.dumps(issuer))
    assert balise_cli(["credential", "verify", str(file), "--key", str(key)]) == 0
    assert "valid" in capsys.readouterr().out
    score = next(r for r in document["credentialSubject"]["result"] if r.get("resultDescription") == "#score")
    score["value"] = str(int(score["value"]) + 1)
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert balise_cli(["credential", "verify", str(file), "--key", str(key)]) == 1
    assert "signature" in capsys.readouterr().err
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("Camille", "Camilla"), encoding="utf-8")
    assert balise_cli(["credential", "verify", str(file), "--key", str(key)]) == 1
    file.write_text(text[:-3], encoding="utf-8")  # a broken file: its line is named
    assert balise_cli(["credential", "verify", str(file), "--key", str(key)]) == 1
    assert "not JSON" in capsys.readouterr().err


def test_the_jury_pages_are_a_404_to_anyone_but_operators(sat, staff, client_of, other_learner):
    services.session_finalise(sat.session, by=staff, comment="", reasons={}, now=timezone.now())
    assert client_of(other_learner).get("/certification/jury/").status_code == 404
    assert client_of(other_learner).get(f"/certification/jury/sessions/{sat.session_id}/").status_code == 404
    assert "Camille" not in client_of(other_learner).get("/certification/mine/").content.decode()


def test_the_centres_organization_downloads_the_published_results(sat, staff, operator, client_of, other_learner):
    import csv
    import io

    url = f"/certification/centres/{sat.session.centre_id}/sessions/{sat.session_id}/results.csv"
    services.session_finalise(sat.session, by=staff, comment="", reasons={}, now=timezone.now())
    assert client_of(staff).get(url).status_code == 409  # not published yet
    services.session_publish(sat.session, by=operator, now=timezone.now())
    assert client_of(other_learner).get(url).status_code == 404
    response = client_of(staff).get(url)
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    line = dict(zip(rows[0], rows[1], strict=False))
    candidate = Candidate.objects.get()
    assert (line["Nom de naissance"], line["Statut"], line["Score"], line["Code de vérification"]) == (
        "Martin", "certifié", str(candidate.result["score"]), candidate.verification_code)
    assert line["1.1 " + rows[0][9].split(" ", 1)[1]] == str(candidate.result["levels"]["1.1"])
