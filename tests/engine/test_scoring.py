"""Pix values, competence pix and level, total, certifiability (ALGORITHMS.md §1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balise.engine.framework import Skill
from balise.engine.scoring import (
    CompetenceScore,
    competence_score,
    is_certifiable,
    skill_pix_values,
    total_pix,
)


def skills_with_levels(*counts_per_level: int, competence: str = "1.1") -> list[Skill]:
    """counts_per_level[i] skills at level i + 1, each in its own tube."""
    return [
        Skill(id=f"{competence}-{level}-{n}", tube_id=f"t{n}", competence_id=competence, level=level)
        for level, count in enumerate(counts_per_level, start=1)
        for n in range(count)
    ]


@pytest.mark.parametrize("same_level, value", [(1, 4.0), (2, 4.0), (3, 8 / 3), (4, 2.0), (5, 1.6)])
def test_pix_value_is_min_of_4_and_8_over_skills_of_the_level(same_level, value):
    values = skill_pix_values(skills_with_levels(same_level))
    assert len(values) == same_level
    assert all(v == pytest.approx(value) for v in values.values())


def test_pix_values_are_counted_per_competence():
    mixed = skills_with_levels(3, competence="1.1") + skills_with_levels(2, competence="1.2")
    values = skill_pix_values(mixed)
    assert values["1.1-1-0"] == pytest.approx(8 / 3)
    assert values["1.2-1-0"] == 4.0


def test_three_skills_worth_8_over_3_make_a_full_level_exactly():
    skills = skills_with_levels(3)
    score = competence_score("1.1", skills, [s.id for s in skills])
    assert (score.pix, score.level) == (8, 1)


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=8), st.data())
def test_competence_pix_is_the_floored_sum_and_level_its_eighth(counts, data):
    skills = skills_with_levels(*counts)
    validated = data.draw(st.sets(st.sampled_from([s.id for s in skills])))
    values = skill_pix_values(skills)
    score = competence_score("1.1", skills, validated, max_level=8)
    expected = int(sum(values[s] for s in validated) + 1e-9)
    assert score.pix == expected
    assert score.level == expected // 8


def test_pix_and_level_are_capped_by_the_max_reachable_level():
    skills = skills_with_levels(2, 2, 2, 2, 2, 2, 2)  # 7 levels, 8 pix each
    everything = [s.id for s in skills]
    assert competence_score("1.1", skills, everything, max_level=5) == CompetenceScore("1.1", 40, 5)
    assert competence_score("1.1", skills, everything, max_level=7) == CompetenceScore("1.1", 56, 7)


def test_only_the_competence_own_active_skills_count():
    skills = skills_with_levels(2) + skills_with_levels(2, competence="2.1")
    score = competence_score("1.1", skills, ["1.1-1-0", "2.1-1-0", "archived-skill"])
    assert (score.pix, score.level) == (4, 0)


def test_a_level_with_one_skill_is_worth_half_a_level():
    skills = skills_with_levels(1, 1)
    score = competence_score("1.1", skills, [s.id for s in skills])
    assert (score.pix, score.level) == (8, 1)


def test_total_pix_sums_competences():
    scores = [
        CompetenceScore("1.1", 12, 1),
        CompetenceScore("1.2", 40, 5),
        CompetenceScore("2.1", 0, 0),
    ]
    assert total_pix(scores) == 52
    assert total_pix([]) == 0


@pytest.mark.parametrize(
    "levels, certifiable",
    [
        ([1, 1, 1, 1, 1], True),
        ([1, 1, 1, 1, 0, 0, 0], False),
        ([5, 5, 5, 5], False),
        ([2] * 16, True),
    ],
)
def test_certifiable_with_five_competences_at_level_one(levels, certifiable):
    scores = [CompetenceScore(f"c{i}", level * 8, level) for i, level in enumerate(levels)]
    assert is_certifiable(scores) is certifiable


def test_certifiability_threshold_is_a_setting():
    scores = [CompetenceScore(f"c{i}", 8, 1) for i in range(3)]
    assert is_certifiable(scores, min_competences=3)
    assert not is_certifiable(scores, min_competences=4)
