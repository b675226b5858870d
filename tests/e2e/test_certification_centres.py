"""A certification centre in a real browser: a member creates a session, enrols a candidate by
the form (errors tied to their fields), imports a file for two new sessions after correcting a
refused one, and reads the day's codes. axe-core on every page, no sideways scroll at 320 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from balise.certification.models import Candidate, Centre, Session
from balise.organizations.models import Membership, Organization, Role
from balise.spaces.models import Space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Site;Salle;Date de la session;Heure de début;Surveillant(s);Nom de naissance;Prénom;Date de naissance;Sexe;Lieu de naissance;Temps majoré (%)"


@pytest.fixture
def centre(signed_in):
    organization = Organization.objects.create(
        name="Haute École de Namur", type="higher_education", space=Space.objects.get(slug="fwb")
    )
    Membership.objects.create(organization=organization, user=signed_in, role=Role.ADMIN)
    return Centre.objects.create(organization=organization)


def test_a_centre_plans_a_session_enrols_and_imports_candidates(page, audit, centre, texts_in):
    t = texts_in("fr")
    day = timezone.localdate() + timedelta(days=14)
    page.goto(f"/organizations/{centre.organization_id}/")
    audit.check()
    page.get_by_role("link", name=t("Certification centre: sessions and candidates")).click()
    audit.check()
    page.get_by_role("link", name=t("Create a session")).click()
    audit.check()
    page.get_by_label(t("Site")).fill("Campus de Namur")
    page.get_by_label(t("Room")).fill("Salle 2.14")
    page.get_by_label(t("Date"), exact=False).first.fill(day.isoformat())
    page.get_by_label(t("Start time")).fill("09:30")
    page.get_by_label(t("Invigilator(s)")).fill("Mme Lambert")
    page.get_by_role("button", name=t("Create the session")).click()
    audit.check()
    session = Session.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Session {session.pk}")
    expect(page.locator(".big-code").nth(1)).to_have_text(session.access_code)

    # The form refuses, then enrols.
    page.get_by_label(t("Birth name")).fill("Dubois")
    page.get_by_label(t("First name")).fill("Inès")
    page.get_by_label(t("Birth date")).fill("2005-06-01")
    page.get_by_label(t("Birth place")).fill("Liège")
    page.get_by_role("button", name=t("Enrol"), exact=True).click()
    audit.check()
    expect(page.get_by_label(t("Sex"))).to_have_attribute("aria-invalid", "true")
    assert not Candidate.objects.exists()
    page.get_by_label(t("Sex")).select_option("F")
    page.get_by_label(t("Birth place")).fill("Liège")
    page.get_by_label(t("Birth date")).fill("2005-06-01")
    page.get_by_label(t("Extra time (%)")).fill("33")
    page.get_by_role("button", name=t("Enrol"), exact=True).click()
    audit.check()
    expect(page.get_by_role("region", name="1 candidat")).to_contain_text("Dubois")
    assert Candidate.objects.get().extra_time_percent == 33
    page.set_viewport_size({"width": 320, "height": 800})
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 800})

    # A file for two new sessions: refused with its errors, then imported once corrected.
    page.goto(f"/certification/centres/{centre.pk}/")
    audit.check()
    page.get_by_role("link", name=t("Import candidates (one or several sessions)")).click()
    audit.check()
    date = day.strftime("%d/%m/%Y")
    wrong = "\n".join([HEADER, f"Campus;A;{date};10:00;M. Roy;Martin;Léo;01/02/2006;M;Mons;",
                       f"Campus;B;{date};14:00;M. Roy;Petit;Zoé;31/02/2006;F;Mons;"]) + "\n"
    for text in (wrong, wrong.replace("31/02/2006", "28/02/2006")):
        page.get_by_label(t("File of the candidates (CSV or ODS)")).set_input_files(
            files=[{"name": "candidats.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}])
        page.get_by_role("button", name=t("Import"), exact=True).click()
        audit.check()
        if text == wrong:
            expect(page.get_by_role("alert")).to_contain_text("Rien n'a été enregistré")
            rows = page.get_by_role("region", name=t("Errors, line by line")).get_by_role("row")
            expect(rows).to_have_count(2)
            expect(rows.nth(1)).to_contain_text("Date de naissance")
            assert Session.objects.count() == 1
    expect(page.locator(".messages")).to_contain_text("2 candidats")
    assert Session.objects.count() == 3 and Candidate.objects.count() == 3
    expect(page.get_by_role("region", name=t("Sessions to come")).get_by_role("row")).to_have_count(4)
    audit.check()


def test_a_school_enrols_a_class_of_its_list_and_a_stranger_meets_a_clear_404(page, audit, signed_in, texts_in):
    from datetime import date

    from balise.organizations.models import OrganizationLearner

    t = texts_in("fr")
    school = Organization.objects.create(name="Athénée de Namur", type="school", space=Space.objects.get(slug="fwb"),
                                         manages_learners=True)
    Membership.objects.create(organization=school, user=signed_in, role=Role.ADMIN)
    centre = Centre.objects.create(organization=school)
    OrganizationLearner.objects.create(organization=school, identifier="111AA", first_name="Élodie", last_name="Lefèvre",
                                       birth_date=date(2008, 3, 5), group="6e B", name_key="elodie lefevre")
    from balise.certification import services

    session = services.session_create(centre, by=signed_in, site="Namur", room="12",
                                      date=timezone.localdate() + timedelta(days=3), time=timezone.now().time(),
                                      examiner="M. Roy")
    page.goto(f"/certification/centres/{centre.pk}/sessions/{session.pk}/")
    audit.check()
    page.get_by_role("link", name=t("Or enrol learners of your list")).click()
    audit.check()
    page.get_by_label(t("Class or group")).select_option("6e B")
    page.get_by_role("button", name=t("Show")).click()
    audit.check()
    page.get_by_label("Inscrire Élodie Lefèvre").check()
    page.get_by_label("Sexe de Élodie Lefèvre").select_option("F")
    page.get_by_label("Lieu de naissance de Élodie Lefèvre").fill("Namur")
    page.get_by_role("button", name=t("Enrol the learners ticked")).click()
    audit.check()
    assert Candidate.objects.get().local_id == "111AA"
    page.goto(f"/certification/centres/{centre.pk + 1000}/")
    audit.check()
    expect(page.get_by_role("alert")).to_contain_text("Ce centre de certification n'existe pas.")
