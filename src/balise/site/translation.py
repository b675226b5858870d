"""Choosing the text to show from a {language: text} map of the content pack."""

from django.utils import translation

FALLBACKS = {"fr-be": ("fr-be", "fr-BE", "fr", "en"), "fr": ("fr", "en"), "en": ("en", "fr")}


def pick_text(texts, language: str | None = None) -> str:
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    language = (language or translation.get_language() or "fr").lower()
    for candidate in FALLBACKS.get(language, (language, language.split("-")[0], "fr", "en")):
        if texts.get(candidate):
            return texts[candidate]
    return next(iter(texts.values()))


def content_language(language: str | None = None) -> str:
    """The language of the content pack that serves a page language (fr-be reads fr)."""
    language = (language or translation.get_language() or "fr").lower()
    return "en" if language.startswith("en") else "fr"
