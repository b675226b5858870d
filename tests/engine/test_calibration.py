"""Calibration: parameter recovery on simulated answers, the CSV reader and the command."""

import csv
import subprocess
import sys

import numpy as np
import pytest

from balise.engine import calibrate
from balise.engine.calibration import answer_matrix, calibrate_2pl, simulate_answers


@pytest.fixture(scope="module")
def simulated():
    return simulate_answers(20_000, 60, 30, np.random.default_rng(42))


@pytest.fixture(scope="module")
def fitted(simulated):
    return calibrate_2pl(simulated.learner, simulated.challenge, simulated.correct)


def rmse(x, y):
    return float(np.sqrt(np.mean((np.asarray(x) - np.asarray(y)) ** 2)))


def test_simulated_learners_answer_distinct_challenges(simulated):
    pairs = simulated.learner.astype(np.int64) * 60 + simulated.challenge
    assert np.unique(pairs).size == pairs.size == 20_000 * 30


def test_recovers_simulated_parameters(simulated, fitted):
    # 10,000 answers per challenge: sampling error of a and b is about 0.03.
    assert fitted.converged
    assert rmse(fitted.a, simulated.a) < 0.06
    assert rmse(fitted.b, simulated.b) < 0.06
    assert np.corrcoef(fitted.b, simulated.b)[0, 1] > 0.99


def test_standard_errors_are_of_the_size_of_the_actual_errors(simulated, fitted):
    assert 0.5 < rmse(fitted.a, simulated.a) / np.sqrt(np.mean(fitted.se_a**2)) < 2.0
    assert 0.5 < rmse(fitted.b, simulated.b) / np.sqrt(np.mean(fitted.se_b**2)) < 2.0
    assert np.array_equal(fitted.answers, np.bincount(simulated.challenge, minlength=60))


def test_row_order_does_not_matter(simulated, fitted):
    order = np.random.default_rng(0).permutation(simulated.correct.size)
    shuffled = calibrate_2pl(simulated.learner[order], simulated.challenge[order], simulated.correct[order])
    assert np.allclose(shuffled.a, fitted.a, atol=1e-3)
    assert np.allclose(shuffled.b, fitted.b, atol=1e-3)


def test_answer_matrix_puts_right_and_wrong_answers_in_separate_columns():
    matrix = answer_matrix(np.array([1, 0, 1]), np.array([0, 1, 1]), np.array([True, False, False]), 2, 2).toarray()
    assert matrix.tolist() == [[0, 0, 0, 1], [1, 0, 0, 1]]


def test_a_challenge_everyone_got_right_stays_finite(simulated):
    correct = simulated.correct.copy()
    correct[simulated.challenge == 0] = True
    result = calibrate_2pl(simulated.learner, simulated.challenge, correct)
    assert np.all(np.isfinite(result.a)) and np.all(np.isfinite(result.b))
    assert result.b[0] < -2.5


def test_bad_arrays_are_refused():
    with pytest.raises(ValueError):
        calibrate_2pl([0, 1], [0], [True, False])
    with pytest.raises(ValueError):
        calibrate_2pl([], [], [])
    with pytest.raises(ValueError):
        calibrate_2pl([0, -1], [0, 0], [True, False])


def write_answers(path, simulated, learners=None, newline="\n", trailing=True):
    rows = [
        f"learner-{l},challenge-{c:02d},{int(k)}"
        for l, c, k in zip(simulated.learner, simulated.challenge, simulated.correct)
    ]
    text = newline.join(["learner,challenge,correct", *rows]) + (newline if trailing else "")
    path.write_bytes(text.encode())
    return path


def test_reader_handles_chunk_boundaries_crlf_and_no_final_newline(tmp_path, simulated, monkeypatch):
    small = simulate_answers(300, 20, 5, np.random.default_rng(1))
    monkeypatch.setattr(calibrate, "CHUNK_BYTES", 1000)  # many chunks, lines cut across them
    for newline, trailing in (("\n", True), ("\r\n", False)):
        path = write_answers(tmp_path / "answers.csv", small, newline=newline, trailing=trailing)
        answers = calibrate.read_answers(str(path))
        assert answers.correct.size == small.correct.size
        learners = np.array([int(x.split(b"-")[1]) for x in answers.learner_ids])[answers.learner]
        challenges = np.array([int(x.split(b"-")[1]) for x in answers.challenge_ids])[answers.challenge]
        assert np.array_equal(learners, small.learner)
        assert np.array_equal(challenges, small.challenge)
        assert np.array_equal(answers.correct, small.correct)


def run_command(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "balise.engine.calibrate", *arguments, "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_command_writes_parameters_with_errors_and_counts(tmp_path):
    small = simulate_answers(6_000, 20, 20, np.random.default_rng(3))
    answers = write_answers(tmp_path / "answers.csv", small)
    out = tmp_path / "params.csv"
    completed = run_command(str(answers), "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    with open(out, newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["challenge", "a", "b", "se_a", "se_b", "answers"]
    assert [row["challenge"] for row in rows] == [f"challenge-{j:02d}" for j in range(20)]
    assert sum(int(row["answers"]) for row in rows) == 6_000 * 20
    assert rmse([float(r["b"]) for r in rows], small.b) < 0.1
    assert rmse([float(r["a"]) for r in rows], small.a) < 0.12
    assert all(0 < float(r["se_b"]) < 0.2 for r in rows)


@pytest.mark.parametrize(
    "content, message",
    [
        ("learner,item,correct\nu,c,1\n", ":1: expected the header learner,challenge,correct"),
        (
            "learner,challenge,correct\nu,c,1\nu,c\n",
            ":3: expected 3 fields (learner,challenge,correct), got 2",
        ),
        (
            "learner,challenge,correct\nu,c,1\nu,d,1,1\n",
            ":3: expected 3 fields (learner,challenge,correct), got 4",
        ),
        ("learner,challenge,correct\nu,c,1\nv,d,yes\n", ":3: correct must be 0 or 1"),
        ("learner,challenge,correct\nu,c,1\nv,d,2\n", ":3: correct must be 0 or 1"),
        ("learner,challenge,correct\nu,c,1\nv,,1\n", ":3: empty learner or challenge id"),
        ("learner,challenge,correct\n", ": no answers after the header"),
    ],
)
def test_command_reports_bad_input_with_file_and_line(tmp_path, content, message):
    answers = tmp_path / "answers.csv"
    answers.write_text(content)
    completed = run_command(str(answers), "--out", str(tmp_path / "params.csv"))
    assert completed.returncode == 2
    assert completed.stderr.strip() == f"{answers}{message}"
    assert not (tmp_path / "params.csv").exists()


def test_command_reports_a_missing_file(tmp_path):
    completed = run_command(str(tmp_path / "none.csv"), "--out", str(tmp_path / "params.csv"))
    assert completed.returncode == 2
    assert completed.stderr.strip() == f"{tmp_path / 'none.csv'}: cannot read: No such file or directory"
