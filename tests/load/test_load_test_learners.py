"""The accounts the load test logs in with (the locustfile itself runs only under locust)."""

import pytest
from django.core.management import call_command
from django.test import Client

from balise.accounts.management.commands.load_test_learners import load_test_email
from balise.accounts.models import User

PASSWORD = "load-test-passphrase-42"


@pytest.mark.django_db
def test_creates_the_learners_once_each_and_they_can_log_in():
    call_command("load_test_learners", "--count", "3", f"--password={PASSWORD}")
    call_command("load_test_learners", "--count", "4", f"--password={PASSWORD}")

    emails = sorted(User.objects.values_list("email", flat=True))
    assert emails == [load_test_email(i) for i in range(4)]
    assert all(not user.is_staff and user.terms_accepted_at for user in User.objects.all())
    response = Client().post("/accounts/login/", {"username": load_test_email(3), "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].endswith("/competences/")
