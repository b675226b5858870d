"""Assessments, answers, knowledge elements and the learner's competence scores."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balise.accounts.time_allowance import TimeAllowance
from balise.content.models import Challenge, Competence, Skill


class Assessment(models.Model):
    """One sitting of a test: a positioning test in one competence today; a campaign test over
    a target profile or a certification course over every competence tomorrow. Its `purpose`
    names the policy that chooses its questions (evaluation.services.policies)."""

    class Purpose(models.TextChoices):
        POSITIONING = "positioning", _("positioning test")
        CAMPAIGN = "campaign", _("campaign test")
        CERTIFICATION = "certification", _("certification test")

    class Kind(models.TextChoices):
        START = "start", _("first test")
        IMPROVE = "improve", _("improvement")
        RETRY = "retry", _("new attempt")

    class State(models.TextChoices):
        STARTED = "started", _("in progress")
        COMPLETED = "completed", _("completed")
        ABANDONED = "abandoned", _("abandoned")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.POSITIONING)
    # The competence of a positioning test; empty for a test that spans several.
    competence = models.ForeignKey(
        Competence, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.START)
    state = models.CharField(max_length=10, choices=State.choices, default=State.STARTED)
    strategy = models.CharField(max_length=20)
    language = models.CharField(max_length=8)
    # The learner's home space when the test started: the content the test draws from, kept
    # for the whole test even if the learner changes home space meanwhile.
    space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The engine's choices are a function of the seed: a reload shows the same question,
    # and any result can be replayed.
    seed = models.BigIntegerField()
    content_version = models.CharField(max_length=100, blank=True, default="")
    # Skills the learner may be asked again (improve / retry): invalidated before this test.
    retest_skill_ids = models.JSONField(default=list)
    # What a test that is not one competence's asks, kept on its row so that an answer needs
    # no other read: a campaign's {"tube_caps": {tube: level}, "competences": [in order]}.
    scope = models.JSONField(default=dict)
    # What the learner had proved before this test began ([{skill, status, source}]), kept
    # with the test so that replaying it needs nothing else.
    prior_knowledge = models.JSONField(default=list)
    # [challenge id, skill id, status] of each answer, in order: the engine's input, kept on
    # the row it locks anyway so that an answer costs no extra read. The Answer rows stay the
    # record (with their uniqueness constraints); both are written in one transaction.
    answer_log = models.JSONField(default=list)
    current_challenge = models.ForeignKey(Challenge, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    current_shown_at = models.DateTimeField(null=True, blank=True)
    current_focus_lost = models.BooleanField(default=False)
    # The learner's time accommodation when the test started (see accounts.time_allowance).
    time_allowance = models.CharField(max_length=12, choices=TimeAllowance.choices, default=TimeAllowance.STANDARD)
    answered_count = models.PositiveIntegerField(default=0)
    estimated_total = models.PositiveIntegerField(default=0)  # the engine's latest guess
    # What the progress bar shows (0-100): the share answered of the estimate, never lower than
    # before, so it may pause while the test runs longer than guessed but never moves back.
    progress_percent = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            # At most one test in progress per learner and competence, even under a double click.
            models.UniqueConstraint(
                fields=["user", "competence"],
                condition=models.Q(state="started"),
                name="one_started_assessment_per_competence",
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.competence_id} {self.state}"


class Answer(models.Model):
    class Status(models.TextChoices):
        OK = "ok", _("correct")
        KO = "ko", _("wrong")
        SKIPPED = "skipped", _("skipped")
        TIMED_OUT = "timedout", _("timed out")
        FOCUSED_OUT = "focusedout", _("left the page")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveIntegerField()
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="+")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    elapsed_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            # An answer is recorded exactly once, whatever the browser re-sends.
            models.UniqueConstraint(fields=["assessment", "position"], name="one_answer_per_position"),
            models.UniqueConstraint(fields=["assessment", "challenge"], name="one_answer_per_challenge"),
        ]


class KnowledgeElement(models.Model):
    """A skill's status for a learner, as settled by one assessment."""

    class Status(models.TextChoices):
        VALIDATED = "validated", _("validated")
        INVALIDATED = "invalidated", _("not validated")

    class Source(models.TextChoices):
        DIRECT = "direct", _("answered")
        INFERRED = "inferred", _("inferred")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_elements")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="knowledge_elements")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "skill"], name="one_status_per_skill_per_assessment")
        ]
        indexes = [models.Index(fields=["user", "competence"])]


class CompetenceScore(models.Model):
    """The learner's current level and pix in one competence (the profile)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="competence_scores")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    pix = models.PositiveIntegerField(default=0)
    level = models.PositiveSmallIntegerField(default=0)
    last_assessment = models.ForeignKey(Assessment, on_delete=models.SET_NULL, null=True, related_name="+")
    completed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("competence score")
        verbose_name_plural = _("competence scores")
        constraints = [models.UniqueConstraint(fields=["user", "competence"], name="one_score_per_competence")]

    def __str__(self):
        return f"{self.user_id} · {self.competence_id}: level {self.level}, {self.pix} pix"
