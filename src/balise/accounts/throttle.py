"""Limits failed logins per account and per network address, through the shared cache.

Counted in the authentication backend, so every way in — the login page, the admin's login,
the API — shares the same limits. The cache is Redis when several web processes run, so the
limits hold across them. A school or a ministry often puts hundreds of people behind one
address: the per-address limit is therefore much higher than the per-account one, which is
what stops guessing one person's password.
"""

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


def _account_key(email: str) -> str:
    return "login-fail:email:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _address_key(address: str) -> str:
    return f"login-fail:ip:{address}"


def _limits(address: str, email: str) -> list[tuple[str, int]]:
    return [
        (_account_key(email), settings.LOGIN_RATE_LIMIT),
        (_address_key(address), settings.LOGIN_RATE_LIMIT_PER_ADDRESS),
    ]


def login_blocked(address: str, email: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _limits(address, email))


def login_failed(address: str, email: str) -> None:
    for key, _limit in _limits(address, email):
        if cache.add(key, 1, settings.LOGIN_RATE_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_RATE_WINDOW_SECONDS)


def login_succeeded(address: str, email: str) -> None:
    # Only the account's count: one valid account must not reset an address's count.
    cache.delete(_account_key(email))


def account_unblock(email: str) -> None:
    """A new password chosen through the emailed link proves the owner: their block ends."""
    cache.delete(_account_key(email))


def attempts_left(email: str) -> int:
    """How many more failures the account allows before it is blocked."""
    return max(0, settings.LOGIN_RATE_LIMIT - (cache.get(_account_key(email)) or 0))


def wait_minutes() -> int:
    return max(1, round(settings.LOGIN_RATE_WINDOW_SECONDS / 60))
