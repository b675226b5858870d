"""The certification test's policy: the engine's adaptive 2PL test over every competence of the
space's published content, sat through the evaluation machinery (decision 0008), and only while
the invigilator lets the candidate go on (decision 0026).

The engine chooses from the answers recorded so far (nothing else is stored), with a random
draw seeded by the test's seed and the number of answers: a reload shows the same question.
"""

from datetime import datetime
from functools import lru_cache

import numpy as np
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from balise.certification.errors import CertificationPaused
from balise.certification.models import Alert, Candidate
from balise.content.selectors import areas_with_competences, engine_scope, release_cache
from balise.engine.certification import (
    CERTIFICATION_LENGTH,
    CertificationAnswer,
    PreparedBank,
    next_challenge,
    score_certification,
)
from balise.evaluation.models import Assessment
from balise.evaluation.services.policies import NextStep, TestHeading, policy_register

# Recent certifications whose questions make the exposure rates the engine avoids going over.
EXPOSURE_WINDOW = 1000
EXPOSURE_CACHE_SECONDS = 300


@release_cache
@lru_cache(maxsize=64)
def certification_bank(content_version: str, space_id: int | None, language: str) -> PreparedBank:
    """Every askable challenge of the space's content in the candidate's language, prepared once
    per release (a release never changes once imported)."""
    challenges = [
        challenge
        for _area, competences in areas_with_competences(space_id)
        for competence in competences
        for challenge in engine_scope(competence.id, space_id, content_version)[1]
        if language in challenge.languages
    ]
    return PreparedBank.from_challenges(challenges)


def exposure_rates() -> dict[str, float]:
    """Share of the last certifications that asked each challenge (shared by every process for
    five minutes: a rate moves slowly, and one query per answer would cost more than it tells)."""
    rates = cache.get("certification:exposure-rates")
    if rates is None:
        logs = list(Assessment.objects.filter(purpose=Assessment.Purpose.CERTIFICATION, state=Assessment.State.COMPLETED)
                    .order_by("-completed_at").values_list("answer_log", flat=True)[:EXPOSURE_WINDOW])
        counts: dict[str, int] = {}
        for log in logs:
            for challenge_id in {entry[0] for entry in log}:
                counts[challenge_id] = counts.get(challenge_id, 0) + 1
        rates = {challenge_id: n / len(logs) for challenge_id, n in counts.items()} if logs else {}
        cache.set("certification:exposure-rates", rates, EXPOSURE_CACHE_SECONDS)
    return rates


def answers_of(assessment: Assessment) -> list[CertificationAnswer]:
    return [CertificationAnswer(challenge_id, status == "ok") for challenge_id, _skill, status in assessment.answer_log]


def scored(assessment: Assessment, neutralised=()) -> dict:
    """The certification's result from its answers; a neutralised challenge counts as never
    asked (the engine scores the shorter test by its rule for a test cut short)."""
    bank = certification_bank(assessment.content_version, assessment.space_id, assessment.language)
    answers = [answer for answer in answers_of(assessment) if answer.challenge_id not in set(neutralised)]
    result = score_certification(bank, answers)
    return {"score": result.score, "score_se": round(result.score_se, 1), "theta": round(result.theta, 4),
            "se": round(result.se, 4), "levels": result.competence_levels, "valid": result.valid,
            "answered": result.answered, "neutralised": len(neutralised)}


def candidate_of(assessment: Assessment) -> Candidate:
    """The test's candidate, read once per assessment object: an answer asks the policy up to four
    times (may they answer, what next, the result, the next page's heading) and each request reads
    the assessment afresh, so the copy is never older than the request."""
    candidate = assessment.__dict__.get("_certification_candidate")
    if candidate is None:
        candidate = Candidate.objects.select_related("session").get(pk=assessment.scope["candidate"])
        assessment.__dict__["_certification_candidate"] = candidate
    return candidate


class CertificationPolicy:
    def next_step(self, assessment: Assessment) -> NextStep:
        candidate = candidate_of(assessment)
        if candidate.ended_at:  # the invigilator ended the test: nothing more is asked
            return NextStep(None, estimated_total=CERTIFICATION_LENGTH)
        bank = certification_bank(assessment.content_version, assessment.space_id, assessment.language)
        answers = answers_of(assessment)
        rng = np.random.default_rng([assessment.seed, len(answers)])
        # A question the invigilator took out (an alert) is not asked again, nor its skill.
        answered = {answer.challenge_id for answer in answers}
        taken_out = {bank.challenges[bank.index_by_id[c]].skill_id for c in candidate.neutralised
                     if c in bank.index_by_id and c not in answered}
        challenge = next_challenge(bank, answers, rng, needs_accommodation=candidate.accessibility_needed,
                                   exposure_rates=exposure_rates(), excluded_skill_ids=taken_out)
        if challenge is None:
            return NextStep(None, estimated_total=len(answers))
        return NextStep(challenge.id, timed=challenge.timed, estimated_total=CERTIFICATION_LENGTH)

    def heading(self, assessment: Assessment) -> TestHeading:
        candidate = candidate_of(assessment)
        candidacy = reverse("certification_exam:candidacy", args=[candidate.pk])
        return TestHeading(
            title=_("Certification"),
            breadcrumb=_("Session %(number)s") % {"number": candidate.session_id},
            leave_url=candidacy,
            leave_label=_("Back to the session"),
            result_url=candidacy,  # no result before the jury: the session's page says so
            waiting_url="" if candidate.authorised_at and not candidate.ended_at else candidacy,
            report_url=reverse("certification_exam:alert", args=[candidate.pk]),
            report_reasons=tuple(Alert.Reason.choices),
        )

    def answer_refusal(self, assessment: Assessment):
        candidate = candidate_of(assessment)
        if not candidate.authorised_at or candidate.ended_at:
            return CertificationPaused()
        return None

    def complete(self, assessment: Assessment, step: NextStep, now: datetime) -> None:
        candidate = candidate_of(assessment)
        Candidate.objects.filter(pk=candidate.pk).update(
            ended_at=now, authorised_at=None, result=scored(assessment, candidate.neutralised))


policy_register(Assessment.Purpose.CERTIFICATION, CertificationPolicy())
