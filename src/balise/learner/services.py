"""Writes that span the apps for one person."""

from django.db import transaction
from django.utils import timezone

from balise.accounts.services import user_language_set
from balise.campaigns.models import Participation
from balise.campaigns.services import participation_delete
from balise.evaluation.services import tests_in_progress_language_set


@transaction.atomic
def learner_language_set(user, language: str) -> None:
    """The person's language, on every device; their tests in progress continue in it."""
    user_language_set(user, language)
    tests_in_progress_language_set(user, language)


@transaction.atomic
def learner_erase(user) -> None:
    """Delete an account and every trace of the person's tests (GDPR right to erasure).

    Today every record of a person cascades from their account; records that must outlive it
    (an organization's anonymised participation, a delivered certificate) are handled here,
    where every app is visible, and not by `accounts`."""
    # A campaign's participations stay in the organization's figures, without anything that
    # names the person (as when they delete one themselves).
    for participation in Participation.objects.filter(user=user, deleted_at=None):
        participation_delete(participation, now=timezone.now())
    user.delete()
