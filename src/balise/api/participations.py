"""Campaigns in the API: for the learner, a campaign by its code, joining it, their participations,
sending the results, deleting a participation; for an organization's members, its campaigns, their
figures and the participants who sent results. The same services and access checks as the pages."""

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Router, Schema, Status
from pydantic import Field

from balise.api.errors import ErrorOut
from balise.campaigns import dashboard, selectors, services
from balise.campaigns.access import campaign_access, campaign_by_code, participation_access
from balise.campaigns.models import Participation
from balise.organizations.access import organization_access
from balise.organizations.selectors import learner_of

router = Router(tags=["campaigns"])


class CampaignOut(Schema):
    code: str
    title: str
    organization: str
    type: str  # assessment | profiles
    landing_text: str
    external_id_label: str
    external_id_type: str  # text | email
    asks_identity: bool  # names and birth date are needed to find the learner on the organization's list
    archived: bool


class JoinIn(Schema):
    external_id: str = Field("", max_length=255)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    birth_date: date | None = None


class ParticipationOut(Schema):
    id: str
    campaign: str  # its code
    title: str
    organization: str
    status: str  # started | to_share | shared
    test: str | None  # the public id of the test to answer (/api/tests/{id}) while it is in progress
    started_at: datetime
    shared_at: datetime | None
    mastery_percent: int | None
    stage: str | None
    badges: list[str]
    results: dict


def _campaign_out(request, campaign) -> dict:
    return {
        "code": campaign.code,
        "title": campaign.learner_title,
        "organization": campaign.organization.name,
        "type": campaign.type,
        "landing_text": campaign.landing_text,
        "external_id_label": campaign.external_id_label,
        "external_id_type": campaign.external_id_type,
        "asks_identity": campaign.organization.manages_learners and learner_of(campaign.organization, request.user) is None,
        "archived": campaign.is_archived,
    }


def _participation_out(p: Participation) -> dict:
    finished = p.status != Participation.Status.STARTED
    return {
        "id": str(p.public_id),
        "campaign": p.campaign.code,
        "title": p.campaign.learner_title,
        "organization": p.campaign.organization.name,
        "status": p.status,
        "test": str(p.assessment.public_id) if p.assessment_id and not finished else None,
        "started_at": p.created_at,
        "shared_at": p.shared_at,
        "mastery_percent": p.mastery_percent if finished else None,
        "stage": p.stage.title if p.stage_id and finished else None,
        "badges": p.badge_keys if finished else [],
        "results": p.results if finished else {},
    }


@router.get(
    "/campaigns/{code}", response={200: CampaignOut, 401: ErrorOut, 404: ErrorOut}, summary="A campaign by its code",
    description="The campaign a code leads to, in this space (a code exists in its organization's space only).",
)
def campaign_show(request, code: str):
    return _campaign_out(request, campaign_by_code(code, request.space))


@router.post(
    "/campaigns/{code}/participations",
    response={200: ParticipationOut, 201: ParticipationOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Join a campaign",
    description=(
        "201 with the new participation (its `test` is the test to answer); 200 with the one in progress "
        "if there is one. 400 `external_id_required` when the campaign's identifier is missing or not an "
        "e-mail where one is asked; 403 `not_on_the_list` when an organization that keeps a list of its "
        "learners does not find the person; 409 `campaign_archived`, `already_sent`."
    ),
)
def participation_start(request, code: str, payload: JoinIn):
    campaign = campaign_by_code(code, request.space)
    identity = None
    if payload.first_name or payload.last_name or payload.birth_date:
        identity = {"first_name": payload.first_name, "last_name": payload.last_name, "birth_date": payload.birth_date}
    # Only the request that created the participation says 201, even under a double click.
    participation, created = services.participation_join(
        campaign, request.user, external_id=payload.external_id, identity=identity,
        now=timezone.now(), language=get_language() or "fr",
    )
    return Status(201 if created else 200, _participation_out(participation_access(request.user, participation.public_id)))


@router.get(
    "/participations", response={200: list[ParticipationOut], 401: ErrorOut}, summary="My campaigns",
    description="The learner's current participations (a retake's earlier ones are history), newest first.",
)
def participations_mine(request):
    return [_participation_out(p) for p in selectors.participations_of(request.user)]


@router.get(
    "/participations/{participation_id}", response={200: ParticipationOut, 401: ErrorOut, 404: ErrorOut}, summary="One participation",
    description="Its status and, once the test is over, its results. 404 for another person's participation.",
)
def participation_show(request, participation_id: str):
    return _participation_out(participation_access(request.user, participation_id))


@router.post(
    "/participations/{participation_id}/send",
    response={200: ParticipationOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Send my results to the organization",
    description="409 `not_finished` before the end of the test, `already_sent` the second time, `campaign_archived`.",
)
def participation_send(request, participation_id: str):
    participation = services.participation_share(participation_access(request.user, participation_id), now=timezone.now())
    return _participation_out(participation_access(request.user, participation.public_id))


@router.delete(
    "/participations/{participation_id}", response={204: None, 401: ErrorOut, 404: ErrorOut}, summary="Delete my participation",
    description="The organization keeps the campaign's figures without anything that names the person.",
)
def participation_delete(request, participation_id: str):
    services.participation_delete(participation_access(request.user, participation_id), now=timezone.now())
    return Status(204, None)


# --- the organization's side: its campaigns and their results (members only, sent results only)


class CampaignSummaryOut(Schema):
    id: int
    code: str
    name: str
    type: str
    target_profile: str | None
    archived: bool
    participants: int
    sent: int
    owner: str | None  # the owner's name


class MasteryOut(Schema):
    id: str
    percent: int
    skills: int
    validated: int
    tubes: list[dict]


class CampaignFiguresOut(Schema):
    campaign: CampaignSummaryOut
    started: int
    finished: int
    sent: int
    average_mastery: int | None
    stages: list[dict]  # {title, threshold, count, percent}
    badges: list[dict]  # {key, title, count}
    mastery: list[MasteryOut]
    sent_by_day: list[dict]  # {day, count}
    started_by_day: list[dict]  # {day, count}
    pix_average: int | None
    certifiable: int


class ParticipantOut(Schema):
    id: int
    last_name: str
    first_name: str
    external_id: str
    shared_at: datetime | None
    mastery_percent: int | None
    stage: str | None
    badges: list[str]
    group: str | None  # the class or group on the organization's list of learners, if it keeps one
    deleted: bool
    # A profiles collection's: what was sent (None for an assessment campaign).
    pix_total: int | None = None
    certifiable: bool | None = None
    levels: dict[str, int] | None = None  # competence id → level


class ParticipantsPageOut(Schema):
    count: int
    page: int
    pages: int
    participants: list[ParticipantOut]


def _summary(campaign, participants=None, sent=None) -> dict:
    return {
        "id": campaign.pk, "code": campaign.code, "name": campaign.name, "type": campaign.type,
        "target_profile": campaign.target_profile.name if campaign.target_profile_id else None,
        "archived": campaign.is_archived,
        "owner": campaign.owner.full_name if campaign.owner_id else None,
        "participants": participants if participants is not None else getattr(campaign, "participants", 0),
        "sent": sent if sent is not None else getattr(campaign, "sent", 0),
    }


@router.get(
    "/organizations/{organization_id}/campaigns",
    response={200: list[CampaignSummaryOut], 401: ErrorOut, 404: ErrorOut},
    summary="An organization's campaigns",
    description="Its members only (404 for anyone else). `state=archived` lists the archived ones; `q` searches "
    "names and codes; `owner=me` keeps the caller's own campaigns; `type` (`assessment` or `profiles`) one kind.",
)
def organization_campaigns(request, organization_id: str, state: Literal["active", "archived"] = "active", q: str = "",
                           owner: Literal["", "me"] = "",
                           type: Literal["", "assessment", "profiles"] = ""):  # noqa: A002 - the query parameter's documented name
    membership = organization_access(request.user, organization_id)
    campaigns = dashboard.campaigns_of(membership.organization, state=state, query=q[:100],
                                       owner=request.user if owner == "me" else None, kind=type[:20])
    return [_summary(c) for c in campaigns]


@router.get(
    "/organizations/{organization_id}/campaigns/{campaign_id}",
    response={200: CampaignFiguresOut, 401: ErrorOut, 404: ErrorOut},
    summary="A campaign's figures",
    description="Counts, and the sums of the results participants sent (nothing of what they did not send).",
)
def organization_campaign(request, organization_id: str, campaign_id: str):
    _membership, campaign = campaign_access(request.user, organization_id, campaign_id)
    figures = dashboard.campaign_dashboard(campaign)
    return {
        "campaign": _summary(campaign, figures.started + figures.finished + figures.sent, figures.sent),
        "started": figures.started, "finished": figures.finished, "sent": figures.sent,
        "average_mastery": figures.average_mastery,
        "stages": [{"title": s.stage.title, "threshold": s.stage.threshold, "count": s.count, "percent": s.percent}
                   for s in figures.stages],
        "badges": [{"key": b.key, "title": b.title, "count": n} for b, n in figures.badges],
        "mastery": [{"id": r.id, "percent": r.percent, "skills": r.skills, "validated": r.validated,
                     "tubes": [{"id": t.id, "percent": t.percent, "skills": t.skills, "validated": t.validated}
                               for t in r.tubes]} for r in figures.mastery],
        "sent_by_day": [{"day": day.isoformat(), "count": n} for day, n in figures.by_day],
        "started_by_day": [{"day": d.day.isoformat(), "count": d.started} for d in figures.days if d.started],
        "pix_average": figures.pix_average, "certifiable": figures.certifiable,
    }


@router.get(
    "/organizations/{organization_id}/campaigns/{campaign_id}/participants",
    response={200: ParticipantsPageOut, 401: ErrorOut, 404: ErrorOut},
    summary="A campaign's participants who sent their results",
    description="50 a page (`page`), searched by name or identifier (`q`), filtered by stage id (`stage`), "
    "class or group of the organization's list (`group`) and badge key earned (`badge`); a profiles "
    "collection's by `certifiable` (`yes` or `no`), and its participants carry `pix_total`, `certifiable` "
    "and `levels` per competence.",
)
def organization_participants(request, organization_id: str, campaign_id: str, q: str = "", stage: str = "",
                              group: str = "", badge: str = "", certifiable: Literal["", "yes", "no"] = "",
                              page: int = 1):
    _membership, campaign = campaign_access(request.user, organization_id, campaign_id)
    found = dashboard.participants_page(campaign, query=q[:100], stage=stage[:12], group=group[:60], badge=badge[:60],
                                        certifiable=certifiable[:3], page=page)

    def sent_profile(p) -> dict:
        if campaign.is_assessment:
            return {}
        return {"pix_total": p.results.get("pix_total", 0), "certifiable": bool(p.results.get("certifiable")),
                "levels": {cid: level for cid, (level, _pix) in p.results.get("competences", {}).items()}}

    return {
        "count": found.paginator.count, "page": found.number, "pages": found.paginator.num_pages,
        "participants": [
            {"id": p.pk, "last_name": p.participant_last_name, "first_name": p.participant_first_name,
             "external_id": p.external_id, "shared_at": p.shared_at, "mastery_percent": p.mastery_percent,
             "stage": p.stage.title if p.stage_id else None, "badges": p.badge_keys,
             "group": getattr(p, "learner_group", None), "deleted": p.deleted_at is not None, **sent_profile(p)}
            for p in found.object_list
        ],
    }
