"""Ten starts of the same test at once: one test is created and only its request says 201."""

import threading

import pytest
from django.db import connection
from django.test import Client

from balise.evaluation.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_parallel_starts_create_one_test_and_one_201(content, learner):
    from .test_api import post

    barrier = threading.Barrier(10)
    statuses, errors = [], []

    def start():
        client = Client()
        client.force_login(learner)
        client.get("/api/auth/csrf")
        try:
            barrier.wait()
            statuses.append(post(client, "/api/assessments", {"competence_id": "1.1"}).status_code)
        except Exception as error:  # noqa: BLE001 — reported below, with the others' outcome
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(statuses) == [200] * 9 + [201], statuses
    assert Assessment.objects.filter(user=learner).count() == 1
