"""The jury's pages (the platform's operators): sessions to review, each certification's answers
and incidents, neutralise, cancel or reject with a reason, publish and unpublish. Every decision
goes to the audit log (services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balise.certification import services
from balise.certification.access import jury_access, jury_candidate_access, jury_session_access
from balise.certification.errors import CertificationError
from balise.certification.forms import JuryReasonForm
from balise.certification.models import Candidate, Session
from balise.certification.views import error_page


@login_required
def sessions(request):
    try:
        jury_access(request.user)
    except CertificationError as error:
        return error_page(request, error)
    state = request.GET.get("state", "to_review")
    statuses = {"to_review": [Session.Status.FINALISED, Session.Status.IN_REVIEW], "published": [Session.Status.PUBLISHED]}
    listed = list(Session.objects.filter(status__in=statuses.get(state, statuses["to_review"]))
                  .select_related("centre__organization", "reviewer")
                  .annotate(incident_count=Count("incidents", distinct=True), candidate_count=Count("candidates", distinct=True))
                  .order_by("finalised_at", "pk"))
    return render(request, "certification/jury_sessions.html", {"sessions": listed, "state": state})


@login_required
@require_POST
def publish_many(request):
    """Sessions without an incident, published in one action."""
    try:
        jury_access(request.user)
    except CertificationError as error:
        return error_page(request, error)
    published = 0
    for session_id in request.POST.getlist("session")[:200]:
        try:
            session = jury_session_access(request.user, session_id)
            if not session.incidents.exists():
                services.session_publish(session, by=request.user, now=timezone.now())
                published += 1
        except CertificationError:
            continue  # one session refused does not stop the others; the list shows what remains
    messages.success(request, _("%(count)s session(s) published.") % {"count": published})
    return redirect("certification_jury:sessions")


@login_required
def session_show(request, session_id):
    try:
        session = jury_session_access(request.user, session_id)
    except CertificationError as error:
        return error_page(request, error)
    candidates = list(session.candidates.select_related("assessment"))
    return render(request, "certification/jury_session.html", {
        "session": session, "candidates": candidates, "incidents": list(session.incidents.select_related("candidate")),
        "decisions": list(session.jury_decisions.select_related("by", "candidate")), "reason_form": JuryReasonForm(),
        "decisions_kinds": Candidate.Decision,
    })


@login_required
@require_POST
def session_action(request, session_id):
    try:
        session = jury_session_access(request.user, session_id)
        action = request.POST.get("action")
        if action == "review":
            services.jury_take(session, by=request.user)
        elif action == "publish":
            services.session_publish(session, by=request.user, now=timezone.now())
            messages.success(request, _("The session's results are published."))
        elif action == "unpublish":
            form = JuryReasonForm(request.POST)
            if not form.is_valid():
                messages.warning(request, _("Give the reason for unpublishing."))
            else:
                services.session_unpublish(session, by=request.user, reason=form.cleaned_data["reason"])
    except CertificationError as error:
        messages.warning(request, error.message)
    return redirect("certification_jury:session", session_id=session_id)


@login_required
@require_POST
def candidate_action(request, session_id, candidate_id):
    try:
        candidate = jury_candidate_access(request.user, session_id, candidate_id)
        action = request.POST.get("action")
        form = JuryReasonForm(request.POST)
        if action in ("neutralise", "restore"):
            rescored = services.jury_neutralise(candidate, request.POST.get("challenge", "")[:100], by=request.user,
                                                restore=action == "restore", reason=request.POST.get("reason", "")[:2000])
            if rescored:
                messages.success(request, _("Rescored: %(score)s.") % {"score": rescored.result["score"]})
        elif action in ("cancelled", "rejected", "reinstate"):
            if action != "reinstate" and not form.is_valid():
                messages.warning(request, _("Give the reason for the decision."))
            else:
                services.jury_decide(candidate, "" if action == "reinstate" else action, by=request.user,
                                     reason=request.POST.get("reason", "")[:2000])
    except CertificationError as error:
        messages.warning(request, error.message)
    return redirect("certification_jury:session", session_id=session_id)
