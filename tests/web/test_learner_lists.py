"""Learner lists: an administrator imports the organization's learners from a CSV file (all or
nothing, every error with its line and column, a re-import updates), the members see the list,
a person joining is reconciled with it — and nothing of one organization reaches another's."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from balise.accounts.services import user_create
from balise.organizations import learner_file, services
from balise.organizations.access import (
    LearnerImportNotFound,
    LearnerNotFound,
    OrganizationNotFound,
    learner_import_access,
    learner_list_access,
    organization_learner_access,
)
from balise.organizations.errors import ReconciliationRefused
from balise.organizations.models import LearnerImport, Membership, Organization, OrganizationLearner, Role
from balise.organizations.selectors import learner_of
from balise.organizations.services import learner_reconcile
from balise.spaces.models import Space

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOL_HEADER = "Identifiant unique*;Premier prénom*;Nom de famille*;Date de naissance (jj/mm/aaaa)*;Division*"
UNIVERSITY_HEADER = "Numéro étudiant;Premier prénom;Nom de famille;Date de naissance (jj/mm/aaaa);Groupe;Email"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def school(content):
    return Organization.objects.create(
        name="Athénée Royal de Namur", type="school", space=Space.objects.get(slug="fwb"), manages_learners=True
    )


@pytest.fixture
def university(content):
    return Organization.objects.create(
        name="Université de Liège", type="higher_education", space=Space.objects.get(slug="fwb"), manages_learners=True
    )


def person(email: str, name: str = "Someone"):
    return user_create(email=email, full_name=name, password=PASSWORD)


def member_of(organization, role=Role.ADMIN, email=None):
    user = person(email or f"{role}-{organization.pk}@example.be", f"{role.title()} {organization.name}")
    Membership.objects.create(organization=organization, user=user, role=role)
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, organization, text: str | bytes, name="eleves.csv", encoding="utf-8"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = text if isinstance(text, bytes) else text.encode(encoding)
    return client.post(
        f"/organizations/{organization.pk}/learners/import/", {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def text_of(response) -> str:
    """The page as a reader sees its words: entities decoded, French non-breaking spaces as spaces."""
    import html

    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def school_file(*lines: str) -> str:
    return "\r\n".join([SCHOOL_HEADER, *lines]) + "\r\n"


def learners_of(organization):
    return {
        learner.identifier: (learner.first_name, learner.last_name, learner.birth_date, learner.group, learner.is_active)
        for learner in OrganizationLearner.objects.filter(organization=organization)
    }


# --- Import -----------------------------------------------------------------------------------


def test_errors_are_listed_with_line_and_column_and_nothing_is_imported_until_the_file_is_right(school):
    client = logged_in(member_of(school))
    response = upload(client, school, school_file(
        "111111111AA;Élodie;Lefèvre;05/03/2012;5e B",
        "222222222BB;Noé;Martin;31/02/2012;5e A",
        ";Zoé;Petit;01/01/2012;5e A",
        "111111111AA;Luc;Blanc;01/01/2012;5e A",
    ))
    assert response.status_code == 302
    learner_import = LearnerImport.objects.get()
    assert response["Location"] == f"/organizations/{school.pk}/learners/imports/{learner_import.pk}/"
    assert learner_import.status == "refused" and learner_import.error_count == 3
    page = text_of(client.get(response["Location"]))
    assert "Rien n'a été importé" in page or "Rien n'a été importé" in page
    for line, column in [(3, "Date de naissance (jj/mm/aaaa)*"), (4, "Identifiant unique*"), (5, "Identifiant unique*")]:
        assert f'<th scope="row">{line}</th><td>{column}</td>' in page
    assert "« 31/02/2012 » n'est pas une date" in page or "31/02/2012" in page
    assert "déjà à la ligne 2" in page
    assert not OrganizationLearner.objects.exists()  # all or nothing
    assert not learner_import.file  # the file is not kept once read

    fixed = upload(client, school, school_file(
        "111111111AA;Élodie;Lefèvre;05/03/2012;5e B",
        "222222222BB;Noé;Martin;28/02/2012;5e A",
        "333333333CC;Zoé;Petit;01/01/2012;5e A",
    ))
    done = LearnerImport.objects.get(pk=fixed["Location"].rstrip("/").rsplit("/", 1)[1])
    assert (done.status, done.created_count, done.updated_count, done.disabled_count) == ("done", 3, 0, 0)
    assert "3 apprenants ajoutés" in text_of(client.get(fixed["Location"]))
    listing = text_of(client.get(f"/organizations/{school.pk}/learners/"))
    assert "Lefèvre Élodie" in listing and "Petit Zoé" in listing


def test_a_reimport_updates_adds_and_disables_never_duplicates(school):
    client = logged_in(member_of(school))
    upload(client, school, school_file(
        "111111111AA;Élodie;Lefèvre;05/03/2012;5e B",
        "222222222BB;Noé;Martin;28/02/2012;5e A",
        "333333333CC;Zoé;Petit;01/01/2012;5e A",
    ))
    elodie = OrganizationLearner.objects.get(identifier="111111111AA")
    reconciled = person("elodie@example.be")
    OrganizationLearner.objects.filter(pk=elodie.pk).update(user=reconciled)
    # Next year: Élodie changed class (and her INE is written in lower case), Noé left, Inès arrived.
    upload(client, school, school_file(
        "111111111aa;Élodie;Lefèvre;05/03/2012;4e B",
        "333333333CC;Zoé;Petit;01/01/2012;5e A",
        "444444444DD;Inès;Roux;09/09/2012;5e A",
    ))
    last = LearnerImport.objects.first()
    assert (last.status, last.created_count, last.updated_count, last.disabled_count) == ("done", 1, 1, 1)
    assert learners_of(school) == {
        "111111111AA": ("Élodie", "Lefèvre", date(2012, 3, 5), "4e B", True),
        "222222222BB": ("Noé", "Martin", date(2012, 2, 28), "5e A", False),
        "333333333CC": ("Zoé", "Petit", date(2012, 1, 1), "5e A", True),
        "444444444DD": ("Inès", "Roux", date(2012, 9, 9), "5e A", True),
    }
    assert OrganizationLearner.objects.get(pk=elodie.pk).user == reconciled  # the same record, still linked
    # Noé comes back: the same record, enabled again.
    upload(client, school, school_file("222222222BB;Noé;Martin;28/02/2012;4e A"))
    assert learners_of(school)["222222222BB"] == ("Noé", "Martin", date(2012, 2, 28), "4e A", True)
    assert OrganizationLearner.objects.count() == 4


def test_a_windows_1252_file_with_a_bom_free_header_and_iso_dates(university):
    client = logged_in(member_of(university))
    text = UNIVERSITY_HEADER + "\r\nE-2024-01;Léa;Müller-Ságvári;2004-07-12;TD 3;lea@example.be\r\n"
    upload(client, university, text, encoding="cp1252")
    learner = OrganizationLearner.objects.get()
    assert (learner.identifier, learner.last_name, learner.birth_date, learner.group, learner.email) == (
        "E-2024-01", "Müller-Ságvári", date(2004, 7, 12), "TD 3", "lea@example.be",
    )


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("eleves.xlsx", b"PK\x03\x04rest of a zip", "un tableur, pas un fichier CSV"),
        ("eleves.pdf", b"%PDF-1.7 some text", "pas un fichier CSV"),
        ("eleves.csv", b"", "Le fichier est vide"),
        ("eleves.csv", "Nom;Prénom\nMartin;Noé\n".encode(), "Des colonnes manquent"),
        ("eleves.csv", (SCHOOL_HEADER + "\n").encode(), "aucun apprenant"),
    ],
)
def test_a_file_refused_at_once_says_why_and_changes_nothing(school, name, data, expected):
    response = upload(logged_in(member_of(school)), school, data, name=name)
    assert response.status_code == 400
    assert expected in text_of(response)
    assert not LearnerImport.objects.exists() and not OrganizationLearner.objects.exists()


def test_a_missing_column_is_named_with_the_names_accepted(school):
    response = upload(logged_in(member_of(school)), school, "INE;Prénom;Nom;Date de naissance\nA;B;C;01/01/2010\n")
    page = text_of(response)
    assert response.status_code == 400
    assert "Une colonne manque : « Division » (ou « Classe », « Class », « class »)" in page


def test_a_file_too_large_is_refused(school, monkeypatch):
    monkeypatch.setattr(learner_file, "MAX_BYTES", 1024 * 1024)
    big = school_file(*[f"{i:09d}AA;Prénom;Nom;01/01/2012;5e" for i in range(40_000)])
    response = upload(logged_in(member_of(school)), school, big)
    assert response.status_code == 400 and "trop volumineux" in text_of(response)
    assert not LearnerImport.objects.exists()


def test_one_import_at_a_time_per_organization(school):
    admin = member_of(school)
    LearnerImport.objects.create(organization=school, uploaded_by=admin, file_name="first.csv", status="checking")
    response = upload(logged_in(admin), school, school_file("111111111AA;Élodie;Lefèvre;05/03/2012;5e B"))
    assert response.status_code == 400 and "déjà en cours" in text_of(response)
    assert LearnerImport.objects.count() == 1


def test_an_import_lost_by_a_stopped_worker_no_longer_blocks_the_next(school):
    from datetime import timedelta

    admin = member_of(school)
    lost = LearnerImport.objects.create(organization=school, uploaded_by=admin, file_name="lost.csv", status="checking")
    LearnerImport.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=2))
    response = upload(logged_in(admin), school, school_file("111111111AA;Élodie;Lefèvre;05/03/2012;5e B"))
    assert response.status_code == 302
    lost.refresh_from_db()
    assert lost.status == "failed" and LearnerImport.objects.first().status == "done"
    # Its task, if it comes late, does nothing.
    assert services.learner_import_run(lost.pk).status == "failed"
    assert OrganizationLearner.objects.count() == 1


def test_an_import_that_breaks_while_saving_writes_nothing(school, monkeypatch):
    client = logged_in(member_of(school))
    upload(client, school, school_file("111111111AA;Élodie;Lefèvre;05/03/2012;5e B"))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The second import adds a learner, then fails while updating the first: the addition is undone.
    monkeypatch.setattr(OrganizationLearner.objects, "bulk_update", broken)
    response = upload(client, school, school_file(
        "111111111AA;Élodie;Lefèvre;05/03/2012;4e B", "222222222BB;Noé;Martin;28/02/2012;5e A"
    ))
    assert LearnerImport.objects.first().status == "failed"
    assert learners_of(school) == {"111111111AA": ("Élodie", "Lefèvre", date(2012, 3, 5), "5e B", True)}
    assert "Rien n'a été modifié" in text_of(client.get(response["Location"]))


def test_the_worker_imports_the_list_and_the_page_shows_the_progress(school):
    client = logged_in(member_of(school))
    lines = [f"{i:09d}AA;Prénom{i};Nom{i};01/01/2012;5e {i % 4}" for i in range(1200)]
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = upload(client, school, school_file(*lines))
        learner_import = LearnerImport.objects.get()
        assert learner_import.status == "waiting" and learner_import.file  # kept for the worker
        stored = learner_import.file.path
        page = text_of(client.get(response["Location"]))
        assert "En attente" in page and "Actualiser cette page" in page and "data-refresh-url" in page
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    learner_import.refresh_from_db()
    assert (learner_import.status, learner_import.lines_checked, learner_import.lines_total) == ("done", 1200, 1200)
    assert OrganizationLearner.objects.filter(organization=school).count() == 1200
    import os

    assert not learner_import.file and not os.path.exists(stored)  # deleted once the task ended
    finished = text_of(client.get(response["Location"]))
    assert "data-refresh-url" not in finished and "1 200 apprenants ajoutés" in finished


def test_the_progress_page_while_checking(school):
    admin = member_of(school)
    learner_import = LearnerImport.objects.create(
        organization=school, uploaded_by=admin, file_name="big.csv", status="checking", lines_total=10_000,
        lines_checked=2_500,
    )
    page = text_of(logged_in(admin).get(f"/organizations/{school.pk}/learners/imports/{learner_import.pk}/"))
    normal = page
    assert "2 500 lignes vérifiées sur 10 000" in normal
    assert 'value="25"' in page


def test_a_file_with_too_many_lines_is_refused_by_the_worker_with_its_reason(school, monkeypatch):
    monkeypatch.setattr(learner_file, "MAX_LINES", 3)
    client = logged_in(member_of(school))
    response = upload(client, school, school_file(*[f"{i:09d}AA;Prénom;Nom;01/01/2012;5e" for i in range(4)]))
    assert LearnerImport.objects.get().status == "refused"
    page = text_of(client.get(response["Location"]))
    assert "trop de lignes : 3 apprenants au plus" in page
    assert not OrganizationLearner.objects.exists()


def test_the_template_file_has_the_columns_of_the_organizations_type(school, university):
    school_csv = logged_in(member_of(school)).get(f"/organizations/{school.pk}/learners/template.csv")
    assert school_csv.content.decode("utf-8-sig").splitlines()[0] == (
        "Identifiant unique;Premier prénom;Nom de famille;Date de naissance;Division"
    )
    university_csv = logged_in(member_of(university)).get(f"/organizations/{university.pk}/learners/template.csv")
    assert university_csv.content.decode("utf-8-sig").startswith("Numéro étudiant;")


# --- The list --------------------------------------------------------------------------------


def _bulk_learners(organization, count: int):
    OrganizationLearner.objects.bulk_create(
        OrganizationLearner(
            organization=organization, identifier=f"ID{i:06d}", first_name=f"Prénom{i}", last_name=f"Nom{i:06d}",
            birth_date=date(2010, 1, 1 + i % 28), group=f"Classe {i % 5}",
            name_key=learner_file.name_key(f"Prénom{i}", f"Nom{i:06d}"),
            name_search=learner_file.name_search_text(f"Prénom{i}", f"Nom{i:06d}"),
        )
        for i in range(count)
    )


def test_members_filter_search_and_page_through_the_list(school):
    member = member_of(school, Role.MEMBER)
    _bulk_learners(school, 120)
    OrganizationLearner.objects.create(
        organization=school, identifier="X1", first_name="Élodie", last_name="Lefèvre-Dubois", birth_date=date(2012, 3, 5),
        group="5e B", name_key=learner_file.name_key("Élodie", "Lefèvre-Dubois"),
        name_search=learner_file.name_search_text("Élodie", "Lefèvre-Dubois"),
    )
    client = logged_in(member)
    first = text_of(client.get(f"/organizations/{school.pk}/learners/"))
    assert "121 apprenants trouvés" in first and "Page 1 sur 3" in first
    assert first.count('<th scope="row">') == 50
    third = text_of(client.get(f"/organizations/{school.pk}/learners/?page=3"))
    assert third.count('<th scope="row">') == 21
    # Search without accents or case, by a part of a compound name.
    found = text_of(client.get(f"/organizations/{school.pk}/learners/?q=LEFEVRE+elodie"))
    assert "1 apprenant trouvé" in found and "Lefèvre-Dubois Élodie" in found
    assert "1 apprenant trouvé" in text_of(client.get(f"/organizations/{school.pk}/learners/?q=lefevredubois"))
    grouped = text_of(client.get(f"/organizations/{school.pk}/learners/?group=Classe+2"))
    assert "24 apprenants trouvés" in grouped
    # The filters stay in the page links.
    assert "group=Classe+2&page=" not in grouped  # 24 fit on one page
    paged = text_of(client.get(f"/organizations/{school.pk}/learners/?state=active&page=2"))
    assert "?state=active&page=3" in paged


def test_the_list_runs_the_same_queries_at_10_and_1000_learners(school):
    client = logged_in(member_of(school, Role.MEMBER))
    client.get(f"/organizations/{school.pk}/learners/")  # the session read once
    counted = {}
    for size in (10, 1000):
        OrganizationLearner.objects.all().delete()
        _bulk_learners(school, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/organizations/{school.pk}/learners/?group=Classe+1&q=nom&page=2")
        assert response.status_code == 200
        counted[size] = [q["sql"] for q in queries]
        assert ("Nom000251" if size == 1000 else "Nom000006") in text_of(response)  # page 2 (the last, at 10)
    assert len(counted[10]) == len(counted[1000]) <= 8, counted[1000]


def test_an_organization_that_does_not_manage_learners_has_no_list(content):
    ministry = Organization.objects.create(name="SPW", type="professional", space=Space.objects.get(slug="fwb"))
    client = logged_in(member_of(ministry))
    assert client.get(f"/organizations/{ministry.pk}/learners/").status_code == 404
    assert client.get(f"/organizations/{ministry.pk}/learners/import/").status_code == 404
    with pytest.raises(IntegrityError):
        Organization.objects.filter(pk=ministry.pk).update(manages_learners=True)  # the database refuses it


# --- Tenancy: one access function per resource, and another organization gets nothing -----------


def test_the_list_of_another_organization_is_a_404(school, university):
    theirs = member_of(university)
    with pytest.raises(OrganizationNotFound) as other:
        learner_list_access(theirs, school.pk)
    with pytest.raises(OrganizationNotFound) as made_up:
        learner_list_access(theirs, 999999)
    assert str(other.value) == str(made_up.value)
    client = logged_in(theirs)
    for url in ["learners/", "learners/import/", "learners/template.csv"]:
        assert client.get(f"/organizations/{school.pk}/{url}").status_code == 404
    assert upload(client, school, school_file("111111111AA;Élodie;Lefèvre;05/03/2012;5e B")).status_code == 404
    assert not LearnerImport.objects.exists()
    # A member may read the list, not import it.
    member = member_of(school, Role.MEMBER)
    assert learner_list_access(member, school.pk).organization == school
    assert logged_in(member).get(f"/organizations/{school.pk}/learners/import/").status_code == 403


def test_a_learner_of_another_organization_is_a_404(school, university):
    _bulk_learners(school, 1)
    learner = OrganizationLearner.objects.get(organization=school)
    theirs = member_of(university)
    for organization_id in (school.pk, university.pk):  # by the school's address, or by their own
        with pytest.raises((LearnerNotFound, OrganizationNotFound)) as other:
            organization_learner_access(theirs, organization_id, learner.pk)
        assert logged_in(theirs).get(f"/organizations/{organization_id}/learners/{learner.pk}/").status_code == 404
    with pytest.raises(LearnerNotFound) as made_up:
        organization_learner_access(theirs, university.pk, 999999)
    assert str(other.value) == str(made_up.value)
    linked = person("linked@example.be")
    OrganizationLearner.objects.filter(pk=learner.pk).update(user=linked)
    assert logged_in(theirs).post(f"/organizations/{university.pk}/learners/{learner.pk}/", {"action": "unlink"}).status_code == 404
    assert OrganizationLearner.objects.get(pk=learner.pk).user == linked
    mine = member_of(school, Role.MEMBER)
    assert organization_learner_access(mine, school.pk, learner.pk) == learner
    assert "Nom000000 Prénom0" in text_of(logged_in(mine).get(f"/organizations/{school.pk}/learners/{learner.pk}/"))


def test_an_import_of_another_organization_is_a_404_and_a_members_a_403(school, university):
    admin = member_of(school)
    learner_import = LearnerImport.objects.create(organization=school, uploaded_by=admin, file_name="a.csv", status="refused")
    theirs = member_of(university)
    with pytest.raises((LearnerImportNotFound, OrganizationNotFound)):
        learner_import_access(theirs, school.pk, learner_import.pk)
    with pytest.raises(LearnerImportNotFound) as other:
        learner_import_access(theirs, university.pk, learner_import.pk)
    with pytest.raises(LearnerImportNotFound) as made_up:
        learner_import_access(theirs, university.pk, 999999)
    assert str(other.value) == str(made_up.value)
    assert logged_in(theirs).get(f"/organizations/{university.pk}/learners/imports/{learner_import.pk}/").status_code == 404
    member = member_of(school, Role.MEMBER)
    assert logged_in(member).get(f"/organizations/{school.pk}/learners/imports/{learner_import.pk}/").status_code == 403
    assert learner_import_access(admin, school.pk, learner_import.pk) == learner_import


def test_an_administrator_unlinks_a_learner_a_member_cannot(school):
    _bulk_learners(school, 1)
    learner = OrganizationLearner.objects.get()
    wrong = person("wrong@example.be")
    OrganizationLearner.objects.filter(pk=learner.pk).update(user=wrong, reconciled_at=timezone.now())
    url = f"/organizations/{school.pk}/learners/{learner.pk}/"
    assert logged_in(member_of(school, Role.MEMBER)).post(url, {"action": "unlink"}).status_code == 403
    assert OrganizationLearner.objects.get().user == wrong
    assert logged_in(member_of(school)).post(url, {"action": "unlink"}).status_code == 302
    assert OrganizationLearner.objects.get().user is None


# --- Reconciliation --------------------------------------------------------------------------


def _on_list(organization, identifier, first_name, last_name, birth_date, **fields):
    return OrganizationLearner.objects.create(
        organization=organization, identifier=identifier, first_name=first_name, last_name=last_name,
        birth_date=birth_date, name_key=learner_file.name_key(first_name, last_name),
        name_search=learner_file.name_search_text(first_name, last_name), **fields,
    )


def test_a_person_is_found_whatever_the_case_accents_hyphens_and_order_of_names(school):
    elodie = _on_list(school, "A1", "Marie-Élodie", "N'Diaye Lefèvre", date(2012, 3, 5))
    user = person("elodie@example.be")
    assert learner_of(school, user) is None
    found = learner_reconcile(school, user, first_name="elodie marie", last_name="NDIAYE-LEFEVRE".replace("NDIAYE", "N DIAYE"), birth_date=date(2012, 3, 5))
    assert found == elodie and found.user == user and found.reconciled_at is not None
    assert learner_of(school, user) == elodie
    # The same person again (another campaign): their learner, nothing changes.
    assert learner_reconcile(school, user, first_name="x", last_name="y", birth_date=date(2000, 1, 1)) == elodie


def test_first_and_last_names_exchanged_are_found_when_no_one_else_matches(school):
    louis = _on_list(school, "A1", "Louis", "Martin", date(2012, 3, 5))
    assert learner_reconcile(school, person("l@example.be"), first_name="Martin", last_name="Louis", birth_date=date(2012, 3, 5)) == louis


def test_the_exact_names_win_over_exchanged_ones(school):
    louis_martin = _on_list(school, "A1", "Louis", "Martin", date(2012, 3, 5))
    _on_list(school, "A2", "Martin", "Louis", date(2012, 3, 5))
    assert learner_reconcile(school, person("l@example.be"), first_name="louis", last_name="martin", birth_date=date(2012, 3, 5)) == louis_martin


def test_no_match_is_refused_with_a_clear_message(school):
    _on_list(school, "A1", "Élodie", "Lefèvre", date(2012, 3, 5))
    user = person("e@example.be")
    for first, last, born in [("Élodie", "Lefèvre", date(2012, 3, 6)), ("Elodie", "Lefevres", date(2012, 3, 5)), ("", "", date(2012, 3, 5))]:
        with pytest.raises(ReconciliationRefused) as refusal:
            learner_reconcile(school, user, first_name=first, last_name=last, birth_date=born)
        assert refusal.value.reason == "no_match"
    assert "Athénée Royal de Namur" in refusal.value.message
    assert not OrganizationLearner.objects.filter(user=user).exists()


def test_several_matches_are_refused(school):
    _on_list(school, "A1", "Élodie", "Lefèvre", date(2012, 3, 5))
    _on_list(school, "A2", "Elodie", "LEFEVRE", date(2012, 3, 5))  # the list has her twice
    with pytest.raises(ReconciliationRefused) as refusal:
        learner_reconcile(school, person("e@example.be"), first_name="Élodie", last_name="Lefèvre", birth_date=date(2012, 3, 5))
    assert refusal.value.reason == "several_matches"
    assert not OrganizationLearner.objects.exclude(user=None).exists()


def test_a_learner_already_linked_to_another_account_is_never_linked_twice(school):
    _on_list(school, "A1", "Élodie", "Lefèvre", date(2012, 3, 5))
    first, second = person("e1@example.be"), person("e2@example.be")
    learner_reconcile(school, first, first_name="Élodie", last_name="Lefèvre", birth_date=date(2012, 3, 5))
    with pytest.raises(ReconciliationRefused) as refusal:
        learner_reconcile(school, second, first_name="Élodie", last_name="Lefèvre", birth_date=date(2012, 3, 5))
    assert refusal.value.reason == "already_reconciled"
    assert OrganizationLearner.objects.get().user == first and learner_of(school, second) is None


def test_a_learner_who_left_the_list_is_refused(school):
    user = person("e@example.be")
    _on_list(school, "A1", "Élodie", "Lefèvre", date(2012, 3, 5), user=user, disabled_at=timezone.now())
    _on_list(school, "A2", "Noé", "Martin", date(2012, 1, 1), disabled_at=timezone.now())
    with pytest.raises(ReconciliationRefused) as refusal:
        learner_reconcile(school, user, first_name="Élodie", last_name="Lefèvre", birth_date=date(2012, 3, 5))
    assert refusal.value.reason == "left"
    assert learner_of(school, user) is None
    # A learner no longer on the list is not found by a newcomer either.
    with pytest.raises(ReconciliationRefused) as refusal:
        learner_reconcile(school, person("n@example.be"), first_name="Noé", last_name="Martin", birth_date=date(2012, 1, 1))
    assert refusal.value.reason == "no_match"


def test_reconciliation_stays_within_the_organization(school, university):
    _on_list(university, "E1", "Élodie", "Lefèvre", date(2012, 3, 5))
    with pytest.raises(ReconciliationRefused):
        learner_reconcile(school, person("e@example.be"), first_name="Élodie", last_name="Lefèvre", birth_date=date(2012, 3, 5))
    assert not OrganizationLearner.objects.exclude(user=None).exists()


def test_each_refusal_has_its_own_sentence_in_french_and_in_english(school):
    from django.utils import translation

    sentences = {}
    for language in ("fr", "en"):
        with translation.override(language):
            sentences[language] = [ReconciliationRefused(reason, school.name).message for reason in ReconciliationRefused.REASONS]
    for messages in sentences.values():
        assert len(set(messages)) == len(ReconciliationRefused.REASONS)
        assert all(school.name in message for message in messages)
    assert not set(sentences["fr"]) & set(sentences["en"])
    assert "list" in sentences["en"][0] and "liste" in sentences["fr"][0]


def test_services_refuse_an_organization_without_a_list(content):
    ministry = Organization.objects.create(name="SPW", type="professional", space=Space.objects.get(slug="fwb"))
    with pytest.raises(ValueError):
        learner_reconcile(ministry, person("x@example.be"), first_name="a", last_name="b", birth_date=date(2000, 1, 1))
    with pytest.raises(ValueError):
        services.learner_import_start(ministry, b"x", "x.csv", by=None)


def test_the_persons_data_export_holds_what_the_list_says_of_them(school):
    from balise.learner.export import user_data_export

    user = person("elodie@example.be")
    _on_list(school, "A1", "Élodie", "Lefèvre", date(2012, 3, 5), group="5e B")
    _on_list(school, "A2", "Noé", "Martin", date(2012, 1, 1))
    learner_reconcile(school, user, first_name="Élodie", last_name="Lefèvre", birth_date=date(2012, 3, 5))
    [record] = user_data_export(user)["organization_learner_records"]
    assert (record["organization"], record["identifier"], record["birth_date"], record["group"]) == (
        "Athénée Royal de Namur", "A1", "2012-03-05", "5e B",
    )
    assert record["linked_at"] and record["left_the_list_at"] is None


def test_bad_addresses_and_forms_get_a_clear_answer_never_a_500(school):
    client = logged_in(member_of(school))
    base = f"/organizations/{school.pk}/learners/"
    for query in ["?page=abc", "?page=99999", "?state=bogus&group=" + "x" * 500, "?q=" + "%27%22%3C" * 50]:
        assert client.get(base + query).status_code == 200
    for url in ["abc/", "99999/", "imports/abc/", "imports/99999/"]:
        assert client.get(base + url).status_code == 404
    no_file = client.post(base + "import/", {})
    assert no_file.status_code == 400 and 'aria-invalid="true"' in no_file.content.decode()
    assert not LearnerImport.objects.exists()


def test_an_operator_cannot_give_a_list_to_an_administration(content):
    from balise.accounts.models import User

    operator = User.objects.create_superuser(email="op@example.org", password=PASSWORD, full_name="Op")
    response = logged_in(operator).post("/admin/organizations/organization/add/", {
        "name": "SPW Mobilité", "type": "professional", "space": Space.objects.get(slug="fwb").pk,
        "manages_learners": "on",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "invitations-TOTAL_FORMS": "0", "invitations-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200 and "Seul un établissement scolaire" in text_of(response)
    assert not Organization.objects.filter(name="SPW Mobilité").exists()
