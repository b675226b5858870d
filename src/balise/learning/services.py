"""Writes of the learning app: saving and rating tutorials. All are idempotent."""

from balise.learning.models import SavedTutorial, TutorialRating


def tutorial_save(user, tutorial) -> None:
    SavedTutorial.objects.get_or_create(user=user, tutorial=tutorial)


def tutorial_unsave(user, tutorial) -> None:
    SavedTutorial.objects.filter(user=user, tutorial=tutorial).delete()


def tutorial_rate(user, tutorial, *, useful: bool) -> None:
    TutorialRating.objects.update_or_create(user=user, tutorial=tutorial, defaults={"useful": useful})


def tutorial_rating_withdraw(user, tutorial) -> None:
    TutorialRating.objects.filter(user=user, tutorial=tutorial).delete()
