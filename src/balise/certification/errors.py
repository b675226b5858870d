"""What the certification app refuses, with the sentence people read. Each refusal changes nothing."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balise.evaluation.errors import EvaluationError
from balise.i18n.errors import ReadableError
from balise.organizations.errors import file_refusal_message, line_error_message


class CertificationError(ReadableError):
    pass


class CentreNotFound(CertificationError):
    http_status = 404
    code = "not_found"
    default_message = _("This certification centre does not exist.")


class SessionNotFound(CertificationError):
    http_status = 404
    code = "not_found"
    default_message = _("This certification session does not exist.")


class CandidateNotFound(CertificationError):
    http_status = 404
    code = "not_found"
    default_message = _("This candidate does not exist.")


class SessionClosed(CertificationError):
    http_status = 409
    code = "session_finalised"
    default_message = _("This session is finalised: its candidates and details no longer change.")


class SessionStarted(CertificationError):
    http_status = 409
    code = "session_started"
    default_message = _("A candidate has already entered this session: it can no longer be changed or deleted.")


class CandidateEntered(CertificationError):
    http_status = 409
    code = "candidate_entered"
    default_message = _("This candidate has already entered the session: they stay enrolled.")


class CandidateAlreadyEnrolled(CertificationError):
    http_status = 409
    code = "already_enrolled"
    default_message = _("A candidate with these names and this birth date is already enrolled in this session.")


class CentreClosed(CertificationError):
    http_status = 409
    code = "centre_closed"
    default_message = _("This centre no longer certifies: it cannot open a session.")


def candidate_file_refusal_message(error) -> str:
    """Why a file of candidates cannot be read at all (a FileRefused)."""
    if error.code == "no_candidates":
        return gettext("The file has no candidate: only its first line (the column names).")
    if error.code == "too_many_candidates":
        return gettext("The file has too many lines: at most %(limit)s candidates per file.") % error.details
    if error.code == "too_many_sessions":
        return gettext("The file creates too many sessions: at most %(limit)s per file.") % error.details
    return file_refusal_message(error)


def candidate_line_message(error) -> str:
    """The reason of one line's error (a learner_file.LineError), in the reader's language."""
    value = error.value
    messages = {
        "sex": lambda: gettext("“%(value)s”: write F or M.") % {"value": value},
        "percent": lambda: gettext("“%(value)s” is not a percentage from 0 to 100.") % {"value": value},
        "yes_no": lambda: gettext("“%(value)s”: write yes or no (or leave it empty for no).") % {"value": value},
        "session_number": lambda: gettext("“%(value)s” is not a session number.") % {"value": value},
        "session_required": lambda: gettext(
            "Give the session's number, or its site, room, date and start time to create it."),
        "session_past": lambda: gettext("“%(value)s” is past: a new session is planned for today or later.")
        % {"value": value},
        "time": lambda: gettext("“%(value)s” is not a time: write it HH:MM (e.g. 09:30).") % {"value": value},
        "duplicate_candidate": lambda: gettext(
            "%(value)s, born the same day, is already on line %(line)s for the same session.")
        % {"value": value, "line": error.other_line},
        "session_unknown": lambda: gettext("The centre has no session number %(value)s.") % {"value": value},
        "session_finalised": lambda: gettext(
            "Session %(value)s is finalised: it enrols no more candidates.") % {"value": value},
        "already_enrolled": lambda: gettext(
            "%(value)s, with this birth date, is already enrolled in this session.") % {"value": value},
    }
    if error.code in messages:
        return messages[error.code]()
    return line_error_message({"code": error.code, "value": value, "limit": error.limit, "other_line": error.other_line})


class EntryRefused(CertificationError):
    """A person could not enter a session. One message for a wrong number and a wrong code, so
    that codes cannot be probed one at a time."""

    MESSAGES = {
        "too_many": (429, _("Too many attempts: wait a quarter of an hour, or ask the invigilator.")),
        "wrong_code": (404, _("No session has this number and this access code here. Check both with the invigilator.")),
        "session_finalised": (409, _("This session is over: it is finalised.")),
        "not_eligible": (403, _(
            "You cannot sit a certification yet: it needs level 1 or more in at least 5 competences (you have %(count)s). "
            "Take the tests of more competences first, then enter again.")),
        "no_match": (404, _(
            "No candidate of this session has these names and this birth date. Write them as on your identity "
            "document, or ask the invigilator to check your enrolment.")),
        "seat_taken": (409, _(
            "This candidate has already entered with another account. If it is you, log in with that account; "
            "otherwise tell the invigilator.")),
        "ended": (409, _("Your test in this session is over.")),
    }

    def __init__(self, reason: str, **details):
        self.reason = reason
        self.http_status, message = self.MESSAGES[reason]
        self.code = f"entry_{reason}"
        super().__init__(message % details if details else message)


class CandidacyNotFound(CertificationError):
    http_status = 404
    code = "not_found"
    default_message = _("You are not a candidate of this session.")


class InvigilationRefused(CertificationError):
    http_status = 403
    code = "invigilation_refused"
    default_message = _("This session number and this password do not open an invigilation here. Check them with the centre.")


class InvigilationTooMany(CertificationError):
    http_status = 429
    code = "too_many"
    default_message = _("Too many attempts for this session: wait a quarter of an hour.")


class CertificationPaused(EvaluationError):
    """An answer while the invigilator has not let the candidate go on (they entered again from
    another device, or the test was ended): recorded nowhere."""

    http_status = 409
    code = "certification_paused"
    default_message = _("Wait for the invigilator to let you go on: nothing was recorded.")


class ExamInProgress(CertificationError):
    http_status = 409
    code = "tests_in_progress"
    default_message = _("A candidate's test is still in progress: end it on the invigilator's page before finalising.")


class PublicationRefused(CertificationError):
    http_status = 409
    code = "publication_refused"
    default_message = _("This session cannot be published: a certification has no result yet.")


class ResultsNotPublished(CertificationError):
    http_status = 409
    code = "not_published"
    default_message = _("The results of this session are not published yet: the jury reviews it first.")
