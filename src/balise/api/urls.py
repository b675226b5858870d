from ninja import NinjaAPI
from ninja.security import django_auth

from balise.api.evaluation import router as evaluation_router
from balise.api.learning import router as learning_router
from balise.evaluation.errors import EvaluationError

api = NinjaAPI(
    title="Balise API",
    version="1",
    description="The learner's journey: competences, positioning tests, profile, tutorials.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/", evaluation_router)
api.add_router("/tutorials", learning_router)


@api.exception_handler(EvaluationError)
def evaluation_error(request, error: EvaluationError):
    return api.create_response(
        request,
        {"error": error.code, "message": str(error.message), "field": error.field},
        status=error.http_status,
    )
