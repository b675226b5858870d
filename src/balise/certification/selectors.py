"""What the certification pages read."""

from django.db.models import Count, Q

from balise.certification.models import Centre, Session


def centres_of(user) -> list[Centre]:
    """The centres run by organizations the person is an active member of."""
    return list(
        Centre.objects.select_related("organization")
        .filter(organization__memberships__user=user, organization__memberships__disabled_at=None,
                organization__archived_at=None)
        .distinct()
    )


def sessions_of(centre: Centre, *, state: str = "open") -> list[Session]:
    """The centre's sessions, open (not finalised yet) or past the finalisation, with counts."""
    sessions = Session.objects.filter(centre=centre)
    sessions = sessions.filter(status=Session.Status.CREATED) if state == "open" else sessions.exclude(
        status=Session.Status.CREATED)
    ordered = sessions.order_by("date", "time", "pk") if state == "open" else sessions.order_by("-date", "-time", "-pk")
    return list(ordered.annotate(
        candidate_count=Count("candidates"),
        entered_count=Count("candidates", filter=Q(candidates__entered_at__isnull=False)),
    ))
