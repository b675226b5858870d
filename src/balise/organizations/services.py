"""Writes of the organizations app: invitations, members, roles, learner lists.

An invitation is a link sent by e-mail: a signed random token, single-use, valid for
INVITATION_DAYS, replaced at each sending (an earlier link stops working) and cancellable.
It is accepted by whoever is logged in when they open it (an existing account, or one created
on the way): the administrators see who joined, with their e-mail address, and can disable them.
"""

import logging
import secrets
from dataclasses import asdict
from datetime import date, timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from balise.accounts.tasks import email_send
from balise.i18n.translation import pick_text
from balise.organizations import learner_file
from balise.organizations.errors import FileRefused, ReconciliationRefused
from balise.organizations.models import (
    Invitation,
    LearnerImport,
    Membership,
    Organization,
    OrganizationLearner,
    Role,
)
from balise.organizations.tasks import learner_import_task

logger = logging.getLogger(__name__)

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


# --- Learner lists -------------------------------------------------------------------------
# An administrator uploads a CSV file; the request checks what can be checked at once (type,
# size, columns) and hands the file to the task worker, which checks every line and writes all
# or nothing. A re-import updates the learners it finds by their identifier, adds the new ones
# and disables those absent from the file (never deleted: their results stay the organization's).

ERRORS_KEPT = 1000  # stored for the page; error_count counts them all
# An import unfinished after this long was lost (a worker stopped): it no longer blocks the next.
IMPORT_STALE_AFTER = timedelta(hours=1)
PROGRESS_EVERY = 500
WRITE_BATCH = 500
ACCEPTED_EXTENSIONS = (".csv", ".txt")
LEARNER_FIELDS = [
    "first_name", "last_name", "birth_date", "group", "email", "diploma", "department", "name_key", "name_search",
]


def learner_import_start(organization: Organization, data: bytes, file_name: str, *, by) -> LearnerImport:
    """Check the file as a whole (FileRefused says why not) and queue its import. The lines
    themselves are checked by the worker, which reports every error with its line."""
    if not organization.manages_learners:
        raise ValueError("this organization does not import a list of learners")
    if len(data) > learner_file.MAX_BYTES:
        raise FileRefused("too_large", limit_mb=learner_file.MAX_BYTES // (1024 * 1024))
    text = learner_file.decode(data)  # empty, too large, a spreadsheet, not text
    if not file_name.lower().endswith(ACCEPTED_EXTENSIONS):
        raise FileRefused("not_csv")
    delimiter, _headers, _positions = learner_file.read_header(text, organization.type)
    if not any(line.strip(delimiter + " \t\r\"") for line in text.splitlines()[1:]):
        raise FileRefused("no_learners")
    with transaction.atomic():
        # One import at a time per organization: the second would write over the first.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        unfinished = organization.learner_imports.exclude(status__in=LearnerImport.FINISHED)
        for lost in unfinished.filter(created_at__lt=timezone.now() - IMPORT_STALE_AFTER):
            # Marked failed first: if its task still comes, it finds the import no longer waiting.
            LearnerImport.objects.filter(pk=lost.pk).update(status=LearnerImport.Status.FAILED, finished_at=timezone.now(), file="")
            lost.file.delete(save=False)
        if unfinished.exists():
            raise FileRefused("busy")
        learner_import = LearnerImport(organization=organization, uploaded_by=by, file_name=file_name[:255])
        learner_import.file.save(f"{secrets.token_hex(16)}.csv", ContentFile(data), save=False)
        learner_import.save()
    transaction.on_commit(lambda: learner_import_task.enqueue(learner_import.pk))
    return learner_import


def _import_update(learner_import: LearnerImport, **values) -> None:
    for name, value in values.items():
        setattr(learner_import, name, value)
    LearnerImport.objects.filter(pk=learner_import.pk).update(**values)


def learner_import_run(import_id: int, *, today: date | None = None) -> LearnerImport:
    """The worker's part: every line checked, then the list written in one transaction, or
    nothing written and every error kept. Run once: a retried task finds the import started."""
    claimed = LearnerImport.objects.filter(pk=import_id, status=LearnerImport.Status.WAITING).update(
        status=LearnerImport.Status.CHECKING, started_at=timezone.now()
    )
    learner_import = LearnerImport.objects.select_related("organization").get(pk=import_id)
    if not claimed:
        return learner_import
    organization = learner_import.organization
    try:
        with learner_import.file.open("rb") as stream:
            data = stream.read()
        parsed = learner_file.read_learners(
            data,
            organization.type,
            today=today or timezone.localdate(),
            max_errors=ERRORS_KEPT,
            progress=lambda done, total: _import_update(learner_import, lines_checked=done, lines_total=total),
            progress_every=PROGRESS_EVERY,
        )
        if parsed.error_count:
            _import_update(
                learner_import,
                status=LearnerImport.Status.REFUSED,
                errors=[asdict(error) for error in parsed.errors],
                error_count=parsed.error_count,
                finished_at=timezone.now(),
            )
        else:
            _import_update(learner_import, status=LearnerImport.Status.SAVING)
            with transaction.atomic():
                counts = _learners_write(organization, parsed.learners)
                _import_update(learner_import, status=LearnerImport.Status.DONE, finished_at=timezone.now(), **counts)
    except FileRefused as refusal:  # found only when reading every line (too many lines)
        _import_update(
            learner_import,
            status=LearnerImport.Status.REFUSED,
            errors=[{"line": 1, "column": "", "code": "file", "value": refusal.code, "details": refusal.details}],
            error_count=1,
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("learner import %s stopped", import_id)
        _import_update(learner_import, status=LearnerImport.Status.FAILED, finished_at=timezone.now())
    finally:
        # The list is personal data: once read, the file is not kept.
        learner_import.file.delete(save=False)
        LearnerImport.objects.filter(pk=import_id).update(file="")
    return learner_import


def _learners_write(organization: Organization, lines: list[learner_file.LearnerLine]) -> dict[str, int]:
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    existing = {learner.identifier: learner for learner in OrganizationLearner.objects.filter(organization=organization)}
    now = timezone.now()
    to_create, to_update = [], []
    for line in lines:
        values = {
            "first_name": line.first_name,
            "last_name": line.last_name,
            "birth_date": line.birth_date,
            "group": line.group,
            "email": line.email,
            "diploma": line.diploma,
            "department": line.department,
            "name_key": learner_file.name_key(line.first_name, line.last_name),
            "name_search": learner_file.name_search_text(line.first_name, line.last_name),
        }
        learner = existing.pop(line.identifier, None)
        if learner is None:
            to_create.append(OrganizationLearner(organization=organization, identifier=line.identifier, **values))
            continue
        changed = learner.disabled_at is not None or any(getattr(learner, name) != value for name, value in values.items())
        if changed:
            for name, value in values.items():
                setattr(learner, name, value)
            learner.disabled_at, learner.updated_at = None, now
            to_update.append(learner)
    OrganizationLearner.objects.bulk_create(to_create, batch_size=WRITE_BATCH)
    OrganizationLearner.objects.bulk_update(to_update, LEARNER_FIELDS + ["disabled_at", "updated_at"], batch_size=WRITE_BATCH)
    absent = [learner.pk for learner in existing.values() if learner.disabled_at is None]
    for start in range(0, len(absent), WRITE_BATCH):
        OrganizationLearner.objects.filter(pk__in=absent[start:start + WRITE_BATCH]).update(
            disabled_at=now, updated_at=now
        )
    return {"created_count": len(to_create), "updated_count": len(to_update), "disabled_count": len(absent)}


@transaction.atomic
def learner_reconcile(organization: Organization, user, *, first_name: str, last_name: str, birth_date: date) -> OrganizationLearner:
    """The learner of the organization's list this person is, linked to their account; for an
    organization that manages its learners, when the person joins one of its campaigns.

    Found by their names (no case, accents, hyphens, spaces or apostrophes; the words of a
    compound name in any order) and their birth date, among the learners still on the list.
    A person already linked gets their learner back. ReconciliationRefused otherwise: nobody
    matches, several do (the list must be corrected), or the learner found is another account's
    — never are two accounts linked to one learner, nor two learners to one account."""
    if not organization.manages_learners:
        raise ValueError("reconciliation is for organizations that manage their learners")
    linked = OrganizationLearner.objects.select_for_update().filter(organization=organization, user=user).first()
    if linked is not None:
        if linked.is_active:
            return linked
        raise ReconciliationRefused("left", organization.name)
    key = learner_file.name_key(first_name, last_name)
    candidates = list(
        OrganizationLearner.objects.select_for_update().filter(
            organization=organization, birth_date=birth_date, name_key=key, disabled_at=None
        )
    ) if key else []
    if len(candidates) > 1:
        # Same words: the one whose first and last names are each the person's, if only one is.
        exact = [c for c in candidates if learner_file.same_fields(c.first_name, c.last_name, first_name, last_name)]
        if len(exact) != 1:
            raise ReconciliationRefused("several_matches", organization.name)
        candidates = exact
    if not candidates:
        raise ReconciliationRefused("no_match", organization.name)
    learner = candidates[0]
    try:
        with transaction.atomic():
            # Conditional: of two accounts claiming one learner at once, one only wins.
            linked_now = OrganizationLearner.objects.filter(pk=learner.pk, user__isnull=True).update(
                user=user, reconciled_at=timezone.now()
            )
    except IntegrityError:
        # The same person, in another tab, was linked a moment ago to a learner of this list.
        return OrganizationLearner.objects.get(organization=organization, user=user)
    if not linked_now:
        raise ReconciliationRefused("already_reconciled", organization.name)
    learner.refresh_from_db()
    return learner


def learner_unlink(learner: OrganizationLearner) -> None:
    """An administrator detaches a learner from the account it was reconciled with (the wrong
    person joined as this learner); the right person is reconciled when they join next."""
    learner.user, learner.reconciled_at = None, None
    learner.save(update_fields=["user", "reconciled_at", "updated_at"])
