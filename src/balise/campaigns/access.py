"""The one access check per campaign resource (see content/access.py for the rule: an outsider
gets the very 404 of a thing that does not exist)."""

from django.core.exceptions import ValidationError

from balise.campaigns.errors import CampaignNotFound, ParticipationNotFound
from balise.campaigns.models import Campaign, Participation
from balise.campaigns.services import code_normalised
from balise.organizations.access import organization_access


def campaign_by_code(code, space) -> Campaign:
    """The campaign a learner joins by its code, on its organization's space only: a code given
    out by a school in one space does not exist in another (nothing of a space reaches another's
    people). Archived campaigns are found, so the learner is told it is closed."""
    campaign = (
        Campaign.objects.select_related("organization", "target_profile")
        .filter(code=code_normalised(code), organization__space=space, organization__archived_at=None)
        .first()
    )
    if campaign is None:
        raise CampaignNotFound()
    return campaign


def campaign_access(user, organization_id, campaign_id, *, administer: bool = False):
    """(membership, campaign): a campaign of an organization the person is an active member of."""
    membership = organization_access(user, organization_id, administer=administer)
    campaign = (
        Campaign.objects.select_related("target_profile", "owner")
        .filter(organization=membership.organization, pk=campaign_id)
        .first()
        if str(campaign_id).isdigit()
        else None
    )
    if campaign is None:
        raise CampaignNotFound()
    return membership, campaign


def participant_access(campaign: Campaign, participation_id) -> Participation:
    """One participant's results as the organization sees them: sent ones only (before the
    learner sends them, a participation does not exist for the organization)."""
    participation = (
        Participation.objects.select_related("stage")
        .filter(campaign=campaign, pk=participation_id, status=Participation.Status.SHARED)
        .first()
        if str(participation_id).isdigit()
        else None
    )
    if participation is None:
        raise ParticipationNotFound()
    return participation


def participation_access(user, public_id) -> Participation:
    """A participation of this learner's (never one they deleted)."""
    if not getattr(user, "is_authenticated", False):
        raise ParticipationNotFound()
    try:
        return Participation.objects.select_related(
            "campaign", "campaign__organization", "campaign__target_profile", "assessment", "stage"
        ).get(public_id=public_id, user=user, deleted_at=None)
    except (Participation.DoesNotExist, ValueError, TypeError, ValidationError):
        raise ParticipationNotFound() from None
