"""Limits failed logins per account and per network address, through the shared cache.

Counted in the authentication backend, so every way in — the login page, the admin's login,
the API — shares the same limits. The cache is Redis when several web processes run, so the
limits hold across them. A school or a ministry often puts hundreds of people behind one
address: the per-address limit is therefore much higher than the per-account one, which is
what stops guessing one person's password.
"""

import contextlib
import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The learner's address: REMOTE_ADDR, or, behind N trusted proxies, the address the
    outermost of them saw (X-Forwarded-For entries added by anyone else are ignored)."""
    if request is None:
        return ""
    proxies = settings.BALISE_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _email_key(prefix: str, email: str) -> str:
    # Addresses are keyed by digest: the cache holds no one's address, and any case or
    # surrounding space of an address counts as the same one.
    return prefix + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _account_key(email: str) -> str:
    return _email_key("login-fail:email:", email)


def _address_key(address: str) -> str:
    return f"login-fail:ip:{address}"


def _limits(address: str, email: str) -> list[tuple[str, int]]:
    return [
        (_account_key(email), settings.LOGIN_RATE_LIMIT),
        (_address_key(address), settings.LOGIN_RATE_LIMIT_PER_ADDRESS),
    ]


def _count(key: str) -> int:
    return cache.get(key) or 0


def login_blocked(address: str, email: str) -> bool:
    return any(_count(key) >= limit for key, limit in _limits(address, email))


def login_blocked_for(request, email: str) -> bool:
    """Whether a login from this request for this address would be refused: each way in
    (login page, admin, API) asks first, to say so rather than "wrong password"."""
    return login_blocked(client_address(request), email)


def retry_after_seconds() -> int:
    """For the Retry-After header: the whole window, an upper bound (the cache does not say
    how much of it is left)."""
    return settings.LOGIN_RATE_WINDOW_SECONDS


def _increment(key: str, window_seconds: int | None = None) -> int:
    """The key's count after adding one, in a window that starts with the first count."""
    window_seconds = window_seconds or settings.LOGIN_RATE_WINDOW_SECONDS
    if cache.add(key, 1, window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1


def login_attempt(address: str, email: str) -> bool:
    """Count an attempt before the password is checked, and say whether it may go on.

    Counting first (one atomic increment per limit) is what holds the limit under parallel
    requests: checking, then hashing for tens of milliseconds, then counting would let a
    burst of requests all pass the check. A successful attempt is uncounted afterwards.
    """
    return all(_increment(key) <= limit for key, limit in _limits(address, email))


def login_succeeded(address: str, email: str) -> None:
    # The account's count starts again; the address's loses this attempt only, so that one
    # valid account cannot wipe the failures of others from the same address.
    account_unblock(email)
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        cache.decr(_address_key(address))


def account_unblock(email: str) -> None:
    """A new password chosen through the emailed link proves the owner: their block ends."""
    cache.delete(_account_key(email))


def attempts_left(email: str) -> int:
    """How many more failures the account allows before it is blocked."""
    return max(0, settings.LOGIN_RATE_LIMIT - _count(_account_key(email)))


# Mail Balise sends on someone's request, to an address that has not proved it wants it:
# at most this many per address and per hour, so that no one can flood an inbox through us.
MAILS_PER_ADDRESS_PER_HOUR = 3
# Email change requests per account and hour.
EMAIL_CHANGES_PER_ACCOUNT_PER_HOUR = 5


def mail_allowed(to: str) -> bool:
    return _increment(_email_key("mail-to:", to), 3600) <= MAILS_PER_ADDRESS_PER_HOUR


def email_change_allowed(user_id: int) -> bool:
    return _increment(f"email-change:user:{user_id}", 3600) <= EMAIL_CHANGES_PER_ACCOUNT_PER_HOUR


def wait_minutes() -> int:
    return max(1, round(settings.LOGIN_RATE_WINDOW_SECONDS / 60))
