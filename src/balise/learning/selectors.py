from dataclasses import dataclass

from balise.content.models import Tutorial
from balise.learning.models import SavedTutorial, TutorialRating
from balise.spaces.selectors import content_space_id


def saved_tutorial_ids(user, tutorial_ids=None) -> set[str]:
    saved = SavedTutorial.objects.filter(user=user)
    if tutorial_ids is not None:
        saved = saved.filter(tutorial_id__in=tutorial_ids)
    return set(saved.values_list("tutorial_id", flat=True))


def ratings_by_tutorial(user, tutorial_ids) -> dict[str, bool]:
    return dict(
        TutorialRating.objects.filter(user=user, tutorial_id__in=tutorial_ids).values_list("tutorial_id", "useful")
    )


def tutorials_of_competence(user, competence_id: str):
    return list(
        Tutorial.objects.visible_in(content_space_id(user)).filter(competence_id=competence_id).select_related("tube")
    )


def saved_tutorials(user):
    # Only those the home space still shows: a learner who moved to another space keeps their
    # list, but sees the tutorials of the space they are in now.
    visible = Tutorial.objects.visible_in(content_space_id(user)).values("id")
    return [
        s.tutorial
        for s in SavedTutorial.objects.filter(user=user, tutorial_id__in=visible).select_related(
            "tutorial", "tutorial__competence"
        )
    ]


@dataclass(frozen=True)
class TutorialCard:
    """A tutorial with what this learner did with it, read by the pages and the API alike."""

    tutorial: Tutorial
    saved: bool
    useful: bool | None  # None: no opinion given


def tutorial_cards(user, tutorials) -> list[TutorialCard]:
    ids = [t.id for t in tutorials]
    saved = saved_tutorial_ids(user, ids)
    ratings = ratings_by_tutorial(user, ids)
    return [TutorialCard(tutorial=t, saved=t.id in saved, useful=ratings.get(t.id)) for t in tutorials]
