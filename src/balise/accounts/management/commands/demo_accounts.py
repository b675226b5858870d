from django.core.management.base import BaseCommand

from balise.accounts.models import User
from balise.spaces.selectors import space_by_slug, space_default

DEMO_ACCOUNTS = [
    # email, full name, password, language, home space (slug; "" the default), staff
    ("learner@balise.test", "Camille Martin", "balise-demo-2026", "fr", "", False),
    ("learner.en@balise.test", "Alex Taylor", "balise-demo-2026", "en", "", False),
    ("apprenant.be@balise.test", "Lou Dupont", "balise-demo-2026", "fr-be", "fwb", False),
    ("admin@balise.test", "Balise Admin", "balise-admin-2026", "fr", "", True),
]


class Command(BaseCommand):
    help = "Create the demo accounts (development only): learners in fr, en and fr-BE, and an operator."

    def handle(self, *args, **options):
        for email, name, password, language, space_slug, staff in DEMO_ACCOUNTS:
            space = (space_by_slug(space_slug) if space_slug else None) or space_default()
            user, created = User.objects.get_or_create(
                email=email,
                defaults=dict(
                    full_name=name,
                    language=language,
                    home_space=space if space.pk else None,
                    is_staff=staff,
                    is_superuser=staff,
                ),
            )
            if created:
                user.set_password(password)
                user.save()
            self.stdout.write(f"{'created' if created else 'exists '} {email} / {password}")
