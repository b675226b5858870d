"""What the evaluation pages show: read-only shaping of assessments for templates.

Nothing here reveals a solution: the challenge page gets only what the learner must see.
"""

import math
import random
from dataclasses import dataclass, fields, replace

from django.conf import settings
from django.urls import reverse

from balise.accounts.time_allowance import allowed_seconds
from balise.content.models import Skill
from balise.content.selectors import (
    areas_with_competences,
    challenge_for_showing,
    competence_for_showing,
    engine_scope,
    tutorials_for_skills,
)
from balise.engine.answers import AnswerStatus
from balise.engine.scoring import CompetenceScore as EngineScore
from balise.engine.scoring import competence_score, is_certifiable, total_pix
from balise.evaluation.corrections import corrections_of_test
from balise.evaluation.models import CompetenceScore, KnowledgeElement
from balise.evaluation.option_codes import challenge_code, option_code
from balise.evaluation.services.policies import policy_for
from balise.i18n.translation import pick_text
from balise.learning.selectors import saved_tutorial_ids
from balise.spaces.selectors import content_space_id

OPEN_TYPES = {"qroc", "qrocm-ind", "qrocm-dep"}


def posted_value(challenge, post):
    """The learner's answer as posted, in the shape the engine reads."""
    if challenge is None:
        return None
    if challenge.type == "qcu":
        return post.get("answer") or None
    if challenge.type == "qcm":
        return post.getlist("answer")
    # The field ids are the same in every language's solution (read under lock without the page texts).
    fields = next(iter(challenge.solutions.values()))["fields"]
    return {field["id"]: post.get(f"field-{field['id']}", "") for field in fields}


def shuffled_options(options, seed: int, challenge_id: str) -> list:
    """The options in an order of their own for each test: authors list the right one first,
    so file order would give it away. The order follows the test's seed, so a reload (or a
    resumed test) shows the same order."""
    ordered = list(options)
    random.Random(f"{seed}:{challenge_id}").shuffle(ordered)
    return ordered


def _picture_for(illustration: dict, language: str) -> str:
    """The version of the picture whose texts are in the test's language (fr-be takes fr's),
    or the picture every language shares; never another language's version."""
    files = illustration.get("files") or {}
    return files.get(language) or files.get(language.split("-")[0]) or illustration["file"]


@dataclass(frozen=True)
class Option:
    id: str  # this test's code for the option, never the pack's id
    text: str
    checked: bool


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    value: str
    numeric: bool


@dataclass(frozen=True)
class Illustration:
    url: str
    alt: str


@dataclass(frozen=True)
class Attachment:
    url: str
    name: str


class PageObject:
    """A page's data read by both the template and the API: typed, so a renamed field fails
    where it is read rather than rendering an empty string."""

    def context(self) -> dict:
        # Shallow on purpose: the templates read the models and nested objects themselves.
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ChallengePage(PageObject):
    assessment: object
    heading: object  # policies.TestHeading: the test's name and the way out of it
    competence: object
    challenge: object
    challenge_code: str  # what the page calls the question: never its pack id (see option_codes)
    instruction: str
    options: list[Option]
    fields: list[Field]
    illustration: Illustration | None
    attachments: list[Attachment]
    is_multiple: bool
    is_single: bool
    is_open: bool
    timer: int | None
    timer_started: bool
    focus_lost: bool
    remaining_seconds: int | None
    position: int
    progress_percent: int
    form_error: str | None
    content_language: str

    @property
    def waits_for_the_learner(self) -> bool:
        """A timed question is announced first; its content is shown once its clock runs."""
        return bool(self.timer) and not self.timer_started


def released_content_attach(assessment) -> None:
    """The question and competence a test's page shows, from the process's copy of the release
    (when the test names one: every test started since releases were versioned does).

    After an answer, the locked row was read alone: without this, rendering the next question
    would read its challenge and competence again (two queries an answer)."""
    if not assessment.content_version:
        return
    if assessment.current_challenge_id:
        assessment.current_challenge = challenge_for_showing(assessment.content_version, assessment.current_challenge_id)
    if assessment.competence_id:
        assessment.competence = competence_for_showing(assessment.content_version, assessment.competence_id)


def challenge_page(assessment, now, *, form_error=None, value=None) -> ChallengePage:
    released_content_attach(assessment)
    challenge = assessment.current_challenge
    language = assessment.language
    display = challenge.display
    remaining = None
    timer = allowed_seconds(challenge.timer, assessment.time_allowance)
    timer_started = bool(assessment.current_shown_at)
    if timer and assessment.current_shown_at:
        elapsed = (now - assessment.current_shown_at).total_seconds()
        remaining = max(0, math.ceil(timer - elapsed))  # 27 s left shows 27, not 26
    selected = value if isinstance(value, (list, str)) else []
    typed = value if isinstance(value, dict) else {}
    illustration = display.get("illustration")
    return ChallengePage(
        assessment=assessment,
        heading=policy_for(assessment).heading(assessment),
        competence=assessment.competence,
        challenge=challenge,
        challenge_code=challenge_code(assessment.seed, challenge.id),
        instruction=pick_text(display["instruction"], language),
        # The learner's page never carries the pack's option ids (see option_codes).
        options=[
            Option(id=code, text=pick_text(o["text"], language), checked=code in selected)
            for o in shuffled_options(display.get("options", []), assessment.seed, challenge.id)
            for code in [option_code(assessment.seed, challenge.id, o["id"])]
        ],
        fields=[
            Field(
                id=f["id"],
                label=pick_text(f["label"], language),
                value=typed.get(f["id"], ""),
                numeric=f.get("numeric", False),
            )
            for f in display.get("fields", [])
        ],
        illustration=(
            Illustration(
                url=reverse("site:content_media", args=[_picture_for(illustration, language).removeprefix("media/")]),
                alt=pick_text(illustration["alt"], language),
            )
            if illustration
            else None
        ),
        attachments=[
            Attachment(
                url=reverse("site:content_media", args=[a["file"].removeprefix("media/")]),
                name=pick_text(a["name"], language),
            )
            for a in display.get("attachments", [])
        ],
        is_multiple=challenge.type == "qcm",
        is_single=challenge.type == "qcu",
        is_open=challenge.type in OPEN_TYPES,
        timer=timer,
        timer_started=timer_started,
        focus_lost=assessment.current_focus_lost,
        remaining_seconds=remaining,
        position=assessment.answered_count + 1,
        progress_percent=assessment.progress_percent,
        form_error=form_error,
        content_language=language,
    )


def _skill_descriptions(skill_ids):
    return {s.id: s for s in Skill.objects.filter(id__in=skill_ids)}


@dataclass(frozen=True)
class TutorialOffer:
    tutorial: object
    saved: bool


@dataclass(frozen=True)
class ResultPage(PageObject):
    assessment: object
    competence: object
    score: object  # the engine's CompetenceScore (level, pix)
    pix_gained: int
    validated_skills: list
    missed_skills: list
    tutorials: list[TutorialOffer]
    asked: int
    right: int
    skipped: int
    corrections: list  # of corrections.Correction, in the order asked
    content_language: str  # the language the questions were asked in


def result_page(user, assessment) -> ResultPage:
    knowledge = list(KnowledgeElement.objects.filter(assessment=assessment).values_list("skill_id", "status", "source"))
    skills, _challenges = engine_scope(assessment.competence_id, assessment.space_id, assessment.content_version)
    validated = {skill for skill, status, _source in knowledge if status == KnowledgeElement.Status.VALIDATED}
    missed = {skill for skill, status, _source in knowledge if status == KnowledgeElement.Status.INVALIDATED}
    max_level = settings.BALISE_MAX_REACHABLE_LEVEL
    score = competence_score(assessment.competence_id, skills, validated, max_level=max_level)
    prior_validated = {k["skill"] for k in assessment.prior_knowledge if k["status"] == "validated"}
    prior_score = competence_score(assessment.competence_id, skills, prior_validated, max_level=max_level)
    described = _skill_descriptions(validated | missed)
    by_level = lambda ids: sorted((described[i] for i in ids if i in described), key=lambda s: (s.level, s.id))  # noqa: E731
    tutorials = tutorials_for_skills(missed, assessment.space_id)
    saved = saved_tutorial_ids(user, [t.id for t in tutorials])
    return ResultPage(
        assessment=assessment,
        competence=assessment.competence,
        score=score,
        pix_gained=max(0, score.pix - prior_score.pix),
        validated_skills=by_level(validated),
        missed_skills=by_level(missed),
        tutorials=[TutorialOffer(tutorial=t, saved=t.id in saved) for t in tutorials],
        asked=len(assessment.answer_log),
        right=sum(1 for _challenge, _skill, status in assessment.answer_log if status == AnswerStatus.OK.value),
        skipped=sum(1 for _challenge, _skill, status in assessment.answer_log if status == AnswerStatus.SKIPPED.value),
        corrections=corrections_of_test(assessment),
        content_language=assessment.language,
    )


@dataclass(frozen=True)
class ProfileRow:
    area: object
    competence: object
    pix: int
    level: int
    # Where the row's bar sits in the chart.
    y: int = 0
    text_y: int = 0
    width: float = 0
    colour: str = ""


@dataclass(frozen=True)
class ProfilePage(PageObject):
    rows: list[ProfileRow]
    total_pix: int
    certifiable: bool
    competences_with_level: int
    chart_height: int
    chart_width: int
    label_width: int
    bar_width: int
    max_pix: int
    max_level: int
    max_total: int


def profile_chart_rows(user) -> list[ProfileRow]:
    scores = {s.competence_id: s for s in CompetenceScore.objects.filter(user=user)}
    rows = []
    for area, competences in areas_with_competences(content_space_id(user)):
        for competence in competences:
            score = scores.get(competence.id)
            rows.append(
                ProfileRow(
                    area=area,
                    competence=competence,
                    pix=score.pix if score else 0,
                    level=score.level if score else 0,
                )
            )
    return rows


# Area colours differ in lightness too, and every bar carries its value as text, so the
# chart never relies on colour alone.
AREA_COLOURS = ["#1d4ed8", "#047857", "#7c2d12", "#6d28d9", "#9d174d"]


def profile_page(user) -> ProfilePage:
    rows = profile_chart_rows(user)
    scores = [EngineScore(competence_id=r.competence.id, pix=r.pix, level=r.level) for r in rows]
    max_pix = 8 * settings.BALISE_MAX_REACHABLE_LEVEL
    bar_width, row_height, label_width = 360, 30, 70
    area_ids = []
    chart_rows = []
    for index, row in enumerate(rows):
        if row.area.id not in area_ids:
            area_ids.append(row.area.id)
        chart_rows.append(
            replace(
                row,
                y=index * row_height + 10,
                text_y=index * row_height + 27,
                width=round(bar_width * min(row.pix, max_pix) / max_pix, 1),
                colour=AREA_COLOURS[area_ids.index(row.area.id) % len(AREA_COLOURS)],
            )
        )
    return ProfilePage(
        rows=chart_rows,
        total_pix=total_pix(scores),
        certifiable=is_certifiable(scores),
        competences_with_level=sum(1 for r in rows if r.level >= 1),
        chart_height=len(rows) * row_height + 20,
        chart_width=label_width + bar_width + 140,
        label_width=label_width,
        bar_width=bar_width,
        max_pix=max_pix,
        max_level=settings.BALISE_MAX_REACHABLE_LEVEL,
        max_total=8 * 8 * 16,
    )
