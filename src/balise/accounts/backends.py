"""Authentication by email and password, with the failed-login limits of every way in."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from balise.accounts import throttle


class LoginThrottled(PermissionDenied):
    """Too many failures: Django's authenticate() stops here and returns None."""


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = (username or kwargs.get("email") or "").strip().lower()
        address = throttle.client_address(request)
        if not throttle.login_attempt(address, email):
            raise LoginThrottled()
        user = super().authenticate(request, username=email or None, password=password, **kwargs)
        if user is not None:
            throttle.login_succeeded(address, email)
        return user
