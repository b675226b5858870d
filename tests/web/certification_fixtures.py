"""Helpers of the certification tests: an eligible learner, a bank large enough for a whole
certification, a candidate let in by the invigilator."""

from datetime import date, time, timedelta

from django.utils import timezone

from balise.certification import services
from balise.certification.models import Candidate, Centre

from .campaign_fixtures import organization_with_admin


def make_eligible(user):
    """Level 1 in five competences (the fixture pack has three: two are added)."""
    from balise.content.models import Competence
    from balise.content.selectors import content_caches_clear
    from balise.evaluation.models import CompetenceScore

    area = Competence.objects.get(pk="1.1").area
    for code in ("1.3", "2.2"):
        Competence.objects.get_or_create(id=code, defaults={"area": area, "name": {"fr": code, "en": code}})
    content_caches_clear()
    for code in ("1.1", "1.2", "1.3", "2.1", "2.2"):
        CompetenceScore.objects.create(user=user, competence_id=code, pix=9, level=1, completed_at=timezone.now())



def certification_bank_of(tubes: int = 36):
    """A bank large enough for a whole certification: the fixture pack has one challenge per
    tube over 3 tubes; `tubes` more tubes, each with one untimed single-choice challenge copied
    from the pack's, spread over the competences and levels 1–6."""
    from balise.content.models import Challenge, Competence, Skill, Tube
    from balise.content.selectors import content_caches_clear

    model = Challenge.objects.filter(type="qcu", timer__isnull=True, focused=False, space__isnull=True).first()
    competences = list(Competence.objects.filter(space__isnull=True, challenges__isnull=False).distinct())
    for index in range(tubes):
        competence = competences[index % len(competences)]
        tube = Tube.objects.create(id=f"certificationTube{index}", competence=competence, name={"fr": f"Sujet {index}"})
        skill = Skill.objects.create(id=f"@certificationTube{index}{1 + index % 6}", tube=tube, competence=competence,
                                     level=1 + index % 6)
        Challenge.objects.create(id=f"certificationChallenge{index}", skill=skill, competence=competence, type="qcu",
                                 display=model.display, solutions=model.solutions, languages=model.languages)
    content_caches_clear()


def let_in(learner, staff, *, extra_time_percent=0, accessibility_needed=False) -> Candidate:
    make_eligible(learner)
    centre = Centre.objects.create(organization=organization_with_admin(staff))
    session = services.session_create(centre, by=staff, site="A", room="B12", date=timezone.localdate() + timedelta(days=1),
                                      time=time(9), examiner="M. Dupont")
    services.candidate_add(session, last_name="Martin", first_name="Camille", birth_date=date(2008, 3, 14), sex="F",
                           birth_place="Namur", extra_time_percent=extra_time_percent,
                           accessibility_needed=accessibility_needed)
    now = timezone.now()
    candidate = services.candidate_enter(learner, space=centre.organization.space, now=now, session_number=str(session.pk),
                                         access_code=session.access_code, first_name="Camille", last_name="Martin",
                                         birth_date=date(2008, 3, 14))
    services.instructions_accept(candidate, now=now)
    assert services.candidate_authorise(candidate, now=now)
    candidate.refresh_from_db()
    return candidate
