"""Codes people read, copy and type by hand — a campaign's, a session's access code, an
invigilator's password, a certificate's verification code: drawn from alphabets without the
characters people confuse (I, L, O and 0, 1), and read back whatever the case, spaces or dashes.
No Django here."""

import secrets

LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ"
DIGITS = "23456789"


def random_code(letters: int, digits: int = 0, *, alphabet: str = LETTERS) -> str:
    """`letters` characters of `alphabet`, then `digits` digits."""
    return "".join(secrets.choice(alphabet) for _ in range(letters)) + "".join(
        secrets.choice(DIGITS) for _ in range(digits))


def typed_code(text: str, length: int | None = None) -> str:
    """What people type for a code: lower case, spaces or a dash in the middle are fine."""
    cleaned = "".join(ch for ch in str(text).upper() if ch.isalnum())
    return cleaned[:length] if length else cleaned
