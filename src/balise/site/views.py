import mimetypes

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from balise.api.urls import api
from balise.campaigns.forms import CodeForm
from balise.content.access import content_media_access
from balise.i18n.translation import language_remember
from balise.learner.services import learner_language_set
from balise.site.api_reference import api_reference, error_shape
from balise.spaces.models import LEGAL_PAGES, LOGO_TYPES


def home(request):
    if request.user.is_authenticated:
        return redirect("evaluation:competences")
    return render(request, "site/home.html", {"code_form": CodeForm()})


LEGAL_PAGE_TITLES = {
    "terms": _("Terms of use"),
    "privacy": _("Personal data"),
    "accessibility": _("Accessibility statement"),
    "contact": _("Contact"),
}


def legal_page(request, page: str):
    """A legal page of the request's space, written by its operators (Markdown per language)."""
    texts = request.space.legal_page(page) if page in LEGAL_PAGES else {}
    if not texts:
        raise Http404()
    return render(request, "site/legal_page.html", {"title": LEGAL_PAGE_TITLES[page], "texts": texts})


def space_stylesheet(request):
    """The space's two colours as CSS variables: a file, since the pages allow no inline style."""
    space = request.space
    css = (
        f":root {{ --primary: {space.primary_colour}; --primary-dark: {space.dark_colour}; "
        f"--space-colour: {space.dark_colour}; }}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Vary"] = "Host"
    return response


def space_logo(request):
    logo = request.space.logo
    if not logo:
        raise Http404()
    extension = "." + logo.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(logo.open("rb"), content_type=LOGO_TYPES.get(extension, "application/octet-stream"))
    # An SVG opened on its own runs no script and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "public, max-age=300"
    response["Vary"] = "Host"
    return response


def terms(request):
    return render(request, "site/terms.html")


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_POST
def language_change(request):
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        learner_language_set(request.user, language)
    language_remember(request, response, language)
    return response


def content_media(request, path):
    """Illustrations and attachments of the content pack."""
    if "\x00" in path:  # the filesystem refuses it with an error, not a "no such file"
        raise Http404()
    media_root = (settings.CONTENT_PACK_DIR / "media").resolve()
    file_path = (media_root / path).resolve()
    if media_root not in file_path.parents or not file_path.is_file():
        raise Http404()
    shared = content_media_access(request.user, file_path.relative_to(media_root).as_posix())
    content_type = mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
    # FileResponse closes the file once it is sent.
    response = FileResponse(open(file_path, "rb"), content_type=content_type)  # noqa: SIM115
    if not content_type.startswith("image/"):
        response["Content-Disposition"] = f'attachment; filename="{file_path.name}"'
    # A space's own file must not sit in a shared cache where another space's people could get it.
    response["Cache-Control"] = "public, max-age=3600" if shared else "private, max-age=3600"
    return response


def csrf_failure(request, reason=""):
    """A form sent from a page left open too long: say so in the learner's language, with the site around it."""
    return render(request, "403_csrf.html", status=403)


@require_GET
def api_reference_page(request):
    """The API's reference, in the site's layout and language, read from its OpenAPI description
    (a third-party viewer failed the contrast rules and spoke only English)."""
    schema = api.get_openapi_schema()
    return render(request, "site/api_reference.html", {
        "sections": api_reference(schema),
        "description": schema["info"].get("description", ""),
        "openapi_url": reverse("api:openapi-json"),
        "error_fields": error_shape(schema),
    })
