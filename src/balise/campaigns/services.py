"""Writes of the campaigns app: creating and archiving campaigns, joining, sending, retaking and
deleting a participation. Each refusal raises a CampaignError and changes nothing."""

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balise.campaigns.errors import (
    AlreadySent,
    CampaignArchived,
    CampaignError,
    ExternalIdRequired,
    NotFinished,
    NotOnTheList,
)
from balise.campaigns.models import (
    Campaign,
    CampaignTotals,
    Participation,
    Stage,
    TargetProfile,
    TargetProfileTube,
)
from balise.campaigns.policy import scope_estimates
from balise.codes import random_code, typed_code
from balise.content.selectors import areas_with_competences, current_content_version
from balise.engine.scoring import CompetenceScore as EngineScore
from balise.engine.scoring import is_certifiable, total_pix
from balise.evaluation.models import Assessment, CompetenceScore
from balise.evaluation.selectors import current_knowledge_of_competences
from balise.evaluation.services.answering import advance
from balise.i18n.translation import content_language
from balise.organizations.errors import ReconciliationRefused
from balise.organizations.selectors import learner_of
from balise.organizations.services import learner_reconcile

CODE_ATTEMPTS = 20


def campaign_code_new() -> str:
    return random_code(6, 3)


def code_normalised(code: str) -> str:
    return typed_code(code, 9)


def campaign_create(organization, *, by, **fields) -> Campaign:
    """A new campaign of the organization with a code no other campaign has."""
    for _attempt in range(CODE_ATTEMPTS):
        campaign = Campaign(organization=organization, created_by=by, code=campaign_code_new(), **fields)
        campaign.full_clean()
        try:
            with transaction.atomic():
                campaign.save()
            return campaign
        except IntegrityError:
            # Another campaign took this code a moment ago: draw again.
            continue
    raise CampaignError(_("No free campaign code could be drawn; please try again."))


def campaign_update(campaign: Campaign, **fields) -> Campaign:
    """Change a campaign's texts and settings. Its kind, profile and whether it allows several
    sendings are fixed once someone has joined (their results were asked under those rules)."""
    joined = campaign.participations.exists()
    for name in ("type", "target_profile", "multiple_sendings"):
        if name in fields and joined and getattr(campaign, name) != fields[name]:
            raise CampaignError(
                _("This setting cannot change any more: people have already joined the campaign."), field=name
            )
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    return campaign


def campaign_archive(campaign: Campaign, *, now: datetime) -> None:
    Campaign.objects.filter(pk=campaign.pk, archived_at=None).update(archived_at=now)


def campaign_unarchive(campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=None)


def external_id_checked(campaign: Campaign, external_id: str) -> str:
    external_id = (external_id or "").strip()
    if not campaign.external_id_label:
        return ""
    if not external_id:
        raise ExternalIdRequired(
            _("Please give your %(label)s: the organization needs it to find your results.")
            % {"label": campaign.external_id_label},
            field="external_id",
        )
    if len(external_id) > 255:
        raise ExternalIdRequired(_("This is too long (at most 255 characters)."), field="external_id")
    if campaign.external_id_type == Campaign.ExternalIdType.EMAIL:
        try:
            validate_email(external_id)
        except ValidationError:
            raise ExternalIdRequired(
                _("Your %(label)s must be an e-mail address, such as name@example.org.")
                % {"label": campaign.external_id_label},
                field="external_id",
            ) from None
    return external_id


def current_participation(campaign: Campaign, user) -> Participation | None:
    return Participation.objects.filter(campaign=campaign, user=user, improved=False, deleted_at=None).first()


def _learner_on_the_list(campaign: Campaign, user, identity: dict | None):
    """For an organization that manages its learners: the learner of its list this person is
    (linked once, by names and birth date), or a refusal that says why."""
    organization = campaign.organization
    if not organization.manages_learners:
        return None
    known = learner_of(organization, user)
    if known is not None:
        return known
    if not identity or not all(identity.values()):
        raise NotOnTheList(
            _("%(organization)s takes part with its list of learners: give your names and birth date as the organization knows them.")
            % {"organization": organization.name},
            field="identity",
        )
    try:
        return learner_reconcile(organization, user, **identity)
    except ReconciliationRefused as refusal:
        raise NotOnTheList(refusal.message, field="identity") from None


def participation_start(campaign: Campaign, user, **options) -> Participation:
    return participation_join(campaign, user, **options)[0]


@transaction.atomic
def participation_join(
    campaign: Campaign, user, *, external_id: str = "", identity: dict | None = None, now: datetime, language: str
) -> tuple[Participation, bool]:
    """Join a campaign: the participation in progress if there is one, else a new one (with its
    test for an assessment campaign). A second participation is refused where the campaign
    allows one sending, and where the last one is not sent yet. `identity` ({first_name,
    last_name, birth_date}) finds the person on the list of an organization that keeps one."""
    if campaign.is_archived:
        raise CampaignArchived()
    existing = current_participation(campaign, user)
    if existing is not None:
        if existing.status != Participation.Status.SHARED:
            return existing, False
        if not campaign.multiple_sendings:
            raise AlreadySent()
    external_id = external_id_checked(campaign, external_id)
    listed = _learner_on_the_list(campaign, user, identity)
    if existing is not None:
        # A retake: the sent one stays as history, out of the campaign's current figures.
        Participation.objects.filter(pk=existing.pk).update(improved=True)
        campaign_totals_add(existing, -1)
        external_id = external_id or existing.external_id
    participation = Participation(
        campaign=campaign,
        user=user,
        # The organization's own spelling of the names when it keeps a list.
        participant_first_name=listed.first_name if listed else "",
        participant_last_name=listed.last_name if listed else user.full_name,
        external_id=external_id,
    )
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError:
        # A second click joined a moment ago: give that participation back.
        return current_participation(campaign, user), False
    if campaign.is_assessment:
        _campaign_assessment_start(campaign, participation, user, now=now, language=language, retake=existing is not None)
    else:
        # A profiles collection has no test: what it collects is the profile when it is sent.
        participation.status = Participation.Status.TO_SHARE
        participation.completed_at = now
        participation.save(update_fields=["status", "completed_at"])
    return participation, True


def _campaign_assessment_start(campaign, participation, user, *, now, language, retake: bool) -> None:
    profile = campaign.target_profile
    caps = dict(profile.tubes.values_list("tube_id", "level_cap"))
    # Competences in the framework's order, so the test walks the profile as the learner reads it.
    competences = list(
        dict.fromkeys(
            profile.tubes.order_by("tube__competence__area__position", "tube__competence__position").values_list(
                "tube__competence_id", flat=True
            )
        )
    )
    prior = current_knowledge_of_competences(user, competences)
    assessment = Assessment(
        user=user,
        purpose=Assessment.Purpose.CAMPAIGN,
        competence=None,
        strategy=settings.BALISE_POSITIONING_STRATEGY,
        language=content_language(language),
        # The campaign's content is its organization's space's, wherever the learner lives.
        space_id=campaign.organization.space_id,
        seed=secrets.randbits(48),
        content_version=current_content_version(),
        prior_knowledge=prior,
        # A retake is a second chance on what was missed; what was proved stays proved.
        retest_skill_ids=[ke["skill"] for ke in prior if ke["status"] == "invalidated"] if retake else [],
        time_allowance=user.time_allowance,
        scope={
            "tube_caps": caps,
            "competences": competences,
            "title": campaign.learner_title,
            "code": campaign.code,
            "participation": str(participation.public_id),
        },
    )
    assessment.scope["estimates"] = scope_estimates(assessment)
    assessment.save()
    participation.assessment = assessment
    participation.save(update_fields=["assessment"])
    advance(assessment, now)
    assessment.save()
    if assessment.state == Assessment.State.COMPLETED:
        # Everything in the profile was proved before: the results are ready at once.
        participation.refresh_from_db()


def profile_snapshot(user, competence_ids) -> dict:
    """What a profiles collection receives: total pix, certifiable, level and pix per competence."""
    scores = {s.competence_id: s for s in CompetenceScore.objects.filter(user=user)}
    engine_scores = [
        EngineScore(competence_id=cid, pix=scores[cid].pix if cid in scores else 0,
                    level=scores[cid].level if cid in scores else 0)
        for cid in competence_ids
    ]
    return {
        "pix_total": total_pix(engine_scores),
        "certifiable": is_certifiable(engine_scores),
        "competences": {s.competence_id: [s.level, s.pix] for s in engine_scores},
    }


@transaction.atomic
def participation_share(participation: Participation, *, now: datetime) -> Participation:
    """Send the results to the organization. Before this, it sees nothing; after, nothing changes."""
    participation = Participation.objects.select_for_update(of=("self",)).select_related("campaign__organization").get(pk=participation.pk)
    if participation.campaign.is_archived:
        raise CampaignArchived()
    if participation.status == Participation.Status.SHARED:
        raise AlreadySent(_("These results have already been sent."))
    if participation.status != Participation.Status.TO_SHARE:
        raise NotFinished()
    if not participation.campaign.is_assessment:
        space_id = participation.campaign.organization.space_id
        competence_ids = [c.id for _area, competences in areas_with_competences(space_id) for c in competences]
        participation.results = profile_snapshot(participation.user, competence_ids)
    participation.status = Participation.Status.SHARED
    participation.shared_at = now
    participation.save(update_fields=["status", "shared_at", "results"])
    campaign_totals_add(participation, +1)
    return participation


def _add_pairs(into: dict, pairs: dict, sign: int) -> None:
    for key, (skills, validated) in pairs.items():
        total = into.setdefault(key, [0, 0])
        total[0] += sign * skills
        total[1] += sign * validated


def campaign_totals_add(participation: Participation, sign: int) -> None:
    """Add a sent participation's results to its campaign's sums (sign -1: take them out, when a
    retake replaces it). Under the totals row's lock: two sendings at once add up."""
    totals, _created = CampaignTotals.objects.get_or_create(campaign_id=participation.campaign_id)
    totals = CampaignTotals.objects.select_for_update().get(pk=totals.pk)
    sums, results = totals.sums, participation.results
    totals.shared += sign
    # Sendings per day (the dashboard's chart), on the organization's calendar.
    days = sums.setdefault("days", {})
    day = timezone.localdate(participation.shared_at).isoformat()
    days[day] = days.get(day, 0) + sign
    if participation.campaign.is_assessment:
        totals.mastery_sum += sign * (participation.mastery_percent or 0)
        _add_pairs(sums.setdefault("tubes", {}), results.get("tubes", {}), sign)
        _add_pairs(sums.setdefault("competences", {}), results.get("competences", {}), sign)
        stages = sums.setdefault("stages", {})
        key = str(participation.stage_id or "")
        stages[key] = stages.get(key, 0) + sign
        badges = sums.setdefault("badges", {})
        for badge in participation.badge_keys:
            badges[badge] = badges.get(badge, 0) + sign
    else:
        sums["pix_sum"] = sums.get("pix_sum", 0) + sign * results.get("pix_total", 0)
        sums["certifiable"] = sums.get("certifiable", 0) + sign * int(bool(results.get("certifiable")))
        levels = sums.setdefault("levels", {})
        for competence, (level, _pix) in results.get("competences", {}).items():
            levels[competence] = levels.get(competence, 0) + sign * level
    totals.save()


@transaction.atomic
def participation_delete(participation: Participation, *, now: datetime) -> None:
    """The learner withdraws: the organization keeps an anonymous row (its figures stay true),
    nothing that names them; a test in progress is abandoned."""
    if participation.assessment_id and participation.status == Participation.Status.STARTED:
        Assessment.objects.filter(pk=participation.assessment_id, state=Assessment.State.STARTED).update(
            state=Assessment.State.ABANDONED
        )
    Participation.objects.filter(pk=participation.pk).update(
        user=None,
        assessment=None,
        participant_first_name="",
        participant_last_name="",
        external_id="",
        deleted_at=now,
    )


@transaction.atomic
def target_profile_copy(profile, *, name_prefix: str) -> TargetProfile:
    """A copy to adapt (tubes and caps, stages, badges with their criteria, training triggers);
    the original and its campaigns stay as they are."""
    copy = TargetProfile.objects.create(
        name=f"{name_prefix} {profile.name}"[:200], description=profile.description, comment=profile.comment,
        image=profile.image, space=profile.space, copied_from=profile,
    )
    TargetProfileTube.objects.bulk_create(
        TargetProfileTube(target_profile=copy, tube_id=t.tube_id, level_cap=t.level_cap) for t in profile.tubes.all()
    )
    Stage.objects.bulk_create(
        Stage(target_profile=copy, threshold=s.threshold, title=s.title, message=s.message,
              organization_title=s.organization_title, organization_description=s.organization_description)
        for s in profile.stages.all()
    )
    for badge in profile.badges.prefetch_related("criteria__tubes"):
        criteria = list(badge.criteria.all())
        badge.pk, badge.target_profile = None, copy
        badge.save()
        for criterion in criteria:
            tubes = list(criterion.tubes.all())
            criterion.pk, criterion.badge = None, badge
            criterion.save()
            criterion.tubes.set(tubes)
    for trigger in profile.training_triggers.prefetch_related("tubes"):
        tubes = list(trigger.tubes.all())
        trigger.pk, trigger.target_profile = None, copy
        trigger.save()
        trigger.tubes.set(tubes)
    copy.organizations.set(profile.organizations.all())
    return copy
