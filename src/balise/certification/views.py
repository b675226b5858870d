"""The certification centre's pages: its sessions, each session's candidates, the import. Thin:
access checks in access.py, writes in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from balise.certification import candidate_file, selectors, services
from balise.certification.access import candidate_access, centre_access, session_access
from balise.certification.errors import (
    CertificationError,
    ResultsNotPublished,
    candidate_file_refusal_message,
    candidate_line_message,
)
from balise.certification.forms import (
    CandidateForm,
    CandidatesImportForm,
    FinaliseForm,
    IncidentForm,
    ListEnrolmentForm,
    SessionForm,
)
from balise.certification.results_file import session_results_lines
from balise.organizations.learner_file import MAX_BYTES, FileRefused
from balise.organizations.selectors import learner_groups

ERRORS_SHOWN = 200


def error_page(request, error: CertificationError):
    """A refusal of any certification page, with its status (the exam's and the jury's too)."""
    return render(request, "certification/error.html", {"error": error}, status=error.http_status)


@login_required
def my_centres(request):
    return render(request, "certification/centres.html", {"centres": selectors.centres_of(request.user)})


@login_required
def centre_show(request, centre_id):
    try:
        _membership, centre = centre_access(request.user, centre_id)
    except CertificationError as error:
        return error_page(request, error)
    state = "past" if request.GET.get("state") == "past" else "open"
    return render(request, "certification/centre.html", {
        "centre": centre, "state": state, "sessions": selectors.sessions_of(centre, state=state),
    })


@login_required
def session_new(request, centre_id):
    try:
        _membership, centre = centre_access(request.user, centre_id)
        form = SessionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            session = services.session_create(centre, by=request.user, **form.cleaned_data)
            messages.success(request, _("The session is created: give its number and access code to the candidates."))
            return redirect("certification:session", centre_id=centre.pk, session_id=session.pk)
    except CertificationError as error:
        return error_page(request, error)
    status = 400 if request.method == "POST" else 200
    return render(request, "certification/session_form.html", {"centre": centre, "form": form}, status=status)


def _session_page(request, membership, session, candidate_form=None, status=200):
    return render(request, "certification/session.html", {
        "centre": session.centre,
        "session": session,
        "candidates": list(session.candidates.all()),
        "candidate_form": candidate_form or CandidateForm(),
        "changeable": session.is_open and not session.candidates.filter(entered_at__isnull=False).exists(),
    }, status=status)


@login_required
def session_show(request, centre_id, session_id):
    try:
        membership, session = session_access(request.user, centre_id, session_id)
    except CertificationError as error:
        return error_page(request, error)
    return _session_page(request, membership, session)


@login_required
def session_edit(request, centre_id, session_id):
    try:
        _membership, session = session_access(request.user, centre_id, session_id)
        initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
        form = SessionForm(request.POST or None, initial=initial, editing=True)
        if request.method == "POST" and form.is_valid():
            services.session_update(session, **form.cleaned_data)
            messages.success(request, _("The session is saved."))
            return redirect("certification:session", centre_id=centre_id, session_id=session.pk)
    except CertificationError as error:
        return error_page(request, error)
    status = 400 if request.method == "POST" else 200
    return render(request, "certification/session_form.html", {
        "centre": session.centre, "session": session, "form": form,
    }, status=status)


@login_required
@require_POST
def session_delete(request, centre_id, session_id):
    try:
        _membership, session = session_access(request.user, centre_id, session_id)
        services.session_delete(session)
    except CertificationError as error:
        return error_page(request, error)
    messages.success(request, _("The session is deleted."))
    return redirect("certification:centre", centre_id=centre_id)


@login_required
@require_POST
def candidate_add(request, centre_id, session_id):
    try:
        membership, session = session_access(request.user, centre_id, session_id)
        form = CandidateForm(request.POST)
        if not form.is_valid():
            return _session_page(request, membership, session, candidate_form=form, status=400)
        candidate = services.candidate_add(session, **form.cleaned_data)
    except CertificationError as error:
        return error_page(request, error)
    messages.success(request, _("%(name)s is enrolled.") % {"name": f"{candidate.first_name} {candidate.last_name}"})
    return redirect("certification:session", centre_id=centre_id, session_id=session_id)


@login_required
@require_POST
def candidate_remove(request, centre_id, session_id, candidate_id):
    try:
        candidate = candidate_access(request.user, centre_id, session_id, candidate_id)
        services.candidate_remove(candidate)
    except CertificationError as error:
        return error_page(request, error)
    messages.success(request, _("%(name)s is no longer enrolled.") % {"name": f"{candidate.first_name} {candidate.last_name}"})
    return redirect("certification:session", centre_id=centre_id, session_id=session_id)


def _column_rows() -> list[dict]:
    meanings = {
        "session": _("The number of an existing session of the centre; leave it empty to create a session from the next columns."),
        "site": _("For a new session: the building or campus."),
        "room": _("For a new session: the room."),
        "date": _("For a new session: its date, DD/MM/YYYY."),
        "time": _("For a new session: its start time, HH:MM."),
        "examiner": _("For a new session: the invigilators' names."),
        "notes": _("For a new session: notes for the centre."),
        "last_name": _("The candidate's birth name."),
        "first_name": _("The candidate's first name."),
        "birth_date": _("DD/MM/YYYY."),
        "sex": _("F or M."),
        "birth_place": _("The commune, or the country for a person born abroad."),
        "results_email": _("Where the results are sent."),
        "local_id": _("The centre's own identifier of the candidate."),
        "extra_time": _("A percentage from 0 to 100, e.g. 33."),
        "accessibility": _("Yes if the candidate needs an accessibility adjustment."),
    }
    return [{"name": c.names[0], "others": c.names[1:-1], "meaning": meanings[c.field], "required": c.required}
            for c in candidate_file.COLUMNS]


def _import_page(request, centre, form, errors=(), status=200):
    return render(request, "certification/import.html", {
        "centre": centre, "form": form, "columns": _column_rows(),
        "errors": [{"line": e.line, "column": e.column, "message": candidate_line_message(e)} for e in errors[:ERRORS_SHOWN]],
        "error_count": len(errors), "errors_not_shown": max(0, len(errors) - ERRORS_SHOWN),
    }, status=status)


@login_required
def candidates_import(request, centre_id):
    try:
        _membership, centre = centre_access(request.user, centre_id)
    except CertificationError as error:
        return error_page(request, error)
    if request.method != "POST":
        return _import_page(request, centre, CandidatesImportForm())
    form = CandidatesImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, centre, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        if upload.size > MAX_BYTES:
            raise FileRefused("too_large", limit_mb=MAX_BYTES // (1024 * 1024))
        sessions, enrolled, errors = services.candidates_import(
            centre, upload.read(), by=request.user, today=timezone.localdate())
    except FileRefused as refusal:
        form.add_error("file", candidate_file_refusal_message(refusal))
        return _import_page(request, centre, form, status=400)
    except CertificationError as error:
        return error_page(request, error)
    if errors:
        return _import_page(request, centre, form, errors=errors, status=400)
    messages.success(request, ngettext(
        "%(count)s candidate enrolled in %(sessions)s session(s).",
        "%(count)s candidates enrolled in %(sessions)s session(s).", enrolled,
    ) % {"count": enrolled, "sessions": len(sessions)})
    return redirect("certification:centre", centre_id=centre.pk)


@login_required
def candidates_template(request, centre_id):
    """An empty file with the expected first line, as a spreadsheet opens it (BOM, semicolons)."""
    try:
        centre_access(request.user, centre_id)
    except CertificationError as error:
        return error_page(request, error)
    response = HttpResponse("\ufeff" + ";".join(c.names[0] for c in candidate_file.COLUMNS) + "\r\n",
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="candidates-template.csv"'
    return response


@login_required
@require_POST
def incident_add(request, centre_id, session_id):
    try:
        _membership, session = session_access(request.user, centre_id, session_id)
        form = IncidentForm(request.POST, candidates=session.candidates.all())
        if not form.is_valid():
            return _finalise_page(request, session, FinaliseForm(unfinished=_unfinished(session)), form, status=400)
        services.incident_record(session, **form.cleaned_data, recorded_by="centre")
    except CertificationError as error:
        return error_page(request, error)
    messages.success(request, _("The incident is recorded for the jury."))
    return redirect("certification:session_finalise", centre_id=centre_id, session_id=session_id)


def _unfinished(session) -> list:
    return [c for c in session.candidates.all() if services.unfinished(c)]


def _finalise_page(request, session, form, incident_form=None, status=200):
    candidates = list(session.candidates.select_related("assessment"))
    return render(request, "certification/finalise.html", {
        "centre": session.centre, "session": session, "form": form, "candidates": candidates,
        "incident_form": incident_form or IncidentForm(candidates=candidates),
        "incidents": list(session.incidents.select_related("candidate")),
        "in_progress": [c for c in candidates if c.assessment and c.assessment.state == "started" and not c.ended_at],
    }, status=status)


@login_required
def session_finalise(request, centre_id, session_id):
    try:
        _membership, session = session_access(request.user, centre_id, session_id)
    except CertificationError as error:
        return error_page(request, error)
    if not session.is_open:
        return redirect("certification:session", centre_id=centre_id, session_id=session_id)
    form = FinaliseForm(request.POST or None, unfinished=_unfinished(session))
    if request.method != "POST":
        return _finalise_page(request, session, form)
    if form.is_valid():
        try:
            services.session_finalise(session, by=request.user, comment=form.cleaned_data["comment"],
                                      reasons=form.reasons(), now=timezone.now())
        except CertificationError as error:  # a test still in progress, or finalised meanwhile
            form.add_error(None, error.message)
            return _finalise_page(request, session, form, status=error.http_status)
        messages.success(request, _("The session is finalised: the jury reviews it, then publishes the results."))
        return redirect("certification:session", centre_id=centre_id, session_id=session_id)
    return _finalise_page(request, session, form, status=400)


@login_required
def session_results(request, centre_id, session_id):
    """The published results of a session, for the centre's organization (a school, a university
    gets its pupils' and students' results)."""
    try:
        _membership, session = session_access(request.user, centre_id, session_id)
    except CertificationError as error:
        return error_page(request, error)
    if session.status != session.Status.PUBLISHED:
        return error_page(request, ResultsNotPublished())
    response = StreamingHttpResponse(session_results_lines(session), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}-results.csv"'
    return response


@login_required
def candidates_from_list(request, centre_id, session_id):
    """Enrol learners of the organization's list, a class or a group at a time."""
    try:
        _membership, session = session_access(request.user, centre_id, session_id)
    except CertificationError as error:
        return error_page(request, error)
    organization = session.centre.organization
    if not organization.manages_learners or not session.is_open:
        return redirect("certification:session", centre_id=centre_id, session_id=session_id)
    group = request.GET.get("group", "")[:60]
    learners = list(organization.learners.filter(disabled_at=None, group=group).order_by("last_name", "first_name")[:200]) if group else []
    form = ListEnrolmentForm(request.POST or None, learners=learners)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.candidates_from_list(session, form.choices())
        except CertificationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, ngettext("%(count)s learner enrolled.", "%(count)s learners enrolled.", len(added))
                             % {"count": len(added)})
            return redirect("certification:session", centre_id=centre_id, session_id=session_id)
    return render(request, "certification/from_list.html", {
        "centre": session.centre, "session": session, "groups": learner_groups(organization), "group": group,
        "form": form, "rows": form.rows(),
    }, status=400 if request.method == "POST" else 200)
