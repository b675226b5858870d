"""Organizations: members with a role, invitations by e-mail (signed, single-use, expiring,
cancellable, resent), and an outsider who gets exactly the 404 of a made-up organization."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from balise.accounts.services import user_create
from balise.organizations.access import OrganizationNotFound, organization_access
from balise.organizations.models import Invitation, Membership, Organization, Role
from balise.spaces.models import Space

from .conftest import PASSWORD, signup_confirmed

# E-mails leave once the invitation is committed (the tests run tasks at once, the worker in production).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school(content):
    return Organization.objects.create(name="Athénée Royal de Namur", type="school", space=Space.objects.get(slug="fwb"))


@pytest.fixture
def admin_of_school(school):
    person = user_create(email="direction@ar-namur.be", full_name="Claire Direction", password=PASSWORD)
    Membership.objects.create(organization=school, user=person, role=Role.ADMIN)
    return person


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def invitation_link() -> str:
    return re.search(r"https?://\S+/organizations/invitation/\S+/", mail.outbox[-1].body).group(0)


def test_an_outsider_gets_the_404_of_a_made_up_organization(school, admin_of_school):
    outsider = user_create(email="x@example.org", full_name="X", password=PASSWORD)
    with pytest.raises(OrganizationNotFound) as theirs:
        organization_access(outsider, school.pk)
    with pytest.raises(OrganizationNotFound) as made_up:
        organization_access(outsider, 999999)
    assert str(theirs.value) == str(made_up.value)
    assert organization_access(admin_of_school, school.pk).organization == school
    client = logged_in(outsider)
    for url in [f"/organizations/{school.pk}/", f"/organizations/{school.pk}/invitations/"]:
        response = client.get(url) if url.endswith(f"{school.pk}/") else client.post(url, {"email": "a@b.be"})
        assert response.status_code == 404
    assert client.get("/organizations/999999/").status_code == 404
    assert not Invitation.objects.exists()


def test_an_administrator_invites_and_the_person_joins_with_a_new_account(school, admin_of_school):
    client = logged_in(admin_of_school)
    assert client.post(f"/organizations/{school.pk}/invitations/", {"email": "Eleve@Example.be", "role": "member"}).status_code == 302
    link = invitation_link()
    assert "Athénée Royal de Namur" in mail.outbox[-1].subject

    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200 and "Athénée Royal de Namur" in page.content.decode()
    path = link.split("testserver", 1)[-1]
    signed_up = signup_confirmed(visitor, {
        "full_name": "Lou Élève", "email": "eleve@example.be", "password": "a-long-enough-passphrase-42",
        "accept_terms": "on", "next": path,
    })
    assert signed_up.status_code == 302 and signed_up["Location"] == path
    joined = visitor.post(path)
    assert joined.status_code == 302
    membership = Membership.objects.get(organization=school, user__email="eleve@example.be")
    assert membership.role == Role.MEMBER and membership.is_active
    # Single use: the link now says so, and nothing more is created.
    again = visitor.post(path)
    assert again.status_code == 410 and Membership.objects.filter(organization=school).count() == 2


def test_an_expired_a_cancelled_and_a_resent_invitation(school, admin_of_school):
    client = logged_in(admin_of_school)
    client.post(f"/organizations/{school.pk}/invitations/", {"email": "prof@example.be", "role": "admin"})
    first_link = invitation_link()
    invitation = Invitation.objects.get(email="prof@example.be")
    client.post(f"/organizations/{school.pk}/invitations/{invitation.pk}/", {"action": "resend"})
    second_link = invitation_link()
    assert first_link != second_link
    teacher = user_create(email="prof@example.be", full_name="Prof", password=PASSWORD)
    teacher_client = logged_in(teacher)
    path = lambda link: link.split("testserver", 1)[-1]  # noqa: E731
    assert teacher_client.post(path(first_link)).status_code == 404  # the earlier link stopped working
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert teacher_client.post(path(second_link)).status_code == 410
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    client.post(f"/organizations/{school.pk}/invitations/{invitation.pk}/", {"action": "cancel"})
    assert teacher_client.post(path(second_link)).status_code == 410
    assert not Membership.objects.filter(user=teacher).exists()
    assert teacher_client.get("/organizations/invitation/forged:token/").status_code == 404


def test_members_are_disabled_never_deleted_and_the_last_administrator_stays(school, admin_of_school):
    member = user_create(email="m@example.be", full_name="Membre", password=PASSWORD)
    membership = Membership.objects.create(organization=school, user=member)
    admin_client = logged_in(admin_of_school)
    # A member cannot administer: 403 (they know the organization), nothing changes.
    assert logged_in(member).post(f"/organizations/{school.pk}/invitations/", {"email": "z@z.be"}).status_code == 403
    admin_client.post(f"/organizations/{school.pk}/members/{membership.pk}/", {"action": "disable"})
    membership.refresh_from_db()
    assert membership.disabled_at is not None
    assert logged_in(member).get(f"/organizations/{school.pk}/").status_code == 404
    own = Membership.objects.get(user=admin_of_school)
    page = admin_client.post(f"/organizations/{school.pk}/members/{own.pk}/", {"action": "disable"}, follow=True)
    own.refresh_from_db()
    assert own.is_active and "au moins un administrateur" in page.content.decode()


def test_an_operator_creates_an_organization_and_invites_its_first_administrator(content):
    from balise.accounts.models import User

    operator = User.objects.create_superuser(email="op@example.org", password=PASSWORD, full_name="Op")
    client = logged_in(operator)
    fwb = Space.objects.get(slug="fwb")
    response = client.post("/admin/organizations/organization/add/", {
        "name": "SPW Mobilité", "type": "professional", "space": fwb.pk, "external_id": "SPW-042",
        "first_admin_email": "chef@spw.example.be",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "invitations-TOTAL_FORMS": "0", "invitations-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    organization = Organization.objects.get(external_id="SPW-042")
    assert Invitation.objects.get(organization=organization).role == Role.ADMIN
    assert "chef@spw.example.be" in mail.outbox[-1].to
