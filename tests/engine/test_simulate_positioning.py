"""`python -m balise.engine.simulate positioning`, through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

FRAMEWORK = {
    "tubes": [
        {
            "id": "t1",
            "competence": "1.1",
            "skills": [{"id": f"@t1{n}", "level": n} for n in range(1, 7)],
        },
        {
            "id": "t2",
            "competence": "1.1",
            "challenges": 2,
            "skills": [{"id": f"@t2{n}", "level": n} for n in (1, 2, 4, 5)],
        },
        {
            "id": "t3",
            "competence": "1.1",
            "skills": [{"id": f"@t3{n}", "level": n} for n in (2, 3, 5)],
        },
    ]
}


def population(masteries, slip=0.1, guess=0.2):
    return {"learners": [{"mastery": m, "slip": slip, "guess": guess} for m in masteries]}


def simulate(tmp_path, framework, pop, *extra):
    fw, pp = tmp_path / "FW.json", tmp_path / "POP.json"
    fw.write_text(framework if isinstance(framework, str) else json.dumps(framework))
    pp.write_text(pop if isinstance(pop, str) else json.dumps(pop))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "balise.engine.simulate",
            "positioning",
            "--framework",
            str(fw),
            "--population",
            str(pp),
            *extra,
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


@pytest.mark.parametrize("strategy", ["reference", "default"])
def test_prints_the_figures_as_one_json_object(tmp_path, strategy):
    pop = population([{"t1": m, "t2": m, "t3": m} for m in range(7)] * 3)
    done = simulate(tmp_path, FRAMEWORK, pop, "--strategy", strategy, "--seed", "3")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["strategy"] == strategy
    assert figures["learners"] == 21
    assert 1 <= figures["mean_questions"] <= 13
    assert 0.5 <= figures["skill_status_accuracy"] <= 1
    assert 0 <= figures["level_exact_rate"] <= 1
    assert figures["us_per_step"] > 0


def test_noiseless_learners_are_measured_exactly_by_the_reference(tmp_path):
    pop = population([{"t1": m, "t2": m, "t3": m} for m in range(7)], slip=0, guess=0)
    done = simulate(tmp_path, FRAMEWORK, pop, "--strategy", "reference")
    figures = json.loads(done.stdout)
    # The only possible errors are skills too hard to be asked: with a level-6 learner the
    # reference never reaches them, so accuracy is high but is checked against the truth.
    assert figures["skill_status_accuracy"] >= 0.9
    assert figures["level_exact_rate"] >= 6 / 7


def test_the_same_seed_gives_the_same_figures(tmp_path):
    pop = population([{"t1": 3, "t2": 2, "t3": 4}] * 10)
    first = json.loads(simulate(tmp_path, FRAMEWORK, pop, "--seed", "5").stdout)
    again = json.loads(simulate(tmp_path, FRAMEWORK, pop, "--seed", "5").stdout)
    for key in ("mean_questions", "skill_status_accuracy", "level_exact_rate"):
        assert first[key] == again[key]


def with_skill_level(value):
    framework = json.loads(json.dumps(FRAMEWORK))
    framework["tubes"][2]["skills"][0]["level"] = value
    return framework


@pytest.mark.parametrize(
    "framework, pop, message",
    [
        (with_skill_level(9), None, "FW.json: tubes[2].skills[0].level: expected an integer 1-8"),
        (with_skill_level("3"), None, "FW.json: tubes[2].skills[0].level: expected an integer 1-8"),
        (
            with_skill_level(True),
            None,
            "FW.json: tubes[2].skills[0].level: expected an integer 1-8",
        ),
        ({"tubes": []}, None, "FW.json: tubes: expected a non-empty list"),
        (
            {"tubes": [{"id": "t", "competence": "c", "skills": [{"level": 1}]}]},
            None,
            "FW.json: tubes[0].skills[0].id: expected a non-empty string",
        ),
        (
            {"tubes": [{"id": "t", "skills": [{"id": "s", "level": 1}]}]},
            None,
            "FW.json: tubes[0].competence: expected a non-empty string",
        ),
        (
            {
                "tubes": [
                    {
                        "id": "t",
                        "competence": "c",
                        "challenges": 0,
                        "skills": [{"id": "s", "level": 1}],
                    }
                ]
            },
            None,
            "FW.json: tubes[0].challenges: expected an integer >= 1",
        ),
        (
            {
                "tubes": [
                    {
                        "id": "t",
                        "competence": "c",
                        "skills": [{"id": "s", "level": 1}, {"id": "s", "level": 2}],
                    }
                ]
            },
            None,
            "FW.json: tubes[0].skills[1].id: duplicate skill id 's'",
        ),
        ("{not json", None, "FW.json: line 1 column 2: invalid JSON"),
        (
            FRAMEWORK,
            {"learners": [{"mastery": {"t1": 1, "t2": 1}}]},
            "POP.json: learners[0].mastery: missing tube 't3'",
        ),
        (
            FRAMEWORK,
            {"learners": [{"mastery": {"t1": 1, "t2": 1, "t3": 1, "t9": 2}}]},
            "POP.json: learners[0].mastery.t9: not a tube of the framework",
        ),
        (
            FRAMEWORK,
            {
                "learners": [
                    {"mastery": {"t1": 1, "t2": 1, "t3": 1}},
                    {"mastery": {"t1": 1, "t2": -1, "t3": 1}},
                ]
            },
            "POP.json: learners[1].mastery.t2: expected an integer 0-8",
        ),
        (
            FRAMEWORK,
            {"learners": [{"mastery": {"t1": 1, "t2": 1, "t3": 1}, "slip": 1.5}]},
            "POP.json: learners[0].slip: expected a number between 0 and 1",
        ),
        (FRAMEWORK, {"people": []}, "POP.json: learners: expected a non-empty list"),
        (FRAMEWORK, [], "POP.json: expected an object"),
    ],
)
def test_a_bad_field_is_reported_with_its_path_and_exit_code_2(tmp_path, framework, pop, message):
    pop = population([{"t1": 1, "t2": 1, "t3": 1}]) if pop is None else pop
    done = simulate(tmp_path, framework, pop)
    assert done.returncode == 2
    assert message in done.stderr.replace(str(tmp_path) + "/", "")
    assert done.stdout == ""


def test_a_missing_file_is_reported_with_exit_code_2(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "balise.engine.simulate",
            "positioning",
            "--framework",
            str(tmp_path / "nowhere.json"),
            "--population",
            str(tmp_path / "pop.json"),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "nowhere.json: cannot read" in done.stderr


def test_an_unknown_strategy_or_command_is_a_usage_error(tmp_path):
    pop = population([{"t1": 1, "t2": 1, "t3": 1}])
    assert simulate(tmp_path, FRAMEWORK, pop, "--strategy", "magic").returncode == 2
    done = subprocess.run(
        [sys.executable, "-m", "balise.engine.simulate", "juggle"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "positioning" in done.stderr and "certification" in done.stderr
