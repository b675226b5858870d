"""Reads for the organization's members: its campaigns, a campaign's figures, its participants.

Only what participants sent is ever shown (counts of those who started are fine). Every read
costs a fixed number of queries whatever the number of participants: the sent results' sums live
in CampaignTotals, kept up to date at each sending."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from balise.campaigns.models import Campaign, CampaignTotals, Participation, TargetProfile
from balise.campaigns.selectors import mastery_rows
from balise.organizations.models import OrganizationLearner

CURRENT = Q(participations__improved=False, participations__deleted_at=None)


def campaigns_of(organization, *, state: str = "active", query: str = "", owner=None, kind: str = "") -> list[Campaign]:
    """The organization's campaigns, active or archived, searched by name or code, and if asked
    only those `owner` (a user) owns, or of one kind."""
    campaigns = Campaign.objects.filter(organization=organization).select_related("target_profile", "owner")
    campaigns = campaigns.filter(archived_at__isnull=(state != "archived"))
    if query:
        campaigns = campaigns.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if owner is not None:
        campaigns = campaigns.filter(owner=owner)
    if kind in Campaign.Type.values:
        campaigns = campaigns.filter(type=kind)
    return list(
        campaigns.annotate(
            participants=Count("participations", filter=CURRENT),
            sent=Count("participations", filter=CURRENT & Q(participations__status=Participation.Status.SHARED)),
        )
    )


def target_profiles_for(organization):
    """The profiles an organization may build a campaign on: attached to it, or offered to its
    space or to every space; never an outdated one."""
    return (
        TargetProfile.objects.filter(outdated=False)
        .filter(Q(organizations=organization) | Q(space=organization.space_id) | Q(space=None, organizations=None))
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class StageCount:
    stage: object
    count: int
    percent: int


@dataclass(frozen=True)
class DayCount:
    day: date
    started: int
    sent: int


@dataclass(frozen=True)
class Dashboard:
    campaign: object
    started: int
    finished: int
    sent: int
    average_mastery: int | None
    stages: list[StageCount]
    mastery: list  # selectors.MasteryRow per competence, with its tubes
    badges: list  # (badge, count)
    by_day: list  # (date, count) of sendings
    days: list  # DayCount per day someone started or sent, in order
    days_max: int  # the chart's scale
    pix_average: int | None  # profiles collections
    certifiable: int
    level_averages: list  # (competence id, average level) for profiles collections


def campaign_dashboard(campaign: Campaign) -> Dashboard:
    current = Participation.objects.filter(campaign=campaign, improved=False)
    counts = dict(current.values_list("status").annotate(n=Count("pk")).order_by())
    totals = CampaignTotals.objects.filter(campaign=campaign).first() or CampaignTotals(campaign=campaign)
    sums, sent = totals.sums, totals.shared
    # Sendings per day are in the totals (kept at each sending); starts need one grouped count.
    by_day = sorted((date.fromisoformat(day), n) for day, n in sums.get("days", {}).items() if n)
    started_by_day = dict(
        current.annotate(day=TruncDate("created_at")).values_list("day").annotate(n=Count("pk")).order_by()
    )
    sent_by_day = dict(by_day)
    days = [DayCount(day, started_by_day.get(day, 0), sent_by_day.get(day, 0))
            for day in sorted(set(started_by_day) | set(sent_by_day))]
    stages, badges, mastery, levels = [], [], [], []
    if campaign.is_assessment:
        profile = campaign.target_profile
        stage_counts = sums.get("stages", {})
        stages = [
            StageCount(stage, stage_counts.get(str(stage.pk), 0), (100 * stage_counts.get(str(stage.pk), 0) // sent) if sent else 0)
            for stage in profile.stages.all()
        ]
        badge_counts = sums.get("badges", {})
        badges = [(badge, badge_counts.get(badge.key, 0)) for badge in profile.badges.all()]
        mastery = mastery_rows(sums)
    else:
        levels = sorted((cid, round(total / sent, 1)) for cid, total in sums.get("levels", {}).items()) if sent else []
    return Dashboard(
        campaign=campaign,
        started=counts.get(Participation.Status.STARTED, 0),
        finished=counts.get(Participation.Status.TO_SHARE, 0),
        sent=counts.get(Participation.Status.SHARED, 0),
        average_mastery=(totals.mastery_sum // sent) if sent and campaign.is_assessment else None,
        stages=stages,
        mastery=mastery,
        badges=badges,
        by_day=by_day,
        days=days,
        days_max=max([1, *(max(d.started, d.sent) for d in days)]),
        pix_average=(sums.get("pix_sum", 0) // sent) if sent and not campaign.is_assessment else None,
        certifiable=sums.get("certifiable", 0),
        level_averages=levels,
    )


def groups_of(campaign: Campaign) -> list[str]:
    """The classes or groups of the campaign's organization's list (to filter participants by)."""
    if not campaign.organization.manages_learners:
        return []
    return list(
        OrganizationLearner.objects.filter(organization_id=campaign.organization_id, disabled_at=None)
        .exclude(group="").values_list("group", flat=True).distinct().order_by("group")
    )


def participants_page(campaign: Campaign, *, query: str = "", stage: str = "", group: str = "", badge: str = "",
                      certifiable: str = "", page=1):
    """One page of the participants who sent their results (a count and one query per page),
    searched by name or identifier, filtered by stage, class or group, and badge earned (an
    assessment) or by certifiable or not (a profiles collection, whose rows carry what was sent)."""
    columns = ["pk", "participant_first_name", "participant_last_name", "external_id", "shared_at",
               "mastery_percent", "badge_keys", "deleted_at", "stage__title", "stage__threshold"]
    if not campaign.is_assessment:
        columns.append("results")  # pix, certifiable and levels: a few numbers per row
    sent = (
        Participation.objects.filter(campaign=campaign, improved=False, status=Participation.Status.SHARED)
        .select_related("stage")
        .only(*columns)
        .order_by("participant_last_name", "participant_first_name", "pk")
    )
    if certifiable in ("yes", "no") and not campaign.is_assessment:
        sent = sent.filter(results__certifiable=(certifiable == "yes"))
    if query:
        sent = sent.filter(Q(participant_last_name__icontains=query) | Q(participant_first_name__icontains=query)
                           | Q(external_id__icontains=query))
    if stage.isdigit():
        sent = sent.filter(stage_id=int(stage))
    if campaign.organization.manages_learners:
        listed = OrganizationLearner.objects.filter(organization_id=campaign.organization_id, user_id=OuterRef("user_id"))
        sent = sent.annotate(learner_group=Subquery(listed.values("group")[:1]))
        if group:
            sent = sent.filter(learner_group=group)
    if badge and campaign.is_assessment and campaign.target_profile.badges.filter(key=badge).exists():
        # Keys are slugs: the quoted key matches one element of the stored JSON list, on every database.
        sent = sent.filter(badge_keys__icontains=f'"{badge}"')
    return Paginator(sent, 50).get_page(page)
