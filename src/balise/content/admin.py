from django.contrib import admin

from balise.content.models import Area, Challenge, Competence, ContentRelease, Skill, Tube, Tutorial


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to operators, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ImportedContentAdmin(ReadOnlyAdmin):
    """Content comes from the content pack's files (`content_import`): the admin shows it but
    never edits it, so the database cannot drift from the reviewed files."""


@admin.register(Area, Competence, Tube)
class FrameworkAdmin(ImportedContentAdmin):
    list_display = ["id", "__str__", "space"]
    list_filter = ["space"]
    search_fields = ["id"]


@admin.register(Skill)
class SkillAdmin(ImportedContentAdmin):
    list_display = ["id", "tube", "competence", "level"]
    list_filter = ["competence", "level"]
    search_fields = ["id"]


@admin.register(Challenge)
class ChallengeAdmin(ImportedContentAdmin):
    list_display = ["id", "skill", "type", "status", "timer", "space"]
    list_filter = ["status", "type", "competence", "space"]
    search_fields = ["id"]


@admin.register(Tutorial)
class TutorialAdmin(ImportedContentAdmin):
    list_display = ["id", "tube", "kind", "duration_minutes", "space"]
    list_filter = ["kind", "competence", "space"]
    search_fields = ["id"]


@admin.register(ContentRelease)
class ContentReleaseAdmin(ImportedContentAdmin):
    list_display = ["pack_id", "version", "imported_at", "checksum"]
