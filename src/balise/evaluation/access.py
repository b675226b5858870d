"""The one access check for a test (see content/access.py for the rule: an outsider gets the
same not-found error as for an id that does not exist)."""

from django.core.exceptions import ValidationError

from balise.evaluation.errors import AssessmentNotFound
from balise.evaluation.models import Assessment


def assessment_access(user, public_id, *, for_update: bool = False) -> Assessment:
    """A test that exists and belongs to this learner; AssessmentNotFound otherwise.

    With `for_update`, the row stays locked until the caller's transaction ends, so two
    answers to the same test are recorded one after the other.
    """
    if for_update:
        # The current challenge comes from the release's cache (challenge_for_answering).
        assessments = Assessment.objects.select_for_update()
    else:
        assessments = Assessment.objects.select_related("competence", "current_challenge")
    try:
        return assessments.get(public_id=public_id, user=user)
    except (Assessment.DoesNotExist, ValueError, TypeError, ValidationError):
        raise AssessmentNotFound() from None
