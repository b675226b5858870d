from django.core.management.base import BaseCommand

from balise.accounts.models import User

DEMO_ACCOUNTS = [
    # email, full name, password, language, context, staff
    ("learner@balise.test", "Camille Martin", "balise-demo-2026", "fr", "", False),
    ("learner.en@balise.test", "Alex Taylor", "balise-demo-2026", "en", "", False),
    ("apprenant.be@balise.test", "Lou Dupont", "balise-demo-2026", "fr-be", "fr-BE", False),
    ("admin@balise.test", "Balise Admin", "balise-admin-2026", "fr", "", True),
]


class Command(BaseCommand):
    help = "Create the demo accounts (development only): learners in fr, en and fr-BE, and an operator."

    def handle(self, *args, **options):
        for email, name, password, language, context, staff in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults=dict(full_name=name, language=language, context=context, is_staff=staff, is_superuser=staff),
            )
            if created:
                user.set_password(password)
                user.save()
            self.stdout.write(f"{'created' if created else 'exists '} {email} / {password}")
