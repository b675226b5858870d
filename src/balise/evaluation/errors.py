"""What can go wrong when a learner takes a test, with the message they read."""

from django.utils.translation import gettext_lazy as _

from balise.i18n.errors import ReadableError


class EvaluationError(ReadableError):
    pass


class AssessmentNotFound(EvaluationError):
    http_status = 404
    code = "not_found"
    default_message = _("This test does not exist or is not yours.")


class NotCurrentChallenge(EvaluationError):
    http_status = 409
    code = "not_current_challenge"
    default_message = _(
        "This question has already been answered or is not the current one. "
        "Your answers are safe: here is where you are."
    )


class AssessmentFinished(EvaluationError):
    http_status = 409
    code = "assessment_finished"
    default_message = _("This test is finished: no more answers can be recorded.")


class InvalidAnswer(EvaluationError):
    http_status = 400
    code = "invalid_answer"
    default_message = _("This answer cannot be read. Please answer again.")


class NotAvailableYet(EvaluationError):
    http_status = 409
    code = "not_available_yet"
    default_message = _("This is not available yet.")


class TimerNotStarted(EvaluationError):
    http_status = 409
    code = "timer_not_started"
    default_message = _("This question is timed: start it before answering.")
