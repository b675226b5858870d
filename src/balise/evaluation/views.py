from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from balise.evaluation import pages, services
from balise.evaluation.access import assessment_access
from balise.evaluation.errors import AssessmentFinished, EvaluationError, InvalidAnswer, NotCurrentChallenge
from balise.evaluation.selectors import competence_cards
from balise.evaluation.services.policies import policy_for


def _error_page(request, error: EvaluationError):
    return render(request, "evaluation/error.html", {"error": error}, status=error.http_status)


@login_required
def competences(request):
    return render(request, "evaluation/competences.html", {"areas": competence_cards(request.user, timezone.now())})


@login_required
@require_POST
def assessment_start(request, competence_id):
    try:
        assessment = services.assessment_start(
            request.user, competence_id, now=timezone.now(), language=get_language() or "fr"
        )
    except EvaluationError as error:
        return _error_page(request, error)
    return redirect("evaluation:assessment", public_id=assessment.public_id)


# A test page is the state of the test now: Back must ask the server again, never show a
# stored copy that predates what was recorded since (leaving a focused question, a timer).
@never_cache
@login_required
def assessment_show(request, public_id):
    try:
        assessment = assessment_access(request.user, public_id)
    except EvaluationError as error:
        return _error_page(request, error)
    if assessment.state != assessment.State.STARTED:
        return redirect("evaluation:result", public_id=assessment.public_id)
    return _where_the_learner_is(request, assessment)


def _where_the_learner_is(request, assessment, status: int = 200):
    """The page of the test as it stands: its current question, or its result once finished.

    A refused answer (a second click, an old tab) gets this page with a 409 and the reason
    on top, so the learner sees at once where they are and nothing is asked twice."""
    if assessment.state != assessment.State.STARTED:
        if result_url := policy_for(assessment).heading(assessment).result_url:
            return redirect(result_url)
        return render(
            request, "evaluation/result.html", pages.result_page(request.user, assessment).context(), status=status
        )
    pages.released_content_attach(assessment)  # before the heading, which names the competence
    if waiting_url := policy_for(assessment).heading(assessment).waiting_url:
        return redirect(waiting_url)  # the test may not go on now (an invigilator's authorisation)
    page = pages.challenge_page(assessment, timezone.now())
    context = {**page.context(), "page_url": reverse("evaluation:assessment", args=[assessment.public_id])}
    if page.waits_for_the_learner:
        # Say the question is timed before showing it: the clock starts when the learner is ready.
        return render(request, "evaluation/timed_intro.html", context, status=status)
    return render(request, "evaluation/challenge.html", context, status=status)


def _refused(request, public_id, error: EvaluationError):
    messages.warning(request, error.message)
    return _where_the_learner_is(request, assessment_access(request.user, public_id), error.http_status)


@login_required
@require_POST
def assessment_timer_start(request, public_id):
    try:
        services.assessment_timer_start(
            request.user, public_id, request.POST.get("challenge_id", ""), now=timezone.now()
        )
    except (NotCurrentChallenge, AssessmentFinished) as error:
        return _refused(request, public_id, error)
    except EvaluationError as error:
        return _error_page(request, error)
    return redirect("evaluation:assessment", public_id=public_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def assessment_answer(request, public_id):
    if request.method == "GET":
        # Without the script, the address bar shows this address after an answer: opened again
        # (from the history, a bookmark), it leads to the test as it stands.
        return redirect("evaluation:assessment", public_id=public_id)
    try:
        outcome = services.assessment_answer(
            request.user,
            public_id,
            request.POST.get("challenge_id", ""),
            read_value=lambda challenge: pages.posted_value(challenge, request.POST),
            skipped=request.POST.get("action") == "skip",
            focus_lost=request.POST.get("focus_lost") == "1",
            now=timezone.now(),
        )
    except (NotCurrentChallenge, AssessmentFinished) as error:
        return _refused(request, public_id, error)
    except InvalidAnswer as error:
        assessment = assessment_access(request.user, public_id)
        page = pages.challenge_page(
            assessment,
            timezone.now(),
            form_error=error.message,
            value=pages.posted_value(assessment.current_challenge, request.POST),
        )
        context = {**page.context(), "page_url": reverse("evaluation:assessment", args=[public_id])}
        return render(request, "evaluation/challenge.html", context, status=error.http_status)
    except EvaluationError as error:
        return _error_page(request, error)
    if outcome.timed_out:
        messages.warning(request, _("Your answer arrived after the time limit: it was recorded as late."))
    if outcome.finished:
        # The result has its own address (a campaign's is another app's page): a redirect, once a test.
        return redirect("evaluation:result", public_id=public_id)
    # One request per answer: the response is the next question itself, not a redirect to it
    # (decision 0023). The page names its own address, which the script puts in the address
    # bar so that a reload or Back asks for the test, not for this POST again; without the
    # script, a resubmitted POST is refused (409) with the current question, recording nothing.
    return _where_the_learner_is(request, outcome.answer.assessment)


@login_required
@require_POST
def assessment_focus_lost(request, public_id):
    try:
        assessment = assessment_access(request.user, public_id)
    except EvaluationError as error:
        return JsonResponse({"error": str(error.message)}, status=error.http_status)
    recorded = services.assessment_record_focus_lost(assessment, request.POST.get("challenge_id", ""))
    return JsonResponse({"recorded": recorded}, status=200 if recorded else 409)


@login_required
def assessment_result(request, public_id):
    try:
        assessment = assessment_access(request.user, public_id)
    except EvaluationError as error:
        return _error_page(request, error)
    if assessment.state == assessment.State.STARTED:
        return redirect("evaluation:assessment", public_id=assessment.public_id)
    # A campaign test's result is the campaign's page (with its sending step).
    if result_url := policy_for(assessment).heading(assessment).result_url:
        return redirect(result_url)
    return render(request, "evaluation/result.html", pages.result_page(request.user, assessment).context())


@login_required
@require_POST
def competence_reset(request, competence_id):
    try:
        services.competence_reset(request.user, competence_id, now=timezone.now())
    except EvaluationError as error:
        return _error_page(request, error)
    messages.success(request, _("The competence has been reset. You can start it again."))
    return redirect("evaluation:competences")


@login_required
def profile(request):
    return render(request, "evaluation/profile.html", pages.profile_page(request.user).context())
