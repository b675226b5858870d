"""Accounts through the API: sign up, log in and out, reset a password, see and change one's account.

The API uses Django's session (the same cookie as the site) and its CSRF protection: a client
reads a token from GET /api/auth/csrf and sends it back in the X-CSRFToken header on every
write. Logging in or signing up changes the token: the response carries the new one.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field, StrictBool

from balise.accounts import throttle
from balise.accounts.forms import (
    BalisePasswordChangeForm,
    DeleteAccountForm,
    DetailsForm,
    EmailChangeForm,
    HomeSpaceForm,
    LoginForm,
    QueuedPasswordResetForm,
    SignUpForm,
    TimeAllowanceForm,
    login_blocked_message,
    signups_limited_message,
)
from balise.accounts.services import (
    SignUpRefused,
    TooManyRequests,
    email_change_request,
    signup_confirm,
    signup_request,
    user_details_set,
    user_home_space_set,
    user_password_set,
    user_time_allowance_set,
)
from balise.accounts.time_allowance import TimeAllowance
from balise.api.errors import NOT_BLANK, ApiError, ErrorOut, form_checked, form_error, require_csrf, session_auth
from balise.i18n.translation import language_remember
from balise.learner.export import user_data_export
from balise.learner.services import learner_erase, learner_language_set
from balise.spaces.selectors import content_space_id, space_by_id, space_default

auth_router = Router(tags=["accounts"], auth=None)
me_router = Router(tags=["accounts"], auth=session_auth)

ANONYMOUS_WRITE = "Open to anonymous clients, but the X-CSRFToken header (from GET /api/auth/csrf) is required."


class MeOut(Schema):
    full_name: str
    email: str
    language: str
    home_space: str = Field(description="The slug of the space whose content the person's tests include.")
    time_allowance: str


class SessionOut(Schema):
    user: MeOut
    csrf_token: str


class CsrfOut(Schema):
    csrf_token: str


# The constraints of the forms that check these fields, for the schema (form_checked: the forms
# refuse with 400 `invalid`, as the pages do).
FULL_NAME = {"min_length": 1, "max_length": 150, "pattern": NOT_BLANK}
EMAIL = {"min_length": 1, "format": "email"}
NEW_PASSWORD = {"min_length": 10}  # AUTH_PASSWORD_VALIDATORS' MinimumLengthValidator; the others, in words:
NEW_PASSWORD_RULES = (
    "At least 10 characters and 4 different ones, not only digits, not a common password, not close to the "
    "name or the address."
)
PASSWORD = {"min_length": 1}
# The language codes in any case ("fr-BE" is how the standard writes it): [fF][rR]-[bB][eE]…
LANGUAGE_PATTERN = "^(" + "|".join(
    "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in code) for code, _name in settings.LANGUAGES
) + ")$"


class SignUpIn(Schema):
    full_name: str = form_checked(**FULL_NAME)
    email: str = form_checked(**EMAIL)
    password: str = form_checked(NEW_PASSWORD_RULES, **NEW_PASSWORD)
    # consent is `true`, not a string that looks like it; `false` is refused (400 `invalid`)
    accept_terms: StrictBool = form_checked("`true`: the terms of use are accepted.", enum=[True])


class LoginIn(Schema):
    email: str = form_checked(min_length=1, pattern=NOT_BLANK)
    password: str = form_checked(**PASSWORD)


class PasswordResetIn(Schema):
    email: str = form_checked(**EMAIL)


class MeIn(Schema):
    # A field this operation does not change (the email address has its own) is refused, not ignored.
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = form_checked(default=None, **FULL_NAME)
    language: str | None = form_checked(default=None, pattern=LANGUAGE_PATTERN)
    time_allowance: str | None = form_checked(default=None, enum=list(TimeAllowance.values))
    home_space: str | None = form_checked("The slug of an existing space.", default=None, min_length=1, max_length=40)


class PasswordIn(Schema):
    password: str = form_checked(**PASSWORD)


def _home_space_slug(user) -> str:
    space = space_by_id(content_space_id(user))
    return space.slug if space else space_default().slug


def _me(user) -> dict:
    return {
        "full_name": user.full_name,
        "email": user.email,
        "language": user.language,
        "home_space": _home_space_slug(user),
        "time_allowance": user.time_allowance,
    }


def _logged_in(request, response: HttpResponse, user, status: int):
    # A user from authenticate() names its backend; a new account logs in with the first one.
    login(request, user, backend=getattr(user, "backend", None) or settings.AUTHENTICATION_BACKENDS[0])
    language_remember(request, response, user.language)
    return Status(status, {"user": _me(user), "csrf_token": get_token(request)})


@auth_router.get("/csrf", response=CsrfOut, summary="Get a CSRF token")
def csrf(request):
    """Set the `csrftoken` cookie and return its value. Send it back in the `X-CSRFToken` header
    of every POST, PUT, PATCH and DELETE, with the cookie."""
    return {"csrf_token": get_token(request)}


class SignUpConfirmIn(Schema):
    token: str = Field(min_length=1, description="The `token` of the link mailed by POST /api/auth/signup.")


@auth_router.post(
    "/signup",
    response={202: None, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Ask for an account: a link to create it is mailed",
    description=(
        "The same rules as the sign-up page: a name, a well-formed address, a password of at least 10 "
        "characters that is not too common, and the terms accepted (`accept_terms: true`). "
        "400 `invalid` lists what to correct in `fields`. Otherwise always 202, whether an account "
        "already uses the address or not (so nobody learns who has an account): a link to create the "
        "account is mailed to the address, or, if it has an account, a message telling its owner how "
        "to log in or reset the password. The link's token goes to POST /api/auth/signup/confirm "
        "(the site's link works too). 429 `rate_limited` after too many sign-ups from one network "
        "address in an hour. " + ANONYMOUS_WRITE
    ),
)
def signup(request, payload: SignUpIn):
    require_csrf(request)
    form = SignUpForm(payload.dict())
    if not form.is_valid():
        raise form_error(form)
    if not throttle.signup_allowed(throttle.client_address(request)):
        raise ApiError(429, "rate_limited", signups_limited_message(), headers={"Retry-After": "3600"})
    signup_request(
        email=form.cleaned_data["email"],
        full_name=form.cleaned_data["full_name"],
        password=form.cleaned_data["password"],
        language=get_language() or "fr",
        space=request.space,
        next_url="",
        confirm_url=lambda token: request.build_absolute_uri(reverse("accounts:signup_confirm", args=[token])),
        login_url=request.build_absolute_uri(reverse("accounts:login")),
        reset_url=request.build_absolute_uri(reverse("accounts:password_reset")),
    )
    return Status(202, None)


@auth_router.post(
    "/signup/confirm",
    response={201: SessionOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Create the account a mailed link describes, and log in",
    description=(
        "`token`: the last part of the link mailed by POST /api/auth/signup (valid 3 days). 400 "
        "`signup_refused` when it is expired, damaged, or an account already uses the address. The "
        "answer carries the session's new CSRF token. " + ANONYMOUS_WRITE
    ),
)
def signup_confirm_(request, response: HttpResponse, payload: SignUpConfirmIn):
    require_csrf(request)
    try:
        user = signup_confirm(payload.token)
    except SignUpRefused as refusal:
        raise ApiError(400, "signup_refused", str(refusal), field="token") from refusal
    return _logged_in(request, response, user, 201)


@auth_router.post(
    "/login",
    response={200: SessionOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Log in",
    description=(
        "400 `invalid_credentials` when the address or the password is wrong. Failed attempts are counted "
        "together with those of the login page, per account and network address (5 in 15 minutes by "
        "default), per account from every address (a much higher ceiling) and per network address: "
        "the failure that reaches a limit says so and carries `refused_until` (ISO 8601); then "
        "429 `rate_limited` with `refused_until` and Retry-After until the window ends. The owner can "
        "always get in through POST /api/auth/password-reset. The answer carries the session's new CSRF token. "
        + ANONYMOUS_WRITE
    ),
)
def login_(request, response: HttpResponse, payload: LoginIn):
    require_csrf(request)

    refusal = throttle.login_refusal_for(request, payload.email)
    if refusal:
        raise ApiError(
            429,
            "rate_limited",
            login_blocked_message(refusal),
            headers={"Retry-After": str(refusal.retry_after_seconds)},
            refused_until=refusal.until.isoformat(),
        )
    # The authentication backend counts the failures, for the login page and the API alike.
    form = LoginForm(request, data={"username": payload.email, "password": payload.password})
    if not form.is_valid():
        message = _("Email address or password incorrect.")
        refusal = throttle.login_refusal_for(request, payload.email)
        if refusal:  # this failure reached the limit: say so now, not at the next attempt
            raise ApiError(
                400,
                "invalid_credentials",
                f"{message} {login_blocked_message(refusal)}",
                refused_until=refusal.until.isoformat(),
            )
        raise ApiError(400, "invalid_credentials", message)
    return _logged_in(request, response, form.get_user(), 200)


@auth_router.post(
    "/logout",
    response={204: None, 403: ErrorOut},
    summary="Log out",
    description="Ends the session (nothing happens if there is none). " + ANONYMOUS_WRITE,
)
def logout_(request):
    require_csrf(request)
    logout(request)
    return Status(204, None)


@auth_router.post(
    "/password-reset",
    response={202: None, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Send a password reset link",
    description=(
        "Always 202 for a well-formed address, whether an account uses it or not (so nobody learns "
        "who has an account). If one does, a link to choose a new password is emailed to it. "
        "400 `invalid` only when the address is malformed. " + ANONYMOUS_WRITE
    ),
)
def password_reset(request, payload: PasswordResetIn):
    require_csrf(request)
    form = QueuedPasswordResetForm({"email": payload.email})
    if not form.is_valid():
        raise form_error(form)
    form.save(
        request=request,
        use_https=request.is_secure(),
        token_generator=default_token_generator,
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
    )
    return Status(202, None)


@me_router.get("", response={200: MeOut, 401: ErrorOut}, summary="My account")
def me(request):
    """The logged-in person's name, email address, language, home space and time allowance."""
    return _me(request.user)


class _LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)

    def __init__(self, data):
        # "fr-BE" is how the standard writes it; Django's codes are in lower case.
        super().__init__({"language": (data.get("language") or "").lower()})
        self.fields["language"].error_messages["invalid_choice"] = _("Choose one of: %(codes)s.") % {
            "codes": ", ".join(code for code, _name in settings.LANGUAGES)
        }


@me_router.patch(
    "",
    response={200: MeOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Change my name, language, time for timed questions or home space",
    description=(
        "Send only what changes: `full_name`, `language` (one of "
        + ", ".join(f"`{code}`" for code, _name in settings.LANGUAGES)
        + "), `time_allowance` (`standard`, `extra_third`: a third more time, `untimed`: no limit; for "
        "the tests started afterwards), `home_space` (a space's slug: the content of the tests started "
        "afterwards). The language is the one of the site and the API for this "
        "account, on every device. "
        "400 `invalid` with `fields` when a value is refused; then nothing is changed."
    ),
)
@transaction.atomic  # all that is sent changes, or nothing
def me_update(request, response: HttpResponse, payload: MeIn):
    forms_ = []
    if payload.full_name is not None:
        forms_.append(DetailsForm({"full_name": payload.full_name}))
    if payload.language is not None:
        forms_.append(_LanguageForm({"language": payload.language}))
    if payload.time_allowance is not None:
        forms_.append(TimeAllowanceForm({"time_allowance": payload.time_allowance}))
    if payload.home_space is not None:
        forms_.append(HomeSpaceForm({"home_space": payload.home_space}))
    for form in forms_:
        if not form.is_valid():
            raise form_error(form)
    for form in forms_:
        if "full_name" in form.cleaned_data:
            user_details_set(request.user, full_name=form.cleaned_data["full_name"])
        if "language" in form.cleaned_data:
            learner_language_set(request.user, form.cleaned_data["language"])
            language_remember(request, response, form.cleaned_data["language"])
        if "time_allowance" in form.cleaned_data:
            user_time_allowance_set(request.user, form.cleaned_data["time_allowance"])
        if "home_space" in form.cleaned_data:
            user_home_space_set(request.user, form.cleaned_data["home_space"])
    return _me(request.user)


@me_router.delete(
    "",
    response={204: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Delete my account",
    description=(
        "Deletes the account and every result, for good, and ends the session. The current password "
        'is required in the body (`{"password": …}`); 400 `invalid` if it is not correct.'
    ),
)
def me_delete(request, payload: PasswordIn):
    form = DeleteAccountForm(request.user, {"password": payload.password})
    if not form.is_valid():
        raise form_error(form)
    user = request.user
    logout(request)
    learner_erase(user)
    return Status(204, None)


@me_router.get(
    "/data",
    response={200: dict, 401: ErrorOut},
    summary="Download my data",
    description="Everything Balise keeps about the account, as one JSON document (the same as on the account page).",
)
def me_data(request, response: HttpResponse):
    response["Cache-Control"] = "private, no-store"  # personal data: no copy in any cache
    return user_data_export(request.user)


class PasswordChangeIn(Schema):
    old_password: str = form_checked(**PASSWORD)
    new_password: str = form_checked(NEW_PASSWORD_RULES, **NEW_PASSWORD)


@me_router.post(
    "/password",
    response={204: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Change my password",
    description=(
        "`old_password` and `new_password` (the sign-up rules apply). This session stays open, the "
        "account's other sessions end, and the owner is told by email. 400 `invalid` with `fields` "
        "when refused; then nothing is changed."
    ),
)
def me_password(request, payload: PasswordChangeIn):
    form = BalisePasswordChangeForm(
        request.user,
        {
            "old_password": payload.old_password,
            "new_password1": payload.new_password,
            "new_password2": payload.new_password,
        },
    )
    if not form.is_valid():
        raise form_error(form, renamed={"new_password1": "new_password", "new_password2": "new_password"})
    user_password_set(request.user, form.cleaned_data["new_password1"])
    update_session_auth_hash(request, request.user)
    return Status(204, None)


class EmailChangeIn(Schema):
    new_email: str = form_checked(**EMAIL)
    password: str = form_checked(**PASSWORD)


@me_router.post(
    "/email",
    response={202: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Change my email address",
    description=(
        "`new_email` and the current `password`. A confirmation link goes to the new address; the "
        "address changes only when the person opens it, logged in, and confirms on the site "
        "(valid 3 days). 400 `invalid` with `fields` when refused (address taken, wrong password)."
    ),
)
def me_email(request, payload: EmailChangeIn):
    form = EmailChangeForm(request.user, {"new_email": payload.new_email, "password": payload.password})
    if not form.is_valid():
        raise form_error(form)
    try:
        email_change_request(
            request.user,
            form.cleaned_data["new_email"],
            confirm_url=lambda token: request.build_absolute_uri(reverse("accounts:email_confirm", args=[token])),
        )
    except TooManyRequests as error:
        raise ApiError(
            429, "rate_limited", _("Too many requests for now: try again in an hour."), headers={"Retry-After": "3600"}
        ) from error
    return Status(202, None)
