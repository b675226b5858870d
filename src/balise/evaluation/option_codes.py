"""What the page and the API call a question's options.

Authors list the right option first, as "a": shuffled or not, the pack's option ids would
tell the learner which one is right. Each test gets its own codes instead, derived from the
test's seed with the server's secret key, so a page says nothing about which option is which
and a code copied from another learner's test means nothing here. The codes are stable for a
test (a reload or a resumed test shows the same ones); changing SECRET_KEY changes them, so a
page left open across that change asks the learner to answer again.
"""

from django.utils.crypto import salted_hmac

SALT = "balise.evaluation.option-code"


def option_code(seed: int, challenge_id: str, option_id: str) -> str:
    return salted_hmac(SALT, f"{seed}:{challenge_id}:{option_id}").hexdigest()[:16]


def option_ids_from_codes(value, seed: int, challenge_id: str, option_ids) -> object:
    """The posted answer with codes turned back into the pack's option ids. A code that is
    not one of this question's stays as it is, so the engine refuses it as an unknown option."""
    by_code = {option_code(seed, challenge_id, option_id): option_id for option_id in option_ids}
    if isinstance(value, str):
        return by_code.get(value, value)
    if isinstance(value, list):
        return [by_code.get(item, item) if isinstance(item, str) else item for item in value]
    return value
