"""The certification test: an adaptive 2PL test of 32 challenges scored out of 1,024.

The web platform calls three functions, each from the answers recorded so far, so that a
certification can be resumed, replayed and re-scored from its stored answers:

- `next_challenge(bank, answers, rng, ...)`: the challenge to ask now, or None when done;
- `estimate_capacity(bank_by_id, answers)`: the EAP capacity θ and its standard error;
- `score_certification(bank, answers, ...)`: score, its standard error, a level per
  competence and whether the test is valid.

`bank` is either a sequence of `Challenge` or a `PreparedBank` built once per content
version with `PreparedBank.from_challenges` (preparing costs O(bank) Python work; a step
on a prepared bank costs tens of microseconds).

The rules (ALGORITHMS.md §3): at most one challenge per tube and per skill; every competence
is visited before one is repeated; never the competence of either of the last 2 challenges
(unless nothing else is left); only accessible challenges for a candidate who needs an
accommodation; no challenge of an excluded skill. Among the challenges the rules leave, the
next one is drawn among the most informative at the current estimate (exposure control:
`DEFAULT_EXPOSURE`, or `REFERENCE_EXPOSURE` for the reference's draw). Pass
`exposure_rates` (challenge id → share of recent certifications that asked it) to
`next_challenge` to let the default control pass over over-exposed challenges.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from balise.engine.framework import Challenge
from balise.engine.irt import (
    POPULATION_PRIOR,
    REFERENCE_PRIOR,
    THETA_GRID,
    UNKNOWN_STANDARD_ERROR,
    CapacityPrior,
    eap_estimate,
    eap_from_log_posterior,
    fisher_information,
    log_probability_tables,
)

CERTIFICATION_LENGTH = 32
MINIMUM_ANSWERS_FOR_VALIDITY = 20
# θ bounds of the score bands and the scores they map to (ALGORITHMS.md §3): θ in
# [bounds[i], bounds[i+1]] maps linearly onto [edges[i], edges[i+1]].
REFERENCE_BOUNDS: tuple[float, ...] = (-8.0, -1.4, -0.519, 0.6, 1.5, 2.25, 3.1, 4.0, 8.0)
REFERENCE_SCORE_EDGES: tuple[int, ...] = (0, 64, 128, 256, 384, 512, 640, 768, 896)
# Highest score while level 8 is not open: the top of level 7's band, minus one point.
SCORE_CAP_WITHOUT_LEVEL_8 = 895
# Thresholds of θ for the competence levels 1, 2, … 7 (below the first: level 0).
REFERENCE_LEVEL_THRESHOLDS: tuple[float, ...] = (-2.0, -1.0, 0.5, 1.0, 2.0, 3.0, 4.0)
# How many most recent competences the next challenge may not come from.
RECENT_COMPETENCES_AVOIDED = 2


@dataclass(frozen=True)
class ExposureControl:
    """How the next challenge is drawn, so that no challenge is seen by everyone.

    Rank k (0 = most informative at θ̂) is drawn with probability `rank_weights[k]`
    ("randomesque"). The reference ranks every challenge the rules allow and keeps the 5
    best with 0.51 × 0.49^k, the remainder on the last rank.

    `competence_first` first draws the competence uniformly among those the rules allow,
    then ranks only its challenges: the rules make every competence come up anyway, so
    the order costs little information, while ranking across competences lets one very
    discriminating challenge win in nearly every test.

    `first_visit_rank_weights`, if given, replace `rank_weights` on the first visit of a
    competence (competence-first only): θ̂ is still rough then, so a wider draw costs
    little information and spreads the use of the bank.

    `max_exposure_rate` passes over a challenge already asked in more than that share of
    recent certifications (the caller supplies the rates) while another is allowed.
    """

    rank_weights: tuple[float, ...] = (0.51, 0.25, 0.12, 0.06, 0.06)
    competence_first: bool = False
    max_exposure_rate: float = 1.0
    # Weights for the first visit of a competence (θ̂ still rough), when they differ.
    first_visit_rank_weights: tuple[float, ...] | None = None
    # Proportional draw (competence first only): challenge j is drawn with probability
    # proportional to I_j(θ̂)^H, H growing linearly from `power_start` at the first step to
    # `power_end` at step `power_ramp` and staying there. None: the rank draw above.
    power_start: float | None = None
    power_end: float = 0.0
    power_ramp: int = 1
    # What "informative" means (competence first only): "fisher", the Fisher information
    # at θ̂; "epv", how much the answer is expected to reduce the posterior variance.
    criterion: str = "fisher"
    cumulative_weights: tuple[tuple[float, ...], ...] = field(init=False, repr=False, compare=False)
    first_visit_cumulative_weights: tuple[tuple[float, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        first_visit = self.first_visit_rank_weights or self.rank_weights
        for weights in (self.rank_weights, first_visit):
            if not weights or any(w < 0 for w in weights):
                raise ValueError("rank weights must be a non-empty sequence of non-negative numbers")
            if not math.isclose(sum(weights), 1.0, abs_tol=1e-9):
                raise ValueError("rank weights must sum to 1")
        # With only n candidates left the draw uses the first n weights, rescaled.
        for name, weights in (
            ("cumulative_weights", self.rank_weights),
            ("first_visit_cumulative_weights", first_visit),
        ):
            object.__setattr__(
                self,
                name,
                tuple(tuple(np.cumsum(weights[: n + 1]).tolist()) for n in range(len(weights))),
            )


REFERENCE_EXPOSURE = ExposureControl()
# Measured in docs/performance.md (## Certification): under a 0.25 exposure target, the
# best RMSE and bank use found; see docs/decisions/0003-certification-and-calibration.md.
DEFAULT_EXPOSURE = ExposureControl(
    rank_weights=(0.7, 0.3),
    first_visit_rank_weights=(0.4, 0.3, 0.2, 0.1),
    competence_first=True,
    max_exposure_rate=0.24,
)
DEFAULT_PRIOR = POPULATION_PRIOR


@dataclass(frozen=True)
class CertificationAnswer:
    """One answer of the candidate. Only an answer with status ok is `correct`."""

    challenge_id: str
    correct: bool


@dataclass(frozen=True)
class CertificationState:
    """Where a certification stands: capacity, its error, the challenges answered."""

    theta: float
    se: float
    answered: tuple[str, ...]


@dataclass(frozen=True)
class CertificationResult:
    score: int  # out of 1,024, floored; at most 895 while level 8 is not open
    score_se: float  # standard error of the score, in score points
    theta: float
    se: float
    competence_levels: dict[str, int]
    valid: bool  # at least `min_answers` answers
    answered: int


def _codes(values: Sequence[str]) -> tuple[NDArray[np.intp], tuple[str, ...]]:
    """Dense integer codes of string labels, in order of first appearance."""
    code_by_label: dict[str, int] = {}
    codes = np.fromiter(
        (code_by_label.setdefault(v, len(code_by_label)) for v in values),
        dtype=np.intp,
        count=len(values),
    )
    return codes, tuple(code_by_label)


def _members(codes: NDArray[np.intp]) -> list[NDArray[np.intp]]:
    """For each code, the indices that carry it."""
    order = np.argsort(codes, kind="stable")
    boundaries = np.flatnonzero(np.diff(codes[order])) + 1
    return np.split(order, boundaries)


# Selection reads the information of every challenge at θ̂ from a table on this grid
# instead of computing 600 exponentials per step; θ̂ is rounded by at most 0.025, far
# below its standard error (≈ 0.2 at the end of a test).
INFORMATION_GRID_STEP = 0.05
INFORMATION_GRID: NDArray[np.float64] = np.linspace(-9.0, 9.0, 361)
_HALF_ROW_ABOVE_FIRST = INFORMATION_GRID_STEP / 2 - float(INFORMATION_GRID[0])
_LAST_INFORMATION_ROW = len(INFORMATION_GRID) - 1


@dataclass(frozen=True, eq=False)
class PreparedBank:
    """A bank as arrays, computed once, so that a step is a few vectorised operations."""

    ids: tuple[str, ...]
    a: NDArray[np.float64]
    b: NDArray[np.float64]
    competence_index: NDArray[np.intp]
    competence_ids: tuple[str, ...]
    tube_index: NDArray[np.intp]
    skill_index: NDArray[np.intp]
    skill_ids: tuple[str, ...]
    accessible: NDArray[np.bool_]
    challenges: tuple[Challenge, ...] = ()
    index_by_id: dict[str, int] = field(init=False, repr=False)
    # For each challenge, the challenges it rules out once asked (same tube or skill).
    conflicts: tuple[NDArray[np.intp], ...] = field(init=False, repr=False)
    competence_members: tuple[NDArray[np.intp], ...] = field(init=False, repr=False)
    information_table: NDArray[np.float64] = field(init=False, repr=False)
    log_p_correct: NDArray[np.float64] = field(init=False, repr=False)
    log_p_wrong: NDArray[np.float64] = field(init=False, repr=False)
    p_correct: NDArray[np.float64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        index_by_id = {challenge_id: i for i, challenge_id in enumerate(self.ids)}
        if len(index_by_id) != len(self.ids):
            raise ValueError("challenge ids must be unique in a bank")
        if not len(self.ids) == len(self.a) == len(self.b) == len(self.competence_index):
            raise ValueError("every challenge needs an id, a, b, a competence, a tube, a skill")
        if np.any(~np.isfinite(self.a)) or np.any(self.a <= 0) or np.any(~np.isfinite(self.b)):
            raise ValueError("a must be positive and b finite for every challenge")
        same_tube = _members(self.tube_index)
        same_skill = _members(self.skill_index)
        conflicts = tuple(
            np.union1d(same_tube[tube], same_skill[skill])
            for tube, skill in zip(self.tube_index.tolist(), self.skill_index.tolist())
        )
        competence_members = tuple(_members(self.competence_index))
        log_p, log_q = log_probability_tables(self.a, self.b)
        object.__setattr__(self, "index_by_id", index_by_id)
        object.__setattr__(self, "competence_members", competence_members)
        object.__setattr__(self, "conflicts", conflicts)
        object.__setattr__(self, "information_table", fisher_information(INFORMATION_GRID[:, None], self.a, self.b))
        object.__setattr__(self, "log_p_correct", log_p)
        object.__setattr__(self, "log_p_wrong", log_q)
        object.__setattr__(self, "p_correct", np.exp(log_p))

    @classmethod
    def from_arrays(
        cls,
        ids: Sequence[str],
        competences: Sequence[str],
        tubes: Sequence[str],
        skills: Sequence[str],
        a: Sequence[float],
        b: Sequence[float],
        accessible: Sequence[bool] | None = None,
        challenges: tuple[Challenge, ...] = (),
    ) -> PreparedBank:
        competence_index, competence_ids = _codes(competences)
        tube_index, _ = _codes(tubes)
        skill_index, skill_ids = _codes(skills)
        n = len(ids)
        return cls(
            ids=tuple(ids),
            a=np.asarray(a, dtype=float).reshape(n),
            b=np.asarray(b, dtype=float).reshape(n),
            competence_index=competence_index,
            competence_ids=competence_ids,
            tube_index=tube_index,
            skill_index=skill_index,
            skill_ids=skill_ids,
            accessible=(np.ones(n, dtype=bool) if accessible is None else np.asarray(accessible, bool)),
            challenges=challenges,
        )

    @classmethod
    def from_challenges(cls, challenges: Sequence[Challenge]) -> PreparedBank:
        challenges = tuple(challenges)
        return cls.from_arrays(
            ids=[c.id for c in challenges],
            competences=[c.competence_id for c in challenges],
            tubes=[c.tube_id for c in challenges],
            skills=[c.skill_id for c in challenges],
            a=[c.a for c in challenges],
            b=[c.b for c in challenges],
            accessible=[c.accessible for c in challenges],
            challenges=challenges,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def information_at(self, theta: float) -> NDArray[np.float64]:
        """Fisher information of every challenge at θ (θ rounded to the table's grid)."""
        row = int((theta + _HALF_ROW_ABOVE_FIRST) / INFORMATION_GRID_STEP)  # nearest row
        return self.information_table[min(max(row, 0), _LAST_INFORMATION_ROW)]


def prepare_bank(bank: PreparedBank | Sequence[Challenge]) -> PreparedBank:
    """The bank as a PreparedBank (unchanged if it already is one)."""
    return bank if isinstance(bank, PreparedBank) else PreparedBank.from_challenges(bank)


class AdaptiveTestRun:
    """The mutable progress of one certification test over a prepared bank.

    Internal to the engine (the public functions rebuild one from the stored answers; the
    simulator keeps one per simulated candidate): it keeps what each step needs so that a
    step never recomputes the past. The per-competence bookkeeping is in plain Python
    lists: with 16 competences that is cheaper than any numpy call.
    """

    __slots__ = (
        "administered",
        "available",
        "bank",
        "log_posterior",
        "prior",
        "recent_competences",
        "remaining",
        "se",
        "theta",
        "visits",
    )

    def __init__(
        self,
        bank: PreparedBank,
        prior: CapacityPrior = DEFAULT_PRIOR,
        *,
        needs_accommodation: bool = False,
        excluded_skill_ids: Collection[str] = frozenset(),
    ) -> None:
        self.bank = bank
        self.prior = prior
        available = np.ones(len(bank), dtype=bool)
        if needs_accommodation:
            available &= bank.accessible
        if excluded_skill_ids:
            excluded = [i for i, s in enumerate(bank.skill_ids) if s in excluded_skill_ids]
            available &= ~np.isin(bank.skill_index, excluded)
        self.available = available
        competences = len(bank.competence_ids)
        self.remaining: list[int] = np.bincount(bank.competence_index[available], minlength=competences).tolist()
        self.visits = [0] * competences
        self.recent_competences: list[int] = []
        # A fixed prior is folded in once; a recentred one is added at each update.
        self.log_posterior = np.zeros_like(THETA_GRID) if prior.recentred else prior.log_density(prior.mean)
        self.theta = prior.start
        self.se = UNKNOWN_STANDARD_ERROR
        self.administered: list[int] = []

    def record(self, index: int, correct: bool) -> None:
        """Take the answer to challenge `index` into account (rules and estimate)."""
        bank = self.bank
        available = self.available
        conflicting = bank.conflicts[index]
        newly_ruled_out = conflicting[available[conflicting]]
        available[newly_ruled_out] = False
        remaining = self.remaining
        for competence in bank.competence_index[newly_ruled_out].tolist():
            remaining[competence] -= 1
        competence = int(bank.competence_index[index])
        self.visits[competence] += 1
        recent = self.recent_competences
        recent.append(competence)
        if len(recent) > RECENT_COMPETENCES_AVOIDED:
            del recent[0]
        self.administered.append(index)
        self.log_posterior += (bank.log_p_correct if correct else bank.log_p_wrong)[index]
        if self.prior.recentred:
            self.theta, self.se = eap_from_log_posterior(self.log_posterior + self.prior.log_density(self.theta))
        else:
            self.theta, self.se = eap_from_log_posterior(self.log_posterior)

    def variance_reduction(self, candidates: NDArray[np.intp]) -> NDArray[np.float64]:
        """For each candidate challenge, the expected drop of the posterior variance of θ
        once it is answered (right or wrong, weighted by how likely each answer is)."""
        log_posterior = self.log_posterior
        if self.prior.recentred:
            log_posterior = log_posterior + self.prior.log_density(self.theta)
        weights = np.exp(log_posterior - log_posterior.max())
        weights /= weights.sum()
        first = weights * THETA_GRID
        mean = float(first.sum())
        p = self.bank.p_correct[candidates]
        right = np.clip(p @ weights, 1e-12, 1.0 - 1e-12)
        first_right = p @ first
        # E[var after] = E[θ²] − E[E[θ | answer]²]; E[θ²] cancels in the difference.
        expected_square_of_mean = first_right**2 / right + (mean - first_right) ** 2 / (1.0 - right)
        return np.maximum(expected_square_of_mean - mean * mean, 0.0)

    def allowed_competences(self) -> list[int]:
        """Competences the next challenge may come from: those with challenges left, not
        among the last 2 (unless nothing else is left), visited the fewest times."""
        remaining = self.remaining
        recent = self.recent_competences
        eligible = [c for c, left in enumerate(remaining) if left and c not in recent]
        if not eligible:
            eligible = [c for c, left in enumerate(remaining) if left]
            if not eligible:
                return []
        visits = self.visits
        fewest = min(visits[c] for c in eligible)
        return [c for c in eligible if visits[c] == fewest]

    def candidates(self, competences: list[int] | None = None) -> NDArray[np.bool_]:
        """Mask of the challenges the rules allow now (optionally within `competences`)."""
        bank = self.bank
        if competences is None:
            competences = self.allowed_competences()
        if len(competences) == len(bank.competence_ids):
            return self.available
        allowed = np.zeros(len(bank.competence_ids), dtype=bool)
        allowed[competences] = True
        return self.available & allowed[bank.competence_index]

    def ranked_candidates(self, count: int) -> list[int]:
        """Indices of the `count` most informative challenges the rules allow, best first."""
        return self._best(self.candidates(), count)

    def _best(self, mask: NDArray[np.bool_], count: int) -> list[int]:
        count = min(count, int(np.count_nonzero(mask)))
        information = np.where(mask, self.bank.information_at(self.theta), -1.0)
        # A few argmax calls beat argpartition on a few hundred values (and keep ties in
        # bank order, so a decision is reproducible).
        ranked = []
        for _ in range(count):
            best = int(information.argmax())
            ranked.append(best)
            information[best] = -2.0
        return ranked

    def choose(
        self,
        rng: np.random.Generator,
        exposure: ExposureControl,
        over_exposed: NDArray[np.bool_] | None = None,
    ) -> int | None:
        """Index of the next challenge, drawn under the exposure control; None if none left.

        `over_exposed` marks challenges already asked of more than the exposure limit of
        recent candidates; they are passed over while another allowed challenge is left.
        """
        competences = self.allowed_competences()
        if not competences:
            return None
        count = len(exposure.rank_weights)
        cumulative_weights = exposure.cumulative_weights
        if exposure.competence_first:
            competence = competences[int(rng.random() * len(competences))]
            if not self.visits[competence]:
                cumulative_weights = exposure.first_visit_cumulative_weights
                count = len(cumulative_weights)
            members = self.bank.competence_members[competence]
            candidates = members[self.available[members]]
            if over_exposed is not None:
                fresh = candidates[~over_exposed[candidates]]
                if fresh.size:
                    candidates = fresh
            if exposure.criterion == "epv":
                information = self.variance_reduction(candidates)
            else:
                information = self.bank.information_at(self.theta)[candidates]
            if exposure.power_start is not None and candidates.size:
                step = len(self.administered)
                progress = min(1.0, step / exposure.power_ramp)
                power = exposure.power_start + (exposure.power_end - exposure.power_start) * progress
                log_information = np.log(np.maximum(information, 1e-300))
                weights = np.exp(power * (log_information - log_information.max()))
                cumulative = np.cumsum(weights)
                pick = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
                return int(candidates[min(pick, candidates.size - 1)])
            ranked = candidates[np.argsort(-information, kind="stable")[:count]].tolist()
        else:
            mask = self.candidates(competences)
            if over_exposed is not None:
                fresh = mask & ~over_exposed
                if fresh.any():
                    mask = fresh
            ranked = self._best(mask, count)
        if not ranked:
            return None
        cumulative = cumulative_weights[len(ranked) - 1]
        draw = rng.random() * cumulative[-1]
        for rank, bound in enumerate(cumulative):
            if draw < bound:
                return ranked[rank]
        return ranked[-1]


def _replay(
    bank: PreparedBank,
    answers: Sequence[CertificationAnswer],
    prior: CapacityPrior,
    **rules,
) -> AdaptiveTestRun:
    run = AdaptiveTestRun(bank, prior, **rules)
    for answer in answers:
        try:
            index = bank.index_by_id[answer.challenge_id]
        except KeyError:
            raise ValueError(f"unknown challenge {answer.challenge_id!r} in the answers") from None
        run.record(index, bool(answer.correct))
    return run


def next_challenge(
    bank: PreparedBank | Sequence[Challenge],
    answers: Sequence[CertificationAnswer],
    rng: np.random.Generator,
    *,
    needs_accommodation: bool = False,
    excluded_skill_ids: Collection[str] = frozenset(),
    length: int = CERTIFICATION_LENGTH,
    prior: CapacityPrior = DEFAULT_PRIOR,
    exposure: ExposureControl = DEFAULT_EXPOSURE,
    exposure_rates: Mapping[str, float] | None = None,
) -> Challenge | None:
    """The next challenge to ask, or None when the test is over (length reached or no
    challenge left under the rules). Pass the same `rng` state to get the same challenge
    again (a reload must show the same question).

    `exposure_rates` (challenge id → share of recent certifications that asked it, e.g.
    over the last 1,000) lets the exposure control pass over challenges asked more often
    than `exposure.max_exposure_rate`; without it only the random draw limits exposure."""
    prepared = prepare_bank(bank)
    if not prepared.challenges:
        raise ValueError("next_challenge needs a bank built from Challenge objects")
    if len(answers) >= length:
        return None
    run = _replay(
        prepared,
        answers,
        prior,
        needs_accommodation=needs_accommodation,
        excluded_skill_ids=excluded_skill_ids,
    )
    over_exposed = None
    if exposure_rates:
        rates = np.array([exposure_rates.get(challenge_id, 0.0) for challenge_id in prepared.ids])
        over_exposed = rates >= exposure.max_exposure_rate
    index = run.choose(rng, exposure, over_exposed)
    return None if index is None else prepared.challenges[index]


def estimate_capacity(
    bank_by_id: Mapping[str, Challenge],
    answers: Sequence[CertificationAnswer],
    *,
    prior: CapacityPrior = DEFAULT_PRIOR,
) -> tuple[float, float]:
    """EAP capacity θ and its standard error after the answers (start, 5 before any)."""
    try:
        challenges = [bank_by_id[answer.challenge_id] for answer in answers]
    except KeyError as missing:
        raise ValueError(f"unknown challenge {missing.args[0]!r} in the answers") from None
    return eap_estimate(
        [c.a for c in challenges],
        [c.b for c in challenges],
        [answer.correct for answer in answers],
        prior,
    )


def certification_state(
    bank: PreparedBank | Sequence[Challenge],
    answers: Sequence[CertificationAnswer],
    *,
    prior: CapacityPrior = DEFAULT_PRIOR,
) -> CertificationState:
    run = _replay(prepare_bank(bank), answers, prior)
    return CertificationState(theta=run.theta, se=run.se, answered=tuple(a.challenge_id for a in answers))


def _check_scale(bounds: Sequence[float], score_edges: Sequence[float]) -> None:
    if len(bounds) != len(score_edges) or len(bounds) < 2:
        raise ValueError("bounds and score edges must pair up, at least two of each")
    if any(x >= y for x, y in itertools.pairwise(bounds)) or any(x > y for x, y in itertools.pairwise(score_edges)):
        raise ValueError("bounds must increase and score edges must not decrease")


def capacity_to_score(
    theta: float,
    *,
    bounds: Sequence[float] = REFERENCE_BOUNDS,
    score_edges: Sequence[float] = REFERENCE_SCORE_EDGES,
    level8_open: bool = False,
) -> int:
    """Score out of 1,024: θ mapped piecewise-linearly onto the bands, floored, capped at
    895 while level 8 is not open. θ outside the bounds gets the nearest end."""
    _check_scale(bounds, score_edges)
    score = math.floor(float(np.interp(theta, bounds, score_edges)))
    return score if level8_open else min(score, SCORE_CAP_WITHOUT_LEVEL_8)


def score_standard_error(
    theta: float,
    se: float,
    *,
    bounds: Sequence[float] = REFERENCE_BOUNDS,
    score_edges: Sequence[float] = REFERENCE_SCORE_EDGES,
) -> float:
    """Standard error of the score by the delta method: the slope of the band θ is in
    times the standard error of θ (0 outside the bounds, where the score is flat)."""
    _check_scale(bounds, score_edges)
    band = int(np.searchsorted(bounds, theta, side="right")) - 1
    if band < 0 or band >= len(bounds) - 1:
        return 0.0
    slope = (score_edges[band + 1] - score_edges[band]) / (bounds[band + 1] - bounds[band])
    return float(slope * se)


def capacity_to_level(theta: float, thresholds: Sequence[float] = REFERENCE_LEVEL_THRESHOLDS) -> int:
    """Competence level: how many thresholds θ reaches (reference: < −2 → 0, ≥ 4 → 7)."""
    return int(np.searchsorted(thresholds, theta, side="right"))


def score_certification(
    bank: PreparedBank | Sequence[Challenge],
    answers: Sequence[CertificationAnswer],
    *,
    length: int = CERTIFICATION_LENGTH,
    min_answers: int = MINIMUM_ANSWERS_FOR_VALIDITY,
    bounds: Sequence[float] = REFERENCE_BOUNDS,
    score_edges: Sequence[float] = REFERENCE_SCORE_EDGES,
    level8_open: bool = False,
    level_thresholds: Sequence[float] = REFERENCE_LEVEL_THRESHOLDS,
    level_thresholds_by_competence: Mapping[str, Sequence[float]] | None = None,
    prior: CapacityPrior = DEFAULT_PRIOR,
) -> CertificationResult:
    """Score a certification from its answers.

    Missing answers (fewer than `length`) are scored as wrong: the test goes on with the
    challenges the algorithm would have asked next (the most informative one each time,
    no random draw, so re-scoring is reproducible) and records each as failed.
    """
    _check_scale(bounds, score_edges)
    prepared = prepare_bank(bank)
    run = _replay(prepared, answers, prior)
    while len(run.administered) < length:
        ranked = run.ranked_candidates(1)
        if not ranked:
            break
        run.record(ranked[0], False)
    thresholds_by_competence = level_thresholds_by_competence or {}
    return CertificationResult(
        score=capacity_to_score(run.theta, bounds=bounds, score_edges=score_edges, level8_open=level8_open),
        score_se=score_standard_error(run.theta, run.se, bounds=bounds, score_edges=score_edges),
        theta=run.theta,
        se=run.se,
        competence_levels={
            competence_id: capacity_to_level(run.theta, thresholds_by_competence.get(competence_id, level_thresholds))
            for competence_id in prepared.competence_ids
        },
        valid=len(answers) >= min_answers,
        answered=len(answers),
    )


__all__ = [
    "CERTIFICATION_LENGTH",
    "DEFAULT_EXPOSURE",
    "DEFAULT_PRIOR",
    "MINIMUM_ANSWERS_FOR_VALIDITY",
    "POPULATION_PRIOR",
    "REFERENCE_BOUNDS",
    "REFERENCE_EXPOSURE",
    "REFERENCE_LEVEL_THRESHOLDS",
    "REFERENCE_PRIOR",
    "REFERENCE_SCORE_EDGES",
    "AdaptiveTestRun",
    "CertificationAnswer",
    "CertificationResult",
    "CertificationState",
    "ExposureControl",
    "PreparedBank",
    "capacity_to_level",
    "capacity_to_score",
    "certification_state",
    "estimate_capacity",
    "next_challenge",
    "prepare_bank",
    "score_certification",
    "score_standard_error",
]


# The score bands' names, as certificates print them (level 0: pre-beginner … 8: expert).
BAND_NAMES = ("pre-beginner", "beginner", "beginner", "independent", "independent", "advanced", "advanced",
              "expert", "expert")


def score_band(score: int, score_edges: Sequence[float] = REFERENCE_SCORE_EDGES) -> int:
    """The band (0–8) a score out of 1,024 falls in: 0–63 is 0, 64–127 is 1, … 896 and more is 8."""
    return max(0, int(np.searchsorted(score_edges, score, side="right")) - 1)
