"""The one access check per content resource a learner can name by id.

Each function returns the resource when this person may see it and raises a not-found error
otherwise — the same error whether the id does not exist or belongs to content the person
may not see, so that an outsider learns nothing of another partner's content. Views and API
endpoints call these and never check rights themselves.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from balise.content.models import Competence
from balise.content.selectors import current_content_version, media_owners
from balise.spaces.selectors import content_space_id


class MediaNotFound(Http404):
    def __init__(self):
        super().__init__(_("This file does not exist."))


def content_media_access(user, relative_path: str) -> bool:
    """Whether a content file may be served to this person: a file that only a space's own
    challenges show reaches only that space's people (404 for anyone else, as for a file that
    does not exist). Returns whether the file is shared (it may then be cached publicly)."""
    owners = media_owners(current_content_version()).get(relative_path)
    if owners is None or None in owners:
        return True  # shown by a shared challenge (or by none): the open pack's own
    if getattr(user, "is_authenticated", False) and content_space_id(user) in owners:
        return False
    raise MediaNotFound()


class CompetenceNotFound(Http404):
    def __init__(self):
        super().__init__(_("This competence does not exist."))


def competence_access(user, competence_id: str) -> Competence:
    """A competence of the shared framework or of the learner's home space."""
    competence = Competence.objects.visible_in(content_space_id(user)).filter(id=competence_id).first()
    if competence is None:
        raise CompetenceNotFound()
    return competence
