from uuid import UUID

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, StrictBool

from balise.api.errors import ApiError, ErrorOut
from balise.evaluation import pages, services
from balise.evaluation.access import assessment_access
from balise.evaluation.errors import EvaluationError, NotAvailableYet
from balise.evaluation.selectors import competence_cards
from balise.i18n.translation import pick_text

router = Router(tags=["evaluation"])


class CompetenceOut(Schema):
    id: str
    area: str
    name: str
    level: int
    pix: int
    action: str
    available_at: str | None
    assessment_id: UUID | None


class OptionOut(Schema):
    id: str
    text: str


class FieldOut(Schema):
    id: str
    label: str


class MediaOut(Schema):
    url: str
    text: str


class ChallengeOut(Schema):
    id: str
    type: str
    instruction: str
    options: list[OptionOut]
    fields: list[FieldOut]
    illustration: MediaOut | None
    attachments: list[MediaOut]
    timer_seconds: int | None
    timer_started: bool
    remaining_seconds: int | None
    focused: bool


class AssessmentOut(Schema):
    id: UUID
    competence: str | None  # none for a campaign test, which spans a target profile
    state: str
    answered: int
    estimated_total: int
    progress_percent: int
    challenge: ChallengeOut | None


# A code the API gave for the current question: an empty one is refused (422) like a missing one;
# any other code that is not the current question's is a 409 that carries the test, to resync.
CHALLENGE_CODE = Field(min_length=1, description="The `challenge.id` the API gave for the current question.")


class StartIn(Schema):
    competence_id: str = Field(min_length=1)


class AnswerIn(Schema):
    challenge_id: str = CHALLENGE_CODE
    answer: str | list[str] | dict[str, str] | None = None
    # `true` or `false`, not a string or a number that looks like one
    skipped: StrictBool = False
    focus_lost: StrictBool = False


class AnswerOut(Schema):
    status: str
    finished: bool
    timed_out: bool
    # The test as it stands after the answer (its next question): one request per answer.
    assessment: AssessmentOut


class SkillOut(Schema):
    id: str
    level: int
    description: str


class CorrectionLineOut(Schema):
    label: str = Field(description="the field's label for an open question; empty for a choice")
    text: str


class CorrectionOut(Schema):
    position: int = Field(description="1 for the first question asked")
    instruction: str = Field(description="Markdown, in the test's language")
    status: str = Field(description="ok, ko, skipped, timedout (right but late) or focusedout (right after leaving the page)")
    right: bool
    given: list[CorrectionLineOut] = Field(description="the chosen options or the typed answers; empty if skipped")
    expected: list[CorrectionLineOut]


class ResultOut(Schema):
    competence: str
    level: int
    pix: int
    pix_gained: int
    validated_skills: list[SkillOut]
    missed_skills: list[SkillOut]
    tutorial_ids: list[str]
    corrections: list[CorrectionOut]


class ProfileCompetenceOut(Schema):
    id: str
    name: str
    area: str
    level: int
    pix: int


class ProfileOut(Schema):
    total_pix: int
    max_total: int
    certifiable: bool
    competences: list[ProfileCompetenceOut]


class ConflictOut(ErrorOut):
    """A 409 on a test: `assessment` is where the test stands now, to resync the client."""

    assessment: AssessmentOut | None = None


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _assessment_out(assessment) -> dict:
    challenge = None
    if assessment.state == assessment.State.STARTED and assessment.current_challenge_id:
        page = pages.challenge_page(assessment, timezone.now())
        hidden = page.waits_for_the_learner
        challenge = {
            "id": page.challenge_code,
            "type": page.challenge.type,
            "instruction": page.instruction,
            "options": [{"id": o.id, "text": o.text} for o in page.options],
            "fields": [{"id": f.id, "label": f.label} for f in page.fields],
            "illustration": {"url": page.illustration.url, "text": page.illustration.alt} if page.illustration else None,
            "attachments": [{"url": a.url, "text": a.name} for a in page.attachments],
            "timer_seconds": page.timer,
            "timer_started": page.timer_started,
            "remaining_seconds": page.remaining_seconds,
            "focused": page.challenge.focused,
        }
        if hidden:
            # A timed question is shown only once its clock runs (POST …/timer).
            challenge.update(instruction="", options=[], fields=[], illustration=None, attachments=[])
    return {
        "id": assessment.public_id,
        "competence": assessment.competence_id,
        "state": assessment.state,
        "answered": assessment.answered_count,
        "estimated_total": assessment.estimated_total,
        "progress_percent": assessment.progress_percent,
        "challenge": challenge,
    }


def _competences(user, only: str | None = None) -> list[dict]:
    out = []
    for area, cards in competence_cards(user, timezone.now()):
        for card in cards:
            if only is not None and card.competence.id != only:
                continue
            out.append(
                {
                    "id": card.competence.id,
                    "area": area.id,
                    "name": pick_text(card.competence.name),
                    "level": card.level,
                    "pix": card.pix,
                    "action": card.action.kind,
                    "available_at": card.action.available_at.isoformat() if card.action.available_at else None,
                    "assessment_id": card.action.assessment.public_id if card.action.assessment else None,
                }
            )
    return out


def _resync(user, assessment_id: str, error: EvaluationError) -> EvaluationError | ApiError:
    """A 409 on a test carries where the test stands now, so the client can catch up."""
    if error.http_status != 409:
        return error
    try:
        state = _assessment_out(assessment_access(user, assessment_id))
    except EvaluationError:
        return error
    return ApiError(409, error.code, error.message, field=error.field, assessment=state)


@router.get(
    "/competences",
    response={200: list[CompetenceOut], 401: ErrorOut},
    summary="My competences",
    description=(
        "Every competence the learner can see, with their level, pix and what they can do next (`action`: "
        "`start`, `resume`, `improve`, `retry`, `wait` until `available_at`, or `done`). "
        "`assessment_id` is the test in progress, if any."
    ),
)
def competences(request):
    return _competences(request.user)


@router.post(
    "/competences/{competence_id}/reset",
    response={200: CompetenceOut, **ERRORS, 409: ErrorOut},
    summary="Reset a competence",
    description=(
        "Wipes the level and pix of a competence (and abandons a test in progress) so it can be started "
        "again from scratch. Possible only some days after the last test: until then 409 `not_available_yet`, "
        "whose message gives the date. Returns the competence as it is now."
    ),
)
def competence_reset(request, competence_id: str):
    services.competence_reset(request.user, competence_id, now=timezone.now())
    return _competences(request.user, competence_id)[0]


@router.post(
    "/assessments",
    response={200: AssessmentOut, 201: AssessmentOut, 400: ErrorOut, **ERRORS, 409: ErrorOut, 422: ErrorOut},
    summary="Start (or resume) a test",
    description=(
        "Starts the positioning test of a competence: 201 with its first question. If a test of this "
        "competence is already in progress, 200 with that test as it stands (nothing new is created). "
        "404 for an unknown competence; 409 `not_available_yet` while waiting to test again."
    ),
)
def assessment_start(request, payload: StartIn):
    # The service says whether this request created the test: only that one answers 201, even
    # when ten arrive at once (a read before the call would let several see "nothing yet").
    assessment, created = services.assessment_join(
        request.user, payload.competence_id, now=timezone.now(), language=get_language() or "fr"
    )
    return Status(201 if created else 200, _assessment_out(assessment))


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **ERRORS},
    summary="A test and its current question",
    description=(
        "The test's state, progress and current question. Options and fields carry codes of this test: "
        "answer with them. A timed question shows its content only once its clock runs (see …/timer)."
    ),
)
def assessment_show(request, assessment_id: str):
    return _assessment_out(assessment_access(request.user, assessment_id))


@router.post(
    "/assessments/{assessment_id}/answers",
    response={201: AnswerOut, 400: ErrorOut, **ERRORS, 409: ConflictOut, 422: ErrorOut},
    summary="Answer the current question",
    description=(
        "`answer` is an option code (qcu), a list of option codes (qcm) or `{field id: text}` (open "
        "questions); or `skipped: true`. An answer is recorded once: 409 `not_current_challenge` if the "
        "question is not the current one, `assessment_finished` after the end, `timer_not_started` for a "
        "timed question not started; each 409 carries `assessment`, the test as it stands, and so does the "
        "201 (its next question: no second request is needed). 400 "
        "`invalid_answer` for an answer that cannot be read (nothing is recorded)."
    ),
)
def assessment_answer(request, assessment_id: str, payload: AnswerIn):
    try:
        outcome = services.assessment_answer(
            request.user,
            assessment_id,
            payload.challenge_id,
            read_value=lambda _challenge: payload.answer,
            skipped=payload.skipped,
            focus_lost=payload.focus_lost,
            now=timezone.now(),
        )
    except EvaluationError as error:
        raise _resync(request.user, assessment_id, error) from error
    return Status(
        201,
        {
            "status": outcome.answer.status,
            "finished": outcome.finished,
            "timed_out": outcome.timed_out,
            "assessment": _assessment_out(outcome.answer.assessment),
        },
    )


class TimerIn(Schema):
    challenge_id: str = CHALLENGE_CODE


@router.post(
    "/assessments/{assessment_id}/timer",
    response={200: AssessmentOut, 400: ErrorOut, **ERRORS, 409: ConflictOut, 422: ErrorOut},
    summary="Start a timed question",
    description=(
        "Starts the clock of the current timed question (once) and returns the test with the question's "
        "content. 409 (with `assessment`) if the question is not the current one or the test is finished. "
        "400 `bad_request` for a body that is not JSON, `unreadable_text` for text that cannot be stored."
    ),
)
def assessment_timer_start(request, assessment_id: str, payload: TimerIn):
    try:
        assessment = services.assessment_timer_start(
            request.user, assessment_id, payload.challenge_id, now=timezone.now()
        )
    except EvaluationError as error:
        raise _resync(request.user, assessment_id, error) from error
    return _assessment_out(assessment_access(request.user, assessment.public_id))


@router.get(
    "/assessments/{assessment_id}/result",
    response={200: ResultOut, **ERRORS, 409: ErrorOut},
    summary="The result of a finished test",
    description=(
        "Level, pix, the skills shown and missed, the tutorials suggested, and each question with the "
        "learner's answer and the expected one (`corrections`). 409 `not_available_yet` while the test is "
        "in progress: nothing of the answers is shown before the end. A campaign test's result is its "
        "participation's (`GET /api/participations/{id}`): 409 `campaign_test`."
    ),
)
def assessment_result(request, assessment_id: str):
    assessment = assessment_access(request.user, assessment_id)
    if assessment.state == assessment.State.STARTED:
        raise NotAvailableYet()
    if assessment.competence_id is None:
        raise ApiError(
            409, "campaign_test", _("This test belongs to a campaign: its result is on the campaign's page."),
        )
    page = pages.result_page(request.user, assessment)

    def skills(items):
        return [{"id": s.id, "level": s.level, "description": pick_text(s.description)} for s in items]

    return {
        "competence": assessment.competence_id,
        "level": page.score.level,
        "pix": page.score.pix,
        "pix_gained": page.pix_gained,
        "validated_skills": skills(page.validated_skills),
        "missed_skills": skills(page.missed_skills),
        "tutorial_ids": [t.tutorial.id for t in page.tutorials],
        "corrections": page.corrections,
    }


@router.get(
    "/profile",
    response={200: ProfileOut, 401: ErrorOut},
    summary="My profile",
    description="Total pix (out of `max_total`), whether the learner can take the certification, and each competence.",
)
def profile(request):
    page = pages.profile_page(request.user)
    return {
        "total_pix": page.total_pix,
        "max_total": page.max_total,
        "certifiable": page.certifiable,
        "competences": [
            {
                "id": r.competence.id,
                "name": pick_text(r.competence.name),
                "area": r.area.id,
                "level": r.level,
                "pix": r.pix,
            }
            for r in page.rows
        ],
    }
