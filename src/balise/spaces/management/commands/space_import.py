from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from balise.spaces.services import SpaceFileError, space_import


class Command(BaseCommand):
    help = "Create or update spaces from their YAML files (default: content/spaces/*.yaml)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="space files or folders of them")

    def handle(self, *args, paths, **options):
        files = []
        for given in paths or [settings.CONTENT_PACK_DIR / "spaces"]:
            given = Path(given)
            files += sorted(given.glob("*.yaml")) if given.is_dir() else [given]
        for path in files:
            try:
                space = space_import(path)
            except SpaceFileError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"space {space.slug}: {', '.join(space.hosts) or 'no host'}")
