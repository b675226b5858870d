"""Operators open a certification centre for an organization here (its members become the
centre's); sessions and candidates are the centre's to write, shown read-only."""

from django.contrib import admin

from balise.certification.models import Candidate, Centre, Session


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "closed_at"]
    search_fields = ["organization__name", "organization__external_id"]
    autocomplete_fields = ["organization"]
    fields = ["organization", "closed_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["organization"] if obj else []  # a centre's sessions stay with the organization that ran them


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ["last_name", "first_name", "birth_date", "birth_place", "extra_time_percent", "accessibility_needed",
              "entered_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["pk", "centre", "date", "time", "site", "room", "status"]
    list_filter = ["status"]
    search_fields = ["pk", "centre__organization__name", "site"]
    readonly_fields = ["centre", "site", "room", "date", "time", "examiner", "notes", "access_code",
                       "invigilator_password", "status", "created_by", "created_at", "finalised_at", "published_at"]
    fields = readonly_fields
    inlines = [CandidateInline]

    def has_add_permission(self, request):
        return False
