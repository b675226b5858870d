from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from balise.spaces.models import Space


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ("slug", "is_default", "default_language")
    search_fields = ("slug",)
    fieldsets = (
        (None, {"fields": ("slug", "name", "is_default")}),
        (_("Addresses"), {"fields": ("hosts", "path_prefix")}),
        (_("Languages"), {"fields": ("languages", "default_language")}),
        (_("Branding"), {"fields": ("logo", "primary_colour", "dark_colour")}),
        (_("Pages"), {"fields": ("home_page", "legal_pages", "footer_links")}),
    )
