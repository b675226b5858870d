"""Target profiles (with stages, badges and recommended trainings), campaigns and participations.

The texts of a profile, a campaign or a training are the organization's or the operator's own,
written in the language of the people who read them (like a challenge's text): they are plain
text, not translated strings. Everything Balise itself says about them is translated.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from balise.spaces.models import logo_validator

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class TargetProfile(models.Model):
    """What a campaign measures: tubes, each asked up to a capped level."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    # For operators only (why it exists, who asked for it).
    comment = models.TextField(_("comment"), blank=True, default="")
    image = models.FileField(_("image"), upload_to="target-profiles/", blank=True, validators=[logo_validator])
    # Null: offered in every space; else only to that space's organizations.
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("space")
    )
    organizations = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="target_profiles", verbose_name=_("organizations")
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("copied from")
    )
    # An outdated profile stays on its campaigns but no new campaign may use it.
    outdated = models.BooleanField(_("outdated"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("target profile")
        verbose_name_plural = _("target profiles")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class TargetProfileTube(models.Model):
    target_profile = models.ForeignKey(TargetProfile, on_delete=models.CASCADE, related_name="tubes")
    tube = models.ForeignKey("content.Tube", on_delete=models.PROTECT, related_name="+", verbose_name=_("tube"))
    level_cap = models.PositiveSmallIntegerField(
        _("highest level asked"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )

    class Meta:
        verbose_name = _("tube of the profile")
        verbose_name_plural = _("tubes of the profile")
        ordering = ["target_profile_id", "tube_id"]
        constraints = [models.UniqueConstraint(fields=["target_profile", "tube"], name="one_cap_per_tube")]

    def __str__(self):
        return f"{self.tube_id} ≤ {self.level_cap}"


class Stage(models.Model):
    """A step of mastery: reached when the participant's mastery is at or above its threshold."""

    target_profile = models.ForeignKey(TargetProfile, on_delete=models.CASCADE, related_name="stages")
    threshold = models.PositiveSmallIntegerField(_("threshold (% of mastery)"), validators=PERCENT)
    title = models.CharField(_("title for the learner"), max_length=200)
    message = models.TextField(_("message for the learner"), blank=True, default="")
    organization_title = models.CharField(_("title for the organization"), max_length=200, blank=True, default="")
    organization_description = models.TextField(_("description for the organization"), blank=True, default="")

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["target_profile_id", "threshold"]
        constraints = [models.UniqueConstraint(fields=["target_profile", "threshold"], name="one_stage_per_threshold")]

    def __str__(self):
        return f"{self.threshold} % · {self.title}"


class Badge(models.Model):
    """Earned when every one of its criteria holds."""

    target_profile = models.ForeignKey(TargetProfile, on_delete=models.CASCADE, related_name="badges")
    key = models.SlugField(_("key"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message for the learner"), blank=True, default="")
    image = models.FileField(_("image"), upload_to="badges/", blank=True, validators=[logo_validator])
    image_alt = models.CharField(_("text alternative of the image"), max_length=300, blank=True, default="")
    # Shown (as not yet earned) to learners who did not earn it, or kept a surprise.
    always_visible = models.BooleanField(_("always visible"), default=False)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["target_profile_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["target_profile", "key"], name="one_badge_per_key")]

    def __str__(self):
        return self.title


class BadgeCriterion(models.Model):
    """Mastery over the whole profile (no tubes) or over a set of its tubes ≥ threshold."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="criteria")
    threshold = models.PositiveSmallIntegerField(_("threshold (% of mastery)"), validators=PERCENT)
    tubes = models.ManyToManyField("content.Tube", blank=True, related_name="+", verbose_name=_("tubes"))

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")


class Training(models.Model):
    class Type(models.TextChoices):
        E_LEARNING = "e-learning", _("e-learning")
        WEBINAR = "webinar", _("webinar")
        IN_PERSON = "in-person", _("in person")
        MODULE = "module", _("module")

    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), max_length=500)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    # Language codes, e.g. ["fr", "fr-be"].
    languages = models.JSONField(_("languages"), default=list)
    editor_name = models.CharField(_("editor"), max_length=200)
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("space")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class TrainingTrigger(models.Model):
    """A training is recommended after a profile's test when every trigger of that profile
    holds: a *goal* while mastery of its tubes is at most the threshold (there is something
    to learn), a *prerequisite* once it is at least the threshold (the learner is ready)."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("goal (mastery at most)")
        PREREQUISITE = "prerequisite", _("prerequisite (mastery at least)")

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="triggers")
    target_profile = models.ForeignKey(TargetProfile, on_delete=models.CASCADE, related_name="training_triggers")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    threshold = models.PositiveSmallIntegerField(_("threshold (% of mastery)"), validators=PERCENT)
    tubes = models.ManyToManyField("content.Tube", related_name="+", verbose_name=_("tubes"))

    class Meta:
        verbose_name = _("trigger")
        verbose_name_plural = _("triggers")


class Campaign(models.Model):
    class Type(models.TextChoices):
        ASSESSMENT = "assessment", _("assessment")
        PROFILES_COLLECTION = "profiles", _("profiles collection")

    class ExternalIdType(models.TextChoices):
        TEXT = "text", _("text")
        EMAIL = "email", _("e-mail address")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("organization")
    )
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    target_profile = models.ForeignKey(
        TargetProfile, null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns",
        verbose_name=_("target profile"),
    )
    code = models.CharField(_("code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title for the learner"), max_length=200, blank=True, default="")
    landing_text = models.TextField(_("landing page text"), max_length=5000, blank=True, default="")
    result_text = models.TextField(_("result page text"), max_length=5000, blank=True, default="")
    result_button_text = models.CharField(_("result page button text"), max_length=100, blank=True, default="")
    result_button_url = models.URLField(_("result page button link"), max_length=500, blank=True, default="")
    # E.g. "employee number": asked of each participant when set.
    external_id_label = models.CharField(_("external identifier label"), max_length=100, blank=True, default="")
    external_id_type = models.CharField(
        _("external identifier type"), max_length=8, choices=ExternalIdType.choices, default=ExternalIdType.TEXT
    )
    multiple_sendings = models.BooleanField(_("multiple sendings allowed"), default=False)
    # Null once the owner's account is deleted: the organization keeps its campaign.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("owner")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type="profiles", target_profile__isnull=True)
                | models.Q(type="assessment", target_profile__isnull=False),
                name="an_assessment_campaign_has_a_target_profile",
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    @property
    def is_assessment(self) -> bool:
        return self.type == self.Type.ASSESSMENT

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def learner_title(self) -> str:
        return self.title or self.name


class Participation(models.Model):
    """One person's go at a campaign. Its results are written when the test ends and become the
    organization's to read only once the person sends them; after that nothing changes."""

    class Status(models.TextChoices):
        STARTED = "started", _("in progress")
        TO_SHARE = "to_share", _("finished, not sent")
        SHARED = "shared", _("sent")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="participations")
    # Null once the person deleted it: the organization keeps an anonymous row (its figures
    # stay true) but nothing that names the person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="participations"
    )
    participant_first_name = models.CharField(max_length=150, blank=True, default="")
    participant_last_name = models.CharField(max_length=150, blank=True, default="")
    external_id = models.CharField(_("external identifier"), max_length=255, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.STARTED)
    assessment = models.OneToOneField(
        "evaluation.Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="participation"
    )
    created_at = models.DateTimeField(_("started on"), auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # A retake replaced it: kept as history, out of the campaign's current figures.
    improved = models.BooleanField(default=False)
    # The results, written once when the test ends (so a dashboard or an export of 100,000
    # participants reads one row each, never the answers):
    # assessment: {"tubes": {tube: [skills, validated]}, "competences": {competence: [skills, validated]}}
    # profiles collection: {"pix_total", "certifiable", "competences": {competence: [level, pix]}}
    mastery_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    results = models.JSONField(default=dict)
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    badge_keys = models.JSONField(default=list)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One current participation per person and campaign, even under a double click.
            models.UniqueConstraint(
                fields=["campaign", "user"],
                condition=models.Q(improved=False, deleted_at=None),
                name="one_current_participation_per_person",
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self):
        return f"{self.campaign_id} · {self.user_id} · {self.status}"


class CampaignTotals(models.Model):
    """The sums of a campaign's sent results, kept up to date in the sending's transaction, so
    that its dashboard reads one row whatever the number of participants."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="totals", primary_key=True)
    shared = models.PositiveIntegerField(default=0)
    mastery_sum = models.PositiveBigIntegerField(default=0)
    # assessment: {"tubes": {tube: [skills, validated]}, "competences": {…}, "stages": {id: n}, "badges": {key: n}}
    # profiles collection: {"pix_sum", "certifiable", "levels": {competence: level sum}}
    sums = models.JSONField(default=dict)
