"""The one access check per certification resource (see content/access.py for the rule): a
person who is not an active member of the centre's organization gets the very 404 of a centre,
session or candidate that does not exist."""

from django.http import Http404

from balise.certification.errors import (
    CandidacyNotFound,
    CandidateNotFound,
    CentreNotFound,
    InvigilationRefused,
    SessionNotFound,
)
from balise.certification.models import Candidate, Centre, Session
from balise.organizations.access import organization_access
from balise.organizations.models import Membership


def centre_access(user, centre_id, *, administer: bool = False) -> tuple[Membership, Centre]:
    """(membership, centre): a centre run by an organization the person is an active member of."""
    centre = (
        Centre.objects.select_related("organization", "organization__space").filter(pk=centre_id).first()
        if str(centre_id).isdigit()
        else None
    )
    if centre is None:
        raise CentreNotFound()
    try:
        membership = organization_access(user, centre.organization_id, administer=administer)
    except Http404 as outsider:
        raise CentreNotFound() from outsider
    return membership, centre


def session_access(user, centre_id, session_id) -> tuple[Membership, Session]:
    """(membership, session): a session of a centre the person is a member of."""
    membership, centre = centre_access(user, centre_id)
    session = Session.objects.filter(centre=centre, pk=session_id).first() if str(session_id).isdigit() else None
    if session is None:
        raise SessionNotFound()
    session.centre = centre  # already read, with its organization
    return membership, session


def candidate_access(user, centre_id, session_id, candidate_id) -> Candidate:
    """A candidate of a session of the person's centre; another session's candidate is a 404."""
    _membership, session = session_access(user, centre_id, session_id)
    candidate = (
        Candidate.objects.filter(session=session, pk=candidate_id).first() if str(candidate_id).isdigit() else None
    )
    if candidate is None:
        raise CandidateNotFound()
    candidate.session = session
    return candidate


def candidacy_access(user, candidate_id) -> Candidate:
    """A person's own enrolment, once they entered the session; anyone else's is a 404."""
    candidate = (
        Candidate.objects.select_related("session__centre__organization")
        .filter(pk=candidate_id, user=user).first()
        if str(candidate_id).isdigit() and getattr(user, "is_authenticated", False)
        else None
    )
    if candidate is None:
        raise CandidacyNotFound()
    return candidate


INVIGILATED = "certification-invigilated-sessions"


def invigilation_access(request, session_id) -> Session:
    """A session this browser opened with its password (kept in the browser's session), not
    finalised, of this space; any other is refused as if the password had never been typed."""
    granted = request.session.get(INVIGILATED, [])
    session = (
        Session.objects.select_related("centre__organization")
        .filter(pk=session_id, status=Session.Status.CREATED, centre__organization__space=request.space)
        .first()
        if str(session_id).isdigit() and int(session_id) in granted
        else None
    )
    if session is None:
        raise InvigilationRefused()
    return session


def jury_access(user) -> None:
    """The jury's pages are the platform's operators' (staff): anyone else gets a 404, as if the
    pages did not exist."""
    if not (getattr(user, "is_authenticated", False) and user.is_staff):
        raise SessionNotFound()


def jury_session_access(user, session_id) -> Session:
    """A session the jury reviews: finalised, in review or published (a session still open is the
    centre's)."""
    jury_access(user)
    session = (
        Session.objects.select_related("centre__organization", "reviewer")
        .exclude(status=Session.Status.CREATED).filter(pk=session_id).first()
        if str(session_id).isdigit() else None
    )
    if session is None:
        raise SessionNotFound()
    return session


def jury_candidate_access(user, session_id, candidate_id) -> Candidate:
    session = jury_session_access(user, session_id)
    candidate = (
        Candidate.objects.select_related("assessment").filter(session=session, pk=candidate_id).first()
        if str(candidate_id).isdigit() else None
    )
    if candidate is None:
        raise CandidateNotFound()
    candidate.session = session
    return candidate
