import markdown as markdown_lib
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from balise.site.translation import pick_text

register = template.Library()


@register.filter
def tr(texts):
    """Render a {language: text} map in the current language."""
    return pick_text(texts)


@register.filter
def markdown(text):
    # Content is written by trusted authors, but raw HTML is still escaped first: Markdown
    # formatting is all a challenge needs.
    return mark_safe(markdown_lib.markdown(escape(text or ""), extensions=["sane_lists"]))


@register.filter
def trmarkdown(texts):
    return markdown(pick_text(texts))
