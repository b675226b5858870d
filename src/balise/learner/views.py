"""The account page and what it does across the apps: the person's data export, the time
accommodation chosen there, and the deletion of the account.

These views are wired under the `accounts:` URL names by the shell (`site/urls.py`), so the
addresses people know (/accounts/me/…) do not change while `accounts` imports no app above it.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balise.accounts.forms import DeleteAccountForm, HomeSpaceForm, TimeAllowanceForm
from balise.accounts.services import user_home_space_set, user_time_allowance_set
from balise.accounts.time_allowance import TimeAllowance
from balise.learner.export import user_data_export
from balise.learner.services import learner_erase
from balise.spaces.selectors import spaces_all


@login_required
def account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        learner_erase(user)
        messages.info(request, _("Your account and all your results have been deleted."))
        return redirect("site:home")
    return _account_page(request, form, status=400 if form.errors else 200)


def _account_page(request, delete_form, status: int = 200):
    context = {"form": delete_form, "time_allowances": TimeAllowance.choices, "spaces": spaces_all()}
    return render(request, "accounts/account.html", context, status=status)


@login_required
@require_POST
def time_allowance_set(request):
    form = TimeAllowanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the options for timed questions."))
        return _account_page(request, DeleteAccountForm(request.user), status=400)
    user_time_allowance_set(request.user, form.cleaned_data["time_allowance"])
    messages.success(request, _("Saved: it applies to the tests you start from now on."))
    return redirect("accounts:account")


@login_required
@require_POST
def home_space_set(request):
    form = HomeSpaceForm({"home_space": request.POST.get("space", "")})
    if not form.is_valid():
        messages.error(request, _("Choose one of the spaces in the list."))
        return _account_page(request, DeleteAccountForm(request.user), status=400)
    user_home_space_set(request.user, form.cleaned_data["home_space"])
    messages.success(request, _("Saved: your home space applies to the tests you start from now on."))
    return redirect("accounts:account")


@login_required
def data_export(request):
    document = json.dumps(user_data_export(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    filename = f"balise-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # personal data: no copy in any cache
    return response


# Joined to `balise.accounts.urls` under the `accounts` namespace by site/urls.py.
account_urlpatterns = [
    path("me/", account, name="account"),
    path("me/time/", time_allowance_set, name="time_allowance"),
    path("me/space/", home_space_set, name="home_space"),
    path("me/data.json", data_export, name="data_export"),
]
