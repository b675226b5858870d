"""Give a demo learner a filled profile (`make run`), so that a demo shows what Balise does.

The tests are taken through the same services as the pages — start, timer, answer — and
answered as a learner of a given level in each competence would: right up to that level, wrong
above it. Development only, like the demo accounts; run twice, it changes nothing.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from balise.accounts.models import User
from balise.evaluation import services
from balise.evaluation.errors import EvaluationError
from balise.evaluation.models import Assessment, CompetenceScore
from balise.evaluation.option_codes import challenge_code, option_code

# competence → the level the demo learner masters there (a varied profile, not a perfect one).
DEMO_LEVELS = {"1.1": 3, "1.2": 2, "2.1": 4, "2.4": 2, "3.1": 1, "4.1": 3, "4.2": 2, "5.1": 1}


def demo_answer(challenge, seed: int, right: bool):
    """The value a page would post for a right or wrong answer to this challenge."""
    solution = challenge.solutions.get("fr") or next(iter(challenge.solutions.values()))
    if challenge.type in {"qcu", "qcm"}:
        correct = sorted(solution["correct_options"])
        wrong = [o for o in solution["options"] if o not in correct]
        chosen = (correct if right else wrong)[: 1 if challenge.type == "qcu" else None]
        codes = [option_code(seed, challenge.id, option) for option in chosen]
        return codes[0] if challenge.type == "qcu" else codes
    if challenge.type == "qrocm-dep":
        return {f["id"]: solution["pool"][i][0] if right else "?" for i, f in enumerate(solution["fields"])}
    return {f["id"]: f["accepted"][0] if right else "?" for f in solution["fields"]}


def demo_test_take(user, competence_id: str, level: int, now) -> Assessment:
    assessment = services.assessment_start(user, competence_id, now=now, language=user.language)
    while assessment.state == Assessment.State.STARTED and assessment.current_challenge_id:
        challenge = assessment.current_challenge
        code = challenge_code(assessment.seed, challenge.id)
        if challenge.timer:
            services.assessment_timer_start(user, assessment.public_id, code, now=now)
        right = challenge.skill.level <= level
        services.assessment_answer(
            user, assessment.public_id, code, lambda c, right=right: demo_answer(c, assessment.seed, right), now=now
        )
        now += timedelta(seconds=20)
        assessment.refresh_from_db()
    return assessment


class Command(BaseCommand):
    help = "Fill a demo learner's profile with positioning tests (development only)."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", default="learner@balise.test")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"no account {email}: run demo_accounts first")
        if CompetenceScore.objects.filter(user=user).exists():
            self.stdout.write(f"{email} already has a profile")
            return
        now = timezone.now() - timedelta(days=3)
        for competence_id, level in DEMO_LEVELS.items():
            try:
                demo_test_take(user, competence_id, level, now)
            except (EvaluationError, Http404) as error:  # a pack without this competence: say so, go on
                self.stderr.write(f"{competence_id}: {error}")
        scores = CompetenceScore.objects.filter(user=user).order_by("competence_id")
        self.stdout.write(f"{email}: " + ", ".join(f"{s.competence_id} level {s.level}" for s in scores))
