"""The challenge page's form, for every type of question of the fixture pack: a fieldset named
by its legend, a label for every input, and a refused answer tied to the inputs it concerns
(WCAG 1.3.1, 3.3.1, 4.1.2)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from balise.content.models import Challenge
from balise.evaluation.models import Answer, Assessment
from solutions import challenge_ref

pytestmark = pytest.mark.django_db

# One challenge of each type in tests/fixtures/pack, with its competence.
CHALLENGES = {
    "qcu": ("1.1", "searchEngines1b"),
    "qcm": ("1.1", "searchEngines2a"),
    "qroc": ("1.2", "fileFormats1a"),
    "qrocm-ind": ("1.2", "fileFormats3a"),
    "qrocm-dep": ("1.1", "searchEngines2b"),
}
CHOICE_TYPES = {"qcu", "qcm"}


class Element:
    def __init__(self, tag, attrs, parents):
        self.tag = tag
        self.attrs = {name: value if value is not None else "" for name, value in attrs}
        self.parents = parents
        self.text = ""

    def within(self, tag) -> bool:
        return any(parent.tag == tag for parent in self.parents)


class Page(HTMLParser):
    """Every element of a page, with its ancestors and its text."""

    VOID = {"input", "img", "br", "hr", "meta", "link", "source"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, list(self._open))
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def all(self, tag, **attrs) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def by_id(self, element_id) -> Element | None:
        found = [e for e in self.elements if e.attrs.get("id") == element_id]
        assert len(found) <= 1, f"id {element_id!r} is used {len(found)} times"
        return found[0] if found else None

    def answer_inputs(self) -> list[Element]:
        form = self.all("form", **{"class": "challenge-form"})
        assert len(form) == 1
        return [e for e in self.all("input") if e.attrs.get("type") != "hidden" and form[0] in e.parents]


def show(client, learner, competence_id, challenge_id) -> str:
    """The test's URL, with `challenge_id` as its current question (its clock started)."""
    test_url = client.post(reverse("evaluation:start", args=[competence_id]))["Location"]
    Assessment.objects.filter(user=learner, competence_id=competence_id).update(
        current_challenge_id=challenge_id, current_shown_at=timezone.now()
    )
    return test_url


def test_every_type_of_the_fixture_pack_is_covered(content):
    types = set(Challenge.objects.filter(status="validated").values_list("type", flat=True))
    assert types == set(CHALLENGES)
    for kind, (competence_id, challenge_id) in CHALLENGES.items():
        challenge = Challenge.objects.get(id=challenge_id)
        assert challenge.type == kind and challenge.competence_id == competence_id


@pytest.mark.parametrize("kind", list(CHALLENGES))
def test_the_question_is_a_fieldset_whose_inputs_all_have_a_label(learner_client, learner, kind):
    competence_id, challenge_id = CHALLENGES[kind]
    test_url = show(learner_client, learner, competence_id, challenge_id)
    response = learner_client.get(test_url)
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.all("input", name="challenge_id", value=challenge_ref(test_url, challenge_id))
    fieldsets = page.all("fieldset")
    assert len(fieldsets) == 1
    legends = [e for e in page.all("legend") if fieldsets[0] in e.parents]
    assert len(legends) == 1 and legends[0].text.strip()
    assert page.elements.index(legends[0]) == page.elements.index(fieldsets[0]) + 1  # its first child
    inputs = page.answer_inputs()
    expected = len(Challenge.objects.get(id=challenge_id).display["options" if kind in CHOICE_TYPES else "fields"])
    assert len(inputs) == expected
    for element in inputs:
        assert element.within("fieldset"), element.attrs
        assert element.attrs["type"] == {"qcu": "radio", "qcm": "checkbox"}.get(kind, "text")
        assert "aria-invalid" not in element.attrs  # nothing is wrong yet
        labels = page.all("label", **{"for": element.attrs.get("id", "")})
        assert len(labels) == 1, f"{kind}: input {element.attrs} has {len(labels)} labels"
        assert labels[0].text.strip()
    assert fieldsets[0].attrs.get("aria-describedby") == "instruction"  # the question; no error to point at yet


def refused_answers(kind, challenge):
    """Form data the page refuses: nothing chosen or typed, or an option of no question."""
    empty = {}
    if kind not in CHOICE_TYPES:
        empty = {f"field-{f['id']}": "   " for f in challenge.display["fields"]}
        return [{}, empty]
    return [empty, {"answer": "not-an-option-code"}]


@pytest.mark.parametrize("kind", list(CHALLENGES))
def test_a_refused_answer_is_tied_to_the_inputs(learner_client, learner, kind):
    competence_id, challenge_id = CHALLENGES[kind]
    test_url = show(learner_client, learner, competence_id, challenge_id)
    challenge = Challenge.objects.get(id=challenge_id)
    for data in refused_answers(kind, challenge):
        response = learner_client.post(test_url + "answer/", {"challenge_id": challenge_ref(test_url, challenge_id), "action": "answer", **data})
        assert response.status_code == 400, data
        page = Page(response.content.decode())
        fieldset = page.all("fieldset")[0]
        inputs = page.answer_inputs()
        assert inputs
        # The message has an id, and the inputs (or their fieldset) point at it.
        fieldset_refs = fieldset.attrs.get("aria-describedby", "").split()
        message_ids = set(fieldset_refs)
        for element in inputs:
            refs = element.attrs.get("aria-describedby", "").split()
            message_ids |= set(refs)
            assert refs or fieldset_refs, f"{kind}: {element.attrs} is not described by the error"
        messages = [page.by_id(i) for i in message_ids]
        assert messages and all(m is not None and m.text.strip() for m in messages), message_ids
        # And the question is said to be invalid, on each input or on the whole fieldset.
        invalid = fieldset.attrs.get("aria-invalid") == "true" or all(
            e.attrs.get("aria-invalid") == "true" for e in inputs
        )
        assert invalid, f"{kind}: after a refused answer no aria-invalid=true on the inputs nor the fieldset"
    assert not Answer.objects.filter(challenge_id=challenge_id).exists()
