"""The one access check per certification resource (see content/access.py for the rule): a
person who is not an active member of the centre's organization gets the very 404 of a centre,
session or candidate that does not exist."""

from django.http import Http404

from balise.certification.errors import CandidateNotFound, CentreNotFound, SessionNotFound
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
