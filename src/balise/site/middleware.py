"""Request middleware of the site: the signed-in user's language, and the security headers."""

from django.conf import settings
from django.utils import translation

from balise.i18n.translation import SESSION_LANGUAGE_KEY


class UserLanguageMiddleware:
    """A signed-in learner's chosen language wins over the browser's, on every device.

    Runs before LocaleMiddleware, which then honours the language cookie we set here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language:
            user_language = request.session.get(SESSION_LANGUAGE_KEY)
            if user_language:
                request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = user_language
            else:
                # Nobody chose yet: the browser's language if the space offers it, else the
                # space's own (plain "fr" on the FWB's platform reads Belgian French).
                space = getattr(request, "space", None)
                browser = translation.get_language_from_request(request)
                if space is not None and space.languages and browser not in space.languages:
                    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = space.default_language
        return self.get_response(request)


# Pages need only our own scripts, styles and images. No inline script: htmx and our
# small script are served as files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


# No page uses the camera, the microphone, the position, payments or sensors: a script that
# got in anyway could not either.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Django's admin and the OpenAPI viewer too: they run only script files and set no inline
        # style (tests/e2e/test_third_party_pages.py checks it in a browser that enforces it).
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
