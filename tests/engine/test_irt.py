"""The 2PL model and the EAP estimate on the grid, against independent computations."""

import math

import numpy as np
import pytest
from scipy import integrate

from balise.engine.irt import (
    GRID_STEP,
    POPULATION_PRIOR,
    REFERENCE_PRIOR,
    THETA_GRID,
    CapacityPrior,
    eap_estimate,
    fisher_information,
    log_probability_tables,
    probability_correct,
)


def test_grid_is_the_reference_one():
    assert THETA_GRID.size == 80
    assert THETA_GRID[0] == -9 and THETA_GRID[-1] == 9
    assert pytest.approx(18 / 79) == GRID_STEP


def test_probability_is_one_half_at_the_difficulty_and_follows_the_logistic():
    assert probability_correct(0.7, 1.8, 0.7) == pytest.approx(0.5)
    assert probability_correct(1.0, 2.0, 0.0) == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert probability_correct(-1.0, 2.0, 0.0) == pytest.approx(1 / (1 + math.exp(2.0)))


def test_information_peaks_at_the_difficulty_with_a_squared_over_four():
    thetas = np.linspace(-3, 3, 601)
    information = fisher_information(thetas, 1.5, 0.4)
    assert thetas[information.argmax()] == pytest.approx(0.4, abs=0.01)
    assert information.max() == pytest.approx(1.5**2 / 4, rel=1e-4)


def test_log_tables_match_the_probabilities_even_far_from_the_difficulty():
    a, b = np.array([0.5, 1.0, 3.0]), np.array([-2.0, 0.0, 4.0])
    log_p, log_q = log_probability_tables(a, b)
    p = probability_correct(THETA_GRID[None, :], a[:, None], b[:, None])
    finite = (p > 1e-12) & (p < 1 - 1e-12)
    assert np.allclose(log_p[finite], np.log(p[finite]))
    assert np.allclose(log_q[finite], np.log1p(-p[finite]))
    assert np.all(np.isfinite(log_p)) and np.all(np.isfinite(log_q))


@pytest.mark.parametrize("prior", [POPULATION_PRIOR, REFERENCE_PRIOR])
def test_before_any_answer_the_estimate_is_the_start_with_error_5(prior):
    assert eap_estimate([], [], [], prior) == (prior.start, 5.0)


def _continuous_eap(a, b, correct, mean, variance):
    """Posterior mean and sd by adaptive quadrature on the real line (no grid)."""

    def density(theta):
        value = math.exp(-((theta - mean) ** 2) / (2 * variance))
        for ai, bi, ci in zip(a, b, correct):
            p = 1 / (1 + math.exp(ai * (bi - theta)))
            value *= p if ci else 1 - p
        return value

    total = integrate.quad(density, -12, 12, limit=200)[0]
    first = integrate.quad(lambda t: t * density(t), -12, 12, limit=200)[0] / total
    second = integrate.quad(lambda t: t * t * density(t), -12, 12, limit=200)[0] / total
    return first, math.sqrt(second - first * first)


@pytest.mark.parametrize(
    "a, b, correct",
    [
        ([1.0], [0.0], [True]),
        ([1.2, 0.8, 2.0], [-0.5, 0.3, 1.0], [True, False, True]),
        ([1.0] * 10, np.linspace(-2, 2, 10), [True] * 5 + [False] * 5),
    ],
)
def test_eap_with_a_fixed_prior_matches_the_continuous_posterior(a, b, correct):
    theta, se = eap_estimate(a, b, correct, POPULATION_PRIOR)
    expected_theta, expected_sd = _continuous_eap(a, b, correct, 0.0, 1.0)
    assert theta == pytest.approx(expected_theta, abs=2e-3)
    # The reference subtracts step² / 12 from the grid variance (Sheppard's correction).
    assert se**2 == pytest.approx(expected_sd**2 - GRID_STEP**2 / 12, abs=2e-3)


def test_answers_pull_the_estimate_symmetrically():
    up, _ = eap_estimate([1.0], [0.0], [True])
    down, _ = eap_estimate([1.0], [0.0], [False])
    assert up > 0 and down == pytest.approx(-up)


def test_more_answers_mean_a_smaller_error():
    errors = [eap_estimate([1.5] * n, [0.0] * n, [i % 2 == 0 for i in range(n)])[1] for n in (2, 8, 32)]
    assert errors[0] > errors[1] > errors[2]


def test_recentred_prior_follows_the_previous_estimate_answer_after_answer():
    a, b, correct = [1.0, 1.3], [-3.0, -1.0], [True, False]
    # First answer: prior N(−3, 1.5).
    first, _ = _continuous_eap(a[:1], b[:1], correct[:1], -3.0, 1.5)
    # Second: both answers' likelihood, prior recentred on the first estimate.
    second, second_sd = _continuous_eap(a, b, correct, first, 1.5)
    theta, se = eap_estimate(a, b, correct, REFERENCE_PRIOR)
    assert theta == pytest.approx(second, abs=5e-3)
    assert se**2 == pytest.approx(second_sd**2 - GRID_STEP**2 / 12, abs=5e-3)
    assert theta != pytest.approx(eap_estimate(a[::-1], b[::-1], correct[::-1], REFERENCE_PRIOR)[0])


def test_prior_rejects_a_non_positive_variance():
    with pytest.raises(ValueError):
        CapacityPrior(start=0.0, variance=0.0, recentred=False)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        eap_estimate([1.0, 1.0], [0.0], [True])
