"""The exam day's pages: the candidate enters a session and waits; the invigilator opens the
session's live page with its password and lets candidates in. Thin: checks in access.py, writes
in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from balise.certification import selectors, services
from balise.certification.access import INVIGILATED, candidacy_access, invigilation_access
from balise.certification.errors import CandidateNotFound, CertificationError
from balise.certification.forms import EntryForm, IncidentForm, InstructionsForm, InvigilationForm
from balise.certification.models import Alert, Candidate
from balise.certification.views import error_page
from balise.engine.scoring import MIN_CERTIFIABLE_COMPETENCES
from balise.i18n.errors import ReadableError


def _entry_page(request, form, status=200):
    count = services.eligibility_count(request.user)
    return render(request, "certification/entry.html", {
        "form": form, "eligible": count >= MIN_CERTIFIABLE_COMPETENCES, "competences_with_level": count,
        "needed": MIN_CERTIFIABLE_COMPETENCES, "candidacies": selectors.candidacies_of(request.user),
    }, status=status)


@login_required
def entry(request):
    if request.method != "POST":
        return _entry_page(request, EntryForm())
    form = EntryForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, form, status=400)
    try:
        candidate = services.candidate_enter(request.user, space=request.space, now=timezone.now(), **form.cleaned_data)
    except CertificationError as error:
        form.add_error(None, error.message)
        return _entry_page(request, form, status=error.http_status)
    return redirect("certification_exam:candidacy", candidate_id=candidate.pk)


def _candidacy_context(candidate: Candidate) -> dict:
    return {"candidate": candidate, "session": candidate.session, "state": candidate.state, "states": Candidate.State}


@never_cache
@login_required
def candidacy(request, candidate_id):
    try:
        candidate = candidacy_access(request.user, candidate_id)
    except CertificationError as error:
        return error_page(request, error)
    form = InstructionsForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.instructions_accept(candidate, now=timezone.now())
            return redirect("certification_exam:candidacy", candidate_id=candidate.pk)
        return render(request, "certification/candidacy.html", {**_candidacy_context(candidate), "form": form}, status=400)
    return render(request, "certification/candidacy.html", {**_candidacy_context(candidate), "form": form})


@login_required
@require_POST
def certification_start(request, candidate_id):
    try:
        candidate = candidacy_access(request.user, candidate_id)
        assessment = services.certification_start(candidate, language=request.LANGUAGE_CODE, now=timezone.now())
    except ReadableError as error:  # not one's candidacy, or not let in (now)
        messages.warning(request, error.message)
        return redirect("certification_exam:candidacy", candidate_id=candidate_id)
    return redirect("evaluation:assessment", public_id=assessment.public_id)


@login_required
@require_POST
def alert_report(request, candidate_id):
    """"This question does not work": the invigilator is told, and replaces it if it is so."""
    try:
        candidate = candidacy_access(request.user, candidate_id)
    except CertificationError as error:
        return error_page(request, error)
    reason = request.POST.get("reason", "")
    if reason not in Alert.Reason.values:
        reason = Alert.Reason.OTHER
    if services.alert_report(candidate, reason=reason):
        messages.info(request, _("The invigilator is told. Wait for them, or go on with the question."))
    if candidate.assessment_id:
        return redirect("evaluation:assessment", public_id=candidate.assessment.public_id)
    return redirect("certification_exam:candidacy", candidate_id=candidate.pk)


@never_cache
@login_required
def candidacy_state(request, candidate_id):
    """What the waiting page asks every few seconds: the candidate's state, nothing else."""
    try:
        candidate = candidacy_access(request.user, candidate_id)
    except CertificationError as error:
        return JsonResponse({"error": error.code, "message": str(error.message)}, status=error.http_status)
    return JsonResponse({"state": candidate.state})


def invigilation_login(request):
    form = InvigilationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.invigilation_open(space=request.space, **form.cleaned_data)
        except CertificationError as error:
            form.add_error(None, error.message)
            return render(request, "certification/invigilation_login.html", {"form": form}, status=error.http_status)
        request.session[INVIGILATED] = [*request.session.get(INVIGILATED, [])[-9:], session.pk]
        return redirect("certification_exam:invigilation", session_id=session.pk)
    return render(request, "certification/invigilation_login.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _invigilation_context(session) -> dict:
    candidates = selectors.candidates_of_session(session)
    return {
        "session": session, "candidates": candidates, "states": Candidate.State,
        "counts": {state: sum(1 for c in candidates if c.state == state) for state in Candidate.State.values},
        "alerts": sum(len(c.pending_alerts) for c in candidates),
    }


@never_cache
def invigilation(request, session_id):
    try:
        session = invigilation_access(request, session_id)
    except CertificationError as error:
        return error_page(request, error)
    if request.GET.get("part") == "rows":
        return render(request, "certification/_invigilation_rows.html", _invigilation_context(session))
    return _invigilation_page(request, session, IncidentForm(candidates=session.candidates.all()))


def _invigilation_page(request, session, incident_form, status=200):
    return render(request, "certification/invigilation.html", {
        **_invigilation_context(session), "incident_form": incident_form,
        "incidents": list(session.incidents.select_related("candidate")),
    }, status=status)


@require_POST
def invigilation_incident(request, session_id):
    """The invigilator records an incident by category, for a candidate or the whole session."""
    try:
        session = invigilation_access(request, session_id)
    except CertificationError as error:
        return error_page(request, error)
    form = IncidentForm(request.POST, candidates=session.candidates.all())
    if not form.is_valid():
        return _invigilation_page(request, session, form, status=400)
    services.incident_record(session, **form.cleaned_data, recorded_by="invigilator")
    messages.success(request, _("The incident is recorded for the jury."))
    return redirect("certification_exam:invigilation", session_id=session.pk)


@require_POST
def invigilation_action(request, session_id, candidate_id):
    try:
        session = invigilation_access(request, session_id)
    except CertificationError as error:
        return error_page(request, error)
    candidate = session.candidates.filter(pk=candidate_id).first() if str(candidate_id).isdigit() else None
    if candidate is None:
        return error_page(request, CandidateNotFound())
    name = f"{candidate.first_name} {candidate.last_name}"
    action = request.POST.get("action")
    if action in ("alert_validate", "alert_dismiss"):
        alert = candidate.alerts.filter(pk=request.POST.get("alert", "")[:12]).first() if request.POST.get(
            "alert", "").isdigit() else None
        if alert and services.alert_handle(alert, validate=action == "alert_validate", now=timezone.now()):
            messages.success(request, _("The alert of %(name)s is handled.") % {"name": name})
        return redirect("certification_exam:invigilation", session_id=session.pk)
    if action == "authorise" and services.candidate_authorise(candidate, now=timezone.now()):
        messages.success(request, _("%(name)s may start.") % {"name": name})
    elif action == "end" and services.candidate_end(candidate, now=timezone.now()):
        messages.success(request, _("The test of %(name)s is ended.") % {"name": name})
    else:
        messages.warning(request, _("Nothing changed: %(name)s is no longer in that state.") % {"name": name})
    return redirect("certification_exam:invigilation", session_id=session.pk)
