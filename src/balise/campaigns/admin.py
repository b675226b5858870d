"""Operators create, copy and attach target profiles (with stages, badges and training
triggers) and trainings here; campaigns are the organizations' own (their pages), shown here
for support; participations are results, read-only."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balise.campaigns import services
from balise.campaigns.models import (
    Badge,
    BadgeCriterion,
    Campaign,
    Participation,
    Stage,
    TargetProfile,
    TargetProfileTube,
    Training,
    TrainingTrigger,
)
from balise.content.admin import ReadOnlyAdmin


class TubeInline(admin.TabularInline):
    model = TargetProfileTube
    extra = 3
    autocomplete_fields = ["tube"]


class StageInline(admin.StackedInline):
    model = Stage
    extra = 1


class BadgeInline(admin.TabularInline):
    model = Badge
    extra = 0
    fields = ["key", "title", "always_visible"]
    show_change_link = True  # its criteria are edited on the badge's page


class TriggerInline(admin.StackedInline):
    model = TrainingTrigger
    extra = 1
    filter_horizontal = ["tubes"]


@admin.register(TargetProfile)
class TargetProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "space", "outdated", "created_at"]
    list_filter = ["space", "outdated"]
    search_fields = ["name"]
    filter_horizontal = ["organizations"]
    inlines = [TubeInline, StageInline, BadgeInline]
    actions = ["copy"]
    readonly_fields = ["copied_from"]

    @admin.action(description=_("Copy the selected target profiles"))
    def copy(self, request, queryset):
        for profile in queryset:
            services.target_profile_copy(profile, name_prefix=gettext("[Copy]"))
        self.message_user(request, gettext("Copied: %(n)s.") % {"n": queryset.count()})


class CriterionInline(admin.TabularInline):
    model = BadgeCriterion
    extra = 1
    filter_horizontal = ["tubes"]


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "target_profile", "always_visible"]
    list_filter = ["target_profile"]
    inlines = [CriterionInline]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "type", "duration_minutes", "editor_name", "space"]
    list_filter = ["type", "space"]
    search_fields = ["title", "editor_name"]
    inlines = [TriggerInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "organization", "type", "target_profile", "created_at", "archived_at"]
    list_filter = ["type", "organization__space"]
    search_fields = ["code", "name", "organization__name"]
    readonly_fields = ["code", "created_by", "created_at"]
    raw_id_fields = ["owner"]

    def has_add_permission(self, request):
        return False  # an organization's administrators create campaigns in its pages (a code drawn there)


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "participant_last_name", "status", "mastery_percent", "created_at", "shared_at"]
    list_filter = ["status"]
    search_fields = ["campaign__code", "participant_last_name", "external_id"]
