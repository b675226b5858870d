from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balise.spaces.models import logo_validator


class Organization(models.Model):
    class Type(models.TextChoices):
        SCHOOL = "school", _("school")
        HIGHER_EDUCATION = "higher_education", _("higher education")
        PROFESSIONAL = "professional", _("professional or public administration")

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="+", verbose_name=_("space"))
    # The organization's number in its own world (a school's official number, a ministry's code).
    external_id = models.CharField(_("external identifier"), max_length=60, blank=True, default="")
    logo = models.FileField(_("logo"), upload_to="organization-logos/", blank=True, validators=[logo_validator])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_organization_per_external_id_in_a_space",
            )
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    MEMBER = "member", _("member")


class Membership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)
    # Disabled, never deleted: who was a member, and when, stays known to the organization.
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization_id", "user__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_person")]

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


class Invitation(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Random and replaced at each sending: the link of an earlier e-mail stops working.
    nonce = models.CharField(max_length=43, unique=True)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "pk"]

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None
