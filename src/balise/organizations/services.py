"""Writes of the organizations app: invitations, members, roles.

An invitation is a link sent by e-mail: a signed random token, single-use, valid for
INVITATION_DAYS, replaced at each sending (an earlier link stops working) and cancellable.
It is accepted by whoever is logged in when they open it (an existing account, or one created
on the way): the administrators see who joined, with their e-mail address, and can disable them.
"""

import secrets
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from balise.accounts.tasks import email_send
from balise.i18n.translation import pick_text
from balise.organizations.models import Invitation, Membership, Organization, Role

INVITATION_DAYS = 14
SIGNING_SALT = "balise.organizations.invitation"


class InvitationInvalid(Exception):
    """A link that is not (or no longer) an invitation; `reason` says which, for the page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown", "expired", "cancelled", "accepted"


class MembershipError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=SIGNING_SALT).sign(invitation.nonce)


def _invitation_send(invitation: Invitation, base_url: str, language: str) -> None:
    url = base_url.rstrip("/") + reverse("organizations:invitation", args=[invitation_token(invitation)])
    organization = invitation.organization
    with override(language):
        context = {
            "organization": organization.name,
            "space": pick_text(organization.space.name, language) or organization.space.slug,
            "role": invitation.get_role_display(),
            "url": url,
            "days": INVITATION_DAYS,
        }
        body = loader.render_to_string("organizations/invitation_email.txt", context)
        subject = _("Join %(organization)s on Balise") % {"organization": organization.name}
    email_send.enqueue(subject=subject, body=body, to=[invitation.email])


@transaction.atomic
def invitation_create(organization: Organization, email: str, role: str, *, by, base_url: str, language: str) -> Invitation:
    """Invite a person; a pending invitation to the same address is sent again instead of
    doubled. Refused for someone who is already an active member."""
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email, disabled_at=None).exists():
        raise MembershipError(_("This person is already a member of the organization."))
    now = timezone.now()
    pending = organization.invitations.filter(email=email, accepted_at=None, cancelled_at=None).first()
    invitation = pending or Invitation(organization=organization, email=email, invited_by=by)
    invitation.role = role
    invitation.nonce = secrets.token_urlsafe(32)
    invitation.last_sent_at = now
    invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
    invitation.save()
    transaction.on_commit(lambda: _invitation_send(invitation, base_url, language))
    return invitation


def invitation_resend(invitation: Invitation, *, base_url: str, language: str) -> Invitation:
    if not invitation.is_pending:
        raise MembershipError(_("This invitation was already accepted or cancelled."))
    return invitation_create(
        invitation.organization, invitation.email, invitation.role, by=invitation.invited_by, base_url=base_url,
        language=language,
    )


def invitation_cancel(invitation: Invitation) -> None:
    if invitation.is_pending:
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link stands for, still open; InvitationInvalid says why not."""
    try:
        nonce = signing.Signer(salt=SIGNING_SALT).unsign(token)
    except signing.BadSignature as error:
        raise InvitationInvalid("unknown") from error
    invitation = Invitation.objects.select_related("organization", "organization__space").filter(nonce=nonce).first()
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.cancelled_at is not None or invitation.organization.archived_at is not None:
        raise InvitationInvalid("cancelled")
    if invitation.accepted_at is not None:
        raise InvitationInvalid("accepted")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("expired")
    return invitation


@transaction.atomic
def invitation_accept(token: str, user) -> Membership:
    """The logged-in person joins with the invitation's role; the link then stops working.
    A disabled member who is invited again is enabled again."""
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:  # accepted in another tab a moment ago
        raise InvitationInvalid("accepted")
    now = timezone.now()
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(
                organization=invitation.organization, user=user, defaults={"role": invitation.role}
            )
    except IntegrityError:
        membership, created = Membership.objects.get(organization=invitation.organization, user=user), False
    if not created:
        # Never lowered by an invitation: an administrator invited as a member stays one.
        membership.role = Role.ADMIN if Role.ADMIN in (membership.role, invitation.role) else Role.MEMBER
        membership.disabled_at = None
        membership.save(update_fields=["role", "disabled_at"])
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def _last_administrator(membership: Membership) -> bool:
    return (
        membership.role == Role.ADMIN
        and not Membership.objects.filter(organization=membership.organization, role=Role.ADMIN, disabled_at=None)
        .exclude(pk=membership.pk)
        .exists()
    )


def member_disable(membership: Membership) -> None:
    if _last_administrator(membership):
        raise MembershipError(_("The organization needs at least one administrator: name another one first."))
    membership.disabled_at = timezone.now()
    membership.save(update_fields=["disabled_at"])


def member_enable(membership: Membership) -> None:
    membership.disabled_at = None
    membership.save(update_fields=["disabled_at"])


def member_role_set(membership: Membership, role: str) -> None:
    if role not in Role.values:
        raise MembershipError(_("Choose administrator or member."))
    if role == Role.MEMBER and _last_administrator(membership):
        raise MembershipError(_("The organization needs at least one administrator: name another one first."))
    membership.role = role
    membership.save(update_fields=["role"])
