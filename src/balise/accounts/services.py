"""Writes of the accounts app."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from balise.accounts import throttle
from balise.accounts.tasks import email_send
from balise.spaces.selectors import space_by_id, space_default


def user_create(*, email: str, full_name: str, password: str, language: str = "fr", space=None):
    """A new account, at home in the space where the person signed up (the default space
    without one). The space, not the language, brings a partner's own content: a Belgian whose
    browser sends plain "fr" on the FWB's platform gets the FWB's content."""
    space = space or space_default()
    User = get_user_model()
    return User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name.strip(),
        language=language,
        home_space=space if space.pk else None,
        terms_accepted_at=timezone.now(),
    )


# Signing up goes through a link mailed to the address: the page then answers the same whether
# an account already uses it or not (decision 0014). The link carries what the form received,
# signed — the password already hashed —, so nothing is stored for an address that never
# confirms; it is valid three days.
SIGNUP_SALT = "balise.accounts.signup"
SIGNUP_MAX_AGE = 3 * 24 * 3600


class SignUpRefused(Exception):
    """The confirmation link cannot create the account; the message says why."""


def signup_request(
    *,
    email: str,
    full_name: str,
    password: str,
    language: str,
    space,
    next_url: str,
    confirm_url: Callable[[str], str],
    login_url: str,
    reset_url: str,
) -> None:
    """Mail the address a link that creates the account, or, when an account already uses it,
    tell its owner that someone tried (nothing else happens). The caller answers the same in
    both cases; at most a few mails per address and hour leave, so no inbox can be flooded."""
    email = email.strip().lower()
    if not throttle.mail_allowed(email):
        return
    if get_user_model().objects.filter(email__iexact=email).exists():
        body = loader.render_to_string(
            "accounts/signup_exists_email.txt", {"login_url": login_url, "reset_url": reset_url}
        )
        email_send.enqueue(subject=_("Someone tried to create a Balise account with your address"), body=body, to=[email])
        return
    token = signing.dumps(
        {
            "email": email,
            "full_name": full_name.strip(),
            "password": make_password(password),
            "language": language,
            "space": space.pk if space is not None else None,
            "next": next_url,
        },
        salt=SIGNUP_SALT,
        compress=True,
    )
    body = loader.render_to_string("accounts/signup_confirm_email.txt", {"link": confirm_url(token)})
    email_send.enqueue(subject=_("Finish creating your Balise account"), body=body, to=[email])


def signup_read(token: str) -> dict:
    """What a sign-up link carries; SignUpRefused when it is expired, damaged or already used."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_MAX_AGE)
    except signing.SignatureExpired as error:
        raise SignUpRefused(_("This link has expired. Sign up again to receive a new one.")) from error
    except signing.BadSignature as error:
        raise SignUpRefused(_("This link is not valid. Copy the whole link from the message.")) from error
    return data


def signup_confirm(token: str):
    """The account a sign-up link describes, created now; SignUpRefused if an account uses the
    address already (the link opened twice, or another sign-up in between)."""
    data = signup_read(token)
    User = get_user_model()
    if User.objects.filter(email__iexact=data["email"]).exists():
        raise SignUpRefused(_("An account already uses this address: log in, or reset your password."))
    space = space_by_id(data["space"]) or space_default()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=data["email"],
                password=None,
                full_name=data["full_name"],
                language=data["language"],
                home_space=space if space.pk else None,
                terms_accepted_at=timezone.now(),
            )
            user.password = data["password"]  # hashed when the form was sent
            user.save(update_fields=["password"])
    except IntegrityError as error:  # the same link opened twice in the same instant
        raise SignUpRefused(_("An account already uses this address: log in, or reset your password.")) from error
    return user


def user_home_space_set(user, space) -> None:
    """The person's home space, and with it the partner content their tests include (for the
    tests they start from now on: a test keeps the content it began with)."""
    user.home_space = space
    user.save(update_fields=["home_space"])


def user_language_set(user, language: str) -> None:
    """The account's language. `balise.learner.services.learner_language_set` also carries it
    to the tests in progress: call that one from a page or an endpoint."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def user_details_set(user, *, full_name: str) -> None:
    user.full_name = full_name.strip()
    user.save(update_fields=["full_name"])


def _security_notice(user, to: str, what: str) -> None:
    """Tell the owner that their account changed: if it was not them, they can react."""
    body = loader.render_to_string("accounts/account_changed_email.txt", {"user": user, "what": what})
    email_send.enqueue(subject=_("Your Balise account was changed"), body=body, to=[to])


def user_password_set(user, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    _security_notice(user, user.email, _("Your password was changed."))


# A link to confirm a new address: signed (nothing stored), valid three days, bound to the
# address it replaces so that it cannot be replayed after another change.
EMAIL_CHANGE_SALT = "balise.accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 3 * 24 * 3600


class EmailChangeRefused(Exception):
    """The confirmation link cannot change the address; the message says why."""


def email_change_token(user, new_email: str) -> str:
    return signing.dumps({"user": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)


class TooManyRequests(Exception):
    """Asked too often: refused so that Balise cannot be used to flood someone's inbox."""


def email_change_request(user, new_email: str, confirm_url: Callable[[str], str]) -> None:
    """Send a confirmation link to the new address; nothing changes until it is opened."""
    if not throttle.email_change_allowed(user.pk) or not throttle.mail_allowed(new_email):
        raise TooManyRequests()
    link = confirm_url(email_change_token(user, new_email))
    # Nothing the requester typed goes to an address that has not confirmed anything (no name).
    body = loader.render_to_string("accounts/email_change_email.txt", {"link": link})
    email_send.enqueue(subject=_("Confirm your new email address on Balise"), body=body, to=[new_email])


def email_change_read(user, token: str) -> str:
    """The new address a confirmation link carries for this user; EmailChangeRefused otherwise."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired as error:
        raise EmailChangeRefused(_("This link has expired. Ask for a new one from your account page.")) from error
    except signing.BadSignature as error:
        raise EmailChangeRefused(_("This link is not valid. Copy the whole link from the message.")) from error
    if data.get("user") != user.pk:
        raise EmailChangeRefused(_("This link was sent for another account. Log in with that account first."))
    if data.get("new") == user.email:  # opened again after it worked: nothing left to do
        return data["new"]
    if data.get("old") != user.email:
        raise EmailChangeRefused(_("Your email address has changed since this link was sent. Ask for a new one."))
    return data["new"]


@transaction.atomic
def email_change_confirm(user, token: str) -> str:
    User = get_user_model()
    # Read under lock: two links confirmed at once (A→B, A→C) must not both pass the check
    # against the address they replace.
    locked = User.objects.select_for_update().get(pk=user.pk)
    new_email = email_change_read(locked, token)
    if new_email == locked.email:
        return new_email
    old_email = locked.email
    if User.objects.filter(email__iexact=new_email).exclude(pk=locked.pk).exists():
        raise EmailChangeRefused(_("Another account already uses this email address."))
    locked.email = new_email
    try:
        with transaction.atomic():
            locked.save(update_fields=["email"])
    except IntegrityError as error:  # taken by a sign-up in the same instant
        raise EmailChangeRefused(_("Another account already uses this email address.")) from error
    user.email = new_email
    _security_notice(locked, old_email, _("Your email address was changed to %(email)s.") % {"email": new_email})
    return new_email


def user_time_allowance_set(user, allowance: str) -> None:
    """Applies to the tests started from now on: a test keeps the conditions it began with."""
    user.time_allowance = allowance
    user.save(update_fields=["time_allowance"])
