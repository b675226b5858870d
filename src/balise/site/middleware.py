"""Request middleware of the site: the signed-in user's language, text input that cannot be read, the
API's errors in its one JSON shape, and the security headers."""

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from balise.i18n.translation import SESSION_LANGUAGE_KEY


class UserLanguageMiddleware:
    """A signed-in learner's chosen language wins over the browser's, on every device.

    Runs before LocaleMiddleware, which then honours the language cookie we set here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language:
            user_language = request.session.get(SESSION_LANGUAGE_KEY)
            if user_language:
                request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = user_language
            else:
                # Nobody chose yet: the browser's language if the space offers it, else the
                # space's own (plain "fr" on the FWB's platform reads Belgian French).
                space = getattr(request, "space", None)
                browser = translation.get_language_from_request(request)
                if space is not None and space.languages and browser not in space.languages:
                    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = space.default_language
        return self.get_response(request)


# Pages need only our own scripts, styles and images. No inline script: htmx and our
# small script are served as files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


# No page uses the camera, the microphone, the position, payments or sensors: a script that
# got in anyway could not either.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Django's admin and the OpenAPI viewer too: they run only script files and set no inline
        # style (tests/e2e/test_third_party_pages.py checks it in a browser that enforces it).
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# A lone UTF-16 surrogate (only a JSON escape can carry one) cannot be encoded, so no database or
# page can hold it; PostgreSQL refuses NUL in text. Both are refused before any view sees them.
UNREADABLE = re.compile("[\x00\ud800-\udfff]")
API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    # path_info, not path: on a single-host install a space's prefix (/fwb/api/…) is taken off it.
    return request.path_info.startswith(API_PREFIX)


def _unreadable_in(value, name: str = "") -> str | None:
    """The name of the first field whose text cannot be stored, or None (walks JSON values)."""
    if isinstance(value, str):
        return name or "body" if UNREADABLE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _unreadable_in(key, name or "body") or _unreadable_in(item, str(key))
            if found:
                return found
    if isinstance(value, list):
        for item in value:
            found = _unreadable_in(item, name)
            if found:
                return found
    return None


class TextInputMiddleware:
    """Every text a client sends passes here once, pages and API alike: text that no database or
    page could hold (a lone surrogate, NUL, bytes that are not UTF-8 in a JSON body), in the path,
    the query or the body, gets a 400 that says so, a body that is not JSON sent to the JSON API a
    415, and an API address longer than the API takes a 414 — before any view, so no endpoint,
    including one written tomorrow, stores it or fails on it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request):
        is_api = is_api_request(request)
        if is_api and len(request.get_full_path()) > API_MAX_ADDRESS_LENGTH:
            return _api_error(414, _API_ERROR_CODES[414], _api_error_message(414))
        # The path too: its parameters (an id, a code) reach the database's lookups.
        if UNREADABLE.search(request.path_info):
            return self._unreadable(request, is_api, "path")
        for key, values in request.GET.lists():
            field = _unreadable_in(key, "query") or _unreadable_in(values, key)
            if field:
                return self._unreadable(request, is_api, field)
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return None
        if is_api:
            return self._api_body_refusal(request)
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, values in request.POST.lists():
                field = _unreadable_in(key, "form") or _unreadable_in(values, key)
                if field:
                    return self._unreadable(request, is_api, field)
        return None

    def _api_body_refusal(self, request):
        try:
            body = request.body
        except RequestDataTooBig:
            return _api_error(413, "too_large", _("This request is too large."))
        if not body:
            return None
        if request.content_type != "application/json":
            return _api_error(
                415, "unsupported_media_type",
                _("Send JSON, with the header Content-Type: application/json."),
            )
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._unreadable(request, True, "body")
        try:
            data = json.loads(text)
        except ValueError:
            return None  # not JSON: the API's own error (400 with its reason) answers
        field = _unreadable_in(data)
        return self._unreadable(request, True, field) if field else None

    def _unreadable(self, request, is_api: bool, field: str):
        message = _(
            "Part of what was sent cannot be read as text (a character that is not allowed, or a broken "
            "encoding). Nothing was recorded: correct it and send it again."
        )
        if is_api:
            return _api_error(400, "unreadable_text", message, field=field)
        return render(request, "400.html", {"message": message}, status=400)


def _api_error(status: int, code: str, message, **extra) -> JsonResponse:
    return JsonResponse({"error": code, "message": str(message), **extra}, status=status)


# The longest address the API answers (path and query string, as sent). No operation needs more than
# a few hundred characters; 2,000 is what every browser and proxy carries. Longer request lines
# than gunicorn's limit_request_line (8,190, gunicorn_config.py) never reach Django.
API_MAX_ADDRESS_LENGTH = 2000

# What a client reads when the error was not the API's own (Django's, or ninja's 405).
_API_ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    414: "address_too_long",
    500: "server_error",
}


def _api_error_message(status: int):
    messages = {
        400: _("The request cannot be read."),
        403: _("This action is not allowed."),
        404: _("Nothing exists at this address."),
        405: _("This address does not accept this method: see the Allow header."),
        413: _("This request is too large."),
        414: _("This address is too long."),
        500: _("Something went wrong on our side. Nothing was recorded; try again later."),
    }
    return messages.get(status, _("This action is not possible."))


class ApiErrorMiddleware:
    """On /api/, every error is in the API's one JSON shape ({"error", "message", …}), whoever
    answered it: the API's handlers already do; this turns the others into it — ninja's 405 (plain
    text), Django's 400, 404 or 500 pages for what went wrong outside an operation (a host that is
    not allowed, a failing middleware). First in MIDDLEWARE, so it sees what every other one and
    every view answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not is_api_request(request)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        # In the client's language when LocaleMiddleware got to choose it, the site's otherwise.
        with translation.override(getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE):
            shaped = _api_error(
                response.status_code,
                _API_ERROR_CODES.get(response.status_code, "error"),
                _api_error_message(response.status_code),
            )
        # What the original said besides its body stays: Allow on a 405, Retry-After, cookies.
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                shaped[header] = value
        shaped.cookies = response.cookies
        return shaped
