"""Create the learner accounts a load test logs in with (bench/bench_load.py, tests/load/).

Never for production data: every account shares one password. The module imports no model
at load time, so that the locustfile can import `load_test_email` without Django settings.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.utils import timezone

LOAD_TEST_EMAIL_DOMAIN = "load.balise.test"


def load_test_email(index: int) -> str:
    """The address of the index-th load-test learner (the locustfile builds the same ones)."""
    return f"learner-{index:04d}@{LOAD_TEST_EMAIL_DOMAIN}"


class Command(BaseCommand):
    help = "Create N learner accounts learner-0000@load.balise.test ... sharing one password (load tests only)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=200)
        parser.add_argument("--password", required=True)

    def handle(self, *args, count, password, **options):
        User = get_user_model()
        # One hash for all: Argon2 is deliberately slow (~0.1 s), and the accounts only differ by email.
        password_hash = make_password(password)
        now = timezone.now()
        wanted = [load_test_email(index) for index in range(count)]
        existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
        User.objects.bulk_create(
            User(
                email=email,
                full_name=f"Load learner {index}",
                password=password_hash,
                language="fr",
                terms_accepted_at=now,
            )
            for index, email in enumerate(wanted)
            if email not in existing
        )
        self.stdout.write(f"{count - len(existing)} created, {len(existing)} already there")
