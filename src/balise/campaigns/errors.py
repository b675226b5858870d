"""What can go wrong in a campaign, with the message the person reads. Each refusal changes
nothing."""

from django.utils.translation import gettext_lazy as _

from balise.i18n.errors import ReadableError


class CampaignError(ReadableError):
    pass


class CampaignNotFound(CampaignError):
    http_status = 404
    code = "not_found"
    default_message = _("No campaign has this code here. Check the code you were given (9 characters, e.g. ABCDEF123).")


class CampaignArchived(CampaignError):
    http_status = 409
    code = "campaign_archived"
    default_message = _("This campaign is closed: it no longer accepts participants. Ask its organizer.")


class AlreadySent(CampaignError):
    http_status = 409
    code = "already_sent"
    default_message = _("You have already sent your results to this campaign: it accepts one sending per person.")


class NotFinished(CampaignError):
    http_status = 409
    code = "not_finished"
    default_message = _("Finish the test first: you can send your results once it is over.")


class ExternalIdRequired(CampaignError):
    code = "external_id_required"


class NotOnTheList(CampaignError):
    http_status = 403
    code = "not_on_the_list"


class ParticipationNotFound(CampaignError):
    http_status = 404
    code = "not_found"
    default_message = _("This participation does not exist or is not yours.")
