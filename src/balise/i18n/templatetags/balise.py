import html
from functools import lru_cache
from urllib.parse import urlsplit

import markdown as markdown_lib
from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from balise.i18n.translation import pick_text

register = template.Library()


@register.filter
def tr(texts):
    """Render a {language: text} map in the current language."""
    return pick_text(texts)


SAFE_URL_SCHEMES = {"", "http", "https", "mailto"}


def _is_safe_url(url: str) -> bool:
    # Read the address as the browser will: entities decoded ("javascript&#58;"), control
    # characters and spaces dropped ("java\tscript:"), then the scheme compared to a list.
    decoded = "".join(ch for ch in html.unescape(url) if ch > " " and ch != "\x7f")
    return urlsplit(decoded).scheme.lower() in SAFE_URL_SCHEMES


class _SafeLinks(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                url = element.get(attribute)
                if url is not None and not _is_safe_url(url):
                    del element.attrib[attribute]  # javascript:, data: … never reach the page


class _MarkdownWithoutHtml(Extension):
    """Markdown formatting is all content needs: raw HTML is shown as text, not interpreted,
    and links keep only web and mail addresses. (Escaping the text before Markdown, as we
    did first, escaped code spans twice: `"x"` showed as &quot;x&quot;.)"""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 0)


@lru_cache(maxsize=8192)
def _rendered_markdown(text: str) -> str:
    # Texts are immutable once imported, so the rendering is kept per process (it was a third
    # of the question page's time).
    return markdown_lib.markdown(text, extensions=["sane_lists", _MarkdownWithoutHtml()])


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


@register.filter
def markdown_inline(text):
    """Markdown for a label: the formatting without the paragraph around it."""
    rendered = _rendered_markdown(text or "")
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return mark_safe(rendered)
