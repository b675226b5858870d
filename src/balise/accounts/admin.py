from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from balise.accounts.forms import ThrottledAdminAuthenticationForm
from balise.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "home_space", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_staff", "is_active", "language", "home_space"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "language", "home_space", "time_allowance", "terms_accepted_at"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]


# The admin's login goes through the same limits, and says when an account is blocked.
admin.site.login_form = ThrottledAdminAuthenticationForm
