from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balise.content.access import competence_access
from balise.learning import selectors, services
from balise.learning.access import tutorial_access


def _back(request, fallback):
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(fallback)


@login_required
def competence_tutorials(request, competence_id):
    competence = competence_access(request.user, competence_id)
    tutorials = selectors.tutorials_of_competence(request.user, competence_id)
    return render(
        request,
        "learning/competence_tutorials.html",
        {"competence": competence, "cards": selectors.tutorial_cards(request.user, tutorials)},
    )


@login_required
def my_tutorials(request):
    return render(
        request,
        "learning/my_tutorials.html",
        {"cards": selectors.tutorial_cards(request.user, selectors.saved_tutorials(request.user))},
    )


@login_required
def tutorial_show(request, tutorial_id):
    tutorial = tutorial_access(request.user, tutorial_id)
    return render(request, "learning/tutorial.html", {"card": selectors.tutorial_cards(request.user, [tutorial])[0]})


@login_required
@require_POST
def tutorial_save(request, tutorial_id):
    tutorial = tutorial_access(request.user, tutorial_id)
    if request.POST.get("action") == "unsave":
        services.tutorial_unsave(request.user, tutorial)
        messages.info(request, _("Tutorial removed from your list."))
    else:
        services.tutorial_save(request.user, tutorial)
        messages.success(request, _("Tutorial saved in “My tutorials”."))
    return _back(request, "learning:mine")


@login_required
@require_POST
def tutorial_rate(request, tutorial_id):
    tutorial = tutorial_access(request.user, tutorial_id)
    opinion = request.POST.get("useful")
    if opinion not in {"yes", "no", "withdraw"}:
        messages.error(request, _("Choose “useful” or “not useful”."))
        card = selectors.tutorial_cards(request.user, [tutorial])[0]
        return render(request, "learning/tutorial.html", {"card": card}, status=400)
    if opinion == "withdraw":  # pressing the pressed button again takes the opinion back
        services.tutorial_rating_withdraw(request.user, tutorial)
        messages.info(request, _("Your opinion is withdrawn."))
    else:
        services.tutorial_rate(request.user, tutorial, useful=opinion == "yes")
        messages.success(request, _("Thank you for your opinion."))
    return _back(request, "learning:mine")
