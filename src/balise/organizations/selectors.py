from balise.organizations.models import Invitation, Membership


def memberships_of(user) -> list[Membership]:
    """The organizations a person is an active member of, with their role."""
    return list(
        Membership.objects.filter(user=user, disabled_at=None, organization__archived_at=None).select_related(
            "organization", "organization__space"
        )
    )


def members_of(organization) -> list[Membership]:
    return list(Membership.objects.filter(organization=organization).select_related("user"))


def pending_invitations_of(organization) -> list[Invitation]:
    return list(Invitation.objects.filter(organization=organization, accepted_at=None, cancelled_at=None))


def invitation_of(organization, invitation_id) -> Invitation:
    """An invitation of this organization (the access check on the organization comes first);
    another organization's is a 404."""
    from django.http import Http404

    invitation = (
        Invitation.objects.filter(organization=organization, pk=invitation_id).first()
        if str(invitation_id).isdigit()
        else None
    )
    if invitation is None:
        raise Http404()
    return invitation


def membership_of(organization, membership_id) -> Membership:
    from django.http import Http404

    membership = (
        Membership.objects.filter(organization=organization, pk=membership_id).select_related("user").first()
        if str(membership_id).isdigit()
        else None
    )
    if membership is None:
        raise Http404()
    return membership
