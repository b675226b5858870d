"""Tutorials through the API: a competence's tutorials, one tutorial, "my tutorials", save and rate."""

from ninja import Router, Schema, Status
from pydantic import StrictBool

from balise.api.errors import ErrorOut
from balise.content.access import competence_access
from balise.i18n.translation import pick_text
from balise.learning import selectors, services
from balise.learning.access import tutorial_access

router = Router(tags=["learning"])

NOT_FOUND = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class TutorialOut(Schema):
    id: str
    title: str
    kind: str
    duration_minutes: int
    competence: str
    saved: bool
    useful: bool | None


class TutorialDetailOut(TutorialOut):
    text: str
    url: str


class RatingIn(Schema):
    useful: StrictBool  # `true` or `false`, not a string or a number that looks like one


def _cards(user, tutorials, *, detail: bool = False) -> list[dict]:
    cards = []
    for item in selectors.tutorial_cards(user, tutorials):
        tutorial = item.tutorial
        card = {
            "id": tutorial.id,
            "title": pick_text(tutorial.title),
            "kind": tutorial.kind,
            "duration_minutes": tutorial.duration_minutes,
            "competence": tutorial.competence_id,
            "saved": item.saved,
            "useful": item.useful,
        }
        if detail:
            card.update(text=pick_text(tutorial.text), url=pick_text(tutorial.url))
        cards.append(card)
    return cards


@router.get(
    "/competences/{competence_id}/tutorials",
    response={200: list[TutorialOut], 401: ErrorOut, 404: ErrorOut},
    summary="Tutorials of a competence",
    description="Every tutorial of the competence the learner can see, with whether they saved and rated it.",
)
def competence_tutorials(request, competence_id: str):
    competence_access(request.user, competence_id)
    return _cards(request.user, selectors.tutorials_of_competence(request.user, competence_id))


@router.get(
    "/tutorials/saved",
    response={200: list[TutorialOut], 401: ErrorOut},
    summary="My tutorials",
    description="The tutorials the learner saved.",
)
def saved(request):
    return _cards(request.user, selectors.saved_tutorials(request.user))


@router.put(
    "/tutorials/saved/{tutorial_id}",
    response={204: None, **NOT_FOUND},
    summary="Save a tutorial",
    description="Adds the tutorial to “my tutorials”; saving it again changes nothing.",
)
def save(request, tutorial_id: str):
    services.tutorial_save(request.user, tutorial_access(request.user, tutorial_id))
    return Status(204, None)


@router.delete(
    "/tutorials/saved/{tutorial_id}",
    response={204: None, **NOT_FOUND},
    summary="Remove a saved tutorial",
    description="Removes the tutorial from “my tutorials”; removing one that is not saved changes nothing.",
)
def unsave(request, tutorial_id: str):
    services.tutorial_unsave(request.user, tutorial_access(request.user, tutorial_id))
    return Status(204, None)


@router.get(
    "/tutorials/{tutorial_id}",
    response={200: TutorialDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="A tutorial",
    description="A tutorial with its text (Markdown) or the address of the resource, in the learner's language.",
)
def tutorial_show(request, tutorial_id: str):
    return _cards(request.user, [tutorial_access(request.user, tutorial_id)], detail=True)[0]


@router.put(
    "/tutorials/{tutorial_id}/rating",
    response={204: None, 422: ErrorOut, **NOT_FOUND},
    summary="Rate a tutorial",
    description='`{"useful": true}` or `false`; a new rating replaces the previous one.',
)
def rate(request, tutorial_id: str, payload: RatingIn):
    services.tutorial_rate(request.user, tutorial_access(request.user, tutorial_id), useful=payload.useful)
    return Status(204, None)


@router.delete(
    "/tutorials/{tutorial_id}/rating",
    response={204: None, **NOT_FOUND},
    summary="Withdraw a rating",
    description="Takes back the learner's opinion of the tutorial; withdrawing when there is none changes nothing.",
)
def rating_withdraw(request, tutorial_id: str):
    services.tutorial_rating_withdraw(request.user, tutorial_access(request.user, tutorial_id))
    return Status(204, None)
