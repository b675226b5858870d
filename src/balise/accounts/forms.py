from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.template import loader
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from balise.accounts import throttle
from balise.accounts.services import user_password_set
from balise.accounts.tasks import email_send
from balise.accounts.time_allowance import TimeAllowance
from balise.spaces.selectors import space_by_slug, spaces_all

# Django's own French says "courriel"; Balise says "adresse électronique" everywhere.
EMAIL_ERRORS = {"invalid": _("Enter a valid email address, like name@example.org.")}


def email_field(label=None, **widget_attrs) -> forms.EmailField:
    return forms.EmailField(
        label=label or _("Email address"),
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", **widget_attrs}),
    )


PASSWORD_HELP = _("At least 10 characters; avoid a common word or only digits.")


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = email_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )
    accept_terms = forms.BooleanField(label=_("I accept the terms of use and the personal data policy"), required=True)

    def clean_email(self):
        # Whether an account uses the address is not said here: the mailed link says it to
        # the address's owner only (services.signup_request).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            probe = get_user_model()(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    username = email_field(autofocus=True)

    def clean_username(self):
        # Addresses are stored in lower case; phones often capitalise the first letter.
        return self.cleaned_data["username"].strip().lower()


class PasswordConfirmedForm(forms.Form):
    """A form that changes something important: the current password proves it is the owner."""

    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."))
        return password


class DeleteAccountForm(PasswordConfirmedForm):
    pass


class EmailChangeForm(PasswordConfirmedForm):
    new_email = email_field(_("New email address"))
    field_order = ["new_email", "password"]

    def clean_new_email(self):
        email = self.cleaned_data["new_email"].strip().lower()
        if email == self.user.email:
            raise forms.ValidationError(_("This is already your email address."))
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Another account already uses this email address."))
        return email


class DetailsForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class _NewPasswordErrorsOnTheFirstField:
    """Django reports a weak new password under the confirmation field; the learner looks for
    it under the password they chose."""

    def validate_password_for_user(self, user, password_field_name="new_password2"):
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)


class BalisePasswordChangeForm(_NewPasswordErrorsOnTheFirstField, PasswordChangeForm):
    """Django's form, with the help text learners see when they sign up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP


class BaliseSetPasswordForm(_NewPasswordErrorsOnTheFirstField, SetPasswordForm):
    """The reset link's form, with the same help text as everywhere else; the password is
    saved by the service, which also tells the owner."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP

    def save(self, commit=True):
        user_password_set(self.user, self.cleaned_data["new_password1"])
        return self.user


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset link through the task queue, so a slow mail server never slows a page."""

    email = email_field()

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        if not throttle.mail_allowed(to_email):
            return  # the page says the same either way: nothing tells who has an account
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_send.enqueue(subject=subject, body=body, to=[to_email])


class TimeAllowanceForm(forms.Form):
    time_allowance = forms.ChoiceField(label=_("Time for timed questions"), choices=TimeAllowance.choices)


class HomeSpaceForm(forms.Form):
    """The space whose content a person's tests include, named by its slug."""

    home_space = forms.CharField(label=_("Home space"), max_length=40)

    def clean_home_space(self):
        space = space_by_slug(self.cleaned_data["home_space"])
        if space is None or space.pk is None:
            raise forms.ValidationError(
                _("Choose one of: %(slugs)s.") % {"slugs": ", ".join(s.slug for s in spaces_all() if s.pk)}
            )
        return space


def signups_limited_message() -> str:
    return _("Too many sign-ups from your network for now: try again in an hour.")


def login_blocked_message(refusal: throttle.Refusal) -> str:
    """What the person is told once failures reach a limit: until when, and the way in that
    no stranger can block (the reset link goes to the owner's mailbox)."""
    until = formats.time_format(timezone.localtime(refusal.until), "TIME_FORMAT")
    if refusal.by_address:
        return _("Too many failed attempts from your network: the next ones are refused until %(time)s.") % {
            "time": until
        }
    return _(
        "Too many failed attempts: the next ones are refused until %(time)s. To get in now, reset your "
        "password: the link we email you lets you choose a new one, and the block ends with it."
    ) % {"time": until}


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login says that the account is blocked, not that the password is wrong."""

    def clean(self):
        refusal = throttle.login_refusal_for(self.request, self.data.get("username") or "")
        if refusal:
            raise forms.ValidationError(login_blocked_message(refusal), code="blocked")
        return super().clean()
