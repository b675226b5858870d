
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balise.accounts import throttle
from balise.accounts.forms import (
    BalisePasswordChangeForm,
    BaliseSetPasswordForm,
    DetailsForm,
    EmailChangeForm,
    LoginForm,
    QueuedPasswordResetForm,
    SignUpForm,
    login_blocked_message,
    signups_limited_message,
)
from balise.accounts.services import (
    EmailChangeRefused,
    SignUpRefused,
    TooManyRequests,
    email_change_confirm,
    email_change_read,
    email_change_request,
    signup_confirm,
    signup_read,
    signup_request,
    user_details_set,
    user_password_set,
)
from balise.i18n.translation import language_remember


def _signup_links(request, next_url: str) -> dict:
    """What signup_request needs to write its mail: absolute links to this site."""
    return {
        "next_url": next_url,
        "confirm_url": lambda token: request.build_absolute_uri(reverse("accounts:signup_confirm", args=[token])),
        "login_url": request.build_absolute_uri(reverse("accounts:login")),
        "reset_url": request.build_absolute_uri(reverse("accounts:password_reset")),
    }


def _safe_next(request, next_url: str) -> str:
    # Back where the person came from (an invitation's link), if that is on this site.
    ok = next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    return next_url if ok else ""


def signup(request):
    if request.user.is_authenticated:
        return redirect("evaluation:competences")
    form = SignUpForm(request.POST or None)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    if request.method == "POST" and form.is_valid():
        if not throttle.signup_allowed(throttle.client_address(request)):
            form.add_error(None, signups_limited_message())
            response = render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=429)
            response["Retry-After"] = "3600"
            return response
        # The same page follows whether an account uses the address or not (decision 0014).
        signup_request(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password"],
            language=get_language() or "fr",
            space=request.space,
            **_signup_links(request, next_url),
        )
        return render(request, "accounts/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(
        request, "accounts/signup.html", {"form": form, "next": next_url}, status=400 if form.errors else 200
    )


def signup_confirm_view(request, token: str):
    # Opening the link shows a button; only the POST creates the account (mail scanners open links).
    try:
        data = signup_read(token)
        if request.method != "POST":
            return render(request, "accounts/signup_confirm.html", {"email": data["email"]})
        user = signup_confirm(token)
    except SignUpRefused as refusal:
        return render(request, "accounts/signup_confirm.html", {"refusal": str(refusal)}, status=400)
    login(request, user, backend="balise.accounts.backends.ThrottledModelBackend")
    messages.success(request, _("Welcome to Balise! Choose a competence to test yourself."))
    response = redirect(_safe_next(request, data.get("next", "")) or "evaluation:competences")
    language_remember(request, response, user.language)
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # The backend counts failures and refuses a blocked login; here the page says why.
        refusal = throttle.login_refusal_for(request, request.POST.get("username", ""))
        if refusal:
            form = self.get_form()
            form.errors.clear()
            message = login_blocked_message(refusal)
            context = {"form": form, "blocked": True, "blocked_message": message, "refusal": refusal}
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(refusal.retry_after_seconds)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        email = form.data.get("username", "")
        context = {"form": form}
        # The failure that reaches the limit says so, and until when; the ones before warn.
        refusal = throttle.login_refusal_for(self.request, email)
        if refusal:
            context.update(now_blocked_message=login_blocked_message(refusal), refusal=refusal)
        else:
            context["attempts_left"] = throttle.attempts_left(throttle.client_address(self.request), email)
        return self.render_to_response(self.get_context_data(**context), status=400)

    def form_valid(self, form):
        response = super().form_valid(form)
        language_remember(self.request, response, form.get_user().language)
        return response


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("site:home")


def _form_page(request, form, *, title, button, intro="", status: int | None = None):
    context = {"form": form, "title": title, "button": button, "intro": intro}
    return render(request, "accounts/form_page.html", context, status=status or (400 if form.errors else 200))


@login_required
def details_edit(request):
    form = DetailsForm(request.POST or None, initial={"full_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        user_details_set(request.user, full_name=form.cleaned_data["full_name"])
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:account")
    return _form_page(request, form, title=_("Change my name"), button=_("Save"))


@login_required
def password_change(request):
    form = BalisePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_password_set(request.user, form.cleaned_data["new_password1"])
        # Other sessions (a lost phone) are logged out; this one stays open.
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password is changed. Your other sessions are logged out."))
        return redirect("accounts:account")
    return _form_page(request, form, title=_("Change my password"), button=_("Save my new password"))


@login_required
def email_change(request):
    form = EmailChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        try:
            email_change_request(
                request.user,
                new_email,
                confirm_url=lambda token: request.build_absolute_uri(reverse("accounts:email_confirm", args=[token])),
            )
        except TooManyRequests:
            form.add_error(None, _("Too many requests for now: try again in an hour."))
            return _email_change_page(request, form, status=429)
        messages.info(
            request,
            _("We sent a link to %(email)s. Your address changes when you open it (within 3 days).")
            % {"email": new_email},
        )
        return redirect("accounts:account")
    return _email_change_page(request, form)


def _email_change_page(request, form, status: int | None = None):
    return _form_page(
        request,
        form,
        title=_("Change my email address"),
        button=_("Send the confirmation link"),
        intro=_("We send a link to the new address; your address changes only when you open it."),
        status=status,
    )


@login_required
def email_confirm(request, token: str):
    # Opening the link shows a button; only the POST changes the address (mail scanners open links).
    try:
        new_email = email_change_confirm(request.user, token) if request.method == "POST" else None
        if new_email is None:
            pending = email_change_read(request.user, token)
            return render(request, "accounts/email_confirm.html", {"new_email": pending})
    except EmailChangeRefused as refusal:
        return render(request, "accounts/email_confirm.html", {"refusal": str(refusal)}, status=400)
    messages.success(request, _("Your email address is now %(email)s.") % {"email": new_email})
    return redirect("accounts:account")


password_reset = auth_views.PasswordResetView.as_view(
    form_class=QueuedPasswordResetForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = BaliseSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # "Reset your password" is what the block message advises: doing it lifts the block.
        throttle.account_unblock(form.user.email, throttle.client_address(self.request))
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
