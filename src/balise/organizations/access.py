"""The one access check for an organization (see content/access.py for the rule): a person
who is not an active member gets the very 404 of an organization that does not exist."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from balise.organizations.models import LearnerImport, Membership, OrganizationLearner, Role


class OrganizationNotFound(Http404):
    def __init__(self):
        super().__init__(_("This organization does not exist."))


def organization_access(user, organization_id, *, administer: bool = False) -> Membership:
    """The person's active membership of the organization. `administer`: the action is an
    administrator's (a member who tries gets 403: they know the organization exists)."""
    if not getattr(user, "is_authenticated", False):
        raise OrganizationNotFound()
    membership = (
        Membership.objects.select_related("organization", "organization__space")
        .filter(user=user, organization_id=organization_id, disabled_at=None, organization__archived_at=None)
        .first()
        if str(organization_id).isdigit()
        else None
    )
    if membership is None:
        raise OrganizationNotFound()
    if administer and membership.role != Role.ADMIN:
        raise PermissionDenied(_("Only the organization's administrators can do this."))
    return membership


class LearnerNotFound(Http404):
    def __init__(self):
        super().__init__(_("This learner does not exist."))


class LearnerImportNotFound(Http404):
    def __init__(self):
        super().__init__(_("This import does not exist."))


def learner_list_access(user, organization_id, *, administer: bool = False) -> Membership:
    """The membership of an organization that manages its learners; for any other organization
    its list of learners does not exist (404), as for an outsider."""
    membership = organization_access(user, organization_id, administer=administer)
    if not membership.organization.manages_learners:
        raise OrganizationNotFound()
    return membership


def organization_learner_access(user, organization_id, learner_id, *, administer: bool = False) -> OrganizationLearner:
    """A learner of the list, for the organization's members; another organization's learner,
    or a made-up id, is the same 404 (checked within the organization the membership gives)."""
    membership = learner_list_access(user, organization_id, administer=administer)
    learner = (
        OrganizationLearner.objects.select_related("organization", "user")
        .filter(organization=membership.organization, pk=learner_id)
        .first()
        if str(learner_id).isdigit()
        else None
    )
    if learner is None:
        raise LearnerNotFound()
    return learner


def learner_import_access(user, organization_id, import_id) -> LearnerImport:
    """An import of the list, for the organization's administrators only (they uploaded it)."""
    membership = learner_list_access(user, organization_id, administer=True)
    learner_import = (
        LearnerImport.objects.select_related("organization")
        .filter(organization=membership.organization, pk=import_id)
        .first()
        if str(import_id).isdigit()
        else None
    )
    if learner_import is None:
        raise LearnerImportNotFound()
    return learner_import
