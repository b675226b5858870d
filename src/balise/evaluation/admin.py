from django.contrib import admin

from balise.evaluation.models import Answer, Assessment, CompetenceScore


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["position", "challenge", "status", "value", "elapsed_seconds", "created_at"]
    can_delete = False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["public_id", "user", "competence", "kind", "state", "answered_count", "created_at"]
    list_filter = ["state", "kind", "competence"]
    search_fields = ["user__email", "public_id"]
    raw_id_fields = ["user", "current_challenge"]
    inlines = [AnswerInline]


@admin.register(CompetenceScore)
class CompetenceScoreAdmin(admin.ModelAdmin):
    list_display = ["user", "competence", "level", "pix", "completed_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "last_assessment"]
