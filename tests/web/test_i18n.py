"""Every string a person reads is translated: no empty or fuzzy entry in any catalogue."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "balise" / "site" / "locale"


@pytest.mark.parametrize("language", ["fr", "en", "fr_BE"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


def test_catalogue_covers_every_string_of_the_code():
    """A string added to a template or the code without running makemessages would show in English."""
    import re

    catalogue = {e.msgid for e in polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))}
    root = LOCALE.parents[1]
    patterns = [
        re.compile(r"""{%\s*translate\s+"([^"]+)"\s*%}"""),
        re.compile(r"""{%\s*translate\s+'([^']+)'\s*%}"""),
        re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*"([^"]+)"\s*[,)]"""),
    ]
    missing = []
    for path in list(root.rglob("*.html")) + list(root.rglob("*.txt")) + list(root.rglob("*.py")):
        if "engine" in path.parts or "content_pack" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            missing += [f"{path.name}: {m}" for m in pattern.findall(text) if m not in catalogue]
    assert not missing, "run makemessages and translate: " + "; ".join(missing)
