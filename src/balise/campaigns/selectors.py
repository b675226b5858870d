"""Reads of the campaigns app for the learner: their participations and a participation's
results as the result page shows them."""

from dataclasses import dataclass

from balise.campaigns.models import Participation
from balise.campaigns.results import percent, trainings_recommended
from balise.content.models import Competence, Tube
from balise.content.selectors import tutorials_for_skills
from balise.evaluation.models import KnowledgeElement


def participations_of(user) -> list[Participation]:
    """The learner's current participations (a retake's earlier ones are history)."""
    return list(
        Participation.objects.filter(user=user, deleted_at=None, improved=False).select_related(
            "campaign", "campaign__organization", "campaign__target_profile", "assessment"
        )
    )


@dataclass(frozen=True)
class MasteryRow:
    id: str
    name: object  # the per-language name, read with |tr
    percent: int
    skills: int
    validated: int
    tubes: list  # of MasteryRow, for a competence


@dataclass(frozen=True)
class BadgeShown:
    badge: object
    earned: bool


@dataclass(frozen=True)
class ParticipationResult:
    participation: object
    campaign: object
    mastery_percent: int
    competences: list[MasteryRow]
    stage: object
    stage_number: int  # the stage reached, counted from 1 after the zero stage
    stages_count: int
    badges: list[BadgeShown]
    trainings: list
    tutorials: list


def mastery_rows(results: dict) -> list[MasteryRow]:
    """Per competence (framework order) and its tubes, from a participation's stored results."""
    tube_counts = results.get("tubes", {})
    competence_counts = results.get("competences", {})
    tubes_by_competence: dict[str, list] = {}
    for tube in Tube.objects.filter(id__in=list(tube_counts)).order_by("id"):
        skills, validated = tube_counts[tube.id]
        tubes_by_competence.setdefault(tube.competence_id, []).append(
            MasteryRow(tube.id, tube.name, percent(validated, skills), skills, validated, [])
        )
    rows = []
    for competence in Competence.objects.filter(id__in=list(competence_counts)).order_by("area__position", "position"):
        skills, validated = competence_counts[competence.id]
        rows.append(
            MasteryRow(
                competence.id, competence.name, percent(validated, skills), skills, validated,
                tubes_by_competence.get(competence.id, []),
            )
        )
    return rows


def participation_result(participation: Participation) -> ParticipationResult:
    campaign = participation.campaign
    profile = campaign.target_profile
    stages = list(profile.stages.all())
    reached = participation.stage
    badges = list(profile.badges.all())
    earned = set(participation.badge_keys)
    missed = set()
    if participation.assessment_id:
        tube_ids = list(participation.results.get("tubes", {}))
        missed = set(
            KnowledgeElement.objects.filter(
                assessment_id=participation.assessment_id,
                status=KnowledgeElement.Status.INVALIDATED,
                skill__tube_id__in=tube_ids,
            ).values_list("skill_id", flat=True)
        )
    space_id = campaign.organization.space_id
    return ParticipationResult(
        participation=participation,
        campaign=campaign,
        mastery_percent=participation.mastery_percent or 0,
        competences=mastery_rows(participation.results),
        stage=reached,
        stage_number=sum(1 for s in stages if reached and 0 < s.threshold <= reached.threshold),
        stages_count=sum(1 for s in stages if s.threshold > 0),
        badges=[BadgeShown(b, b.key in earned) for b in badges if b.key in earned or b.always_visible],
        trainings=trainings_recommended(profile, participation.results.get("tubes", {})),
        tutorials=tutorials_for_skills(missed, space_id) if missed else [],
    )




@dataclass(frozen=True)
class TrainingOffer:
    training: object
    campaigns: list  # the campaign titles whose results recommend it


def trainings_of(user) -> list[TrainingOffer]:
    """Every training the learner's finished campaign tests recommend, once each, with the
    campaigns that recommend it."""
    offers: dict[int, TrainingOffer] = {}
    for participation in participations_of(user):
        campaign = participation.campaign
        if participation.status == Participation.Status.STARTED or not campaign.is_assessment:
            continue
        for training in trainings_recommended(campaign.target_profile, participation.results.get("tubes", {})):
            offer = offers.setdefault(training.pk, TrainingOffer(training, []))
            offer.campaigns.append(campaign.learner_title)
    return sorted(offers.values(), key=lambda o: (o.training.title, o.training.pk))


@dataclass(frozen=True)
class SentProfileRow:
    competence: object
    level: int
    pix: int


def _competences_in_order(ids) -> list:
    return list(Competence.objects.filter(id__in=list(ids)).order_by("area__position", "position"))


def profile_sent_rows(results: dict) -> list[SentProfileRow]:
    """What a profiles collection received, per competence in the framework's order."""
    levels = results.get("competences", {})
    return [SentProfileRow(competence, *levels[competence.id]) for competence in _competences_in_order(levels)]


def profile_level_columns(participations) -> list:
    """The competences of a page of sent profiles, in the framework's order (one query for the
    page), and on each participation `levels`: its level per column, None where it sent none."""
    sent = [p.results.get("competences", {}) for p in participations]
    columns = _competences_in_order({cid for levels in sent for cid in levels})
    for participation, levels in zip(participations, sent, strict=True):
        participation.levels = [levels.get(c.id, [None])[0] for c in columns]
    return columns
