"""The one access check for an organization (see content/access.py for the rule): a person
who is not an active member gets the very 404 of an organization that does not exist."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from balise.organizations.models import Membership, Role


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
