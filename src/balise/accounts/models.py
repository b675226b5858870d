from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balise.accounts.time_allowance import TimeAllowance


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using Balise. Signs in with an email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    language = models.CharField(_("language"), max_length=8, default="fr")
    # The space the person signed up in, or chose on their account page (null: the default).
    home_space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("home space")
    )
    # Time for timed questions in the tests this person starts (see accounts.time_allowance).
    time_allowance = models.CharField(
        _("time for timed questions"), max_length=12, choices=TimeAllowance.choices, default=TimeAllowance.STANDARD
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class LimitCounter(models.Model):
    """One count of the login and sign-up limits, in the database every web process shares.

    Used when there is no Redis (see accounts.throttle): a count kept in each process's memory
    would let every process allow the limit again, and a restart would forget it.
    """

    # A digest or an address with a prefix naming the limit; never a person's address in clear.
    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count} until {self.window_ends_at:%Y-%m-%d %H:%M}"
