"""Calibrate challenges from collected answers.

    python -m balise.engine.calibrate ANSWERS.csv --out PARAMS.csv

ANSWERS.csv has the header `learner,challenge,correct` and one answer per line (correct
is 0 or 1). PARAMS.csv gets `challenge,a,b,se_a,se_b,answers`, one line per challenge,
sorted by id: the standard errors and the number of answers tell an operator which
parameters to trust. A bad input file is reported on one line with the file and line
number, exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from balise.engine.calibration import CalibrationResult, calibrate_2pl

HEADER = b"learner,challenge,correct"
OUTPUT_HEADER = ("challenge", "a", "b", "se_a", "se_b", "answers")
CHUNK_BYTES = 32 << 20
_NEWLINE, _COMMA, _ZERO, _ONE = ord("\n"), ord(","), ord("0"), ord("1")


class AnswersFileError(Exception):
    """A bad answers file; the message names the file and the line."""


@dataclass(frozen=True)
class Answers:
    learner: NDArray[np.int32]
    challenge: NDArray[np.int32]
    correct: NDArray[np.bool_]
    learner_ids: list[bytes]
    challenge_ids: list[bytes]


def _encode(values: list[bytes], codes: dict[bytes, int]) -> NDArray[np.int32]:
    """Integer codes of string ids, growing `codes` with the ids seen for the first time.

    The Python loop runs once per distinct id of the chunk; the per-row look-up is a C
    `map` over the dictionary.
    """
    for key in dict.fromkeys(values):
        if key not in codes:
            codes[key] = len(codes)
    return np.fromiter(map(codes.__getitem__, values), dtype=np.int32, count=len(values))


def _check_lines(buffer: NDArray[np.uint8], path: str, first_line: int) -> NDArray[np.intp]:
    """Check every line of a chunk has two commas, non-empty ids and a 0/1 last field;
    return the positions of its newlines. Vectorised: no Python work per line."""
    newlines = np.flatnonzero(buffer == _NEWLINE)
    commas = np.flatnonzero(buffer == _COMMA)
    commas_before = np.searchsorted(commas, newlines)
    per_line = np.diff(commas_before, prepend=0)

    def fail(line_index: int, message: str) -> None:
        raise AnswersFileError(f"{path}:{first_line + line_index}: {message}")

    bad = np.flatnonzero(per_line != 2)
    if bad.size:
        fail(
            int(bad[0]),
            f"expected 3 fields (learner,challenge,correct), got {per_line[bad[0]] + 1}",
        )
    starts = np.concatenate([[0], newlines[:-1] + 1])
    first_comma, second_comma = commas[0::2], commas[1::2]
    bad = np.flatnonzero((first_comma == starts) | (second_comma == first_comma + 1))
    if bad.size:
        fail(int(bad[0]), "empty learner or challenge id")
    last = buffer[newlines - 1]
    bad = np.flatnonzero((newlines - second_comma != 2) | ((last != _ZERO) & (last != _ONE)))
    if bad.size:
        fail(int(bad[0]), "correct must be 0 or 1")
    return newlines


def read_answers(path: str) -> Answers:
    """Read ANSWERS.csv in chunks of 32 MB; raise AnswersFileError on the first bad line."""
    learner_codes: dict[bytes, int] = {}
    challenge_codes: dict[bytes, int] = {}
    learners: list[NDArray[np.int32]] = []
    challenges: list[NDArray[np.int32]] = []
    corrects: list[NDArray[np.bool_]] = []
    try:
        with open(path, "rb") as stream:
            _read_chunks(stream, path, learner_codes, challenge_codes, learners, challenges, corrects)
    except OSError as error:
        raise AnswersFileError(f"{path}: cannot read: {error.strerror or error}") from None
    if not learners:
        raise AnswersFileError(f"{path}: no answers after the header")
    return Answers(
        learner=np.concatenate(learners),
        challenge=np.concatenate(challenges),
        correct=np.concatenate(corrects),
        learner_ids=list(learner_codes),
        challenge_ids=list(challenge_codes),
    )


def _read_chunks(stream, path, learner_codes, challenge_codes, learners, challenges, corrects):
    """Append the codes and answers of every line after the header to the lists."""
    header = stream.readline()
    if header.startswith(b"\xef\xbb\xbf"):  # byte order mark of some spreadsheet exports
        header = header[3:]
    if header.rstrip(b"\r\n") != HEADER:
        raise AnswersFileError(f"{path}:1: expected the header {HEADER.decode()}")
    line = 2
    carry = b""
    while True:
        block = stream.read(CHUNK_BYTES)
        chunk = carry + block
        if block:
            cut = chunk.rfind(b"\n") + 1
            chunk, carry = chunk[:cut], chunk[cut:]
        else:
            chunk, carry = chunk.rstrip(b"\r\n"), b""
            if chunk:
                chunk += b"\n"
        if b"\r" in chunk:
            chunk = chunk.replace(b"\r\n", b"\n")
        if chunk:
            buffer = np.frombuffer(chunk, dtype=np.uint8)
            newlines = _check_lines(buffer, path, line)
            fields = chunk.replace(b"\n", b",").split(b",")
            learners.append(_encode(fields[0:-1:3], learner_codes))
            challenges.append(_encode(fields[1:-1:3], challenge_codes))
            corrects.append(buffer[newlines - 1] == _ONE)
            line += newlines.size
        if not block:
            break


def write_parameters(path: str, challenge_ids: list[bytes], result: CalibrationResult) -> None:
    order = sorted(range(len(challenge_ids)), key=challenge_ids.__getitem__)
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(OUTPUT_HEADER)
        for j in order:
            writer.writerow(
                (
                    challenge_ids[j].decode("utf-8", "replace"),
                    f"{result.a[j]:.4f}",
                    f"{result.b[j]:.4f}",
                    f"{result.se_a[j]:.4f}",
                    f"{result.se_b[j]:.4f}",
                    int(result.answers[j]),
                )
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m balise.engine.calibrate",
        description="Estimate the 2PL parameters of challenges from answers (learner,challenge,correct).",
    )
    parser.add_argument("answers", metavar="ANSWERS.csv")
    parser.add_argument("--out", required=True, metavar="PARAMS.csv")
    parser.add_argument("--tolerance", type=float, default=2e-4, help="stop when no a or b moves more")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    arguments = parser.parse_args(argv)

    def progress(message: str) -> None:
        if not arguments.quiet:
            print(message, file=sys.stderr)

    started = time.perf_counter()
    try:
        answers = read_answers(arguments.answers)
    except AnswersFileError as error:
        print(error, file=sys.stderr)
        return 2
    read = time.perf_counter()
    progress(
        f"read {answers.correct.size} answers of {len(answers.learner_ids)} learners to "
        f"{len(answers.challenge_ids)} challenges in {read - started:.1f} s"
    )
    result = calibrate_2pl(
        answers.learner,
        answers.challenge,
        answers.correct,
        n_learners=len(answers.learner_ids),
        n_challenges=len(answers.challenge_ids),
        tolerance=arguments.tolerance,
    )
    progress(
        f"fitted in {time.perf_counter() - read:.1f} s, {result.iterations} EM steps, "
        f"{'converged' if result.converged else 'NOT converged'}"
    )
    try:
        write_parameters(arguments.out, answers.challenge_ids, result)
    except OSError as error:
        print(f"{arguments.out}: cannot write: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
