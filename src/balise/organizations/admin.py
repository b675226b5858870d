"""Operators create organizations here and invite their first administrator."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from balise.organizations import services
from balise.organizations.models import Invitation, LearnerImport, Membership, Organization, OrganizationLearner, Role


class OrganizationAdminForm(forms.ModelForm):
    first_admin_email = forms.EmailField(
        label=_("Invite an administrator"),
        required=False,
        help_text=_("An e-mail with a link to join as the organization's administrator is sent to this address."),
    )

    class Meta:
        model = Organization
        fields = ["name", "type", "space", "external_id", "logo", "manages_learners", "archived_at"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at", "disabled_at"]
    readonly_fields = ["user", "created_at"]
    can_delete = False  # disabled, never deleted

    def has_add_permission(self, request, obj=None):
        return False  # people join by invitation


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["email", "role", "created_at", "last_sent_at", "expires_at", "accepted_at", "cancelled_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "type", "space", "external_id", "manages_learners", "created_at", "archived_at"]
    list_filter = ["type", "space", "manages_learners"]
    search_fields = ["name", "external_id"]
    inlines = [MembershipInline, InvitationInline]
    fields = ["name", "type", "space", "external_id", "logo", "manages_learners", "archived_at", "first_admin_email"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        email = form.cleaned_data.get("first_admin_email")
        if email:
            try:
                services.invitation_create(
                    form.instance, email, Role.ADMIN, by=request.user,
                    base_url=request.build_absolute_uri("/"), language=get_language(),
                )
                self.message_user(request, _("Invitation sent to %(email)s.") % {"email": email})
            except services.MembershipError as error:
                self.message_user(request, error.message, level=messages.WARNING)


@admin.register(OrganizationLearner)
class OrganizationLearnerAdmin(admin.ModelAdmin):
    """The lists are the organizations' own (they import them): operators look, and may detach
    an account reconciled by mistake."""

    list_display = ["last_name", "first_name", "identifier", "organization", "group", "birth_date", "user", "disabled_at"]
    list_filter = ["organization__type"]
    search_fields = ["last_name", "first_name", "identifier", "organization__name"]
    list_select_related = ["organization", "user"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "organization", "identifier", "first_name", "last_name", "birth_date", "group", "email", "diploma",
        "department", "reconciled_at", "created_at", "updated_at", "disabled_at",
    ]
    exclude = ["name_key", "name_search"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # disabled by a later import, never deleted


@admin.register(LearnerImport)
class LearnerImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "organization", "status", "lines_total", "error_count", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["organization"]
    exclude = ["file", "errors"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("file", "errors")]

    def has_add_permission(self, request):
        return False
