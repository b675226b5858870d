from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from balise.content.services import UnknownSpace, content_pack_import
from balise.content_pack.loader import PackError


class Command(BaseCommand):
    help = "Import a content pack (default: the starter pack) into the database."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None)

    def handle(self, *args, path=None, **options):
        root = Path(path) if path else settings.CONTENT_PACK_DIR
        try:
            release = content_pack_import(root)
        except PackError as error:
            raise CommandError("\n".join(str(p) for p in error.problems)) from error
        except UnknownSpace as error:
            raise CommandError(f"{root / 'pack.yaml'}: {error} (create them first: space_import)") from error
        self.stdout.write(f"Imported {release} from {root}")
