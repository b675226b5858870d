"""Operators manage spaces here: every text per language in a field of its own (not JSON to
hand-edit), the languages as boxes to tick, host names one per line. The model's checks
(contrast, default language among those offered) run on save and name the field at fault."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from balise.spaces.models import LEGAL_PAGES, Space

LEGAL_PAGE_LABELS = {
    "terms": _("Terms of use"),
    "privacy": _("Privacy"),
    "accessibility": _("Accessibility statement"),
    "contact": _("Contact"),
}


def _label(message: str, **values):
    # Translated when the page is drawn, in the operator's language (not once at import).
    return _lazy_label(message, values)


def _translated_with(message, values) -> str:
    return gettext(message) % {k: str(v) for k, v in values.items()}


_lazy_label = lazy(_translated_with, str)


def _key(language: str) -> str:
    # Form field names cannot hold "-": fr-be → fr_be.
    return language.replace("-", "_")


def _per_language_names(field: str) -> list[str]:
    return [f"{field}__{_key(code)}" for code, _name in settings.LANGUAGES]


def _per_language_fields() -> dict[str, forms.Field]:
    """A field per language for each text (declared on the class: the admin checks its
    fieldsets against the form's declared fields)."""
    fields = {}
    for code, language_name in settings.LANGUAGES:
        key = _key(code)
        fields[f"name__{key}"] = forms.CharField(
            label=_label(gettext_noop("Name (%(language)s)"), language=language_name), required=False, max_length=120
        )
        fields[f"home_page__{key}"] = forms.CharField(
            label=_label(gettext_noop("Home page, Markdown (%(language)s)"), language=language_name),
            required=False,
            widget=forms.Textarea(attrs={"rows": 8}),
        )
        for page in LEGAL_PAGES:
            fields[f"legal__{page}__{key}"] = forms.CharField(
                label=_label(gettext_noop("%(page)s (%(language)s)"), page=LEGAL_PAGE_LABELS[page], language=language_name),
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
    return fields


class _SpaceAdminFormBase(forms.ModelForm):
    hosts_text = forms.CharField(
        label=_("Host names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, in lower case, without port: competences.example.be"),
    )
    languages_offered = forms.MultipleChoiceField(
        label=_("Languages offered"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Space
        exclude = ("name", "hosts", "languages", "home_page", "legal_pages")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        space = self.instance
        for code, _name in settings.LANGUAGES:
            key = _key(code)
            self.fields[f"name__{key}"].initial = (space.name or {}).get(code, "")
            self.fields[f"home_page__{key}"].initial = (space.home_page or {}).get(code, "")
            for page in LEGAL_PAGES:
                self.fields[f"legal__{page}__{key}"].initial = (space.legal_pages or {}).get(page, {}).get(code, "")
        self.fields["hosts_text"].initial = "\n".join(space.hosts or [])
        self.fields["languages_offered"].initial = list(space.languages or [])

    def _texts(self, prefix: str) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"{prefix}__{_key(code)}"].strip()
            for code, _name in settings.LANGUAGES
            if self.cleaned_data.get(f"{prefix}__{_key(code)}", "").strip()
        }

    def clean(self):
        cleaned = super().clean()
        names = self._texts("name")
        if not names:
            self.add_error(f"name__{_key(settings.LANGUAGES[0][0])}", _("Give the space a name in at least one language."))
        space = self.instance
        space.name = names
        space.home_page = self._texts("home_page")
        space.legal_pages = {page: texts for page in LEGAL_PAGES if (texts := self._texts(f"legal__{page}"))}
        space.hosts = [line.strip().lower() for line in cleaned.get("hosts_text", "").splitlines() if line.strip()]
        space.languages = list(cleaned.get("languages_offered") or [])
        return cleaned

    def _update_errors(self, errors):
        # The model names its JSON fields; this form shows them as other fields.
        shown_as = {"hosts": "hosts_text", "languages": "languages_offered", "name": f"name__{_key(settings.LANGUAGES[0][0])}"}
        if hasattr(errors, "error_dict"):
            remapped = {}
            for field, messages in errors.error_dict.items():
                target = shown_as.get(field, field if field in self.fields else NON_FIELD_ERRORS)
                remapped.setdefault(target, []).extend(messages)
            errors = ValidationError(remapped)
        super()._update_errors(errors)


SpaceAdminForm = type("SpaceAdminForm", (_SpaceAdminFormBase,), _per_language_fields())


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    form = SpaceAdminForm
    list_display = ("slug", "is_default", "default_language")
    search_fields = ("slug",)

    def get_fieldsets(self, request, obj=None):
        legal = [f"legal__{page}__{_key(code)}" for page in LEGAL_PAGES for code, _name in settings.LANGUAGES]
        return (
            (None, {"fields": ["slug", *_per_language_names("name"), "is_default"]}),
            (_("Addresses"), {"fields": ["hosts_text", "path_prefix"]}),
            (_("Languages"), {"fields": ["languages_offered", "default_language"]}),
            (_("Branding"), {"fields": ["logo", "primary_colour", "dark_colour"]}),
            (_("Home page"), {"fields": _per_language_names("home_page")}),
            (_("Legal pages"), {"fields": legal, "classes": ["collapse"]}),
            (_("Footer links"), {"fields": ["footer_links"]}),
        )
