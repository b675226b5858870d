"""How long a learner has for a timed question, with their time accommodation.

A learner who needs it (a disability, a slow connection, reading in a second language) can
ask for a third more time, as French exams grant ("tiers-temps"), or for no time limit in
positioning tests, which carry no stakes (WCAG 2.2.1, Timing Adjustable). The choice is
kept on each test when it starts, so a test's conditions never change under it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeAllowance(models.TextChoices):
    STANDARD = "standard", _("The time set for each question")
    EXTRA_THIRD = "extra_third", _("A third more time")
    UNTIMED = "untimed", _("No time limit")


def allowed_seconds(timer: int | None, allowance: str) -> int | None:
    """Seconds to answer a question whose own limit is `timer`; None when it is not timed."""
    if not timer or allowance == TimeAllowance.UNTIMED:
        return None
    if allowance == TimeAllowance.EXTRA_THIRD:
        return -(-timer * 4 // 3)  # rounded up: never less than a third more
    return timer
