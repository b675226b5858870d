"""Writes of the accounts app."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone


def user_create(*, email: str, full_name: str, password: str, language: str = "fr", context: str = ""):
    User = get_user_model()
    return User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name.strip(),
        language=language,
        context=context,
        terms_accepted_at=timezone.now(),
    )


def user_language_set(user, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def user_delete(user) -> None:
    """Delete an account and every trace of the person's tests (GDPR right to erasure)."""
    user.delete()
