"""What a published certification shows: to its holder ("my certifications"), on its public
verification page, in its PDF certificate. Read only: the jury's decisions make the result."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import pgettext

from balise.certification.models import Candidate, Session
from balise.codes import typed_code
from balise.content.models import Competence
from balise.engine.certification import score_band
from balise.i18n.translation import pick_text


@dataclass(frozen=True)
class CompetenceLevel:
    code: str
    name: str
    level: int


@dataclass(frozen=True)
class Certificate:
    candidate: Candidate
    code: str
    full_name: str
    birth_date: object
    birth_place: str
    date: object
    published_at: datetime
    centre: str
    score: int
    band: int
    band_name: str
    levels: list[CompetenceLevel]
    cancelled: bool

    @property
    def certified(self) -> bool:
        return self.candidate.is_certified


def band_name(band: int) -> str:
    names = [pgettext("score band", "pre-beginner"), pgettext("score band", "beginner"),
             pgettext("score band", "independent"), pgettext("score band", "advanced"),
             pgettext("score band", "expert")]
    return names[0] if band == 0 else f"{names[(band + 1) // 2]} {band}"


def certificate_of(candidate: Candidate) -> Certificate:
    result = candidate.result or {}
    levels = result.get("levels", {})
    competences = Competence.objects.filter(pk__in=levels).order_by("area__position", "position", "id")
    score = int(result.get("score", 0))
    return Certificate(
        candidate=candidate, code=candidate.verification_code or "",
        full_name=f"{candidate.first_name} {candidate.last_name}", birth_date=candidate.birth_date,
        birth_place=candidate.birth_place, date=candidate.session.date, published_at=candidate.session.published_at,
        centre=candidate.session.centre.name, score=score, band=score_band(score), band_name=band_name(score_band(score)),
        levels=[CompetenceLevel(c.id, pick_text(c.name), int(levels[c.id])) for c in competences],
        cancelled=candidate.decision == Candidate.Decision.CANCELLED,
    )


def certificates_of(user) -> list[Certificate]:
    """The person's published certifications, the latest first."""
    return [certificate_of(c) for c in
            Candidate.objects.filter(user=user, session__status=Session.Status.PUBLISHED, verification_code__isnull=False)
            .select_related("session__centre__organization").order_by("-session__published_at")]


def certificate_by_code(code: str) -> Certificate | None:
    """A published certificate by its verification code (typed in any case, with or without the
    dash); None if there is none — a cancelled one is returned, to be shown as cancelled."""
    cleaned = typed_code(code, 9)
    if len(cleaned) != 9 or not cleaned.startswith("B"):
        return None
    candidate = (Candidate.objects.filter(verification_code=f"B-{cleaned[1:]}", session__status=Session.Status.PUBLISHED)
                 .select_related("session__centre__organization").first())
    return certificate_of(candidate) if candidate else None


