"""The default strategy: robust to a slip, complete at the end, retry/improve, campaigns."""

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
    restrict_to_target_profile,
)

V, I = KnowledgeStatus.VALIDATED, KnowledgeStatus.INVALIDATED


def competence(levels_by_tube: dict[str, list[int]], challenges_per_skill: int = 1):
    skills = [Skill(f"@{t}{level}", t, "1.1", level) for t, levels in levels_by_tube.items() for level in levels]
    challenges = [
        Challenge(f"{s.id[1:]}-{n}", s.id, s.tube_id, "1.1", s.level)
        for s in skills
        for n in range(challenges_per_skill)
    ]
    return tuple(skills), tuple(challenges)


FIVE_TUBES = competence({t: [1, 2, 3, 4, 5, 6] for t in "abcde"})


def run(skills, challenges, answer_right, strategy="default", answers=(), **kwargs):
    """Plays a test to its end after the given answers; answer_right(challenge) decides
    each new answer."""
    answers = list(answers)
    while True:
        result = next_step(PositioningInput(skills, challenges, tuple(answers), **kwargs), strategy)
        if result.challenge is None:
            return result, answers
        right = answer_right(result.challenge)
        answers.append(
            PastAnswer(
                result.challenge.id,
                result.challenge.skill_id,
                AnswerStatus.OK if right else AnswerStatus.KO,
            )
        )


def validated(result) -> set[str]:
    return {ke.skill_id for ke in result.knowledge if ke.status is V}


@pytest.mark.parametrize("strategy", ["default", "reference"])
def test_a_learner_who_knows_everything_gets_everything(strategy):
    result, answers = run(*FIVE_TUBES, lambda c: True, strategy)
    assert validated(result) == {s.id for s in FIVE_TUBES[0]}
    assert 0 < len(answers) < len(FIVE_TUBES[0])


@pytest.mark.parametrize("strategy", ["default", "reference"])
def test_a_learner_who_knows_nothing_gets_nothing(strategy):
    result, _ = run(*FIVE_TUBES, lambda c: False, strategy)
    assert validated(result) == set()


def test_the_final_knowledge_settles_every_skill_in_scope():
    result, answers = run(*FIVE_TUBES, lambda c: c.level <= 3)
    assert {ke.skill_id for ke in result.knowledge} == {s.id for s in FIVE_TUBES[0]}
    asked = {a.skill_id for a in answers}
    for ke in result.knowledge:
        expected = KnowledgeSource.DIRECT if ke.skill_id in asked else KnowledgeSource.INFERRED
        assert ke.source is expected
    assert validated(result) == {s.id for s in FIVE_TUBES[0] if s.level <= 3}


def test_one_slip_does_not_invalidate_a_whole_tube():
    # A level-4 learner whose answer on @a2 was a slip; every later answer tells the truth.
    history = [("@b4", True), ("@c4", True), ("@d4", True), ("@a2", False), ("@a4", True)]
    given = [PastAnswer(f"{s[1:]}-0", s, AnswerStatus.OK if ok else AnswerStatus.KO) for s, ok in history]
    result, _ = run(*FIVE_TUBES, lambda c: c.level <= 4, answers=given)
    assert {"@a1", "@a2", "@a3", "@a4"} <= validated(result)
    # The reference, on the same first answers, has lost the tube from the slip up.
    reference = next_step(PositioningInput(*FIVE_TUBES, tuple(given)), "reference")
    assert not {"@a2", "@a3", "@a5"} & validated(reference)


def test_a_surprising_answer_is_confirmed_before_a_tube_is_settled():
    skills, challenges = competence({"a": [1, 2, 3, 4, 5, 6], "b": [1, 2, 3, 4, 5, 6]}, 2)
    answers = []
    # Strong evidence of level 5 on tube b, then one wrong answer at a1 on tube a.
    for level in (3, 5, 4):
        answers.append(PastAnswer(f"b{level}-0", f"@b{level}", AnswerStatus.OK))
    answers.append(PastAnswer("a1-0", "@a1", AnswerStatus.KO))
    result = next_step(PositioningInput(skills, challenges, tuple(answers)))
    assert result.challenge is not None and result.challenge.tube_id == "a"
    assert "@a1" not in {ke.skill_id for ke in result.knowledge}  # not settled yet


def test_the_same_input_gives_the_same_step():
    answers = (PastAnswer("a3-0", "@a3", AnswerStatus.OK),)
    first = next_step(PositioningInput(*FIVE_TUBES, answers, seed=42))
    assert next_step(PositioningInput(*FIVE_TUBES, answers, seed=42)) == first


def test_the_first_challenge_is_not_the_same_for_everyone():
    firsts = {next_step(PositioningInput(*FIVE_TUBES, (), seed=seed)).challenge.tube_id for seed in range(30)}
    assert len(firsts) > 1


def test_the_test_ends_and_its_length_is_bounded():
    result, answers = run(*FIVE_TUBES, lambda c: c.level % 2 == 0)  # an incoherent learner
    assert result.challenge is None
    assert len(answers) <= 4 * 5
    assert result.estimated_total == len(answers)


def test_progress_estimate_is_ahead_of_the_answers_during_the_test():
    answers = []
    for _ in range(3):
        result = next_step(PositioningInput(*FIVE_TUBES, tuple(answers)))
        assert result.estimated_total > result.answered_count == len(answers)
        answers.append(PastAnswer(result.challenge.id, result.challenge.skill_id, AnswerStatus.OK))


def test_prior_knowledge_is_kept_and_not_asked_again():
    prior = tuple(KnowledgeElement(f"@a{level}", V, KnowledgeSource.DIRECT) for level in (1, 2, 3))
    result, answers = run(*FIVE_TUBES, lambda c: c.level <= 3, prior=prior)
    assert not {"@a1", "@a2", "@a3"} & {a.skill_id for a in answers}
    assert set(prior) <= set(result.knowledge)


def test_improve_retests_invalidated_skills():
    prior = tuple(KnowledgeElement(f"@a{level}", I, KnowledgeSource.DIRECT) for level in range(1, 7))
    retest = frozenset(ke.skill_id for ke in prior)
    # The learner has since learnt tube a up to level 4.
    result, answers = run(*FIVE_TUBES, lambda c: c.level <= 4, prior=prior, retest_skill_ids=retest)
    assert any(a.skill_id.startswith("@a") for a in answers)
    assert {"@a1", "@a2", "@a3", "@a4"} <= validated(result)


def test_campaign_scope_is_the_capped_tubes():
    skills, challenges = restrict_to_target_profile(*FIVE_TUBES, {"a": 3, "c": 6})
    assert {s.id for s in skills} == {"@a1", "@a2", "@a3", *(f"@c{level}" for level in range(1, 7))}
    assert {c.skill_id for c in challenges} == {s.id for s in skills}
    result, answers = run(skills, challenges, lambda c: True)
    assert {a.skill_id for a in answers} <= {s.id for s in skills}
    assert validated(result) == {s.id for s in skills}


def test_a_challenge_in_another_language_is_never_asked():
    skills, challenges = FIVE_TUBES
    challenges = tuple(
        Challenge(c.id, c.skill_id, c.tube_id, c.competence_id, c.level, languages=frozenset({"en"}))
        if c.tube_id == "b"
        else c
        for c in challenges
    )
    _, answers = run(skills, challenges, lambda c: c.level <= 3, language="fr")
    assert not any(a.skill_id.startswith("@b") for a in answers)


def test_an_empty_scope_ends_at_once():
    result = next_step(PositioningInput((), (), ()))
    assert result.challenge is None and result.knowledge == ()


def test_an_unknown_strategy_is_refused():
    with pytest.raises(ValueError, match="unknown positioning strategy"):
        next_step(PositioningInput(*FIVE_TUBES, ()), "clever")


def test_default_never_ends_without_a_question_nor_validates_without_a_right_answer():
    from balise.engine.answers import AnswerStatus
    from balise.engine.framework import Challenge, Skill
    from balise.engine.positioning import KnowledgeStatus, PastAnswer, PositioningInput, next_step

    skills = (Skill("@easy1", "easy", "c", 1),)
    challenges = (Challenge("easy1a", "@easy1", "easy", "c", 1, timed=True),)
    first = next_step(PositioningInput(skills=skills, challenges=challenges, answers=()))
    assert first.challenge is not None and first.challenge.id == "easy1a"
    wrong = (PastAnswer("easy1a", "@easy1", AnswerStatus.KO),)
    end = next_step(PositioningInput(skills=skills, challenges=challenges, answers=wrong))
    assert end.challenge is None
    assert all(ke.status is KnowledgeStatus.INVALIDATED for ke in end.knowledge)


def test_an_evidence_only_tube_is_asked_and_never_credited_from_the_other_tubes():
    from balise.engine.answers import AnswerStatus
    from balise.engine.framework import Challenge, Skill
    from balise.engine.positioning import KnowledgeStatus, PastAnswer, PositioningInput, next_step

    shared = [Skill(f"@shared{level}", "shared", "c", level) for level in range(1, 6)]
    local = [Skill(f"@local{level}", "local", "c", level) for level in range(1, 3)]
    skills = tuple(shared + local)
    challenges = tuple(Challenge(f"{s.id[1:]}a", s.id, s.tube_id, "c", s.level) for s in skills)

    def run(evidence_only, answer_local):
        answers = []
        for _ in range(30):
            inp = PositioningInput(
                skills=skills, challenges=challenges, answers=tuple(answers), evidence_only_tube_ids=evidence_only
            )
            step = next_step(inp)
            if step.challenge is None:
                return answers, {ke.skill_id: ke.status for ke in step.knowledge}
            right = step.challenge.tube_id == "shared" or answer_local
            answers.append(
                PastAnswer(step.challenge.id, step.challenge.skill_id, AnswerStatus.OK if right else AnswerStatus.KO)
            )
        raise AssertionError("the test never ends")

    answers, knowledge = run(frozenset({"local"}), answer_local=False)
    assert any(a.skill_id.startswith("@local") for a in answers)  # the local tube is asked
    assert knowledge.get("@local1") is not KnowledgeStatus.VALIDATED
    answers, knowledge = run(frozenset({"local"}), answer_local=True)
    assert knowledge.get("@local1") is KnowledgeStatus.VALIDATED
