"""The certification test: rules, exposure control, estimate, score, validity, simulator."""

import json
import math
import subprocess
import sys
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from balise.engine.certification import (
    DEFAULT_EXPOSURE,
    REFERENCE_BOUNDS,
    REFERENCE_EXPOSURE,
    REFERENCE_SCORE_EDGES,
    AdaptiveTestRun,
    CertificationAnswer,
    ExposureControl,
    PreparedBank,
    capacity_to_level,
    capacity_to_score,
    certification_state,
    estimate_capacity,
    next_challenge,
    score_certification,
    score_standard_error,
)
from balise.engine.framework import Challenge
from balise.engine.irt import POPULATION_PRIOR, REFERENCE_PRIOR, eap_estimate, fisher_information
from balise.engine.simulate_certification import simulate_certification


def make_bank(competences=16, tubes=4, per_tube=3, seed=7):
    rng = np.random.default_rng(seed)
    challenges = []
    for c in range(competences):
        for t in range(tubes):
            for k in range(per_tube):
                challenges.append(
                    Challenge(
                        id=f"ch-{c}-{t}-{k}",
                        skill_id=f"sk-{c}-{t}-{k}",
                        tube_id=f"tu-{c}-{t}",
                        competence_id=f"co-{c}",
                        level=k + 1,
                        discrimination=float(rng.lognormal(0.2, 0.3)),
                        difficulty=float(rng.normal()),
                    )
                )
    return challenges


BANK = make_bank()
PREPARED = PreparedBank.from_challenges(BANK)
BY_ID = {c.id: c for c in BANK}


def take_test(bank, rng, answer=lambda challenge: True, length=32, **options):
    answers = []
    while True:
        challenge = next_challenge(bank, answers, rng, length=length, **options)
        if challenge is None:
            return answers
        answers.append(CertificationAnswer(challenge.id, answer(challenge)))


def test_a_full_test_asks_32_distinct_challenges_then_stops():
    answers = take_test(PREPARED, np.random.default_rng(1))
    assert len(answers) == 32
    assert len({a.challenge_id for a in answers}) == 32


def test_at_most_one_challenge_per_tube():
    for seed in range(5):
        answers = take_test(PREPARED, np.random.default_rng(seed), answer=lambda c, s=seed: s % 2 == 0)
        tubes = [BY_ID[a.challenge_id].tube_id for a in answers]
        assert len(tubes) == len(set(tubes))


def test_at_most_one_challenge_per_skill_even_across_tubes():
    # Two tubes of each competence share their skills: once a skill is asked through one
    # tube, its twin in the other tube is ruled out.
    shared = [
        Challenge(
            id=f"x-{c}-{t}-{k}",
            skill_id=f"sk-{c}-{k}",
            tube_id=f"tu-{c}-{t}-{k}",
            competence_id=f"co-{c}",
            level=1,
            discrimination=1.0,
            difficulty=0.1 * k,
        )
        for c in range(3)
        for t in range(2)
        for k in range(4)
    ]
    answers = take_test(shared, np.random.default_rng(3), length=12)
    skills = [c.skill_id for c in shared if c.id in {a.challenge_id for a in answers}]
    assert len(answers) == 12 and len(skills) == len(set(skills))


def test_every_competence_is_visited_before_one_is_repeated():
    for seed in range(5):
        answers = take_test(PREPARED, np.random.default_rng(seed))
        competences = [BY_ID[a.challenge_id].competence_id for a in answers]
        assert len(set(competences[:16])) == 16
        assert len(set(competences[16:32])) == 16


def test_never_the_competence_of_either_of_the_last_two():
    bank = make_bank(competences=3, tubes=6)
    by_id = {c.id: c for c in bank}
    for seed in range(10):
        answers = take_test(bank, np.random.default_rng(seed), length=12)
        competences = [by_id[a.challenge_id].competence_id for a in answers]
        for i in range(2, len(competences)):
            assert competences[i] not in competences[i - 2 : i]


def test_candidate_needing_an_accommodation_only_gets_accessible_challenges():
    # Tubes 0 and 1 of every competence are not usable without sight.
    bank = [replace(ch, usable_without_sight=int(ch.tube_id[-1]) >= 2) for ch in BANK]
    by_id = {c.id: c for c in bank}
    answers = take_test(bank, np.random.default_rng(0), needs_accommodation=True)
    assert answers and all(by_id[a.challenge_id].accessible for a in answers)
    assert len(answers) == 32  # 2 accessible tubes per competence are enough for 32
    without = take_test(bank, np.random.default_rng(0))
    assert not all(by_id[a.challenge_id].accessible for a in without)


def test_excluded_skills_are_never_asked():
    excluded = frozenset(c.skill_id for c in BANK if c.tube_id.endswith("-0"))
    for seed in range(3):
        answers = take_test(PREPARED, np.random.default_rng(seed), excluded_skill_ids=excluded)
        assert not {BY_ID[a.challenge_id].skill_id for a in answers} & excluded


def test_reference_draw_picks_rank_k_with_probability_051_times_049_to_the_k():
    run = AdaptiveTestRun(PREPARED, REFERENCE_PRIOR)
    information = fisher_information(-3.0, PREPARED.a, PREPARED.b)
    ranking = list(np.argsort(-information, kind="stable")[:5])
    rng = np.random.default_rng(11)
    draws = Counter(ranking.index(run.choose(rng, REFERENCE_EXPOSURE)) for _ in range(4000))
    for rank, expected in enumerate((0.51, 0.25, 0.12, 0.06, 0.06)):
        assert draws[rank] / 4000 == pytest.approx(expected, abs=0.025)


def _best_of_competence(run, chosen, count):
    # Selection reads the information table (θ̂ rounded to 0.05), which keeps near ties
    # in bank order; rank with the same values.
    information = PREPARED.information_at(run.theta)
    assert np.allclose(information, fisher_information(run.theta, PREPARED.a, PREPARED.b), rtol=0.1)
    within = np.flatnonzero((PREPARED.competence_index == PREPARED.competence_index[chosen]) & run.available)
    return within[np.argsort(-information[within], kind="stable")[:count]]


def test_default_draw_keeps_to_the_4_best_of_one_competence_then_the_2_best():
    rng = np.random.default_rng(5)
    first_visit_ranks, second_visit_ranks = Counter(), Counter()
    for _ in range(100):
        run = AdaptiveTestRun(PREPARED, POPULATION_PRIOR)
        chosen = run.choose(rng, DEFAULT_EXPOSURE)
        first_visit_ranks[list(_best_of_competence(run, chosen, 4)).index(chosen)] += 1
        for _ in range(16):  # every competence visited once
            run.record(run.choose(rng, DEFAULT_EXPOSURE), bool(rng.random() < 0.5))
        chosen = run.choose(rng, DEFAULT_EXPOSURE)
        second_visit_ranks[list(_best_of_competence(run, chosen, 2)).index(chosen)] += 1
    assert set(first_visit_ranks) == {0, 1, 2, 3}
    assert set(second_visit_ranks) == {0, 1} and second_visit_ranks[0] > second_visit_ranks[1]


def test_first_challenges_differ_between_candidates():
    firsts = {next_challenge(PREPARED, [], np.random.default_rng(seed)).id for seed in range(200)}
    assert len(firsts) >= 16
    reference_firsts = {
        next_challenge(
            PREPARED,
            [],
            np.random.default_rng(seed),
            prior=REFERENCE_PRIOR,
            exposure=REFERENCE_EXPOSURE,
        ).id
        for seed in range(200)
    }
    assert 2 <= len(reference_firsts) <= 5


def test_same_rng_state_gives_the_same_challenge():
    answers = take_test(PREPARED, np.random.default_rng(2), length=10)
    again = [next_challenge(PREPARED, answers, np.random.default_rng(99)).id for _ in range(3)]
    assert len(set(again)) == 1


def test_over_exposed_challenges_are_passed_over_while_others_remain():
    rng = np.random.default_rng(0)
    rates = {c.id: (0.9 if c.tube_id.endswith(("-0", "-1")) else 0.0) for c in BANK}
    for seed in range(20):
        chosen = next_challenge(PREPARED, [], np.random.default_rng(seed), exposure_rates=rates)
        assert rates[chosen.id] == 0.0
    # Everything over-exposed: the test goes on rather than stopping.
    assert next_challenge(PREPARED, [], rng, exposure_rates={c.id: 1.0 for c in BANK}) is not None


def test_exposure_weights_must_be_a_distribution():
    with pytest.raises(ValueError):
        ExposureControl(rank_weights=(0.5, 0.4))
    with pytest.raises(ValueError):
        ExposureControl(rank_weights=())


def test_estimate_capacity_is_the_eap_of_the_answers():
    answers = take_test(PREPARED, np.random.default_rng(4), answer=lambda c: c.b < 0.3)
    theta, se = estimate_capacity(BY_ID, answers)
    challenges = [BY_ID[a.challenge_id] for a in answers]
    expected = eap_estimate([c.a for c in challenges], [c.b for c in challenges], [a.correct for a in answers])
    assert (theta, se) == pytest.approx(expected)
    state = certification_state(PREPARED, answers)
    assert (state.theta, state.se) == pytest.approx(expected)
    assert state.answered == tuple(a.challenge_id for a in answers)


def test_estimate_before_any_answer():
    assert estimate_capacity(BY_ID, []) == (0.0, 5.0)
    assert estimate_capacity(BY_ID, [], prior=REFERENCE_PRIOR) == (-3.0, 5.0)


def test_unknown_challenge_in_answers_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown challenge"):
        estimate_capacity(BY_ID, [CertificationAnswer("nope", True)])
    with pytest.raises(ValueError, match="unknown challenge"):
        next_challenge(PREPARED, [CertificationAnswer("nope", True)], np.random.default_rng(0))


@pytest.mark.parametrize(
    "theta, score",
    [
        (-9.0, 0),
        (-8.0, 0),
        (-1.4, 64),
        (-0.519, 128),
        (0.6, 256),
        (1.5, 384),
        (2.25, 512),
        (3.1, 640),
        (4.0, 768),
        ((-1.4 - 0.519) / 2, 96),
        (-4.7, 32),
    ],
)
def test_score_maps_band_bounds_linearly(theta, score):
    assert capacity_to_score(theta) == score


def test_score_is_floored_and_capped_at_895_until_level_8_opens():
    just_above = -1.4 + 1e-6
    assert capacity_to_score(just_above) == 64
    assert capacity_to_score(-1.4 + 0.9 * (0.881 / 64)) == 64  # 64.9 → 64
    assert capacity_to_score(8.0) == 895 and capacity_to_score(20.0) == 895
    assert capacity_to_score(8.0, level8_open=True) == 896
    wider = (*REFERENCE_BOUNDS, 9.0), (*REFERENCE_SCORE_EDGES, 1024)
    assert capacity_to_score(9.0, bounds=wider[0], score_edges=wider[1], level8_open=True) == 1024


def test_score_scale_must_be_consistent():
    with pytest.raises(ValueError):
        capacity_to_score(0.0, bounds=(0.0, 1.0, 2.0), score_edges=(0, 64))
    with pytest.raises(ValueError):
        capacity_to_score(0.0, bounds=(1.0, 0.0), score_edges=(0, 64))


@pytest.mark.parametrize(
    "theta, level",
    [
        (-2.01, 0),
        (-2.0, 1),
        (-1.0, 2),
        (0.49, 2),
        (0.5, 3),
        (1.0, 4),
        (2.0, 5),
        (3.0, 6),
        (4.0, 7),
        (8.5, 7),
    ],
)
def test_competence_level_from_capacity(theta, level):
    assert capacity_to_level(theta) == level


def test_score_standard_error_is_the_band_slope_times_the_error():
    assert score_standard_error(1.0, 0.2) == pytest.approx((384 - 256) / (1.5 - 0.6) * 0.2)
    assert score_standard_error(-9.0, 0.3) == 0.0


def test_full_certification_is_scored_with_a_level_per_competence():
    answers = take_test(PREPARED, np.random.default_rng(8), answer=lambda c: c.b < 0.8)
    result = score_certification(PREPARED, answers)
    theta, se = estimate_capacity(BY_ID, answers)
    assert result.valid and result.answered == 32
    assert result.theta == pytest.approx(theta) and result.se == pytest.approx(se)
    assert result.score == capacity_to_score(theta)
    assert result.score_se == pytest.approx(score_standard_error(theta, se))
    assert set(result.competence_levels) == {f"co-{c}" for c in range(16)}
    assert set(result.competence_levels.values()) == {capacity_to_level(theta)}


def test_missing_answers_are_scored_wrong_and_fewer_than_20_is_invalid():
    answers = take_test(PREPARED, np.random.default_rng(9), answer=lambda c: True)
    stopped = answers[:24]
    result = score_certification(PREPARED, stopped)
    theta_answered, _ = estimate_capacity(BY_ID, stopped)
    assert result.valid and result.answered == 24
    assert result.theta < theta_answered - 0.3  # 8 wrong answers pulled it down
    assert not score_certification(PREPARED, answers[:19]).valid
    assert score_certification(PREPARED, answers[:20]).valid
    # Re-scoring is reproducible: the filler challenges involve no randomness.
    assert score_certification(PREPARED, stopped) == result


def test_level_thresholds_per_competence():
    answers = take_test(PREPARED, np.random.default_rng(8))
    result = score_certification(PREPARED, answers, level_thresholds_by_competence={"co-3": (9.0,)})
    assert result.competence_levels["co-3"] == 0
    assert result.competence_levels["co-4"] == capacity_to_level(result.theta)


def test_simulation_recovers_capacities_on_a_small_population():
    rng = np.random.default_rng(0)
    thetas = rng.normal(size=150)
    report = simulate_certification(PREPARED, thetas, np.random.default_rng(1))
    assert report.mean_length == 32
    assert report.rmse < 0.35 and abs(report.bias) < 0.1
    assert 0 < report.max_exposure <= 1 and 0 < report.bank_used_share <= 1
    assert report.us_per_step > 0


def write_json(path, document):
    path.write_text(json.dumps(document))
    return str(path)


def run_cli(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "balise.engine.simulate_certification", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_prints_one_json_object(tmp_path):
    items = [
        {
            "id": c.id,
            "competence": c.competence_id,
            "tube": c.tube_id,
            "skill": c.skill_id,
            "a": c.a,
            "b": c.b,
        }
        for c in BANK
    ]
    bank = write_json(tmp_path / "BANK.json", {"items": items})
    population = write_json(tmp_path / "POP.json", {"thetas": [-1.0, 0.0, 0.5, 1.5] * 10})
    completed = run_cli("--bank", bank, "--population", population, "--length", "20", "--seed", "3")
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert set(report) == {
        "rmse",
        "bias",
        "mean_se",
        "mean_length",
        "max_exposure",
        "bank_used_share",
        "us_per_step",
    }
    assert report["mean_length"] == 20 and math.isfinite(report["rmse"])


@pytest.mark.parametrize(
    "bank, population, message",
    [
        (
            {
                "items": [
                    {"id": "x", "competence": "c", "tube": "t", "skill": "s", "a": 1, "b": 0},
                    {"id": "y", "competence": "c", "tube": "t", "skill": "s", "a": -1, "b": 0},
                ]
            },
            {"thetas": [0]},
            "BANK.json: items[1].a: expected a positive number",
        ),
        (
            {"items": [{"id": "x", "competence": "c", "tube": "t", "skill": "s", "a": 1}]},
            {"thetas": [0]},
            "BANK.json: items[0].b: expected a number",
        ),
        (
            {"items": [{"id": "x", "competence": "", "tube": "t", "skill": "s", "a": 1, "b": 0}]},
            {"thetas": [0]},
            "BANK.json: items[0].competence: expected a non-empty string",
        ),
        (
            {"items": [{"id": "x", "competence": "c", "tube": "t", "skill": "s", "a": 1, "b": 0}] * 2},
            {"thetas": [0]},
            "BANK.json: items[1].id: duplicate id 'x'",
        ),
        ({"challenges": []}, {"thetas": [0]}, "BANK.json: items: expected a list of challenges"),
        (
            {"items": [{"id": "x", "competence": "c", "tube": "t", "skill": "s", "a": 1, "b": 0}]},
            {"thetas": [0, "high"]},
            "POP.json: thetas[1]: expected a number",
        ),
    ],
)
def test_cli_reports_the_path_of_a_bad_field(tmp_path, bank, population, message):
    completed = run_cli(
        "--bank",
        write_json(tmp_path / "BANK.json", bank),
        "--population",
        write_json(tmp_path / "POP.json", population),
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.strip() == f"{tmp_path / message}"


def test_cli_reports_invalid_json_and_missing_files(tmp_path):
    (tmp_path / "BANK.json").write_text("{ not json")
    population = write_json(tmp_path / "POP.json", {"thetas": [0]})
    completed = run_cli("--bank", str(tmp_path / "BANK.json"), "--population", population)
    assert completed.returncode == 2 and "BANK.json: line 1 column 3: invalid JSON" in completed.stderr
    completed = run_cli("--bank", str(tmp_path / "NONE.json"), "--population", population)
    assert completed.returncode == 2 and "NONE.json: cannot read" in completed.stderr
