"""The learner's journey through HTTP, on a real database (SQLite or PostgreSQL)."""

import re

import pytest
from django.urls import reverse

from balise.content.models import Challenge
from balise.evaluation.models import Answer, Assessment, CompetenceScore, KnowledgeElement
from solutions import answer_data, challenge_ref, seed_of

from .conftest import PASSWORD, current_challenge_id, open_question, signup_confirmed

pytestmark = pytest.mark.django_db


def take_test(client, competence_id="1.1", *, correct=True, limit=40):
    response = client.post(reverse("evaluation:start", args=[competence_id]))
    assert response.status_code == 302
    test_url = response["Location"]
    for _ in range(limit):
        page = open_question(client, test_url)
        if page.status_code == 302:
            return page["Location"]
        challenge = Challenge.objects.get(id=current_challenge_id(page.content.decode()))
        right = correct(challenge) if callable(correct) else correct
        data = {
            "challenge_id": challenge_ref(test_url, challenge.id),
            "action": "answer",
            **answer_data(challenge, correct=right, seed=seed_of(test_url)),
        }
        response = client.post(test_url + "answer/", data)
        # The next question comes in the answer's response (decision 0023); the result is a redirect.
        if response.status_code == 302:
            assert "/result/" in response["Location"], response["Location"]
            return response["Location"]
        assert response.status_code == 200, response.content.decode()[:500]
    raise AssertionError("the test never ended")


def test_sign_up_logs_in_and_lists_competences(content, client):
    response = signup_confirmed(
        client, {"full_name": "Lou Dupont", "email": "Lou@Example.org", "password": PASSWORD, "accept_terms": "on"}
    )
    assert response.status_code == 302
    page = client.get(reverse("evaluation:competences"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mener une recherche" in text  # a competence of the fixture pack, in French
    assert ">Commencer</button>" in text  # its start button, in the language of the page
    from balise.accounts.models import User

    assert User.objects.get(email="lou@example.org").full_name == "Lou Dupont"  # the email is stored in lower case


def the_tag(html: str, tag: str, element_id: str) -> str:
    match = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no <{tag} id={element_id!r}> on the page"
    return match.group(0)


def assert_only_field_in_error(html: str, field: str, others: list[str]) -> str:
    """The field is marked invalid and points at its own error message; the others are not."""
    field_input = the_tag(html, "input", f"id_{field}")
    assert 'aria-invalid="true"' in field_input
    described_by = re.search(r'aria-describedby="([^"]*)"', field_input).group(1).split()
    assert f"id_{field}-error" in described_by
    error = re.search(rf'<p class="error" id="id_{field}-error">(.*?)</p>', html, re.S)
    assert error and error.group(1).strip(), f"no error message for {field}"
    for other in others:
        other_input = the_tag(html, "input", f"id_{other}")
        assert "aria-invalid" not in other_input, other
        assert f'id="id_{other}-error"' not in html, other
    return error.group(1).strip()


SIGN_UP_FIELDS = ["full_name", "email", "password", "accept_terms"]


def test_sign_up_refuses_missing_terms(content, client):
    from balise.accounts.models import User

    response = client.post(
        reverse("accounts:signup"), {"full_name": "Lou Dupont", "email": "lou@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert_only_field_in_error(html, "accept_terms", [f for f in SIGN_UP_FIELDS if f != "accept_terms"])
    assert not User.objects.filter(email="lou@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_sign_up_refuses_a_weak_password(content, client):
    from balise.accounts.models import User

    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "Lou Dupont", "email": "lou@example.org", "password": "123", "accept_terms": "on"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    message = assert_only_field_in_error(html, "password", [f for f in SIGN_UP_FIELDS if f != "password"])
    assert "10" in message  # the minimum length is said
    # The help text stays described too, so the rule is read along with the error.
    password_input = the_tag(html, "input", "id_password")
    assert "id_password-help" in re.search(r'aria-describedby="([^"]*)"', password_input).group(1).split()
    assert not User.objects.filter(email="lou@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_all_right_answers_give_a_level_and_tutorials_are_offered_for_missed_skills(learner_client, learner):
    result_url = take_test(learner_client, correct=True)
    page = learner_client.get(result_url)
    assert page.status_code == 200
    score = CompetenceScore.objects.get(user=learner, competence_id="1.1")
    assert score.pix > 0 and score.level >= 1
    assert f"{score.pix} pix" in page.content.decode()
    assert not KnowledgeElement.objects.filter(user=learner, status="invalidated").exists()


def test_all_wrong_answers_give_level_zero_and_show_tutorials(learner_client, learner):
    result_url = take_test(learner_client, correct=False)
    page = learner_client.get(result_url).content.decode()
    score = CompetenceScore.objects.get(user=learner, competence_id="1.1")
    assert score.pix == 0 and score.level == 0
    assert "Choisir ses mots-clés" in page  # the tutorial of a missed skill


def test_resume_shows_the_same_question_after_leaving(learner_client):
    start = learner_client.post(reverse("evaluation:start", args=["1.1"]))
    first = current_challenge_id(learner_client.get(start["Location"]).content.decode())
    again = learner_client.post(reverse("evaluation:start", args=["1.1"]))
    assert again["Location"] == start["Location"]
    assert current_challenge_id(learner_client.get(start["Location"]).content.decode()) == first
    competences = learner_client.get(reverse("evaluation:competences")).content.decode()
    assert "Reprendre" in competences


def question_shown(html: str) -> dict:
    """What the learner sees of the current question: which one, at which position, and its
    options (in page order, by their codes) or fields."""
    return {
        "challenge": current_challenge_id(html),
        "heading": re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1),
        "options": re.findall(r'<input type="(?:radio|checkbox)" name="answer" value="([^"]+)"', html),
        "fields": re.findall(r'<input type="text" name="(field-[^"]+)"', html),
    }


def test_resume_after_closing_the_browser_shows_the_same_question(learner, client):
    from django.test import Client

    from balise.evaluation.option_codes import option_code

    assert client.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD}).status_code == 302
    test_url = client.post(reverse("evaluation:start", args=["1.1"]))["Location"]
    for _ in range(2):  # level-1 questions right, level-2 ones wrong: 1.1 then asks a third question
        page = open_question(client, test_url)
        challenge = Challenge.objects.select_related("skill").get(id=current_challenge_id(page.content.decode()))
        data = answer_data(challenge, correct=challenge.skill.level <= 1, seed=seed_of(test_url))
        response = client.post(test_url + "answer/", {"challenge_id": challenge_ref(test_url, challenge.id), "action": "answer", **data})
        assert response.status_code == 200 and 'name="challenge_id"' in response.content.decode()
    page = open_question(client, test_url)
    assert page.status_code == 200
    before = question_shown(page.content.decode())
    assessment = Assessment.objects.get(user=learner)
    assert assessment.answered_count == 2 and Answer.objects.filter(assessment=assessment).count() == 2
    assert before["challenge"] not in {answer.challenge_id for answer in assessment.answers.all()}
    assert before["heading"].startswith("Question 3")
    # The third question of this path is a qcu or a qcm: the order of its options is compared too.
    assert len(before["options"]) >= 2

    # The browser is closed: a new one has no cookie, and the learner logs in again.
    again = Client()
    assert again.get(test_url).status_code == 302  # not logged in any more
    login = again.post(reverse("accounts:login"), {"username": learner.email, "password": PASSWORD})
    assert login.status_code == 302
    competences = again.get(reverse("evaluation:competences")).content.decode()
    resume = re.search(r'<a class="button" href="([^"]+)"[^>]*>Reprendre</a>', competences)
    assert resume and resume.group(1) == test_url
    resumed = again.get(resume.group(1))
    assert resumed.status_code == 200
    after = question_shown(resumed.content.decode())
    assert after == before  # same question, same position, same options in the same order
    # The codes are this test's, not the pack's option ids.
    challenge = Challenge.objects.get(id=after["challenge"])
    pack_ids = [o["id"] for o in challenge.display["options"]]
    assert sorted(after["options"]) == sorted(option_code(assessment.seed, challenge.id, i) for i in pack_ids)
    assert not set(after["options"]) & set(pack_ids)
    assessment.refresh_from_db()
    assert assessment.answered_count == 2 and assessment.current_challenge_id == before["challenge"]
    assert Answer.objects.filter(assessment=assessment).count() == 2


def test_profile_shows_total_chart_and_eligibility(learner_client):
    take_test(learner_client, correct=True)
    page = learner_client.get(reverse("evaluation:profile")).content.decode()
    assert "<svg" in page and 'role="img"' in page and "<table" in page
    assert "024" in page  # out of 1,024, grouped as the language writes it
    # SVG needs plain numbers whatever the language (a French "360,0" would draw nothing).
    widths = re.findall(r'<rect x="\d+" y="\d+" width="([^"]+)" height="22" fill=', page)
    assert widths and all(float(w) >= 0 for w in widths)
    assert any(float(w) > 0 for w in widths)


def test_improve_waits_for_the_waiting_period(learner_client, learner, settings):
    take_test(learner_client, correct=False)
    response = learner_client.post(reverse("evaluation:start", args=["1.1"]))
    assert response.status_code == 409
    settings.BALISE_RETRY_AFTER_DAYS = 0
    response = learner_client.post(reverse("evaluation:start", args=["1.1"]))
    assert response.status_code == 302
    assert Assessment.objects.filter(user=learner, kind="retry").count() == 1


def test_improve_keeps_validated_skills_and_retests_the_missed_ones(learner_client, learner, settings):
    # Only the level-1 skills are mastered at first: the level-2 ones are missed.
    take_test(learner_client, correct=lambda challenge: challenge.skill.level <= 1)
    first = Assessment.objects.get(user=learner)
    missed = set(
        KnowledgeElement.objects.filter(assessment=first, status="invalidated").values_list("skill_id", flat=True)
    )
    assert missed, "the first test should have missed the level-2 skills"
    before = CompetenceScore.objects.get(user=learner, competence_id="1.1").pix
    response = learner_client.post(reverse("evaluation:start", args=["1.1"]))
    assert response.status_code == 409  # waiting period
    settings.BALISE_IMPROVE_AFTER_DAYS = 0
    take_test(learner_client, correct=True)
    second = Assessment.objects.exclude(pk=first.pk).get(user=learner)
    assert second.kind == "improve"
    asked = set(Answer.objects.filter(assessment=second).values_list("skill_id", flat=True))
    assert asked and asked <= missed  # only the missed skills are asked again
    assert CompetenceScore.objects.get(user=learner, competence_id="1.1").pix > before


def test_reset_after_waiting_period_wipes_the_competence(learner_client, learner, settings):
    take_test(learner_client, correct=True)
    response = learner_client.post(reverse("evaluation:reset", args=["1.1"]))
    assert response.status_code == 409
    assert CompetenceScore.objects.filter(user=learner).exists()
    settings.BALISE_RESET_AFTER_DAYS = 0
    response = learner_client.post(reverse("evaluation:reset", args=["1.1"]))
    assert response.status_code == 302
    assert not CompetenceScore.objects.filter(user=learner).exists()


def test_tutorial_save_rate_and_list(learner_client, learner):
    from balise.learning.models import SavedTutorial, TutorialRating

    tutorial = "tuto-searchEngines-keywords"
    assert learner_client.post(reverse("learning:save", args=[tutorial]), {"action": "save"}).status_code == 302
    assert learner_client.post(reverse("learning:save", args=[tutorial]), {"action": "save"}).status_code == 302
    assert SavedTutorial.objects.filter(user=learner).count() == 1
    assert "Choisir ses mots-clés" in learner_client.get(reverse("learning:mine")).content.decode()
    learner_client.post(reverse("learning:rate", args=[tutorial]), {"useful": "yes"})
    learner_client.post(reverse("learning:rate", args=[tutorial]), {"useful": "no"})
    assert TutorialRating.objects.get(user=learner).useful is False
    learner_client.post(reverse("learning:save", args=[tutorial]), {"action": "unsave"})
    assert not SavedTutorial.objects.filter(user=learner).exists()
    assert learner_client.post(reverse("learning:save", args=["no-such-tutorial"])).status_code == 404


def test_delete_my_account_removes_results(learner_client, learner):
    take_test(learner_client, correct=True)
    wrong = learner_client.post(reverse("accounts:account"), {"password": "not-my-password"})
    assert wrong.status_code == 400
    response = learner_client.post(reverse("accounts:account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not Answer.objects.exists() and not CompetenceScore.objects.exists()


def test_options_are_shuffled_per_test_and_stable_on_reload(content):
    from balise.evaluation.pages import shuffled_options

    options = [{"id": letter} for letter in "abcd"]
    orders = {tuple(o["id"] for o in shuffled_options(options, seed, "someChallenge1a")) for seed in range(40)}
    assert len(orders) > 10  # the right option (listed first by authors) is not always first
    first_positions = {order.index("a") for order in orders}
    assert first_positions == {0, 1, 2, 3}
    assert shuffled_options(options, 7, "x") == shuffled_options(options, 7, "x")  # a reload shows the same order


def test_a_partners_own_topics_are_asked_not_inferred(content, client_of):
    """A learner of French-speaking Belgium gets the Belgian tube of 2.1; mastering the shared
    topics does not credit the Belgian skills: only answers in that tube do."""
    from balise.accounts.services import user_create
    from balise.content.models import Skill
    from balise.spaces.models import Space

    fwb = Space.objects.get(slug="fwb")  # created by the spaces migration, with the fr-BE content
    learner = user_create(email="lou@example.be", full_name="Lou", password=PASSWORD, space=fwb)
    client = client_of(learner)
    take_test(client, "2.1", correct=lambda challenge: challenge.space_id is None)
    assessment = Assessment.objects.get(user=learner)
    assert assessment.space == fwb  # a test records its space
    belgian = set(Skill.objects.filter(competence_id="2.1", tube__space=fwb).values_list("id", flat=True))
    asked = set(Answer.objects.filter(assessment=assessment).values_list("skill_id", flat=True))
    assert belgian and asked & belgian  # the Belgian tube was asked
    validated = set(
        KnowledgeElement.objects.filter(assessment=assessment, status="validated").values_list("skill_id", flat=True)
    )
    assert not validated & belgian


def test_a_shared_challenge_excluded_from_a_space_is_never_asked_there(content):
    from balise.content.selectors import engine_scope
    from balise.spaces.models import Space

    _skills, everywhere = engine_scope("1.1", None)
    _skills, in_belgium = engine_scope("1.1", Space.objects.get(slug="fwb").id)
    assert "searchEngines1b" in {c.id for c in everywhere}
    assert "searchEngines1b" not in {c.id for c in in_belgium}
