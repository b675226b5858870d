from django.core.management.base import BaseCommand

from balise.accounts.throttle import limit_counters_purge


class Command(BaseCommand):
    help = "Delete the login and sign-up counts whose window is over (database store; run it daily)."

    def handle(self, *args, **options):
        deleted = limit_counters_purge()
        self.stdout.write(f"{deleted} ended count(s) deleted.")
