from django.http import Http404
from ninja import Router, Schema, Status

from balise.learning import selectors, services
from balise.site.translation import pick_text

router = Router(tags=["learning"])


class TutorialOut(Schema):
    id: str
    title: str
    kind: str
    duration_minutes: int
    competence: str


class RatingIn(Schema):
    useful: bool


def _tutorial(user, tutorial_id):
    tutorial = selectors.tutorial_get_for_user(user, tutorial_id)
    if tutorial is None:
        raise Http404("This tutorial does not exist.")
    return tutorial


def _out(tutorial):
    return {
        "id": tutorial.id,
        "title": pick_text(tutorial.title),
        "kind": tutorial.kind,
        "duration_minutes": tutorial.duration_minutes,
        "competence": tutorial.competence_id,
    }


@router.get("/saved", response=list[TutorialOut])
def saved(request):
    return [_out(t) for t in selectors.saved_tutorials(request.user)]


@router.put("/saved/{tutorial_id}", response={204: None})
def save(request, tutorial_id: str):
    services.tutorial_save(request.user, _tutorial(request.user, tutorial_id))
    return Status(204, None)


@router.delete("/saved/{tutorial_id}", response={204: None})
def unsave(request, tutorial_id: str):
    services.tutorial_unsave(request.user, _tutorial(request.user, tutorial_id))
    return Status(204, None)


@router.put("/{tutorial_id}/rating", response={204: None})
def rate(request, tutorial_id: str, payload: RatingIn):
    services.tutorial_rate(request.user, _tutorial(request.user, tutorial_id), useful=payload.useful)
    return Status(204, None)
