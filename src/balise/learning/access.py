"""The one access check for a tutorial (see content/access.py for the rule)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from balise.content.models import Tutorial
from balise.spaces.selectors import content_space_id


class TutorialNotFound(Http404):
    def __init__(self):
        super().__init__(_("This tutorial does not exist."))


def tutorial_access(user, tutorial_id: str) -> Tutorial:
    """A tutorial that exists and that the learner's content includes."""
    tutorial = (
        Tutorial.objects.visible_in(content_space_id(user))
        .filter(id=tutorial_id)
        .select_related("tube", "competence")
        .first()
    )
    if tutorial is None:
        raise TutorialNotFound()
    return tutorial
