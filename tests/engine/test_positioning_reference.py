"""The reference strategy, rule by rule (ALGORITHMS.md §2)."""

from __future__ import annotations

import pytest

from balise.engine.answers import AnswerStatus
from balise.engine.framework import Challenge, Skill
from balise.engine.positioning import (
    KnowledgeElement,
    KnowledgeSource,
    KnowledgeStatus,
    PastAnswer,
    PositioningInput,
    next_step,
)
from balise.engine.positioning.reference import reward
from balise.engine.positioning.scope import rasch_level

V, I = KnowledgeStatus.VALIDATED, KnowledgeStatus.INVALIDATED
D, INF = KnowledgeSource.DIRECT, KnowledgeSource.INFERRED


def tube(name: str, levels, *, timed=(), languages=frozenset({"fr", "en"})):
    skills = [Skill(f"@{name}{level}", name, "1.1", level) for level in levels]
    challenges = [
        Challenge(
            f"{name}{level}a",
            f"@{name}{level}",
            name,
            "1.1",
            level,
            timed=level in timed,
            languages=languages,
        )
        for level in levels
    ]
    return skills, challenges


def scope(*tubes):
    return tuple(s for t in tubes for s in t[0]), tuple(c for t in tubes for c in t[1])


def answer(skill_id: str, right: bool) -> PastAnswer:
    return PastAnswer(skill_id.lstrip("@") + "a", skill_id, AnswerStatus.OK if right else AnswerStatus.KO)


def step(skills, challenges, answers=(), **kwargs):
    return next_step(PositioningInput(skills, challenges, tuple(answers), **kwargs), "reference")


def statuses(result) -> dict:
    return {ke.skill_id: (ke.status, ke.source) for ke in result.knowledge}


def test_a_right_answer_validates_the_skill_and_every_easier_one_of_its_tube():
    skills, challenges = scope(tube("a", [1, 2, 3, 4, 5]), tube("b", [1, 2, 3, 4, 5]))
    result = step(skills, challenges, [answer("@a3", True)])
    assert statuses(result) == {"@a3": (V, D), "@a1": (V, INF), "@a2": (V, INF)}


def test_a_wrong_answer_invalidates_the_skill_and_every_harder_one_of_its_tube():
    skills, challenges = scope(tube("a", [1, 2, 3, 4, 5]), tube("b", [1, 2, 3, 4, 5]))
    result = step(skills, challenges, [answer("@a3", False)])
    assert statuses(result) == {"@a3": (I, D), "@a4": (I, INF), "@a5": (I, INF)}


@pytest.mark.parametrize("status", [AnswerStatus.SKIPPED, AnswerStatus.TIMED_OUT, AnswerStatus.FOCUSED_OUT])
def test_only_ok_is_a_right_answer(status):
    skills, challenges = scope(tube("a", [1, 2, 3, 4, 5]))
    result = step(skills, challenges, [PastAnswer("a3a", "@a3", status)])
    assert statuses(result)["@a3"] == (I, D)


def test_inference_does_not_overwrite_what_is_already_known():
    skills, challenges = scope(tube("a", [1, 2, 3, 4, 5]))
    result = step(skills, challenges, [answer("@a2", False), answer("@a1", True)])
    # @a1 right infers nothing new below it; @a2 stays invalidated.
    assert statuses(result)["@a2"] == (I, D)
    assert statuses(result)["@a1"] == (V, D)


def test_level_estimate_without_answers_is_the_middle_of_the_virtual_answers():
    assert rasch_level([]) == 3.5


def test_level_estimate_follows_the_rasch_balance():
    # A success at 2 and a failure at 5 mirror the virtual answers around 3.5: Σ(x − P) = 0.
    assert rasch_level([(2, True), (5, False)]) == 3.5
    # Success at 2, failure at 4: Σ P at θ = 3 is 1.97 (gap 0.03), at 3.5 it is 2.20.
    assert rasch_level([(2, True), (4, False)]) == 3.0
    assert rasch_level([(5, True), (6, True)]) > 3.5
    assert rasch_level([(1, False), (2, False)]) < 3.5


def test_level_estimate_uses_direct_knowledge_only():
    skills, challenges = scope(tube("a", [1, 2, 3, 4, 5, 6]), tube("b", [1, 2, 3, 4, 5, 6]))
    result = step(skills, challenges, [answer("@a5", True)])
    assert result.estimated_level == rasch_level([(5, True)])


def test_first_challenge_is_level_2_of_an_easy_tube_and_not_timed():
    skills, challenges = scope(
        tube("hard", [1, 2, 3, 4, 5]), tube("easy", [1, 2, 3], timed=(2,)), tube("easy2", [1, 2])
    )
    for seed in range(20):
        first = step(skills, challenges, seed=seed).challenge
        assert first.skill_id == "@easy22"


def test_first_challenge_takes_the_lowest_level_when_no_level_2():
    skills, challenges = scope(tube("a", [3, 4, 5, 6]), tube("b", [4, 5, 6]))
    assert step(skills, challenges).challenge.skill_id == "@a3"


def test_skills_of_easy_tubes_come_first():
    skills, challenges = scope(tube("hard", [1, 2, 3, 4, 5, 6]), tube("easy", [1, 2, 3]))
    answers = [answer("@easy2", True)]
    while (result := step(skills, challenges, answers)).challenge.tube_id == "easy":
        answers.append(answer(result.challenge.skill_id, True))
    assert {ke.skill_id for ke in result.knowledge} >= {"@easy1", "@easy2", "@easy3"}


def test_no_timed_challenge_right_after_a_timed_one_unless_nothing_else():
    skills, challenges = scope(tube("a", [1, 2, 3, 4, 5], timed=(1, 2, 3, 5)), tube("b", [4], timed=(4,)))
    # @a2 (timed) was just answered: @a4 is the only untimed candidate left below θ + 2.
    result = step(skills, challenges, [PastAnswer("a2a", "@a2", AnswerStatus.OK)])
    assert result.challenge.skill_id == "@a4"
    # Only timed challenges left: the test goes on with one rather than ending.
    only_timed = scope(tube("a", [1, 2, 3], timed=(1, 2, 3)))
    result = step(*only_timed, [PastAnswer("a1a", "@a1", AnswerStatus.OK)])
    assert result.challenge is not None and result.challenge.timed


def test_skills_more_than_2_levels_above_the_estimate_are_not_asked():
    skills, challenges = scope(tube("a", [1, 2, 3, 4, 5, 6, 7, 8]))
    answers = [answer("@a2", False)]
    result = step(skills, challenges, answers)
    theta = rasch_level([(2, False)])
    assert result.challenge.level - theta <= 2
    # Nothing but @a1 is low enough, and after it the test ends with hard skills unsettled.
    answers.append(answer(result.challenge.skill_id, True))
    assert step(skills, challenges, answers).challenge is None


def test_a_challenge_not_in_the_language_or_already_answered_is_not_asked():
    english_only = tube("en", [1, 2, 3], languages=frozenset({"en"}))
    skills, challenges = scope(tube("a", [1, 2, 3]), english_only)
    asked = set()
    answers = []
    while (result := step(skills, challenges, answers, language="fr")).challenge:
        assert result.challenge.id not in asked
        assert "fr" in result.challenge.languages
        asked.add(result.challenge.id)
        answers.append(answer(result.challenge.skill_id, True))
    assert not any(ke.skill_id.startswith("@en") for ke in result.knowledge)


def test_reward_counts_the_statuses_the_answer_settles():
    skills, _ = scope(tube("a", [1, 2, 3, 4, 5]))
    # θ = d: P = 1/2; 3 skills at level ≤ 3 and 3 at level ≥ 3, the candidate on both sides.
    assert reward(skills[2], 3.0, skills, {}) == pytest.approx(3.0)
    known = {"@a1": object(), "@a5": object()}
    assert reward(skills[2], 3.0, skills, known) == pytest.approx(2.0)


def test_the_next_skill_has_the_highest_reward():
    skills, challenges = scope(tube("a", [1, 2, 3, 4, 5, 6]), tube("b", [1, 2]))
    result = step(skills, challenges, [answer("@b2", True)])  # θ goes up; easy tube b done
    theta = result.estimated_level
    known = {ke.skill_id for ke in result.knowledge}
    tube_a = [s for s in skills if s.tube_id == "a"]
    candidates = [s for s in tube_a if s.id not in known and s.level - theta <= 2]
    rewards = {s.id: reward(s, theta, tube_a, known) for s in candidates}
    assert rewards[result.challenge.skill_id] == pytest.approx(max(rewards.values()))


def test_the_test_stops_when_no_candidate_is_left():
    skills, challenges = scope(tube("a", [1, 2]))
    result = step(skills, challenges, [answer("@a2", True)])
    assert result.challenge is None
    assert result.estimated_total == result.answered_count == 1


def test_the_choice_is_deterministic_per_assessment_and_varies_between_assessments():
    skills, challenges = scope(*(tube(name, [1, 2, 3]) for name in "abcdef"))
    firsts = {step(skills, challenges, seed=seed).challenge.id for seed in range(40)}
    assert len(firsts) > 1
    for seed in range(5):
        assert step(skills, challenges, seed=seed) == step(skills, challenges, seed=seed)


def test_prior_knowledge_is_not_asked_again_but_retests_are():
    skills, challenges = scope(tube("a", [1, 2, 3]))
    prior = (
        KnowledgeElement("@a1", V, D),
        KnowledgeElement("@a2", I, D),
        KnowledgeElement("@a3", I, INF),
    )
    assert step(skills, challenges, prior=prior).challenge is None
    retry = step(skills, challenges, prior=prior, retest_skill_ids=frozenset({"@a2", "@a3"}))
    assert retry.challenge.skill_id == "@a2"
    assert statuses(retry) == {"@a1": (V, D)}


def test_a_validated_prior_cannot_be_retested():
    skills, challenges = scope(tube("a", [1, 2]))
    prior = (KnowledgeElement("@a1", V, D), KnowledgeElement("@a2", V, D))
    assert step(skills, challenges, prior=prior, retest_skill_ids=frozenset({"@a1"})).challenge is None
