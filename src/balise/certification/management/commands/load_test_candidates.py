"""An exam day to load-test (bench/bench_exam_day.py, tests/load/exam_day.py): a centre, S
sessions today, N eligible learners enrolled among them; the sessions' codes and the candidates'
identities are written to a JSON file for the load generator. Never for production data: every
account shares one password."""

import json
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.utils import timezone

from balise.certification import services
from balise.certification.models import Candidate, Centre
from balise.content.selectors import areas_with_competences
from balise.evaluation.models import CompetenceScore
from balise.organizations.learner_file import name_key
from balise.organizations.models import Membership, Organization
from balise.spaces.models import Space


def load_test_candidate_email(index: int) -> str:
    return f"candidate-{index:04d}@load.balise.test"


class Command(BaseCommand):
    help = "Create an exam day of N candidates in S sessions, and write its codes to a JSON file (load tests only)."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=500)
        parser.add_argument("--sessions", type=int, default=20)
        parser.add_argument("--password", required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args, candidates, sessions, password, output, **options):
        User = get_user_model()
        space = Space.objects.get(is_default=True)
        now = timezone.now()
        password_hash = make_password(password)  # one Argon2 hash for all (~0.1 s each otherwise)
        staff = User.objects.create(email="centre@load.balise.test", full_name="Load centre", password=password_hash,
                                    language="fr", terms_accepted_at=now)
        organization = Organization.objects.create(name="Load test centre", type="school", space=space)
        Membership.objects.create(organization=organization, user=staff, role="admin")
        centre = Centre.objects.create(organization=organization)
        competences = [c.id for _area, listed in areas_with_competences(space.pk) for c in listed][:5]
        users = User.objects.bulk_create([
            User(email=load_test_candidate_email(i), full_name=f"Candidat{i} Charge", password=password_hash,
                 language="fr", terms_accepted_at=now)
            for i in range(candidates)
        ])
        CompetenceScore.objects.bulk_create([
            CompetenceScore(user=user, competence_id=competence, pix=9, level=1, completed_at=now)
            for user in users for competence in competences
        ])
        planned = [services.session_create(centre, by=staff, site="Load", room=f"Room {s}", date=timezone.localdate(),
                                           time=time(9), examiner="Invigilator") for s in range(sessions)]
        identities = []
        rows = []
        for index in range(candidates):
            session = planned[index % sessions]
            first, last, birth = f"Candidat{index}", "Charge", date(2000, 1, 1) + timedelta(days=index)
            rows.append(Candidate(session=session, last_name=last, first_name=first, birth_date=birth, sex="F",
                                  birth_place="Namur", name_key=name_key(first, last)))
            identities.append({"email": load_test_candidate_email(index), "session": session.pk,
                               "access_code": session.access_code, "first_name": first, "last_name": last,
                               "birth_date": birth.isoformat()})
        Candidate.objects.bulk_create(rows)
        with open(output, "w") as file:
            json.dump({"sessions": [{"number": s.pk, "password": s.invigilator_password} for s in planned],
                       "candidates": identities}, file)
        self.stdout.write(f"{candidates} candidates in {sessions} sessions; codes in {output}")
