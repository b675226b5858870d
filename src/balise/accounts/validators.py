"""Password rules Django does not have: a password of spaces, or of one key held down, is
ten characters long and in no list of common passwords, yet guessed at once."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_DISTINCT_CHARACTERS = 4


class VariedCharactersValidator:
    def validate(self, password, user=None):
        if not password.strip():
            raise ValidationError(_("The password cannot be only spaces."), code="password_only_spaces")
        if len(set(password)) < MIN_DISTINCT_CHARACTERS:
            raise ValidationError(
                _("The password repeats too few characters: use at least %(n)s different ones.")
                % {"n": MIN_DISTINCT_CHARACTERS},
                code="password_too_repetitive",
            )

    def get_help_text(self):
        return _("Your password must use at least %(n)s different characters.") % {"n": MIN_DISTINCT_CHARACTERS}
