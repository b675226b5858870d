"""A space: a partner's own platform, or the default international one."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from balise.spaces.contrast import AA_TEXT, HEX_COLOUR, contrast_ratio

# Text on the space's colours is white, and the colours are used as text on white (links):
# both ways the same ratio, checked against white.
TEXT_ON_COLOUR = "#ffffff"
LEGAL_PAGES = ("terms", "privacy", "accessibility", "contact")
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
MAX_LOGO_BYTES = 200 * 1024

slug_validator = RegexValidator(r"^[a-z0-9][a-z0-9-]{0,39}$", _("Lower-case letters, digits and hyphens."))
colour_validator = RegexValidator(HEX_COLOUR, _("A colour as #rrggbb."))


def logo_validator(file) -> None:
    name = (file.name or "").lower()
    if not any(name.endswith(ext) for ext in LOGO_TYPES):
        raise ValidationError(_("The logo must be an SVG or PNG file."))
    if file.size > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo must weigh at most 200 KB."))


# Migration spaces.0001 names the validator by its first name.
_logo_validator = logo_validator


class Space(models.Model):
    slug = models.CharField(_("identifier"), max_length=40, unique=True, validators=[slug_validator])
    # {language: text}, as the content pack writes its texts.
    name = models.JSONField(_("name per language"), default=dict)
    is_default = models.BooleanField(_("default space"), default=False)
    hosts = models.JSONField(
        _("host names"), default=list, blank=True, help_text=_("For example competences.example.be, in lower case, without port.")
    )
    path_prefix = models.CharField(
        _("path prefix"), max_length=40, blank=True, default="", validators=[slug_validator],
        help_text=_("For a single-host install: the space answers at /<prefix>/ as well."),
    )
    languages = models.JSONField(_("languages offered"), default=list)
    default_language = models.CharField(_("default language"), max_length=8, default="fr")
    logo = models.FileField(_("logo"), upload_to="space-logos/", blank=True, validators=[logo_validator])
    primary_colour = models.CharField(_("main colour"), max_length=7, default="#1d4ed8", validators=[colour_validator])
    dark_colour = models.CharField(_("dark colour"), max_length=7, default="#1e3a8a", validators=[colour_validator])
    home_page = models.JSONField(_("home page (Markdown per language)"), default=dict, blank=True)
    # {"terms": {language: Markdown}, "privacy": …, "accessibility": …, "contact": …}
    legal_pages = models.JSONField(_("legal pages"), default=dict, blank=True)
    # [{"label": {language: text}, "url": "https://…"}]
    footer_links = models.JSONField(_("footer links"), default=list, blank=True)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["-is_default", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True), name="one_default_space")
        ]

    def __str__(self):
        return self.slug

    def clean(self):
        errors = {}
        for field in ("primary_colour", "dark_colour"):
            colour = getattr(self, field)
            if HEX_COLOUR.match(colour or "") and contrast_ratio(colour, TEXT_ON_COLOUR) < AA_TEXT:
                errors[field] = _(
                    "Text on this colour (and this colour as text on white) has a contrast of %(ratio).2f:1; "
                    "WCAG AA asks at least 4.5:1. Choose a darker colour."
                ) % {"ratio": contrast_ratio(colour, TEXT_ON_COLOUR)}
        if self.default_language and self.languages and self.default_language not in self.languages:
            errors["default_language"] = _("The default language must be one of the languages offered.")
        if not isinstance(self.hosts, list) or not all(isinstance(h, str) and h == h.lower().strip() for h in self.hosts):
            errors["hosts"] = _("A list of host names in lower case.")
        unknown = set(self.legal_pages or {}) - set(LEGAL_PAGES) if isinstance(self.legal_pages, dict) else {"?"}
        if unknown:
            errors["legal_pages"] = _("Legal pages are: terms, privacy, accessibility, contact.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Refused on every save (admin, import, code), not only in a form: an unreadable space
        # must never reach a page.
        self.clean()
        super().save(*args, **kwargs)

    def legal_page(self, page: str) -> dict:
        return (self.legal_pages or {}).get(page) or {}
