from django.http import Http404
from ninja import NinjaAPI, Router

from balise.api import errors
from balise.api.accounts import auth_router, me_router
from balise.api.errors import ErrorOut, session_auth
from balise.api.evaluation import router as evaluation_router
from balise.api.learning import router as learning_router
from balise.api.participations import router as participations_router

api = NinjaAPI(
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
