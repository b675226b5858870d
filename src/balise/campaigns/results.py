"""A participation's results from the skills it validated: mastery overall, per competence and
per tube, the stage reached, the badges earned, the trainings recommended.

Mastery is the share of the profile's skills (up to each tube's cap) the learner validated,
as on the reference platform; a stage is reached at or above its threshold; a badge is earned
when every one of its criteria holds; a training is recommended when every one of its triggers
for the profile holds.
"""

from dataclasses import dataclass


def percent(validated: int, total: int) -> int:
    # Floored, so 99.6 % never shows as the 100 % a stage or a badge may ask for.
    return (100 * validated) // total if total else 0


@dataclass(frozen=True)
class Results:
    tubes: dict  # tube id -> [skills, validated]
    competences: dict  # competence id -> [skills, validated]
    mastery_percent: int
    stage: object  # models.Stage or None
    badge_keys: list

    def as_json(self) -> dict:
        return {"tubes": self.tubes, "competences": self.competences}


def tube_counts(scopes, validated: set[str]) -> tuple[dict, dict]:
    tubes: dict[str, list[int]] = {}
    competences: dict[str, list[int]] = {}
    for scope in scopes:
        for skill in scope.skills:
            ok = 1 if skill.id in validated else 0
            tube = tubes.setdefault(skill.tube_id, [0, 0])
            tube[0] += 1
            tube[1] += ok
            competence = competences.setdefault(scope.competence_id, [0, 0])
            competence[0] += 1
            competence[1] += ok
    return tubes, competences


def mastery_of_tubes(tubes: dict, tube_ids) -> int:
    """Mastery over a set of the profile's tubes (all of them when `tube_ids` is empty)."""
    chosen = [tubes[t] for t in tube_ids if t in tubes] if tube_ids else list(tubes.values())
    return percent(sum(v for _n, v in chosen), sum(n for n, _v in chosen))


def stage_reached(stages, mastery: int):
    reached = None
    for stage in sorted(stages, key=lambda s: s.threshold):
        if mastery >= stage.threshold:
            reached = stage
    return reached


def badges_earned(badges, tubes: dict) -> list[str]:
    earned = []
    for badge in badges:
        criteria = list(badge.criteria.all())
        if criteria and all(
            mastery_of_tubes(tubes, [t.id for t in criterion.tubes.all()]) >= criterion.threshold
            for criterion in criteria
        ):
            earned.append(badge.key)
    return earned


def assessment_results(target_profile, scopes, validated: set[str]) -> Results:
    tubes, competences = tube_counts(scopes, validated)
    mastery = mastery_of_tubes(tubes, ())
    badges = target_profile.badges.prefetch_related("criteria__tubes")
    return Results(
        tubes=tubes,
        competences=competences,
        mastery_percent=mastery,
        stage=stage_reached(target_profile.stages.all(), mastery),
        badge_keys=badges_earned(badges, tubes),
    )


def trainings_recommended(target_profile, tubes: dict) -> list:
    """The trainings whose every trigger for this profile holds on these results."""
    from balise.campaigns.models import TrainingTrigger

    by_training: dict[int, list[bool]] = {}
    trainings = {}
    triggers = TrainingTrigger.objects.filter(target_profile=target_profile).select_related("training")
    for trigger in triggers.prefetch_related("tubes"):
        mastery = mastery_of_tubes(tubes, [t.id for t in trigger.tubes.all()])
        holds = mastery <= trigger.threshold if trigger.kind == TrainingTrigger.Kind.GOAL else mastery >= trigger.threshold
        by_training.setdefault(trigger.training_id, []).append(holds)
        trainings[trigger.training_id] = trigger.training
    return sorted(
        (trainings[tid] for tid, holds in by_training.items() if all(holds)), key=lambda t: (t.title, t.pk)
    )
