"""A published demo certification for the French demo learner (`make run`): the demo school is a
certification centre; a session today; the learner enters it, is let in, answers the 32 questions
as a learner of their profile's levels would; the centre finalises, the jury publishes. Its
verification code is fixed (README). Development only; run twice, it changes nothing."""

from datetime import date, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from balise.accounts.models import User
from balise.certification import services
from balise.certification.models import Candidate, Centre
from balise.evaluation.management.commands.demo_profile import DEMO_LEVELS, demo_answer
from balise.evaluation.models import Assessment
from balise.evaluation.option_codes import challenge_code
from balise.evaluation.services import answering
from balise.organizations.models import Organization

DEMO_CODE = "B-DEMQ2345"
DEMO_BIRTH_DATE = date(2008, 3, 14)


class Command(BaseCommand):
    help = "Create a published demo certification for the French demo learner (development only)."

    def handle(self, *args, **options):
        if Candidate.objects.filter(verification_code=DEMO_CODE).exists():
            self.stdout.write(f"the demo certification {DEMO_CODE} exists")
            return
        learner = User.objects.filter(email="learner@balise.test").first()
        school = Organization.objects.filter(name="Lycée Balise (démo)").first()
        jury = User.objects.filter(email="admin@balise.test", is_staff=True).first()
        if not (learner and school and jury):
            raise CommandError("run demo_accounts, demo_profile and demo_campaigns first")
        centre, _ = Centre.objects.get_or_create(organization=school)
        staff = school.memberships.filter(role="admin").first().user
        now = timezone.now() - timedelta(hours=2)
        session = services.session_create(centre, by=staff, site="Lycée Balise", room="Salle 101",
                                          date=timezone.localdate(), time=time(9), examiner="M. Lefèvre")
        first, last = learner.full_name.split(" ", 1)
        services.candidate_add(session, last_name=last, first_name=first, birth_date=DEMO_BIRTH_DATE, sex="F",
                               birth_place="Lyon", results_email=learner.email)
        candidate = services.candidate_enter(learner, space=school.space, now=now, session_number=str(session.pk),
                                             access_code=session.access_code, first_name=first, last_name=last,
                                             birth_date=DEMO_BIRTH_DATE)
        services.instructions_accept(candidate, now=now)
        services.candidate_authorise(candidate, now=now)
        assessment = services.certification_start(candidate, language="fr", now=now)
        while assessment.state == Assessment.State.STARTED:
            challenge = assessment.current_challenge
            code = challenge_code(assessment.seed, challenge.id)
            if challenge.timer:
                answering.assessment_timer_start(learner, assessment.public_id, code, now=now)
            right = challenge.skill.level <= DEMO_LEVELS.get(challenge.competence_id, 1) + 1
            answering.assessment_answer(learner, assessment.public_id, code,
                                        lambda c, right=right: demo_answer(c, assessment.seed, right), now=now)
            now += timedelta(seconds=40)
            assessment.refresh_from_db()
        services.session_finalise(session, by=staff, comment="", reasons={}, now=now)
        services.session_publish(session, by=jury, now=now)
        Candidate.objects.filter(session=session).update(verification_code=DEMO_CODE)  # the README's code
        candidate.refresh_from_db()
        self.stdout.write(f"demo certification {DEMO_CODE}: score {candidate.result['score']} "
                          f"({candidate.result['answered']} answers)")
