"""What the page and the API call a question and its options.

A question's pack id tells its topic and level ("malwareAndBackups5a"): the page and the API
name the current question by a per-test code instead (`challenge_code`), and the answering
service accepts an answer only for the code of the test's current question.

Authors list the right option first, as "a": shuffled or not, the pack's option ids would
tell the learner which one is right. Each test gets its own codes instead, derived from the
test's seed with the server's secret key, so a page says nothing about which option is which
and a code copied from another learner's test means nothing here. The codes are stable for a
test (a reload or a resumed test shows the same ones); changing SECRET_KEY changes them, so a
page left open across that change asks the learner to answer again.
"""

from django.utils.crypto import salted_hmac

SALT = "balise.evaluation.option-code"
CHALLENGE_SALT = "balise.evaluation.challenge-code"


def challenge_code(seed: int, challenge_id: str) -> str:
    return salted_hmac(CHALLENGE_SALT, f"{seed}:{challenge_id}").hexdigest()[:16]


def is_current_challenge(assessment, code: str) -> bool:
    """Whether `code` (posted by a page or an API client) names the test's current question."""
    current = assessment.current_challenge_id
    return current is not None and isinstance(code, str) and challenge_code(assessment.seed, current) == code


def option_code(seed: int, challenge_id: str, option_id: str) -> str:
    return salted_hmac(SALT, f"{seed}:{challenge_id}:{option_id}").hexdigest()[:16]


# What an unknown code becomes: no option id can start with it, so the engine refuses it.
# Leaving it as posted would let the pack's own ids through ("a" is usually right).
NOT_AN_OPTION = "not-an-option:"


def option_ids_from_codes(value, seed: int, challenge_id: str, option_ids) -> object:
    """The posted answer with codes turned back into the pack's option ids; anything that is
    not one of this question's codes (a pack id included) becomes an unknown option."""
    by_code = {option_code(seed, challenge_id, option_id): option_id for option_id in option_ids}

    def option_id(item):
        return by_code.get(item, NOT_AN_OPTION + item) if isinstance(item, str) else item

    if isinstance(value, str):
        return option_id(value)
    if isinstance(value, list):
        return [option_id(item) for item in value]
    return value
