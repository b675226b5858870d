"""Limits failed logins per address and per account, through the shared cache.

The cache is Redis when several web processes run, so the limit holds across them.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(ip: str, email: str) -> list[str]:
    email_hash = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:ip:{ip}", f"login-fail:email:{email_hash}"]


def login_blocked(ip: str, email: str) -> bool:
    return any((cache.get(k) or 0) >= settings.LOGIN_RATE_LIMIT for k in _keys(ip, email))


def login_failed(ip: str, email: str) -> None:
    for key in _keys(ip, email):
        if cache.add(key, 1, settings.LOGIN_RATE_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_RATE_WINDOW_SECONDS)


def login_succeeded(ip: str, email: str) -> None:
    cache.delete(_keys(ip, email)[1])
