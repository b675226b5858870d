from functools import lru_cache

import markdown as markdown_lib
from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from balise.site.translation import pick_text

register = template.Library()


@register.filter
def tr(texts):
    """Render a {language: text} map in the current language."""
    return pick_text(texts)


@lru_cache(maxsize=8192)
def _rendered_markdown(text: str) -> str:
    # Content is written by trusted authors, but raw HTML is still escaped first: Markdown
    # formatting is all a challenge needs. Texts are immutable once imported, so the
    # rendering is kept per process (it was a third of the question page's time).
    return markdown_lib.markdown(escape(text), extensions=["sane_lists"])


@register.filter
def markdown(text):
    return mark_safe(_rendered_markdown(text or ""))


@register.filter
def trmarkdown(texts):
    return markdown(pick_text(texts))


@register.simple_tag
def language_choices():
    """(code, name) of each language, the name written in that language itself: someone who
    cannot read the current one must still find theirs (Django's tag translates the names)."""
    return settings.LANGUAGES
