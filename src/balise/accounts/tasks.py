"""Background work of the accounts app: mail never leaves from inside a request."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def email_send(subject: str, body: str, to: list[str], html_body: str | None = None) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, html_message=html_body)
