"""The one access check per content resource a learner can name by id.

Each function returns the resource when this person may see it and raises a not-found error
otherwise — the same error whether the id does not exist or belongs to content the person
may not see, so that an outsider learns nothing of another partner's content. Views and API
endpoints call these and never check rights themselves.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from balise.content.models import Competence
from balise.spaces.selectors import content_space_id


class CompetenceNotFound(Http404):
    def __init__(self):
        super().__init__(_("This competence does not exist."))


def competence_access(user, competence_id: str) -> Competence:
    """A competence of the shared framework or of the learner's home space."""
    competence = Competence.objects.visible_in(content_space_id(user)).filter(id=competence_id).first()
    if competence is None:
        raise CompetenceNotFound()
    return competence
