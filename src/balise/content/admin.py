from django.contrib import admin

from balise.content.models import Area, Challenge, Competence, ContentRelease, Skill, Tube, Tutorial


@admin.register(Area, Competence, Tube)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["id", "__str__", "context"]
    search_fields = ["id"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["id", "tube", "competence", "level"]
    list_filter = ["competence", "level"]
    search_fields = ["id"]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["id", "skill", "type", "status", "timer", "context"]
    list_filter = ["status", "type", "competence", "context"]
    search_fields = ["id"]


@admin.register(Tutorial)
class TutorialAdmin(admin.ModelAdmin):
    list_display = ["id", "tube", "kind", "duration_minutes"]
    list_filter = ["kind", "competence"]
    search_fields = ["id"]


@admin.register(ContentRelease)
class ContentReleaseAdmin(admin.ModelAdmin):
    list_display = ["pack_id", "version", "imported_at", "checksum"]
