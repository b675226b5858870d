from pathlib import Path

import pytest

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "pack"


def _shipped_spaces_ensure():
    """The spaces the migrations create (the pack names the FWB's): a transactional test's
    flush removes them, so they are made again as the migration makes them."""
    import importlib

    from balise.spaces.models import Space

    if not Space.objects.exists():
        shipped = importlib.import_module("balise.spaces.migrations.0002_default_and_fwb_spaces").SPACES
        for fields in shipped:
            # Without the fields later migrations removed (the context string).
            Space.objects.create(**{k: v for k, v in fields.items() if k != "content_context"})


@pytest.fixture
def content(db):
    """The small fixture pack, imported into the test database."""
    from balise.content.models import Competence
    from balise.content.selectors import content_caches_clear
    from balise.content.services import content_pack_import

    content_caches_clear()  # release ids restart with each test's database
    _shipped_spaces_ensure()
    if not Competence.objects.exists():
        content_pack_import(FIXTURE_PACK)
    return FIXTURE_PACK


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: login and mail limits, cached content, sessions
    of one test must not leak into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
