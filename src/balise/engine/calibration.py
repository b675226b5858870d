"""Calibration: estimate the 2PL parameters a and b of every challenge from answers.

Marginal maximum likelihood by expectation-maximisation (Bock & Aitkin 1981) with the
capacity θ of the population fixed to N(0, 1) — which sets the scale the certification
test's prior assumes — on sparse data: each learner answers a few of many challenges.

The answers are held as one sparse learner × (2 × challenges) matrix Y in CSR form
(int32 indices, float32 ones): column j when the answer to challenge j was right,
column J + j when it was wrong. With T the (2J × Q) table of log P and log(1 − P) of each
challenge at the Q quadrature points,

- E-step: the log-likelihood of each learner at each point is Y @ T (one sparse product),
  the posterior over the points follows by a softmax per row;
- M-step: the expected numbers of right and wrong answers to each challenge at each point
  are Yᵀ @ posterior (the transposed product); each challenge's (a, b) then maximises
  its expected log-likelihood by Newton steps vectorised over all challenges.

The first iterations run on a subsample of learners (cheap, and EM moves most in its
first steps); the last ones on everyone. A weak normal prior on the slope and intercept
keeps a challenge everyone (or no one) got right finite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

QUADRATURE_POINTS = 21
QUADRATURE_RANGE = 5.0  # θ from −5 to 5: N(0, 1) puts 6e-7 of its mass beyond
# Weak priors (standard deviations) on the slope a and the intercept c = −a b: worth a
# fraction of one answer for a challenge answered thousands of times.
SLOPE_PRIOR_MEAN, SLOPE_PRIOR_SD = 1.0, 2.0
INTERCEPT_PRIOR_SD = 4.0
MINIMUM_SLOPE, MAXIMUM_SLOPE = 0.05, 8.0
NEWTON_STEPS_PER_M_STEP = 3
MAX_SLOPE_STEP, MAX_INTERCEPT_STEP = 0.5, 1.0


@dataclass(frozen=True)
class CalibrationResult:
    """Parameters of challenges 0 … J − 1 of the input, with their standard errors."""

    a: NDArray[np.float64]
    b: NDArray[np.float64]
    se_a: NDArray[np.float64]
    se_b: NDArray[np.float64]
    answers: NDArray[np.int64]  # answers per challenge
    iterations: int  # EM steps on all learners
    converged: bool
    log_likelihood: float  # marginal, at the last E-step


def answer_matrix(
    learner: NDArray[np.integer],
    challenge: NDArray[np.integer],
    correct: NDArray[np.bool_],
    n_learners: int,
    n_challenges: int,
) -> sparse.csr_matrix:
    """The sparse learner × (2 × challenges) matrix of answers described above.

    Rows are built by a counting sort on the learner index (no copy of the input when it
    is already grouped by learner, as an export usually is).
    """
    columns = challenge.astype(np.int32) + np.int32(n_challenges) * (~correct).astype(np.int32)
    if learner.size and np.any(learner[1:] < learner[:-1]):
        order = np.argsort(learner, kind="stable")
        columns = columns[order]
        learner = learner[order]
    counts = np.bincount(learner, minlength=n_learners)
    indptr = np.zeros(n_learners + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    index_type = np.int32 if indptr[-1] < np.iinfo(np.int32).max else np.int64
    return sparse.csr_matrix(
        (np.ones(columns.size, dtype=np.float32), columns, indptr.astype(index_type)),
        shape=(n_learners, 2 * n_challenges),
    )


def _quadrature() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    points = np.linspace(-QUADRATURE_RANGE, QUADRATURE_RANGE, QUADRATURE_POINTS)
    weights = np.exp(-points * points / 2)
    return points, weights / weights.sum()


def _log_table(slope, intercept, points) -> NDArray[np.float32]:
    z = np.multiply.outer(slope, points) + intercept[:, None]
    return np.vstack([-np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)]).astype(np.float32)


def _expected_counts(matrix, slope, intercept, points, log_weights):
    """E-step and the M-step's sufficient statistics: expected right and wrong answers of
    each challenge at each point, and the marginal log-likelihood."""
    log_likelihood = matrix @ _log_table(slope, intercept, points)
    log_likelihood += log_weights.astype(np.float32)
    top = log_likelihood.max(axis=1, keepdims=True)
    log_likelihood -= top
    posterior = np.exp(log_likelihood, out=log_likelihood)
    total = posterior.sum(axis=1, keepdims=True)
    posterior /= total
    marginal = float(np.log(total, dtype=np.float64).sum() + top.sum(dtype=np.float64))
    counts = (matrix.T @ posterior).astype(np.float64)
    n_challenges = slope.size
    return counts[:n_challenges], counts[n_challenges:], marginal


def _information(slope, intercept, right, wrong, points):
    """Gradient and information (negative Hessian) of each challenge's expected
    log-likelihood plus prior in (slope, intercept), vectorised over challenges."""
    p = 1.0 / (1.0 + np.exp(-(np.multiply.outer(slope, points) + intercept[:, None])))
    residual = right - (right + wrong) * p
    weight = (right + wrong) * p * (1.0 - p)
    gradient_slope = residual @ points - (slope - SLOPE_PRIOR_MEAN) / SLOPE_PRIOR_SD**2
    gradient_intercept = residual.sum(axis=1) - intercept / INTERCEPT_PRIOR_SD**2
    info_ss = weight @ (points * points) + 1.0 / SLOPE_PRIOR_SD**2
    info_si = weight @ points
    info_ii = weight.sum(axis=1) + 1.0 / INTERCEPT_PRIOR_SD**2
    return gradient_slope, gradient_intercept, info_ss, info_si, info_ii


def _maximise(slope, intercept, right, wrong, points):
    for _ in range(NEWTON_STEPS_PER_M_STEP):
        g_s, g_i, i_ss, i_si, i_ii = _information(slope, intercept, right, wrong, points)
        determinant = i_ss * i_ii - i_si * i_si
        # Newton on a logistic likelihood can overshoot far from the optimum: bound steps.
        step_slope = np.clip((i_ii * g_s - i_si * g_i) / determinant, -MAX_SLOPE_STEP, MAX_SLOPE_STEP)
        step_intercept = np.clip((i_ss * g_i - i_si * g_s) / determinant, -MAX_INTERCEPT_STEP, MAX_INTERCEPT_STEP)
        slope = np.clip(slope + step_slope, MINIMUM_SLOPE, MAXIMUM_SLOPE)
        intercept = intercept + step_intercept
    return slope, intercept


def _em_step(matrix, slope, intercept, points, log_weights):
    """One EM iteration: new (slope, intercept), and the marginal log-likelihood and
    expected counts at the old ones."""
    right, wrong, marginal = _expected_counts(matrix, slope, intercept, points, log_weights)
    new_slope, new_intercept = _maximise(slope, intercept, right, wrong, points)
    return new_slope, new_intercept, marginal, right, wrong


def _largest_move(slope, intercept, new_slope, new_intercept) -> float:
    return float(
        max(
            np.max(np.abs(new_slope - slope), initial=0.0),
            np.max(np.abs(new_intercept / new_slope - intercept / slope), initial=0.0),
        )
    )


def _em(matrix, slope, intercept, points, log_weights, max_cycles, tolerance):
    """EM accelerated by SQUAREM (Varadhan & Roland 2008): two EM steps give the
    direction and speed of the slow EM path, one jump extrapolates along it, and an EM
    step from the jump keeps the result stable. A jump that lowers the likelihood is
    dropped for the plain second EM step.

    Returns slope, intercept, EM steps taken, converged, marginal log-likelihood."""
    steps = 0
    marginal = -np.inf
    for _ in range(max_cycles):
        slope_1, intercept_1, *_ = _em_step(matrix, slope, intercept, points, log_weights)
        slope_2, intercept_2, marginal_1, *_ = _em_step(matrix, slope_1, intercept_1, points, log_weights)
        steps += 2
        move = _largest_move(slope_1, intercept_1, slope_2, intercept_2)
        if move < tolerance:
            return slope_2, intercept_2, steps, True, marginal_1
        first = np.concatenate([slope_1 - slope, intercept_1 - intercept])
        curvature = np.concatenate([slope_2 - slope_1, intercept_2 - intercept_1]) - first
        alpha = min(-float(np.linalg.norm(first) / max(np.linalg.norm(curvature), 1e-300)), -1.0)
        n = slope.size
        jump = np.concatenate([slope, intercept]) - 2 * alpha * first + alpha * alpha * curvature
        jump_slope = np.clip(jump[:n], MINIMUM_SLOPE, MAXIMUM_SLOPE)
        new_slope, new_intercept, marginal, *_ = _em_step(matrix, jump_slope, jump[n:], points, log_weights)
        steps += 1
        if not np.isfinite(marginal) or marginal < marginal_1:
            slope, intercept, marginal = slope_2, intercept_2, marginal_1
        else:
            slope, intercept = new_slope, new_intercept
    return slope, intercept, steps, False, marginal


def calibrate_2pl(
    learner: ArrayLike,
    challenge: ArrayLike,
    correct: ArrayLike,
    *,
    n_learners: int | None = None,
    n_challenges: int | None = None,
    max_cycles: int = 100,
    tolerance: float = 2e-4,
    warm_start_learners: int = 100_000,
) -> CalibrationResult:
    """Fit a and b of every challenge from answers given as three equal-length arrays:
    learner index (0 … n_learners − 1), challenge index (0 … n_challenges − 1), correct.

    Iterations stop when an EM step moves no a or b by more than `tolerance`, or after
    `max_cycles` accelerated cycles (3 EM steps each).
    """
    learner = np.asarray(learner)
    challenge = np.asarray(challenge)
    correct = np.asarray(correct, dtype=bool)
    if not (learner.shape == challenge.shape == correct.shape) or learner.ndim != 1:
        raise ValueError("learner, challenge and correct must be 1-d arrays of one length")
    if learner.size == 0:
        raise ValueError("no answers to calibrate from")
    if learner.min() < 0 or challenge.min() < 0:
        raise ValueError("learner and challenge indices must be non-negative")
    n_learners = int(learner.max()) + 1 if n_learners is None else n_learners
    n_challenges = int(challenge.max()) + 1 if n_challenges is None else n_challenges

    answers = np.bincount(challenge, minlength=n_challenges)
    right_share = (np.bincount(challenge, weights=correct, minlength=n_challenges) + 0.5) / (answers + 1.0)
    # Start from a = 1 and the difficulty the share of right answers suggests.
    slope = np.ones(n_challenges)
    intercept = np.log(right_share / (1.0 - right_share)) * 1.7
    points, weights = _quadrature()
    log_weights = np.log(weights)

    matrix = answer_matrix(learner, challenge, correct, n_learners, n_challenges)
    if n_learners > 2 * warm_start_learners:
        # Every k-th learner: a fair sample unless the export is ordered by ability.
        stride = n_learners // warm_start_learners
        sample = matrix[::stride]
        slope, intercept, *_ = _em(sample, slope, intercept, points, log_weights, max_cycles, tolerance * 5)
        del sample
    slope, intercept, iterations, converged, marginal = _em(
        matrix, slope, intercept, points, log_weights, max_cycles, tolerance
    )
    # Counts at the final estimate, for the standard errors.
    right, wrong, marginal = _expected_counts(matrix, slope, intercept, points, log_weights)
    se_slope, se_b = _standard_errors(slope, intercept, right, wrong, points)
    return CalibrationResult(
        a=slope,
        b=-intercept / slope,
        se_a=se_slope,
        se_b=se_b,
        answers=answers,
        iterations=iterations,
        converged=converged,
        log_likelihood=marginal,
    )


def _standard_errors(slope, intercept, right, wrong, points):
    """Standard errors of a and b from the inverse of each challenge's expected
    information at the estimate (b = −c / a by the delta method)."""
    _, _, i_ss, i_si, i_ii = _information(slope, intercept, right, wrong, points)
    determinant = i_ss * i_ii - i_si * i_si
    var_slope = i_ii / determinant
    var_intercept = i_ss / determinant
    cov = -i_si / determinant
    b = -intercept / slope
    # ∂b/∂a = c / a² = −b / a, ∂b/∂c = −1 / a
    d_slope, d_intercept = -b / slope, -1.0 / slope
    var_b = d_slope**2 * var_slope + d_intercept**2 * var_intercept + 2 * d_slope * d_intercept * cov
    return np.sqrt(var_slope), np.sqrt(np.maximum(var_b, 0.0))


@dataclass(frozen=True)
class SimulatedAnswers:
    """Answers of simulated learners to random challenges, with the truth behind them."""

    learner: NDArray[np.int32]
    challenge: NDArray[np.int32]
    correct: NDArray[np.bool_]
    a: NDArray[np.float64]
    b: NDArray[np.float64]
    theta: NDArray[np.float64]


def simulate_answers(
    n_learners: int,
    n_challenges: int,
    answers_per_learner: int,
    rng: np.random.Generator,
) -> SimulatedAnswers:
    """θ ~ N(0, 1), a ~ lognormal(0.2, 0.3), b ~ N(0, 1); every learner answers
    `answers_per_learner` distinct challenges drawn at random; rows grouped by learner."""
    if answers_per_learner > n_challenges:
        raise ValueError("a learner cannot answer more distinct challenges than there are")
    a = rng.lognormal(0.2, 0.3, n_challenges)
    b = rng.normal(0.0, 1.0, n_challenges)
    theta = rng.normal(0.0, 1.0, n_learners)
    chosen = rng.integers(0, n_challenges, (n_learners, answers_per_learner), dtype=np.int32)
    # Draw with replacement, then redraw the repeats until every row is distinct: a few
    # rounds of sorting instead of one permutation of all challenges per learner.
    while True:
        chosen.sort(axis=1)
        repeated = np.zeros(chosen.shape, dtype=bool)
        repeated[:, 1:] = chosen[:, 1:] == chosen[:, :-1]
        count = int(np.count_nonzero(repeated))
        if count == 0:
            break
        chosen[repeated] = rng.integers(0, n_challenges, count, dtype=np.int32)
    challenge = chosen.reshape(-1)
    learner = np.repeat(np.arange(n_learners, dtype=np.int32), answers_per_learner)
    correct = np.empty(challenge.size, dtype=bool)
    block = 4_000_000
    for start in range(0, challenge.size, block):
        items = challenge[start : start + block]
        logits = a[items] * (theta[learner[start : start + block]] - b[items])
        correct[start : start + block] = rng.random(items.size) < 1.0 / (1.0 + np.exp(-logits))
    return SimulatedAnswers(learner, challenge, correct, a, b, theta)
