"""The real task worker: a password-reset email is queued in the database and sent by db_worker."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_password_reset_mail_waits_in_the_queue_until_the_worker_sends_it(learner, client):
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DATABASE_TASKS):
        response = client.post(reverse("accounts:password_reset"), {"email": learner.email})
        assert response.status_code == 302
        assert mail.outbox == []  # nothing sent inside the request
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
