"""The organization's campaign pages: its campaigns, creating and editing one, a campaign's
figures, its participants and one participant's results. Each goes through campaign_access."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balise.campaigns import dashboard, selectors, services
from balise.campaigns.access import campaign_access, participant_access
from balise.campaigns.errors import CampaignError
from balise.campaigns.forms import CampaignForm
from balise.campaigns.models import Campaign
from balise.campaigns.results import trainings_recommended
from balise.organizations.access import organization_access
from balise.organizations.models import Role


def _error_page(request, error):
    return render(request, "campaigns/error.html", {"error": error}, status=error.http_status)


@login_required
def campaign_list(request, organization_id):
    membership = organization_access(request.user, organization_id)
    state = "archived" if request.GET.get("state") == "archived" else "active"
    query = request.GET.get("q", "")[:100]
    mine, kind = request.GET.get("owner") == "me", request.GET.get("type", "")[:20]
    campaigns = dashboard.campaigns_of(membership.organization, state=state, query=query,
                                       owner=request.user if mine else None, kind=kind)
    context = {
        "organization": membership.organization,
        "is_admin": membership.role == Role.ADMIN,
        "campaigns": campaigns,
        "state": state,
        "query": query,
        "mine": mine,
        "kind": kind,
        "kinds": Campaign.Type.choices,
    }
    return render(request, "campaigns/organization/list.html", context)


def _form_page(request, membership, form, campaign=None, status=200):
    context = {"organization": membership.organization, "form": form, "campaign": campaign}
    return render(request, "campaigns/organization/form.html", context, status=status)


@login_required
def campaign_new(request, organization_id):
    membership = organization_access(request.user, organization_id, administer=True)
    profiles = dashboard.target_profiles_for(membership.organization)
    form = CampaignForm(request.POST or None, profiles=profiles)
    if request.method != "POST":
        return _form_page(request, membership, form)
    if not form.is_valid():
        return _form_page(request, membership, form, status=400)
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        campaign = services.campaign_create(membership.organization, by=request.user, owner=request.user, **fields)
    except (CampaignError, ValidationError) as error:
        form.add_error(None, getattr(error, "message", None) or "; ".join(error.messages))
        return _form_page(request, membership, form, status=400)
    messages.success(request, _("Campaign created. Its code is %(code)s.") % {"code": campaign.code})
    return redirect("organization_campaigns:show", organization_id=organization_id, campaign_id=campaign.pk)


@login_required
def campaign_edit(request, organization_id, campaign_id):
    try:
        membership, campaign = campaign_access(request.user, organization_id, campaign_id, administer=True)
    except CampaignError as error:
        return _error_page(request, error)
    form = CampaignForm(request.POST or None, instance=campaign, profiles=dashboard.target_profiles_for(membership.organization))
    if request.method != "POST":
        return _form_page(request, membership, form, campaign)
    if not form.is_valid():
        return _form_page(request, membership, form, campaign, status=400)
    campaign.refresh_from_db()  # the form wrote into the instance; the service compares with what is stored
    try:
        services.campaign_update(campaign, **{name: form.cleaned_data[name] for name in form.Meta.fields})
    except CampaignError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _form_page(request, membership, form, campaign, status=400)
    messages.success(request, _("Saved."))
    return redirect("organization_campaigns:show", organization_id=organization_id, campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_archive(request, organization_id, campaign_id):
    try:
        _membership, campaign = campaign_access(request.user, organization_id, campaign_id, administer=True)
    except CampaignError as error:
        return _error_page(request, error)
    if request.POST.get("action") == "unarchive":
        services.campaign_unarchive(campaign)
        messages.success(request, _("The campaign is open again."))
    else:
        services.campaign_archive(campaign, now=timezone.now())
        messages.success(request, _("The campaign is archived: it accepts no one and no sending any more."))
    return redirect("organization_campaigns:show", organization_id=organization_id, campaign_id=campaign_id)


@login_required
def campaign_show(request, organization_id, campaign_id):
    try:
        membership, campaign = campaign_access(request.user, organization_id, campaign_id)
    except CampaignError as error:
        return _error_page(request, error)
    context = {
        "organization": membership.organization,
        "is_admin": membership.role == Role.ADMIN,
        "campaign": campaign,
        "join_url": request.build_absolute_uri(f"/campagnes/{campaign.code}/"),
        "figures": dashboard.campaign_dashboard(campaign),
    }
    return render(request, "campaigns/organization/dashboard.html", context)


@login_required
def participant_list(request, organization_id, campaign_id):
    try:
        membership, campaign = campaign_access(request.user, organization_id, campaign_id)
    except CampaignError as error:
        return _error_page(request, error)
    filters = {name: request.GET.get(name, "")[:size]
               for name, size in (("q", 100), ("stage", 12), ("group", 60), ("badge", 60), ("certifiable", 3))}
    page = dashboard.participants_page(
        campaign, query=filters["q"], stage=filters["stage"], group=filters["group"], badge=filters["badge"],
        certifiable=filters["certifiable"], page=request.GET.get("page", 1),
    )
    badges = list(campaign.target_profile.badges.all()) if campaign.is_assessment else []
    titles = {badge.key: badge.title for badge in badges}
    for participation in page.object_list:
        participation.badge_titles = [titles[key] for key in participation.badge_keys if key in titles]
    context = {
        "organization": membership.organization,
        "campaign": campaign,
        "page": page,
        "stages": list(campaign.target_profile.stages.all()) if campaign.is_assessment else [],
        "badges": badges,
        "groups": dashboard.groups_of(campaign),
        "level_columns": [] if campaign.is_assessment else selectors.profile_level_columns(page.object_list),
        "filters": filters,
        "filter_query": urlencode({name: value for name, value in filters.items() if value}),
    }
    return render(request, "campaigns/organization/participants.html", context)


@login_required
def participant_show(request, organization_id, campaign_id, participation_id):
    try:
        membership, campaign = campaign_access(request.user, organization_id, campaign_id)
        participation = participant_access(campaign, participation_id)
    except CampaignError as error:
        return _error_page(request, error)
    context = {"organization": membership.organization, "campaign": campaign, "participation": participation}
    if campaign.is_assessment:
        tubes = participation.results.get("tubes", {})
        context.update(
            mastery=selectors.mastery_rows(participation.results),
            badges=[b for b in campaign.target_profile.badges.all() if b.key in participation.badge_keys],
            trainings=trainings_recommended(campaign.target_profile, tubes),
        )
    else:
        context["profile_rows"] = selectors.profile_sent_rows(participation.results)
    return render(request, "campaigns/organization/participant.html", context)
