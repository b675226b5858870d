"""Limits failed logins per account and per network address, and sign-ups per address, in a
store every web process shares.

Counted in the authentication backend, so every way in — the login page, the admin's login,
the API — shares the same limits. Failures count per account and network address pair (the
limit that stops guessing), per account with a much higher ceiling (guessing from many
addresses), and per address (decision 0014). The counts live in Redis when REDIS_URL is set, in the
database otherwise (`LimitCounter`): a count kept in each process's memory let each gunicorn
worker allow the whole limit again (15 wrong passwords through with 3 workers and a limit of
5), and a restart forgot every count. A school or a ministry often puts hundreds of people
behind one address: the per-address limit is therefore much higher than the per-account one,
which is what stops guessing one person's password.
"""

import contextlib
import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from balise.accounts.models import LimitCounter


@dataclass(frozen=True)
class Count:
    value: int
    window_ends_at: datetime


def _store_is_redis() -> bool:
    # The default cache is Redis exactly when REDIS_URL is set (settings.py); its INCR is
    # atomic across processes. Any other cache is private to one process: the database then.
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


# --- The database store: one row per key, its count raised by one UPDATE … SET count = count + 1.


def _db_increment(key: str, window_seconds: int) -> Count:
    now = timezone.now()
    counters = LimitCounter.objects.filter(key=key)
    # One transaction: the row stays locked from the increment to the read, so the count read
    # is the one this increment made (PostgreSQL's row lock; SQLite's IMMEDIATE write lock).
    with transaction.atomic():
        if not counters.filter(window_ends_at__gt=now).update(count=F("count") + 1):
            counters.filter(window_ends_at__lte=now).delete()  # the previous window is over
            try:
                with transaction.atomic():
                    LimitCounter.objects.create(key=key, count=1, window_ends_at=now + timedelta(seconds=window_seconds))
            except IntegrityError:  # another process opened the window in the same instant
                counters.update(count=F("count") + 1)
        counter = counters.get()
    return Count(counter.count, counter.window_ends_at)


def _db_count(key: str) -> Count | None:
    counter = LimitCounter.objects.filter(key=key, window_ends_at__gt=timezone.now()).first()
    return Count(counter.count, counter.window_ends_at) if counter else None


def _db_decrement(key: str) -> None:
    LimitCounter.objects.filter(key=key, window_ends_at__gt=timezone.now(), count__gt=0).update(count=F("count") - 1)


def _db_delete(key: str) -> None:
    LimitCounter.objects.filter(key=key).delete()


def limit_counters_purge() -> int:
    """Delete the counts whose window is over (the `limits_purge` command, run daily)."""
    deleted, _by_model = LimitCounter.objects.filter(window_ends_at__lte=timezone.now()).delete()
    return deleted


# --- The Redis store: the count and the end of its window, both expiring with the window.


def _redis_increment(key: str, window_seconds: int) -> Count:
    ends_at = timezone.now() + timedelta(seconds=window_seconds)
    if cache.add(key, 1, window_seconds):
        cache.set(key + ":ends", ends_at.timestamp(), window_seconds)
        return Count(1, ends_at)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        cache.set(key + ":ends", ends_at.timestamp(), window_seconds)
        return Count(1, ends_at)
    return Count(value, _redis_ends_at(key) or ends_at)


def _redis_ends_at(key: str) -> datetime | None:
    stamp = cache.get(key + ":ends")
    return datetime.fromtimestamp(stamp, tz=timezone.get_current_timezone()) if stamp else None


def _redis_count(key: str) -> Count | None:
    value = cache.get(key)
    if not value:
        return None
    return Count(value, _redis_ends_at(key) or timezone.now() + timedelta(seconds=settings.LOGIN_RATE_WINDOW_SECONDS))


def _redis_decrement(key: str) -> None:
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        cache.decr(key)


def _redis_delete(key: str) -> None:
    cache.delete_many([key, key + ":ends"])


def _increment(key: str, window_seconds: int | None = None) -> int:
    """The key's count after adding one, in a window that starts with the first count."""
    return _increment_count(key, window_seconds).value


def _increment_count(key: str, window_seconds: int | None = None) -> Count:
    window_seconds = window_seconds or settings.LOGIN_RATE_WINDOW_SECONDS
    return (_redis_increment if _store_is_redis() else _db_increment)(key, window_seconds)


def _current(key: str) -> Count | None:
    return (_redis_count if _store_is_redis() else _db_count)(key)


def _count(key: str) -> int:
    current = _current(key)
    return current.value if current else 0


def _decrement(key: str) -> None:
    (_redis_decrement if _store_is_redis() else _db_decrement)(key)


def _delete(key: str) -> None:
    (_redis_delete if _store_is_redis() else _db_delete)(key)


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


def _pair_key(email: str, address: str) -> str:
    return _email_key("login-fail:pair:", f"{email.strip().lower()} {address}")


def _address_key(address: str) -> str:
    return f"login-fail:ip:{address}"


@dataclass(frozen=True)
class Limit:
    key: str
    ceiling: int
    # The network's limit (a school's address), which a password reset does not lift.
    by_address: bool = False


def _limits(address: str, email: str) -> list[Limit]:
    # The guesser's own pair reaches its limit long before the account's ceiling: a stranger
    # who knows an address locks out only themselves, unless they try from many addresses.
    return [
        Limit(_pair_key(email, address), settings.LOGIN_RATE_LIMIT),
        Limit(_account_key(email), settings.LOGIN_RATE_LIMIT_PER_ACCOUNT),
        Limit(_address_key(address), settings.LOGIN_RATE_LIMIT_PER_ADDRESS, by_address=True),
    ]


@dataclass(frozen=True)
class Refusal:
    """Why logins are refused now, and until when."""

    until: datetime
    by_address: bool

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))


def login_refusal(address: str, email: str) -> Refusal | None:
    """The refusal a login from this address for this account would meet, or None."""
    reached = []
    for limit in _limits(address, email):
        current = _current(limit.key)
        if current and current.value >= limit.ceiling:
            reached.append((current.window_ends_at, limit.by_address))
    if not reached:
        return None
    until, by_address = max(reached)
    return Refusal(until, by_address)


def login_refusal_for(request, email: str) -> Refusal | None:
    """Each way in (login page, admin, API) asks first, to say so rather than "wrong password"."""
    return login_refusal(client_address(request), email)


def login_blocked(address: str, email: str) -> bool:
    return login_refusal(address, email) is not None


def login_blocked_for(request, email: str) -> bool:
    return login_refusal_for(request, email) is not None


def login_attempt(address: str, email: str) -> bool:
    """Count an attempt before the password is checked, and say whether it may go on.

    Counting first (one atomic increment per limit) is what holds the limit under parallel
    requests: checking, then hashing for tens of milliseconds, then counting would let a
    burst of requests all pass the check. A successful attempt is uncounted afterwards.
    """
    return all(_increment(limit.key) <= limit.ceiling for limit in _limits(address, email))


def login_succeeded(address: str, email: str) -> None:
    # The pair starts again; the account and the address lose this attempt only, so that the
    # owner logging in does not wipe a guesser's failures from elsewhere.
    _delete(_pair_key(email, address))
    _decrement(_account_key(email))
    _decrement(_address_key(address))


def account_unblock(email: str, address: str) -> None:
    """A new password chosen through the emailed link proves the owner: the account's block
    ends, and so does the one of the address the owner chose it from."""
    _delete(_account_key(email))
    _delete(_pair_key(email, address))


def attempts_left(address: str, email: str) -> int:
    """How many more failures this account allows from this address before it refuses them."""
    return max(
        0,
        min(
            settings.LOGIN_RATE_LIMIT - _count(_pair_key(email, address)),
            settings.LOGIN_RATE_LIMIT_PER_ACCOUNT - _count(_account_key(email)),
        ),
    )


# Mail Balise sends on someone's request, to an address that has not proved it wants it:
# at most this many per address and per hour, so that no one can flood an inbox through us.
MAILS_PER_ADDRESS_PER_HOUR = 3
# Email change requests per account and hour.
EMAIL_CHANGES_PER_ACCOUNT_PER_HOUR = 5


def mail_allowed(to: str) -> bool:
    return _increment(_email_key("mail-to:", to), 3600) <= MAILS_PER_ADDRESS_PER_HOUR


def email_change_allowed(user_id: int) -> bool:
    return _increment(f"email-change:user:{user_id}", 3600) <= EMAIL_CHANGES_PER_ACCOUNT_PER_HOUR


def signup_allowed(address: str) -> bool:
    """Sign-ups sent from one network address in an hour: high enough for a class signing up
    together behind its school's address, low enough that no script fills the mail queue."""
    return _increment(f"signup:ip:{address}", 3600) <= settings.SIGNUP_RATE_LIMIT_PER_ADDRESS


def attempt_allowed(purpose: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """One more attempt of `purpose` by `key` (an account, a session number…) in the window:
    still within `limit`? Counted in the shared store, as login failures are."""
    return _increment(f"{purpose}:{key}", window_seconds) <= limit
