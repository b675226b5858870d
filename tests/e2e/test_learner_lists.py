"""An organization's administrator imports its list of learners in a real browser: a file with
errors is refused with each error's line and column, the corrected file imports, the learners
are listed; the progress page follows the task worker by itself. axe-core on every page."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from balise.organizations.models import LearnerImport, Membership, Organization, OrganizationLearner, Role
from balise.spaces.models import Space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Identifiant unique*;Premier prénom*;Nom de famille*;Date de naissance (jj/mm/aaaa)*;Division*"
WITH_ERRORS = "\r\n".join([
    HEADER,
    "111111111AA;Élodie;Lefèvre;05/03/2012;5e B",
    "222222222BB;Noé;N'Diaye;31/02/2012;5e A",
    ";Zoé;Petit;01/01/2012;5e A",
]) + "\r\n"
CORRECTED = WITH_ERRORS.replace("31/02/2012", "28/02/2012").replace(";Zoé", "333333333CC;Zoé")


@pytest.fixture
def school(signed_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    organization = Organization.objects.create(
        name="Athénée Royal de Namur", type="school", space=Space.objects.get(slug="fwb"), manages_learners=True
    )
    Membership.objects.create(organization=organization, user=signed_in, role=Role.ADMIN)
    return organization


def choose_file(page, t, text: str, encoding="cp1252"):
    page.get_by_label(t("CSV file of the learners")).set_input_files(
        files=[{"name": "eleves.csv", "mimeType": "text/csv", "buffer": text.encode(encoding)}]
    )
    page.get_by_role("button", name=t("Import"), exact=True).click()


def test_an_administrator_corrects_a_refused_file_and_sees_the_learners(page, audit, school, texts_in):
    t = texts_in("fr")
    page.goto(f"/organizations/{school.pk}/")
    audit.check()
    page.get_by_role("link", name=t("Import a list of learners")).click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Import a list of learners"))

    choose_file(page, t, WITH_ERRORS)
    audit.check()
    expect(page.get_by_role("alert")).to_contain_text("Rien n'a été importé")
    errors = page.get_by_role("region", name=t("The errors, line by line")).get_by_role("row")
    expect(errors).to_have_count(3)  # the header row and two errors
    expect(errors.nth(1)).to_contain_text("3")
    expect(errors.nth(1)).to_contain_text("Date de naissance (jj/mm/aaaa)*")
    expect(errors.nth(1)).to_contain_text("31/02/2012")
    expect(errors.nth(2)).to_contain_text("4")
    expect(errors.nth(2)).to_contain_text("Identifiant unique*")
    assert not OrganizationLearner.objects.exists()

    page.get_by_role("link", name=t("Upload a corrected file")).click()
    audit.check()
    choose_file(page, t, CORRECTED)
    audit.check()
    expect(page.get_by_role("heading", name=t("The list is imported"))).to_be_visible()
    page.get_by_role("link", name=t("See the learners")).click()
    audit.check()
    table = page.get_by_role("region", name="3 apprenants trouvés")
    for name in ["Lefèvre Élodie", "N'Diaye Noé", "Petit Zoé"]:
        expect(table.get_by_role("link", name=name)).to_be_visible()

    page.get_by_label(t("Class")).select_option("5e A")
    page.get_by_role("button", name=t("Show")).click()
    audit.check()
    expect(page.get_by_role("region", name="2 apprenants trouvés")).to_be_visible()
    page.get_by_label(t("Search by name")).fill("ndiaye")
    page.get_by_role("button", name=t("Show")).click()
    audit.check()
    page.get_by_role("link", name="N'Diaye Noé").click()
    audit.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("N'Diaye Noé")

    page.go_back()
    page.set_viewport_size({"width": 320, "height": 800})
    audit.check()
    overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not overflow, "the learners page scrolls sideways at 320 px"


def test_the_progress_page_follows_the_worker_by_itself(page, audit, school, texts_in, settings):
    t = texts_in("fr")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a real queue
    page.goto(f"/organizations/{school.pk}/learners/import/")
    audit.check()
    choose_file(page, t, CORRECTED, encoding="utf-8-sig")
    audit.check()
    # Queued: without JavaScript the page offers a link; with it, it follows on its own.
    expect(page.get_by_role("link", name=t("Refresh this page"))).to_be_visible()
    assert LearnerImport.objects.get().status == "waiting"
    loads = len(audit.loads)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    result = page.get_by_role("heading", name=t("The list is imported"))
    expect(result).to_be_visible(timeout=15_000)
    expect(result).to_be_focused()
    assert len(audit.loads) == loads  # the region changed, the page was not reloaded
    audit.check()
    assert OrganizationLearner.objects.filter(organization=school).count() == 3
