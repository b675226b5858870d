"""Choosing the text to show from a {language: text} map of the content pack."""

from django.conf import settings
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


SESSION_LANGUAGE_KEY = "balise_language"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


def language_remember(request, response, language: str) -> None:
    """The chosen (or the account's) language follows the person, whatever the browser says:
    in the session while logged in, in a cookie for the next visit."""
    request.session[SESSION_LANGUAGE_KEY] = language
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
