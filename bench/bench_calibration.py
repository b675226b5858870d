"""Calibration benchmark: time, peak memory and parameter recovery of the 2PL EM fit.

    .venv/bin/python bench/bench_calibration.py [--learners 1000000] [--challenges 1000]
        [--answers 32] [--seed 0] [--skip-csv]

Simulates answers (θ ~ N(0, 1), a ~ lognormal(0.2, 0.3), b ~ N(0, 1), every learner
answering `--answers` random challenges), then measures in separate processes, so that
each peak memory is its own:
1. the fit on arrays (`calibrate_2pl`), peak memory traced by tracemalloc during the fit
   (inputs included) and the process's maximum resident set size;
2. the command `python -m balise.engine.calibrate ANSWERS.csv --out PARAMS.csv` on the
   same answers written as CSV: wall time and maximum resident set size of the command.
Both print the RMSE of a and b against the simulated truth.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc

import numpy as np

from balise.engine.calibration import calibrate_2pl, simulate_answers

LEARNER_DIGITS, CHALLENGE_DIGITS = 7, 4


def _rmse(estimate, truth) -> float:
    return float(np.sqrt(np.mean((np.asarray(estimate) - np.asarray(truth)) ** 2)))


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """ASCII digits of non-negative integers, zero-padded to `width` columns."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers % 10 + ord("0")).astype(np.uint8)


def write_csv(path: str, simulated) -> None:
    """Write the answers as `L0000001,C0001,1` lines, vectorised (32 M lines in seconds)."""
    width = 1 + LEARNER_DIGITS + 2 + CHALLENGE_DIGITS + 3
    with open(path, "wb") as stream:
        stream.write(b"learner,challenge,correct\n")
        block = 2_000_000
        for start in range(0, simulated.correct.size, block):
            stop = start + block
            rows = np.empty((min(block, simulated.correct.size - start), width), dtype=np.uint8)
            rows[:, 0] = ord("L")
            rows[:, 1 : 1 + LEARNER_DIGITS] = _digits(simulated.learner[start:stop], LEARNER_DIGITS)
            column = 1 + LEARNER_DIGITS
            rows[:, column] = ord(",")
            rows[:, column + 1] = ord("C")
            rows[:, column + 2 : column + 2 + CHALLENGE_DIGITS] = _digits(
                simulated.challenge[start:stop], CHALLENGE_DIGITS
            )
            column += 2 + CHALLENGE_DIGITS
            rows[:, column] = ord(",")
            rows[:, column + 1] = simulated.correct[start:stop] + ord("0")
            rows[:, column + 2] = ord("\n")
            stream.write(rows.tobytes())


def fit_on_arrays(arguments) -> dict:
    simulated = simulate_answers(
        arguments.learners,
        arguments.challenges,
        arguments.answers,
        np.random.default_rng(arguments.seed),
    )
    tracemalloc.start()
    started = time.perf_counter()
    result = calibrate_2pl(
        simulated.learner,
        simulated.challenge,
        simulated.correct,
        n_learners=arguments.learners,
        n_challenges=arguments.challenges,
    )
    seconds = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": round(seconds, 1),
        "em_steps": result.iterations,
        "converged": result.converged,
        "traced_peak_mb": round(traced_peak / 2**20),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rmse_a": round(_rmse(result.a, simulated.a), 4),
        "rmse_b": round(_rmse(result.b, simulated.b), 4),
        "mean_se_a": round(float(result.se_a.mean()), 4),
        "mean_se_b": round(float(result.se_b.mean()), 4),
    }


def command_on_csv(arguments) -> dict:
    simulated = simulate_answers(
        arguments.learners,
        arguments.challenges,
        arguments.answers,
        np.random.default_rng(arguments.seed),
    )
    with tempfile.TemporaryDirectory() as directory:
        answers_path = os.path.join(directory, "answers.csv")
        params_path = os.path.join(directory, "params.csv")
        write_csv(answers_path, simulated)
        size_mb = os.path.getsize(answers_path) / 2**20
        truth_a, truth_b = simulated.a, simulated.b
        del simulated
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "balise.engine.calibrate", answers_path, "--out", params_path],
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        log = process.stderr.read().decode()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"calibrate failed ({process.returncode}): {log}")
        with open(params_path, newline="") as stream:
            rows = list(csv.DictReader(stream))
    index = np.array([int(row["challenge"][1:]) for row in rows])
    return {
        "csv_mb": round(size_mb),
        "seconds": round(seconds, 1),
        "max_rss_mb": round(usage.ru_maxrss / 1024),
        "rmse_a": round(_rmse([float(r["a"]) for r in rows], truth_a[index]), 4),
        "rmse_b": round(_rmse([float(r["b"]) for r in rows], truth_b[index]), 4),
        "log": log.strip().splitlines(),
    }


def _run_child(mode: str, arguments) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--learners",
        str(arguments.learners),
        "--challenges",
        str(arguments.challenges),
        "--answers",
        str(arguments.answers),
        "--seed",
        str(arguments.seed),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--challenges", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-csv", action="store_true")
    parser.add_argument("--child", choices=("arrays", "csv"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        report = fit_on_arrays(arguments) if arguments.child == "arrays" else command_on_csv(arguments)
        print(json.dumps(report))
        return
    print(
        f"2PL calibration: {arguments.learners:,} learners x {arguments.challenges:,} challenges"
        f" x {arguments.answers} answers each = {arguments.learners * arguments.answers:,} answers"
        f" ({os.cpu_count()} cores)"
    )
    print("fit on arrays   ", json.dumps(_run_child("arrays", arguments)))
    if not arguments.skip_csv:
        print("command on CSV  ", json.dumps(_run_child("csv", arguments)))
    print("targets: fit < 90 s, peak memory < 3,000 MB, RMSE of a and b <= 0.05")


if __name__ == "__main__":
    main()
