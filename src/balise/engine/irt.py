"""Two-parameter logistic item response theory (2PL) on a fixed θ grid.

P(correct | θ) = 1 / (1 + exp(a (b − θ))), a = discrimination, b = difficulty.
The capacity θ is estimated "expected a posteriori" (EAP) on the reference's grid of 80
points from −9 to 9: cheap, stable with few answers, and it gives its own standard error.

Everything here is vectorised numpy on plain arrays so that the certification test and the
simulator can update an estimate in a few microseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

THETA_GRID: NDArray[np.float64] = np.linspace(-9.0, 9.0, 80)
GRID_STEP = float(THETA_GRID[1] - THETA_GRID[0])
# Standard error before any answer (reference value): "we know nothing".
UNKNOWN_STANDARD_ERROR = 5.0
# A posterior this concentrated means the likelihood left the grid's resolution: the
# discretisation correction would make the variance negative.
_MINIMUM_VARIANCE = 1e-12


def probability_correct(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """P(correct) under the 2PL model, broadcast over θ, a and b."""
    return 1.0 / (1.0 + np.exp(np.multiply(a, np.subtract(b, theta))))


def fisher_information(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Fisher information a² P (1 − P) of items at θ, broadcast over θ, a and b."""
    p = probability_correct(theta, a, b)
    return np.square(a) * p * (1.0 - p)


def log_probability_tables(
    a: ArrayLike, b: ArrayLike, grid: NDArray[np.float64] = THETA_GRID
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """log P and log(1 − P) of every item (rows) at every grid point (columns).

    Computed once per bank, they turn an estimate update into the addition of one row.
    """
    z = np.multiply.outer(np.asarray(a, dtype=float), grid) - np.asarray(np.multiply(a, b), dtype=float)[:, None]
    # log σ(z) = −log(1 + e^−z), written with logaddexp so that |z| of 50 stays finite.
    return -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)


@dataclass(frozen=True)
class CapacityPrior:
    """The prior of the EAP estimate and the starting capacity.

    `recentred=True` is the reference rule: before each answer the prior is a normal
    centred on the previous estimate (the first one on `start`). `recentred=False` is a
    fixed normal of mean `mean`, the population the bank was calibrated on.
    """

    start: float
    variance: float
    recentred: bool
    mean: float = 0.0

    def __post_init__(self) -> None:
        if not self.variance > 0:
            raise ValueError("the prior variance must be positive")

    def log_density(self, previous_estimate: float, grid: NDArray[np.float64] = THETA_GRID):
        """Log prior density on the grid, up to a constant (which the EAP cancels)."""
        centre = previous_estimate if self.recentred else self.mean
        return -np.square(grid - centre) / (2.0 * self.variance)


# ALGORITHMS.md §3: normal of variance 1.5 centred on the previous estimate, start at −3.
REFERENCE_PRIOR = CapacityPrior(start=-3.0, variance=1.5, recentred=True)
# Calibration fixes the θ scale with a N(0, 1) population (calibration.py), so this prior
# is the one the bank's parameters were estimated under. See docs/decisions/0003.
POPULATION_PRIOR = CapacityPrior(start=0.0, variance=1.0, recentred=False, mean=0.0)


def _moment_matrix(grid: NDArray[np.float64]) -> NDArray[np.float64]:
    """Columns 1, θ, θ² of the grid: one product gives total, first and second moments."""
    return np.stack([np.ones_like(grid), grid, grid * grid], axis=1)


_THETA_GRID_MOMENTS = _moment_matrix(THETA_GRID)


def eap_from_log_posterior(
    log_posterior: NDArray[np.float64], grid: NDArray[np.float64] = THETA_GRID
) -> tuple[float, float]:
    """Posterior mean and standard error from an unnormalised log posterior on the grid.

    The error is sqrt(posterior variance − step² / 12): the variance of a posterior
    discretised on a grid of step h overstates the continuous one by about h² / 12
    (Sheppard's correction, as in the reference).
    """
    moments = _THETA_GRID_MOMENTS if grid is THETA_GRID else _moment_matrix(grid)
    step = GRID_STEP if grid is THETA_GRID else float(grid[1] - grid[0])
    total, first, second = np.exp(log_posterior - log_posterior.max()) @ moments
    mean = first / total
    variance = second / total - mean * mean - step * step / 12.0
    return float(mean), math.sqrt(max(variance, _MINIMUM_VARIANCE))


def eap_estimate(
    a: ArrayLike,
    b: ArrayLike,
    correct: ArrayLike,
    prior: CapacityPrior = POPULATION_PRIOR,
    grid: NDArray[np.float64] = THETA_GRID,
) -> tuple[float, float]:
    """EAP capacity and its standard error after the answers, in the order given.

    The order matters only for a recentred prior (each answer moves the centre).
    Before any answer: (prior.start, 5).
    """
    a = np.atleast_1d(np.asarray(a, dtype=float))
    b = np.atleast_1d(np.asarray(b, dtype=float))
    correct = np.atleast_1d(np.asarray(correct, dtype=bool))
    if not (a.shape == b.shape == correct.shape):
        raise ValueError("a, b and correct must have the same length")
    if a.size == 0:
        return prior.start, UNKNOWN_STANDARD_ERROR
    log_p, log_q = log_probability_tables(a, b, grid)
    rows = np.where(correct[:, None], log_p, log_q)
    if not prior.recentred:
        return eap_from_log_posterior(rows.sum(axis=0) + prior.log_density(prior.mean, grid), grid)
    theta, se = prior.start, UNKNOWN_STANDARD_ERROR
    for log_likelihood in np.cumsum(rows, axis=0):
        theta, se = eap_from_log_posterior(log_likelihood + prior.log_density(theta, grid), grid)
    return theta, se


def population_prior(estimates: ArrayLike, standard_errors: ArrayLike) -> CapacityPrior:
    """A fixed normal prior for the candidates of today, learnt from recent ones.

    The EAP estimates of past candidates are shrunk towards their prior, so their spread
    understates the population's: the population variance is the variance of the
    estimates plus their mean squared standard error (the posterior variance they lost).
    """
    estimates = np.asarray(estimates, dtype=float)
    errors = np.asarray(standard_errors, dtype=float)
    if estimates.size < 2 or estimates.shape != errors.shape:
        raise ValueError("a population prior needs at least two estimates, each with its error")
    mean = float(estimates.mean())
    variance = float(estimates.var(ddof=1) + np.mean(errors**2))
    return CapacityPrior(start=mean, variance=variance, recentred=False, mean=mean)
