from django.http import Http404
from ninja import NinjaAPI, Router

from balise.api import errors
from balise.api.accounts import auth_router, me_router
from balise.api.errors import ErrorOut, session_auth
from balise.api.evaluation import router as evaluation_router
from balise.api.learning import router as learning_router
from balise.api.participations import router as participations_router

# What any operation can answer besides its own statuses, because it is answered before (or
# around) every operation: balise.site.middleware.TextInputMiddleware and ApiErrorMiddleware,
# ninja's parameter validation, the session's authentication and CSRF check, the 500 handler.
# Documented here once, so the schema lists every status each operation can answer, a new one
# included (tests/web/test_api_fuzz.py holds the server to it).
COMMON_ERRORS = {
    "400": "`unreadable_text`: text that cannot be stored (NUL, a lone surrogate, not UTF-8), in the query or the body; "
    "`bad_request`: a body that is not JSON",
    "414": "`address_too_long`: the path and query string are over 2,000 characters",
    "500": "`server_error`: a fault of the server; nothing more is said (the operator's log has the details)",
}
BODY_ERRORS = {
    "413": "`too_large`: the body is over the size limit",
    "415": "`unsupported_media_type`: a body that is not `application/json`",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


class BaliseAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                statuses = dict(COMMON_ERRORS)
                if method in WRITE_METHODS:
                    statuses.update(BODY_ERRORS)
                    statuses["403"] = "`csrf_failed`: the X-CSRFToken header is missing or wrong"
                if operation.get("security"):
                    statuses["401"] = "`not_authenticated`: not logged in"
                if operation.get("parameters") or operation.get("requestBody"):
                    statuses["422"] = "`validation_error`: a value is missing or of the wrong type; see `fields`"
                # ninja writes the statuses as numbers
                responses = {int(status): answer for status, answer in operation.get("responses", {}).items()}
                for status, description in statuses.items():
                    responses.setdefault(int(status), {"description": description, **error})
                operation["responses"] = {str(status): responses[status] for status in sorted(responses)}
        return schema


api = BaliseAPI(
    title="Balise API",
    version="1",
    description=(
        "The learner's journey: account, competences, positioning tests, profile, tutorials.\n\n"
        "**Authentication.** The API uses the site's session cookie. A client first calls "
        "`GET /api/auth/csrf`, which sets the `csrftoken` cookie and returns the token, then logs in "
        "with `POST /api/auth/login` (or signs up). Every POST, PUT, PATCH and DELETE sends the token "
        "in the `X-CSRFToken` header, with the cookies. Logging in changes the token: use the "
        "`csrf_token` of the login answer from then on.\n\n"
        '**Errors.** Every error has the same shape: `{"error": code, "message": text in the '
        'learner\'s language, "field": the field at fault (optional), "fields": {name: [messages]} '
        "(optional)}`. A 409 on a test also carries `assessment`, the test as it stands.\n\n"
        "See docs/api.md in the repository for a walk-through."
    ),
    auth=session_auth,
    urls_namespace="api",
    # The reference page is the site's own (balise.site.api_reference), at /api/docs.
    docs_url=None,
)
errors.install(api)
api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/", evaluation_router)
api.add_router("/", learning_router)
api.add_router("/", participations_router)

# Last: any other address under /api/ answers a JSON 404 in the common shape, not the site's page.
unknown_router = Router(auth=None)


@unknown_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False, response={404: ErrorOut}
)
def unknown(request, rest: str):
    raise Http404()


api.add_router("/", unknown_router)
