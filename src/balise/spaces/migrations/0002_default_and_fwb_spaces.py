"""The two spaces Balise ships with: the international platform (the default) and the
Wallonia-Brussels Federation's, which takes over today's "fr-BE" content context. Their pages
and branding come from content/spaces/*.yaml (`balise space import`)."""

from django.db import migrations

SPACES = [
    {
        "slug": "international",
        "is_default": True,
        "name": {"fr": "Balise", "en": "Balise"},
        "languages": ["fr", "en", "fr-be"],
        "default_language": "fr",
        "content_context": "",
        "hosts": [],
    },
    {
        "slug": "fwb",
        "is_default": False,
        "name": {
            "fr": "Fédération Wallonie-Bruxelles",
            "fr-be": "Fédération Wallonie-Bruxelles",
            "en": "Wallonia-Brussels Federation",
        },
        "languages": ["fr-be", "en"],
        "default_language": "fr-be",
        "content_context": "fr-BE",
        "hosts": ["fwb.localhost"],
        "path_prefix": "fwb",
        "primary_colour": "#8a1538",
        "dark_colour": "#5c0e25",
    },
]


def create(apps, schema_editor):
    Space = apps.get_model("spaces", "Space")
    for fields in SPACES:
        Space.objects.get_or_create(slug=fields["slug"], defaults=fields)


def remove(apps, schema_editor):
    apps.get_model("spaces", "Space").objects.filter(slug__in=[s["slug"] for s in SPACES]).delete()


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
