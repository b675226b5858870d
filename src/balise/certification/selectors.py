"""What the certification pages read."""

from django.db.models import Count, Q

from balise.certification.models import Candidate, Centre, Session


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


def candidacies_of(user) -> list:
    """The sessions the person entered and whose test is not over."""
    return list(Candidate.objects.filter(user=user, ended_at=None, session__status=Session.Status.CREATED)
                .select_related("session__centre__organization").order_by("-entered_at"))


def candidates_of_session(session: Session) -> list:
    """The invigilator's list: those who need attention first (waiting, then in the test)."""
    candidates = list(session.candidates.select_related("assessment"))
    first = {"waiting_to_resume": 0, "waiting": 1, "reading": 2, "authorised": 3, "not_arrived": 4, "ended": 5}
    return sorted(candidates, key=lambda c: (first[c.state], c.last_name, c.first_name))
