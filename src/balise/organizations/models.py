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
    # A school or a university that imports its list of learners: people joining its campaigns
    # are then found on the list (reconciled) or refused.
    manages_learners = models.BooleanField(
        _("manages its learners"),
        default=False,
        help_text=_("Schools and higher education only: the administrators import the list of learners from a CSV file."),
    )
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
            ),
            models.CheckConstraint(
                condition=models.Q(manages_learners=False) | models.Q(type__in=["school", "higher_education"]),
                name="only_schools_and_universities_manage_learners",
            ),
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.manages_learners and self.type not in (self.Type.SCHOOL, self.Type.HIGHER_EDUCATION):
            raise ValidationError(
                {"manages_learners": _("Only a school or a higher-education organization imports a list of learners.")}
            )

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


class OrganizationLearner(models.Model):
    """A person on an organization's list, as its administrators imported it: a pupil (national
    id, class) or a student (student number, group). `user` is the Balise account the person
    was reconciled with when they joined a campaign; a learner absent from a later import is
    disabled, never deleted (their results stay the organization's)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="learners")
    # A school's national id (INE) or a university's student number: the import's identity.
    identifier = models.CharField(_("national id or student number"), max_length=30)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    # A school's class ("division") or a university's group.
    group = models.CharField(_("class or group"), max_length=60, blank=True, default="")
    email = models.EmailField(_("email address"), blank=True, default="")
    diploma = models.CharField(_("diploma"), max_length=120, blank=True, default="")
    department = models.CharField(_("department"), max_length=120, blank=True, default="")
    # Every word of both names, folded and sorted (learner_file.name_key): reconciliation and search.
    name_key = models.CharField(max_length=250)
    # The words of the names and each name without separators (learner_file.name_search_text).
    name_search = models.CharField(max_length=500, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="organization_learners",
        verbose_name=_("account"),
    )
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    disabled_at = models.DateTimeField(_("left the list at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learner of an organization")
        verbose_name_plural = _("learners of organizations")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "identifier"], name="one_learner_per_identifier"),
            # Never two learners of one organization for one account.
            models.UniqueConstraint(
                fields=["organization", "user"], condition=models.Q(user__isnull=False), name="one_learner_per_account"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "birth_date"], name="learner_reconciliation"),
            models.Index(fields=["organization", "group"], name="learner_group"),
            models.Index(fields=["organization", "last_name", "first_name"], name="learner_order"),
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name}"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


class LearnerImport(models.Model):
    """One upload of a list, checked and written by the task worker. The file is kept until the
    task ends, then deleted: the import keeps only its figures and its errors."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for the worker")
        CHECKING = "checking", _("checking the lines")
        SAVING = "saving", _("saving the learners")
        DONE = "done", _("imported")
        REFUSED = "refused", _("refused: the file has errors")
        FAILED = "failed", _("stopped by an unexpected error")

    FINISHED = (Status.DONE, Status.REFUSED, Status.FAILED)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="learner_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to="learner-imports/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    lines_total = models.PositiveIntegerField(default=0)
    lines_checked = models.PositiveIntegerField(default=0)
    # [{line, column, code, value, other_line, limit}], the first ERRORS_KEPT; error_count counts them all.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    disabled_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("learner import")
        verbose_name_plural = _("learner imports")
        ordering = ["-created_at", "-pk"]

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status in (self.Status.SAVING, self.Status.DONE):
            return 100
        return round(100 * self.lines_checked / self.lines_total) if self.lines_total else 0
