"""Request middleware of the site: the signed-in user's language, text input that cannot be read, and
the security headers."""

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
    page could hold (a lone surrogate, NUL, bytes that are not UTF-8 in a JSON body) gets a 400 that
    says so, and a body that is not JSON sent to the JSON API gets a 415 — before any view, so no
    endpoint, including one written tomorrow, stores it or fails on it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request):
        is_api = request.path.startswith(API_PREFIX)
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
