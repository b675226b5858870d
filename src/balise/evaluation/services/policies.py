"""What kind of test an assessment is, and who decides its next question and its result.

Sitting a test is one machinery (`answering`): the lock, the timer, the focus, the option
codes, recording each answer exactly once. What to ask next and what a finished test settles
differ by purpose — a positioning test in one competence, a campaign test over a target
profile, a certification course over every competence — and each purpose registers a policy
here. An app above evaluation (campaigns, certification) registers its own in its AppConfig's
`ready()`, so evaluation never imports it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class NextStep:
    """The policy's answer after each answer: the next challenge (None: the test is over)."""

    challenge_id: str | None
    timed: bool = False
    estimated_total: int = 0  # the policy's current guess of the test's length
    result: object = None  # what the policy needs to settle a finished test


@dataclass(frozen=True)
class TestHeading:
    """What the test's pages call it and where they lead out of it."""

    title: str  # e.g. the competence's name, or the campaign's title
    breadcrumb: str
    leave_url: str
    leave_label: str
    # Where a finished test's result is shown; empty: the evaluation's own result page.
    result_url: str = ""
    # Where the learner waits while the test may not go on (a certification the invigilator has
    # not let them resume); empty: the test goes on.
    waiting_url: str = ""


class TestPolicy(Protocol):
    def next_step(self, assessment) -> NextStep: ...

    def heading(self, assessment) -> TestHeading: ...

    # Optional: `answer_refusal(assessment)` returns the error that refuses an answer or a timer
    # start now (an EvaluationError), or None; a policy without it always lets the learner answer.

    def complete(self, assessment, step: NextStep, now: datetime) -> None:
        """Write what the finished test settles (knowledge, scores…), in the answer's transaction."""


_POLICIES: dict[str, TestPolicy] = {}


def policy_register(purpose: str, policy: TestPolicy) -> None:
    _POLICIES[purpose] = policy


def policy_for(assessment) -> TestPolicy:
    try:
        return _POLICIES[assessment.purpose]
    except KeyError:
        raise LookupError(f"no test policy registered for purpose {assessment.purpose!r}") from None


def answer_refusal(assessment):
    """The policy's reason to refuse an answer now, or None."""
    refusal = getattr(policy_for(assessment), "answer_refusal", None)
    return refusal(assessment) if refusal else None
