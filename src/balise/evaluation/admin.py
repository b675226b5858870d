"""Tests and scores are results: an operator reads them here but can neither create nor
change them by hand (a score is what the engine computed from recorded answers). A learner
erases their own data from their account page."""

from django.contrib import admin

from balise.content.admin import ReadOnlyAdmin
from balise.evaluation.models import Answer, Assessment, CompetenceScore


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["position", "challenge", "status", "value", "elapsed_seconds", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "user", "competence", "kind", "state", "answered_count", "created_at"]
    list_filter = ["state", "kind", "competence"]
    search_fields = ["user__email", "public_id"]
    raw_id_fields = ["user", "current_challenge"]
    inlines = [AnswerInline]


@admin.register(CompetenceScore)
class CompetenceScoreAdmin(ReadOnlyAdmin):
    list_display = ["user", "competence", "level", "pix", "completed_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "last_assessment"]
