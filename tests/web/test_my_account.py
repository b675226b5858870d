"""The learner's own account: name, password, email (confirmed by a link), data export."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from balise.accounts.services import email_change_token

from .conftest import PASSWORD
from .test_journey import take_test

pytestmark = pytest.mark.django_db


def test_change_my_name(learner_client, learner):
    empty = learner_client.post(reverse("accounts:details"), {"full_name": "   "})
    assert empty.status_code == 400 and 'aria-invalid="true"' in empty.content.decode()
    learner.refresh_from_db()
    assert learner.full_name == "Camille Martin"
    assert learner_client.post(reverse("accounts:details"), {"full_name": " Camille Dupont "}).status_code == 302
    learner.refresh_from_db()
    assert learner.full_name == "Camille Dupont"


def test_change_my_password_keeps_this_session_and_ends_the_others(learner, client_of):
    here, elsewhere = client_of(learner), client_of(learner)
    url = reverse("accounts:password_change")
    new = "a-brand-new-passphrase-9"
    wrong_old = here.post(url, {"old_password": "nope", "new_password1": new, "new_password2": new})
    assert wrong_old.status_code == 400
    weak = here.post(url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 400
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)  # refused forms changed nothing

    assert here.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}).status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(new)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]  # the owner is told
    assert here.get(reverse("accounts:account")).status_code == 200
    assert elsewhere.get(reverse("accounts:account")).status_code == 302  # the lost phone is logged out


def _confirmation_path(message) -> str:
    link = next(line for line in message.body.splitlines() if "/accounts/me/email/confirm/" in line)
    return link.split("testserver", 1)[1]


def test_change_my_email_only_once_the_new_address_confirms(learner_client, learner, other_learner):
    url = reverse("accounts:email_change")
    taken = learner_client.post(url, {"new_email": other_learner.email, "password": PASSWORD})
    assert taken.status_code == 400 and "utilise déjà" in taken.content.decode()
    no_password = learner_client.post(url, {"new_email": "camille@new.example", "password": "wrong"})
    assert no_password.status_code == 400
    assert mail.outbox == []

    assert learner_client.post(url, {"new_email": "Camille@New.Example", "password": PASSWORD}).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille@new.example"]
    learner.refresh_from_db()
    assert learner.email == "camille@example.org"  # nothing changes before the link is opened

    path = _confirmation_path(mail.outbox[0])
    page = learner_client.get(path)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "camille@new.example" in page.content.decode()
    learner.refresh_from_db()
    assert learner.email == "camille@example.org"

    assert learner_client.post(path).status_code == 302
    learner.refresh_from_db()
    assert learner.email == "camille@new.example"
    assert mail.outbox[-1].to == ["camille@example.org"]  # the old address is told of the change
    assert (
        Client().post(reverse("accounts:login"), {"username": "camille@new.example", "password": PASSWORD}).status_code
        == 302
    )
    again = learner_client.get(path)  # opened again after it worked: said so, nothing changes
    assert again.status_code == 200 and "déjà votre adresse" in again.content.decode()
    assert learner_client.post(path).status_code == 302
    assert len(mail.outbox) == 2  # no second notice
    # The link is bound to the address it replaced: after another change it no longer works.
    learner.email = "camille@third.example"
    learner.save()
    replay = learner_client.post(path)
    assert replay.status_code == 400 and "a changé depuis" in replay.content.decode()


def test_an_email_link_does_not_work_for_another_account_or_when_tampered(learner, other_learner, client_of):
    token = email_change_token(learner, "camille@new.example")
    path = reverse("accounts:email_confirm", args=[token])
    stolen = client_of(other_learner).post(path)
    assert stolen.status_code == 400 and "autre compte" in stolen.content.decode()
    tampered = client_of(learner).post(reverse("accounts:email_confirm", args=[token[:-2] + "xx"]))
    assert tampered.status_code == 400 and "pas valide" in tampered.content.decode()
    learner.refresh_from_db()
    other_learner.refresh_from_db()
    assert learner.email == "camille@example.org" and other_learner.email == "alex@example.org"


def test_an_address_taken_after_the_link_was_sent_is_refused(learner, client_of):
    from balise.accounts.services import user_create

    token = email_change_token(learner, "taken@example.org")
    user_create(email="taken@example.org", full_name="Someone", password=PASSWORD)
    response = client_of(learner).post(reverse("accounts:email_confirm", args=[token]))
    assert response.status_code == 400
    learner.refresh_from_db()
    assert learner.email == "camille@example.org"


def test_download_my_data_holds_every_record_about_me(learner_client, learner, other_learner, client_of):
    take_test(learner_client, correct=True)
    take_test(client_of(other_learner), correct=False)
    response = learner_client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert learner_client.get("/api/me/data")["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == learner.email
    answers = [a for assessment in data["assessments"] for a in assessment["answers"]]
    assert answers and len(answers) == learner.assessments.get().answers.count()
    first = learner.assessments.get().answers.order_by("position").first()
    assert answers[0]["question"] == first.challenge.display["instruction"]["fr"]  # readable without the pack
    if first.challenge.type == "qcu":
        chosen = next(o for o in first.challenge.display["options"] if o["id"] == first.value)
        assert answers[0]["answer_text"] == chosen["text"]["fr"]
    assert data["knowledge_elements"] and data["competence_scores"]
    assert "alex@example.org" not in response.content.decode()  # nothing of anyone else

    # Every table that holds a person's rows is in the export: a new one must be added to it.
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    exported = {
        "Assessment", "Answer", "CompetenceScore", "KnowledgeElement", "SavedTutorial", "TutorialRating",
        "Membership", "Invitation", "OrganizationLearner", "LearnerImport", "Participation", "Campaign",
        "Candidate", "Session", "JuryDecision",
    }
    personal = {
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("balise.")
        and any(getattr(f, "related_model", None) is user_model for f in model._meta.get_fields() if f.concrete)
    }
    assert personal <= exported, f"not in the personal data export: {personal - exported}"


def test_my_account_pages_need_a_login(client):
    for name in ["details", "password_change", "email_change", "data_export"]:
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("password", [" " * 12, "aaaaaaaaaaaa", "abababababab"])
def test_sign_up_refuses_a_password_of_spaces_or_one_key(content, client, password):
    from balise.accounts.models import User

    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "Lou", "email": "lou@example.org", "password": password, "accept_terms": "on"},
    )
    assert response.status_code == 400
    assert 'id="id_password-error"' in response.content.decode()
    assert not User.objects.filter(email="lou@example.org").exists()


def test_balise_cannot_be_used_to_flood_an_inbox(learner_client, learner, client, other_learner):
    from django.core.cache import cache

    cache.clear()
    url = reverse("accounts:email_change")
    statuses = [
        learner_client.post(url, {"new_email": "victim@example.org", "password": PASSWORD}).status_code
        for _ in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert [m.to for m in mail.outbox] == [["victim@example.org"]] * 3
    assert "Camille" not in mail.outbox[0].body  # nothing the requester typed reaches the stranger
    for _ in range(5):  # the reset form says the same every time, but mails at most 3 per hour
        assert client.post(reverse("accounts:password_reset"), {"email": other_learner.email}).status_code == 302
    assert sum(m.to == [other_learner.email] for m in mail.outbox) == 3
    cache.clear()
