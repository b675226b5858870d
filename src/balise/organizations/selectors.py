from django.core.paginator import Paginator
from django.db.models import Count, Q

from balise.organizations import learner_file
from balise.organizations.models import Invitation, LearnerImport, Membership, OrganizationLearner


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


# --- Learner lists

LEARNERS_PER_PAGE = 50


def learner_of(organization, user) -> OrganizationLearner | None:
    """The learner of the organization's list this account was reconciled with, if still on it."""
    if not getattr(user, "is_authenticated", False):
        return None
    return OrganizationLearner.objects.filter(organization=organization, user=user, disabled_at=None).first()


def learners_page(organization, *, group: str = "", query: str = "", state: str = "active", page=1):
    """One page of the list, filtered by class or group and by words of the names (no case or
    accents): a count and one query for the page, whatever the size of the list."""
    learners = OrganizationLearner.objects.filter(organization=organization).only(
        "id", "identifier", "first_name", "last_name", "birth_date", "group", "user_id", "disabled_at"
    )
    if state == "active":
        learners = learners.filter(disabled_at=None)
    elif state == "left":
        learners = learners.exclude(disabled_at=None)
    if group:
        learners = learners.filter(group=group)
    for word in learner_file.search_words(query)[:5]:
        learners = learners.filter(name_search__contains=word)
    return Paginator(learners.order_by("last_name", "first_name", "pk"), LEARNERS_PER_PAGE).get_page(page)


def learner_groups(organization) -> list[str]:
    return list(
        OrganizationLearner.objects.filter(organization=organization, disabled_at=None)
        .exclude(group="")
        .order_by("group")
        .values_list("group", flat=True)
        .distinct()
    )


def learner_counts(organization) -> dict[str, int]:
    counts = OrganizationLearner.objects.filter(organization=organization).aggregate(
        active=Count("pk", filter=Q(disabled_at=None)),
        left=Count("pk", filter=~Q(disabled_at=None)),
        reconciled=Count("pk", filter=Q(disabled_at=None, user__isnull=False)),
    )
    return counts


def learner_imports_of(organization, limit: int = 5) -> list[LearnerImport]:
    return list(LearnerImport.objects.filter(organization=organization).select_related("uploaded_by")[:limit])
