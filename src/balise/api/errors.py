"""One error shape for every API response that is not a success.

    {"error": code, "message": human text in the learner's language,
     "field": the field at fault (optional), "fields": {name: [messages]} (optional)}

Ninja's own errors (422 validation, 401, unreadable body, 404) are turned into it here, and so
are the refusals of tests and campaigns (ReadableError), so a client needs one reader for all of them.
An exception no handler expects is a 500 `server_error` that says nothing of its cause (the traceback
goes to the log). What answers outside an operation (405, 414, Django's own pages) is shaped by
balise.site.middleware.ApiErrorMiddleware.
"""

from django import forms
from django.core.validators import RegexValidator
from django.http import Http404
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf
from pydantic import Field
from pydantic_core import PydanticUndefined

from balise.i18n.errors import ReadableError

CSRF_HELP = gettext_lazy(
    "The security token (CSRF) is missing or wrong. Get one from /api/auth/csrf and send it in the X-CSRFToken header."
)


class ErrorOut(Schema):
    error: str
    message: str
    field: str | None = None
    fields: dict[str, list[str]] | None = None


class ApiError(Exception):
    """An error an endpoint raises to answer with the common shape (and, optionally, more keys)."""

    def __init__(
        self,
        status: int,
        code: str,
        message,
        *,
        field: str | None = None,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra,
    ):
        self.status, self.code, self.message = status, code, message
        self.field, self.fields, self.extra = field, fields, extra
        self.headers = headers or {}
        super().__init__(str(message))


class CsrfFailed(ApiError):
    def __init__(self):
        super().__init__(403, "csrf_failed", CSRF_HELP)


def form_error(form, code: str = "invalid", status: int = 400, renamed: dict[str, str] | None = None) -> ApiError:
    """A Django form's errors, every message already translated, under `fields` (named as the
    API's body names them: `renamed` maps a form field to its API name)."""
    renamed = renamed or {}
    fields: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        fields.setdefault(renamed.get(name, name), []).extend(str(message) for message in messages)
    first = next(iter(fields), None)
    return ApiError(status, code, _("Please correct the following:"), field=first, fields=fields)


_JSON_SCHEMA_NAMES = {"min_length": "minLength", "max_length": "maxLength", "pattern": "pattern", "enum": "enum",
                      "format": "format"}

# A text that is not only spaces: Django's forms strip a field before checking it is there.
NOT_BLANK = r"\S"


def form_checked(description: str | None = None, *, default=PydanticUndefined, **constraints):
    """A body field whose value a Django form checks (the same rules as the page), described in the
    OpenAPI schema with the form's constraints but refused by the form, with its translated message
    under 400 `invalid` — as the page would — rather than by pydantic's 422. The schema says what
    is accepted; tests/web/test_api_fuzz.py holds the server to it."""
    extra = {_JSON_SCHEMA_NAMES[name]: value for name, value in constraints.items()}
    if default is None and "enum" in extra:
        extra["enum"] = [*extra["enum"], None]  # an optional field's null is one of its values
    return Field(default, description=description, json_schema_extra=extra)


def require_csrf(request) -> None:
    """The CSRF check for the operations open to anonymous clients (sign-up, login…).

    Ninja exempts its views from Django's middleware and checks CSRF only in cookie auth;
    without this, another site could log a visitor into an account of its choice.
    """
    if check_csrf(request):
        raise CsrfFailed()


class SessionAuth(NinjaSessionAuth):
    """Django's session, with a CSRF failure answered in the common error shape."""

    def _get_key(self, request):
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)


session_auth = SessionAuth()


def _body(code: str, message, *, field=None, fields=None, **extra) -> dict:
    body = {"error": code, "message": str(message)}
    if field:
        body["field"] = field
    if fields:
        body["fields"] = fields
    body.update(extra)
    return body


def _validation_fields(errors: list[dict]) -> dict[str, list[str]]:
    """Ninja's (pydantic's) errors by field name, with a translated message each."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] == "body":
            loc = loc[2:]  # ("body", <payload parameter>, field, …)
        elif loc:
            loc = loc[1:]  # ("path" | "query", name, …)
        name = loc[0] if loc else "__all__"
        kind = error.get("type", "")
        limits = error.get("ctx") or {}
        if kind == "missing" or (kind == "string_too_short" and limits.get("min_length") == 1):
            # Django's own messages, translated by Django's catalogues
            message = str(forms.Field.default_error_messages["required"])
        elif kind == "string_too_short":
            message = _("Write at least %(limit)s characters.") % {"limit": limits.get("min_length")}
        elif kind == "string_too_long":
            message = _("Write at most %(limit)s characters.") % {"limit": limits.get("max_length")}
        elif kind == "literal_error":
            message = _("Choose one of: %(codes)s.") % {"codes": limits.get("expected", "")}
        elif kind == "extra_forbidden":
            message = _("This field is not accepted here.")
        elif kind.startswith("bool"):
            message = _("Expected true or false.")
        elif kind.startswith(("string", "int", "float", "list", "dict")):
            message = _("This value has the wrong type: %(expected)s expected.") % {"expected": kind.split("_")[0]}
        else:
            message = str(RegexValidator.message)
        if message not in fields.setdefault(name, []):
            fields[name].append(message)
    return fields


def install(api: NinjaAPI) -> None:
    def respond(request, status: int, code: str, message, **keys):
        return api.create_response(request, _body(code, message, **keys), status=status)

    @api.exception_handler(ApiError)
    def api_error(request, error: ApiError):
        response = respond(
            request, error.status, error.code, error.message, field=error.field, fields=error.fields, **error.extra
        )
        for header, value in error.headers.items():
            response[header] = value
        return response

    # A test's or a campaign's refusal: its status, code and message as they are.
    @api.exception_handler(ReadableError)
    def readable_error(request, error: ReadableError):
        return respond(request, error.http_status, error.code, error.message, field=error.field)

    @api.exception_handler(ValidationError)
    def validation_error(request, error: ValidationError):
        fields = _validation_fields(error.errors)
        return respond(
            request,
            422,
            "validation_error",
            _("Please correct the following:"),
            field=next(iter(fields), None),
            fields=fields,
        )

    @api.exception_handler(Http404)
    def not_found(request, error: Http404):
        message = str(error) if error.args and error.args[0] else _("Nothing exists at this address.")
        return respond(request, 404, "not_found", message)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, error: AuthenticationError):
        return respond(request, 401, "not_authenticated", _("You need to log in."))

    # Anything else is a bug: the client learns nothing of it but that it failed (no traceback, no
    # exception text), the log gets the traceback — through Django's own logger and format, as for
    # a page's 500, and once (log_response marks the response as logged).
    @api.exception_handler(Exception)
    def server_error(request, error: Exception):
        response = respond(
            request, 500, "server_error", _("Something went wrong on our side. Nothing was recorded; try again later.")
        )
        log_response(
            "Internal Server Error: %s", request.path, response=response, request=request, exception=error
        )
        return response

    @api.exception_handler(HttpError)
    def http_error(request, error: HttpError):
        if error.status_code == 400:  # ninja could not parse the body
            return respond(request, 400, "bad_request", _("The request cannot be read: send a JSON body."))
        return respond(request, error.status_code, "error", _("This action is not possible."))
