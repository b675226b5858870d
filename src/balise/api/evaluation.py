from uuid import UUID

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Router, Schema, Status

from balise.evaluation import pages, services
from balise.evaluation.errors import NotAvailableYet
from balise.evaluation.selectors import assessment_get_for_user, competence_cards
from balise.site.translation import pick_text

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
    competence: str
    state: str
    answered: int
    estimated_total: int
    challenge: ChallengeOut | None


class StartIn(Schema):
    competence_id: str


class AnswerIn(Schema):
    challenge_id: str
    answer: str | list[str] | dict[str, str] | None = None
    skipped: bool = False
    focus_lost: bool = False


class AnswerOut(Schema):
    status: str
    finished: bool
    timed_out: bool


class SkillOut(Schema):
    id: str
    level: int
    description: str


class ResultOut(Schema):
    competence: str
    level: int
    pix: int
    pix_gained: int
    validated_skills: list[SkillOut]
    missed_skills: list[SkillOut]
    tutorial_ids: list[str]


class ProfileCompetenceOut(Schema):
    id: str
    level: int
    pix: int


class ProfileOut(Schema):
    total_pix: int
    max_total: int
    certifiable: bool
    competences: list[ProfileCompetenceOut]


def _assessment_out(assessment) -> dict:
    challenge = None
    if assessment.state == assessment.State.STARTED and assessment.current_challenge:
        page = pages.challenge_page(assessment, timezone.now())
        hidden = bool(page["timer"]) and not page["timer_started"]
        challenge = {
            "id": page["challenge"].id,
            "type": page["challenge"].type,
            "instruction": page["instruction"],
            "options": [{"id": o["id"], "text": o["text"]} for o in page["options"]],
            "fields": [{"id": f["id"], "label": f["label"]} for f in page["fields"]],
            "illustration": (
                {"url": page["illustration"]["url"], "text": page["illustration"]["alt"]}
                if page["illustration"]
                else None
            ),
            "attachments": [{"url": a["url"], "text": a["name"]} for a in page["attachments"]],
            "timer_seconds": page["timer"],
            "timer_started": page["timer_started"],
            "remaining_seconds": page["remaining_seconds"],
            "focused": page["challenge"].focused,
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
        "challenge": challenge,
    }


@router.get("/competences", response=list[CompetenceOut])
def competences(request):
    out = []
    for area, cards in competence_cards(request.user, timezone.now()):
        for card in cards:
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


@router.post("/assessments", response={201: AssessmentOut})
def assessment_start(request, payload: StartIn):
    assessment = services.assessment_start(
        request.user, payload.competence_id, now=timezone.now(), language=get_language() or "fr"
    )
    return Status(201, _assessment_out(assessment))


@router.get("/assessments/{assessment_id}", response=AssessmentOut)
def assessment_show(request, assessment_id: str):
    return _assessment_out(assessment_get_for_user(request.user, assessment_id))


@router.post("/assessments/{assessment_id}/answers", response={201: AnswerOut})
def assessment_answer(request, assessment_id: str, payload: AnswerIn):
    outcome = services.assessment_answer(
        request.user,
        assessment_id,
        payload.challenge_id,
        read_value=lambda _challenge: payload.answer,
        skipped=payload.skipped,
        focus_lost=payload.focus_lost,
        now=timezone.now(),
    )
    return Status(201, {"status": outcome.answer.status, "finished": outcome.finished, "timed_out": outcome.timed_out})


class TimerIn(Schema):
    challenge_id: str


@router.post("/assessments/{assessment_id}/timer", response=AssessmentOut)
def assessment_timer_start(request, assessment_id: str, payload: TimerIn):
    """Start the clock of the current timed question; its content comes with the answer."""
    assessment = services.assessment_timer_start(request.user, assessment_id, payload.challenge_id, now=timezone.now())
    return _assessment_out(assessment_get_for_user(request.user, assessment.public_id))


@router.get("/assessments/{assessment_id}/result", response=ResultOut)
def assessment_result(request, assessment_id: str):
    assessment = assessment_get_for_user(request.user, assessment_id)
    if assessment.state == assessment.State.STARTED:
        raise NotAvailableYet()
    page = pages.result_page(request.user, assessment)

    def skills(items):
        return [{"id": s.id, "level": s.level, "description": pick_text(s.description)} for s in items]

    return {
        "competence": assessment.competence_id,
        "level": page["score"].level,
        "pix": page["score"].pix,
        "pix_gained": page["pix_gained"],
        "validated_skills": skills(page["validated_skills"]),
        "missed_skills": skills(page["missed_skills"]),
        "tutorial_ids": [t["tutorial"].id for t in page["tutorials"]],
    }


@router.get("/profile", response=ProfileOut)
def profile(request):
    page = pages.profile_page(request.user)
    return {
        "total_pix": page["total_pix"],
        "max_total": page["max_total"],
        "certifiable": page["certifiable"],
        "competences": [{"id": r["competence"].id, "level": r["level"], "pix": r["pix"]} for r in page["rows"]],
    }
