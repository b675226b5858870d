"""The learner's campaign pages: join by code, the landing page, the results and sending them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from balise.campaigns import export, selectors, services
from balise.campaigns.access import campaign_access, campaign_by_code, participation_access
from balise.campaigns.errors import CampaignError, CampaignNotFound
from balise.campaigns.forms import CodeForm, JoinForm
from balise.campaigns.models import Participation
from balise.organizations.selectors import learner_of


def _error_page(request, error: CampaignError, *, form=None):
    return render(
        request, "campaigns/error.html", {"error": error, "form": form or CodeForm()}, status=error.http_status
    )


def my_campaigns(request):
    """"I have a code" (for anyone: the code leads to the campaign's page) and, for a learner,
    the campaigns they joined."""
    if "code" in request.GET:
        form = CodeForm(request.GET)
        if form.is_valid():
            code = services.code_normalised(form.cleaned_data["code"])
            if len(code) == 9:
                return redirect("campaigns:landing", code=code)
            form.add_error("code", _("A campaign code has 9 characters: 6 letters and 3 digits."))
        status = 400
    else:
        form, status = CodeForm(), 200
    participations = selectors.participations_of(request.user) if request.user.is_authenticated else []
    return render(request, "campaigns/mine.html", {"form": form, "participations": participations}, status=status)


@login_required
def my_trainings(request):
    return render(request, "campaigns/trainings.html", {"offers": selectors.trainings_of(request.user)})


@never_cache
def campaign_landing(request, code):
    try:
        campaign = campaign_by_code(code, request.space)
    except CampaignNotFound as error:
        return _error_page(request, error, form=CodeForm(initial={"code": code}))
    participation = (
        services.current_participation(campaign, request.user) if request.user.is_authenticated else None
    )
    asks_identity = campaign.organization.manages_learners and learner_of(campaign.organization, request.user) is None
    form = JoinForm(campaign=campaign, asks_identity=asks_identity)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = JoinForm(request.POST, campaign=campaign, asks_identity=asks_identity)
        if form.is_valid():
            try:
                participation = services.participation_start(
                    campaign, request.user, external_id=form.cleaned_data["external_id"], identity=form.identity(),
                    now=timezone.now(), language=get_language() or "fr",
                )
            except CampaignError as error:
                if error.field in form.fields:
                    form.add_error(error.field, error.message)
                elif error.field:
                    form.add_error(None, error.message)
                else:
                    messages.error(request, error.message)
                status = error.http_status
            else:
                return _to_participation(participation)
        else:
            status = 400
    context = {"campaign": campaign, "participation": participation, "form": form}
    return render(request, "campaigns/landing.html", context, status=status)


def _to_participation(participation):
    if participation.assessment_id and participation.status == Participation.Status.STARTED:
        return redirect("evaluation:assessment", public_id=participation.assessment.public_id)
    return redirect("campaigns:participation", public_id=participation.public_id)


@never_cache
@login_required
def participation_show(request, public_id):
    try:
        participation = participation_access(request.user, public_id)
    except CampaignError as error:
        return _error_page(request, error)
    if participation.status == Participation.Status.STARTED:
        return _to_participation(participation)
    context = {"participation": participation, "campaign": participation.campaign}
    if participation.campaign.is_assessment:
        context["result"] = selectors.participation_result(participation)
    elif participation.status == Participation.Status.SHARED:
        context["profile_rows"] = selectors.profile_sent_rows(participation.results)
    return render(request, "campaigns/participation.html", context)


@login_required
@require_POST
def participation_send(request, public_id):
    try:
        participation = services.participation_share(participation_access(request.user, public_id), now=timezone.now())
    except CampaignError as error:
        messages.error(request, error.message)
        return redirect("campaigns:participation", public_id=public_id)
    messages.success(
        request,
        _("Your results have been sent to %(organization)s.") % {"organization": participation.campaign.organization.name},
    )
    return redirect("campaigns:participation", public_id=public_id)


@login_required
def participation_remove(request, public_id):
    """Withdraw from a campaign, after saying plainly what it does."""
    try:
        participation = participation_access(request.user, public_id)
    except CampaignError as error:
        return _error_page(request, error)
    if request.method == "POST":
        services.participation_delete(participation, now=timezone.now())
        messages.success(
            request,
            _("Your participation in “%(campaign)s” is deleted: the organization no longer sees your name.")
            % {"campaign": participation.campaign.learner_title},
        )
        return redirect("campaigns:mine")
    return render(request, "campaigns/delete.html", {"participation": participation})


@login_required
def campaign_export(request, organization_id, campaign_id):
    """The campaign's results as a CSV file, streamed (members of its organization only)."""
    try:
        _membership, campaign = campaign_access(request.user, organization_id, campaign_id)
    except CampaignError as error:
        return _error_page(request, error)
    response = StreamingHttpResponse(export.campaign_csv(campaign), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename(campaign, timezone.now())}"'
    response["Cache-Control"] = "private, no-store"
    return response
