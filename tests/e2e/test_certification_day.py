"""Exam day in two real browsers: the candidate enters the session, reads and accepts the
instructions and waits; the invigilator, in another browser without an account, opens the
session's live page with its password and lets the candidate in; the candidate's page follows by
itself. axe-core on every page of both browsers."""

from datetime import date, time, timedelta

import pytest
from conftest import AccessibilityAudit
from django.utils import timezone
from playwright.sync_api import expect

from balise.certification import services
from balise.certification.models import Candidate, Centre
from balise.content.models import Competence
from balise.content.selectors import content_caches_clear
from balise.evaluation.models import CompetenceScore
from balise.organizations.models import Membership, Organization, Role
from balise.spaces.models import Space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(signed_in):
    from balise.accounts.services import user_create

    staff = user_create(email="centre@example.org", full_name="Claude Centre", password="a-long-enough-passphrase-42")
    organization = Organization.objects.create(name="Lycée Balise", type="school", space=Space.objects.get(is_default=True))
    Membership.objects.create(organization=organization, user=staff, role=Role.ADMIN)
    session = services.session_create(Centre.objects.create(organization=organization), by=staff, site="Bâtiment A",
                                      room="B12", date=timezone.localdate() + timedelta(days=1), time=time(9),
                                      examiner="M. Dupont")
    services.candidate_add(session, last_name="Martin", first_name="Camille", birth_date=date(2008, 3, 14), sex="F",
                           birth_place="Namur")
    area = Competence.objects.get(pk="1.1").area
    for code in ("1.3", "2.2"):
        Competence.objects.get_or_create(id=code, defaults={"area": area, "name": {"fr": code, "en": code}})
    content_caches_clear()
    for code in ("1.1", "1.2", "1.3", "2.1", "2.2"):
        CompetenceScore.objects.create(user=signed_in, competence_id=code, pix=9, level=1, completed_at=timezone.now())
    return session


def test_a_candidate_enters_waits_and_is_let_in_by_the_invigilator(page, audit, session, texts_in, browser, live_server):
    t = texts_in("fr")
    page.goto("/certification/")
    audit.check()
    page.get_by_label(t("Session number")).fill(str(session.pk))
    page.get_by_label(t("Access code")).fill(session.access_code.lower())
    page.get_by_label(t("Birth name")).fill("Martin")
    page.get_by_label(t("First name")).fill("Camille")
    page.get_by_label(t("Birth date")).fill("2008-03-14")
    page.get_by_role("button", name=t("Enter the session")).click()
    audit.check()
    expect(page.get_by_role("heading", name=t("Instructions"))).to_be_visible()
    page.get_by_role("button", name=t("Continue")).click()
    audit.check()
    expect(page.get_by_label(t("I have read the instructions and I accept them"))).to_have_attribute("aria-invalid", "true")
    page.get_by_label(t("I have read the instructions and I accept them")).check()
    page.get_by_role("button", name=t("Continue")).click()
    audit.check()
    expect(page.get_by_role("status").first).to_contain_text("Attendez que le surveillant vous autorise")

    invigilator_context = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True)
    try:
        desk = invigilator_context.new_page()
        desk_audit = AccessibilityAudit(desk)
        desk.goto("/certification/invigilation/")
        desk_audit.check()
        desk.get_by_label(t("Session number")).fill(str(session.pk))
        desk.get_by_label(t("Invigilator password")).fill(session.invigilator_password)
        desk.get_by_role("button", name=t("Open the session")).click()
        desk_audit.check()
        row = desk.get_by_role("row", name="Martin Camille")
        expect(row).to_contain_text("Attend d'être autorisé")
        row.get_by_role("button", name=f"{t('Let in')} Camille Martin").click()
        desk_audit.check()
        expect(desk.get_by_role("row", name="Martin Camille")).to_contain_text("Autorisé")
        assert not desk_audit.unchecked_pages()
    finally:
        invigilator_context.close()

    # The candidate's page follows by itself: no reload.
    expect(page.get_by_text("Le surveillant vous a autorisé.")).to_be_visible(timeout=10_000)
    audit.check()
    assert Candidate.objects.get().state == Candidate.State.AUTHORISED


def test_from_the_test_to_a_certificate_a_stranger_verifies(page, audit, session, texts_in, browser, live_server,
                                                            settings, tmp_path):
    """The candidate, let in, answers the 32 questions in the browser; the centre finalises, the
    jury publishes; the holder finds the certificate; a stranger checks its code."""
    from django.test import Client
    from web.certification_fixtures import certification_bank_of

    from balise.accounts.services import user_create

    settings.BALISE_CREDENTIAL_KEY_FILE = tmp_path / "issuer.pem"
    certification_bank_of(36)
    t = texts_in("fr")
    page.goto("/certification/")
    audit.check()
    for label, value in ((t("Session number"), str(session.pk)), (t("Access code"), session.access_code),
                         (t("Birth name"), "Martin"), (t("First name"), "Camille"), (t("Birth date"), "2008-03-14")):
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name=t("Enter the session")).click()
    audit.check()
    page.get_by_label(t("I have read the instructions and I accept them")).check()
    page.get_by_role("button", name=t("Continue")).click()
    audit.check()
    services.candidate_authorise(Candidate.objects.get(), now=timezone.now())  # the invigilator (first test)
    expect(page.get_by_role("button", name=t("Start the test"))).to_be_visible(timeout=10_000)
    audit.check()
    page.get_by_role("button", name=t("Start the test")).click()
    for _ in range(80):
        audit.check()
        # The fixture pack's timed questions may be drawn: the candidate says they are ready first.
        ready = page.get_by_role("button", name=t("I am ready: show the question"))
        if ready.count():
            ready.click()
            continue
        skip = page.get_by_role("button", name=t("I skip"))
        if not skip.count():
            break
        skip.click()
    expect(page.get_by_text("Votre test dans cette session est terminé")).to_be_visible()
    candidate = Candidate.objects.get()
    assert candidate.result["answered"] == 32 and candidate.state == Candidate.State.ENDED

    # The centre finalises, the jury publishes: each in their own browser.
    staff = session.created_by
    operator = user_create(email="jury@example.org", full_name="Dominique Jury", password="a-long-enough-passphrase-42")
    operator.is_staff = True
    operator.save()
    for user, steps in ((staff, "finalise"), (operator, "publish")):
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        other = context.new_page()
        other_audit = AccessibilityAudit(other)
        try:
            if steps == "finalise":
                other.goto(f"/certification/centres/{session.centre_id}/sessions/{session.pk}/")
                other_audit.check()
                other.get_by_role("link", name=t("Finalise the session")).click()
                other_audit.check()
                other.get_by_label(t("Comment for the jury")).fill("Session sans incident.")
                other.get_by_role("button", name=t("Finalise the session")).click()
            else:
                other.goto("/certification/jury/")
                other_audit.check()
                other.get_by_role("link", name=f"Session {session.pk}").click()
                other_audit.check()
                other.get_by_role("button", name=t("Publish the results")).click()
            other_audit.check()
            assert not other_audit.unchecked_pages()
        finally:
            context.close()
    code = Candidate.objects.get().verification_code
    assert code and code.startswith("B-")

    page.goto("/certification/mine/")
    audit.check()
    expect(page.get_by_text(code)).to_be_visible()
    stranger = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True)
    try:
        verifier = stranger.new_page()
        verifier_audit = AccessibilityAudit(verifier)
        verifier.goto(f"/verify/{code}")
        verifier_audit.check()
        expect(verifier.get_by_text(f"Le certificat {code} est authentique.")).to_be_visible()
        expect(verifier.get_by_role("region", name=t("Level reached in each competence"))).to_be_visible()
        assert verifier.request.get(f"/verify/{code}/certificate.pdf").body().startswith(b"%PDF-")
    finally:
        stranger.close()
