from pathlib import Path

import pytest
from shipped import shipped_spaces_ensure

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "pack"


@pytest.fixture
def content(db):
    """The small fixture pack, imported into the test database."""
    from balise.content.models import Competence
    from balise.content.selectors import content_caches_clear
    from balise.content.services import content_pack_import

    content_caches_clear()  # release ids restart with each test's database
    shipped_spaces_ensure()
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
