"""The framework and challenge bank, imported from a content pack.

Texts a person reads are stored as {language: text} maps, as in the pack, so a new language
needs no migration. Solutions are stored apart from what the page shows, and never leave
the server before the learner's answer is recorded.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SpaceContentQuerySet(models.QuerySet):
    """Content rows a space's learners may see: the shared ones (space null) and the space's
    own, minus what the space excludes. Every read of content a person sees goes through
    `visible_in`, so that no selector has a filter of its own to forget.

    A model names where its space is (`space_path`, e.g. a skill takes its tube's) and
    whether it carries exclusions (`excluded_from`).
    """

    def visible_in(self, space_id: int | None):
        path = getattr(self.model, "space_path", "space")
        visible = Q(**{f"{path}__isnull": True})
        if space_id is not None:
            visible |= Q(**{path: space_id})
        rows = self.filter(visible)
        if space_id is not None and hasattr(self.model, "excluded_from"):
            rows = rows.exclude(excluded_from=space_id)
        return rows


def _space_key(verbose_name):
    # null: shared by every space. PROTECT: a space with content cannot vanish under it.
    return models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=verbose_name
    )


def _space_exclusions():
    return models.ManyToManyField(
        "spaces.Space", blank=True, related_name="+", verbose_name=_("not shown in these spaces")
    )


class ContentRelease(models.Model):
    """One import of a content pack: assessments record which release they were taken on."""

    pack_id = models.CharField(max_length=100)
    version = models.CharField(max_length=100)
    imported_at = models.DateTimeField(auto_now_add=True)
    checksum = models.CharField(max_length=64)

    class Meta:
        get_latest_by = "imported_at"
        verbose_name = _("content release")
        verbose_name_plural = _("content releases")

    def __str__(self):
        return f"{self.pack_id} {self.version}"


class OrderedFrameworkLevel(models.Model):
    """What an area and a competence share: a code as id, texts, a space, a place in the list."""

    id = models.CharField(primary_key=True, max_length=20)
    name = models.JSONField()
    description = models.JSONField(default=dict)
    space = _space_key(_("space"))
    position = models.PositiveIntegerField(default=0)

    objects = SpaceContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.id} {self.name.get('fr', '')}"


class Area(OrderedFrameworkLevel):
    class Meta(OrderedFrameworkLevel.Meta):
        verbose_name = _("area")
        verbose_name_plural = _("areas")


class Competence(OrderedFrameworkLevel):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="competences")

    class Meta(OrderedFrameworkLevel.Meta):
        verbose_name = _("competence")
        verbose_name_plural = _("competences")


class Tube(models.Model):
    id = models.CharField(primary_key=True, max_length=100)
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="tubes")
    name = models.JSONField()
    description = models.JSONField(default=dict)
    space = _space_key(_("space"))

    objects = SpaceContentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("tube")
        verbose_name_plural = _("tubes")

    def __str__(self):
        return self.id


class Skill(models.Model):
    id = models.CharField(primary_key=True, max_length=100)
    tube = models.ForeignKey(Tube, on_delete=models.PROTECT, related_name="skills")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="skills")
    level = models.PositiveSmallIntegerField()
    description = models.JSONField(default=dict)

    # A skill belongs to its tube's space.
    space_path = "tube__space"
    objects = SpaceContentQuerySet.as_manager()

    class Meta:
        ordering = ["tube_id", "level"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
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
    # The challenge's effective space (its own, else its tube's), stored so that a read
    # filters one column.
    space = _space_key(_("space"))
    # Shared, but not shown to learners of these spaces (e.g. a France-only question in the FWB's).
    excluded_from = _space_exclusions()

    objects = SpaceContentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
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
    # Effective space, as for challenges: a space can have its own tutorials (the FWB's help
    # lines) and leave out a shared one that does not apply to its people (France's 3018).
    space = _space_key(_("space"))
    excluded_from = _space_exclusions()

    objects = SpaceContentQuerySet.as_manager()

    class Meta:
        ordering = ["tube_id", "id"]
        verbose_name = _("tutorial")
        verbose_name_plural = _("tutorials")

    def __str__(self):
        return self.id
