from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The core certification's time, as candidates are told; a candidate's extra time is added to it.
TEST_MINUTES = 105


def theoretical_end(started_at: datetime, extra_time_percent: int) -> datetime:
    return started_at + timedelta(minutes=TEST_MINUTES * (100 + extra_time_percent) / 100)


class Centre(models.Model):
    """An organization's habilitation to certify. Name, type, space, external id and members are
    the organization's: a school that tests and certifies keeps one staff list (decision 0025)."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.PROTECT, related_name="certification_centre",
        verbose_name=_("organization"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A centre that stops certifying keeps its sessions and certificates; it opens no new session.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification centre")
        verbose_name_plural = _("certification centres")
        ordering = ["organization__name", "pk"]

    def __str__(self):
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name


class Session(models.Model):
    """A certification session: a room, a day, an invigilator. Candidates enter it with the
    access code; the invigilator opens its live page with the session number and the password."""

    class Status(models.TextChoices):
        CREATED = "created", _("created")
        FINALISED = "finalised", _("finalised")
        IN_REVIEW = "in_review", _("in review by the jury")
        PUBLISHED = "published", _("results published")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("centre"))
    site = models.CharField(_("site"), max_length=120)
    room = models.CharField(_("room"), max_length=60)
    date = models.DateField(_("date"))
    time = models.TimeField(_("start time"))
    examiner = models.CharField(_("invigilator(s)"), max_length=200)
    notes = models.TextField(_("notes"), max_length=2000, blank=True, default="")
    # 4 letters + 2 digits without the characters people confuse (I, L, O, 0, 1).
    access_code = models.CharField(_("access code"), max_length=6, unique=True)
    # Shown to the centre's members, who hand it to the invigilator: it opens the live page only.
    invigilator_password = models.CharField(_("invigilator password"), max_length=6)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CREATED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The centre's word on the session as a whole, written at finalisation for the jury.
    examiner_comment = models.TextField(_("comment for the jury"), max_length=2000, blank=True, default="")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("jury member"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification session")
        verbose_name_plural = _("certification sessions")
        ordering = ["-date", "-time", "-pk"]
        indexes = [models.Index(fields=["centre", "date"], name="session_centre_date")]

    def __str__(self):
        return f"{self.pk} — {self.site}, {self.room}, {self.date}"

    @property
    def is_open(self) -> bool:
        """Candidates can be added, and the session changed, until it is finalised."""
        return self.status == self.Status.CREATED


class Candidate(models.Model):
    """A person enrolled in a session, as the centre wrote them. `user` is the account that
    entered the session with these names and this birth date (decision 0025)."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("session"))
    last_name = models.CharField(_("birth name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    # The commune, or the country for a person born abroad: as the certificate will print it.
    birth_place = models.CharField(_("birth place"), max_length=120)
    results_email = models.EmailField(_("e-mail for the results"), blank=True, default="")
    local_id = models.CharField(_("local identifier"), max_length=60, blank=True, default="")
    # Added to the test's time by the server (a third more is the common adjustment).
    extra_time_percent = models.PositiveSmallIntegerField(
        _("extra time (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    accessibility_needed = models.BooleanField(_("accessibility adjustment needed"), default=False)
    # Every word of both names, folded and sorted (learner_file.name_key): matching at entry.
    name_key = models.CharField(max_length=250)
    organization_learner = models.ForeignKey(
        "organizations.OrganizationLearner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="certification_candidacies",
        verbose_name=_("account"),
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    instructions_accepted_at = models.DateTimeField(_("instructions accepted at"), null=True, blank=True)
    # Set by the invigilator; cleared when the candidate enters again (another device, a lost
    # connection): the invigilator then authorises them to resume.
    authorised_at = models.DateTimeField(_("authorised at"), null=True, blank=True)
    # A candidate who entered again after having been authorised once waits to resume.
    resumes = models.PositiveSmallIntegerField(_("times entered again"), default=0)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by_invigilator = models.BooleanField(default=False)

    class AbortReason(models.TextChoices):
        CANDIDATE = "candidate", _("the candidate left")
        TECHNICAL = "technical", _("a technical problem")

    # Why a test ended before its last question, as the centre says at finalisation.
    abort_reason = models.CharField(_("why the test ended early"), max_length=10, choices=AbortReason.choices,
                                    blank=True, default="")
    assessment = models.OneToOneField(
        "evaluation.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="certification_candidate",
    )
    # The engine's scoring once the test ended: score, its error, θ, levels per competence, valid.
    result = models.JSONField(null=True, blank=True)
    # Challenges the jury took out of this certification (they did not work): rescored without them.
    neutralised = models.JSONField(default=list, blank=True)

    class Decision(models.TextChoices):
        NONE = "", _("none")
        CANCELLED = "cancelled", _("cancelled")
        REJECTED = "rejected", _("rejected")

    decision = models.CharField(_("jury's decision"), max_length=10, choices=Decision.choices, blank=True, default="")
    decision_reason = models.TextField(_("reason"), max_length=2000, blank=True, default="")
    # "B-" + 8 characters without ambiguous ones, given when the session's results are published.
    verification_code = models.CharField(_("verification code"), max_length=10, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "name_key", "birth_date"], name="one_candidate_per_person"),
            # One account is one candidate of a session (never two seats for one person).
            models.UniqueConstraint(fields=["session", "user"], condition=models.Q(user__isnull=False),
                                    name="one_seat_per_account"),
            models.CheckConstraint(condition=models.Q(extra_time_percent__lte=100), name="extra_time_at_most_double"),
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name}"

    class State(models.TextChoices):
        NOT_ARRIVED = "not_arrived", _("not arrived")
        READING = "reading", _("reading the instructions")
        WAITING = "waiting", _("waiting to be let in")
        WAITING_TO_RESUME = "waiting_to_resume", _("waiting to resume")
        AUTHORISED = "authorised", _("authorised")
        ENDED = "ended", _("ended")

    @property
    def state(self) -> str:
        """Where the candidate stands, as the invigilator's page shows it."""
        if self.ended_at:
            return self.State.ENDED
        if not self.entered_at:
            return self.State.NOT_ARRIVED
        if not self.instructions_accepted_at:
            return self.State.READING
        if not self.authorised_at:
            return self.State.WAITING_TO_RESUME if self.resumes else self.State.WAITING
        return self.State.AUTHORISED

    @property
    def is_certified(self) -> bool:
        """A valid result (20 answers or more) that the jury neither cancelled nor rejected."""
        return bool(self.result and self.result.get("valid")) and self.decision == self.Decision.NONE

    @property
    def state_label(self) -> str:
        return self.State(self.state).label

    @property
    def theoretical_end(self):
        """When the test is due to end: its start plus the core time, with the extra time."""
        return theoretical_end(self.assessment.created_at, self.extra_time_percent) if self.assessment_id else None


class Incident(models.Model):
    """Something that happened during a session, for the jury: recorded by the invigilator or by
    the centre at finalisation."""

    class Category(models.TextChoices):
        TECHNICAL = "technical", _("technical problem")
        FRAUD = "fraud", _("fraud")
        LEFT = "left", _("candidate left")
        LATE = "late", _("late arrival")
        IDENTITY = "identity", _("name or birth date to correct")
        EXTRA_TIME = "extra_time", _("extra time to correct")
        FOCUS = "focus", _("page left unintentionally")
        OTHER = "other", _("other")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="incidents")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="incidents")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.TextField(_("description"), max_length=2000)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # "invigilator" or "centre": who wrote it (the invigilator has no account).
    recorded_by = models.CharField(max_length=12, default="centre")

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["recorded_at", "pk"]


class JuryDecision(models.Model):
    """Every decision of the jury, kept: who, when, what, why (the audit log)."""

    class Action(models.TextChoices):
        REVIEW = "review", _("took the session for review")
        NEUTRALISE = "neutralise", _("neutralised a challenge")
        RESTORE = "restore", _("restored a challenge")
        CANCEL = "cancel", _("cancelled a certification")
        REJECT = "reject", _("rejected a certification")
        REINSTATE = "reinstate", _("reinstated a certification")
        PUBLISH = "publish", _("published the session")
        UNPUBLISH = "unpublish", _("unpublished the session")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="jury_decisions")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=12, choices=Action.choices)
    challenge_id = models.CharField(max_length=100, blank=True, default="")
    reason = models.TextField(max_length=2000, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jury decision")
        verbose_name_plural = _("jury decisions")
        ordering = ["at", "pk"]


class Alert(models.Model):
    """A candidate says the current question does not work; the invigilator validates it (the
    question is replaced and not counted) or dismisses it."""

    class Reason(models.TextChoices):
        IMAGE = "image", _("an image does not show")
        ATTACHMENT = "attachment", _("a file does not open")
        SITE = "site", _("a website or a tool does not work")
        OTHER = "other", _("something else does not work")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the invigilator")
        VALIDATED = "validated", _("validated: the question was replaced")
        DISMISSED = "dismissed", _("dismissed")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="alerts")
    challenge_id = models.CharField(max_length=100)
    reason = models.CharField(_("what does not work"), max_length=12, choices=Reason.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["candidate", "challenge_id"], name="one_alert_per_question")]
