"""The framework and challenge bank, imported from a content pack.

Texts a person reads are stored as {language: text} maps, as in the pack, so a new language
needs no migration. Solutions are stored apart from what the page shows, and never leave
the server before the learner's answer is recorded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentRelease(models.Model):
    """One import of a content pack: assessments record which release they were taken on."""

    pack_id = models.CharField(max_length=100)
    version = models.CharField(max_length=100)
    imported_at = models.DateTimeField(auto_now_add=True)
    checksum = models.CharField(max_length=64)

    class Meta:
        get_latest_by = "imported_at"

    def __str__(self):
        return f"{self.pack_id} {self.version}"


class OrderedFrameworkLevel(models.Model):
    """What an area and a competence share: a code as id, texts, a context, a place in the list."""

    id = models.CharField(primary_key=True, max_length=20)
    name = models.JSONField()
    description = models.JSONField(default=dict)
    context = models.CharField(max_length=16, blank=True, default="")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.id} {self.name.get('fr', '')}"


class Area(OrderedFrameworkLevel):
    class Meta(OrderedFrameworkLevel.Meta):
        verbose_name = _("area")


class Competence(OrderedFrameworkLevel):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="competences")

    class Meta(OrderedFrameworkLevel.Meta):
        verbose_name = _("competence")


class Tube(models.Model):
    id = models.CharField(primary_key=True, max_length=100)
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="tubes")
    name = models.JSONField()
    description = models.JSONField(default=dict)
    context = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("tube")

    def __str__(self):
        return self.id


class Skill(models.Model):
    id = models.CharField(primary_key=True, max_length=100)
    tube = models.ForeignKey(Tube, on_delete=models.PROTECT, related_name="skills")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="skills")
    level = models.PositiveSmallIntegerField()
    description = models.JSONField(default=dict)

    class Meta:
        ordering = ["tube_id", "level"]
        verbose_name = _("skill")
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=8), name="skill_level_1_to_8")
        ]

    def __str__(self):
        return self.id


class Challenge(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        VALIDATED = "validated", _("validated")
        ARCHIVED = "archived", _("archived")

    id = models.CharField(primary_key=True, max_length=100)
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="challenges")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="challenges")
    type = models.CharField(max_length=12)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALIDATED)
    # What the page shows: instruction, options, field labels, illustration, attachments.
    display = models.JSONField()
    # Per language: the engine's Solution as plain data. Never rendered.
    solutions = models.JSONField()
    languages = models.JSONField(default=list)
    timer = models.PositiveIntegerField(null=True, blank=True)
    focused = models.BooleanField(default=False)
    without_sight = models.BooleanField(default=True)
    without_colour = models.BooleanField(default=True)
    irt_a = models.FloatField(null=True, blank=True)
    irt_b = models.FloatField(null=True, blank=True)
    context = models.CharField(max_length=16, blank=True, default="")
    # Shared, but not shown to learners of these contexts (e.g. a France-only question in fr-BE).
    excluded_contexts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("challenge")
        indexes = [models.Index(fields=["competence", "status"])]

    def __str__(self):
        return self.id


class Tutorial(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        VIDEO = "video", _("video")
        PAGE = "page", _("web page")

    id = models.CharField(primary_key=True, max_length=100)
    tube = models.ForeignKey(Tube, on_delete=models.PROTECT, related_name="tutorials")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="tutorials")
    skill_ids = models.JSONField(default=list)  # empty: the whole tube
    kind = models.CharField(max_length=8, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField(default=5)
    title = models.JSONField()
    text = models.JSONField(null=True, blank=True)
    url = models.JSONField(null=True, blank=True)
    languages = models.JSONField(default=list)

    class Meta:
        ordering = ["tube_id", "id"]
        verbose_name = _("tutorial")

    def __str__(self):
        return self.id
