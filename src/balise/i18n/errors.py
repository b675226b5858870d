"""The base of every refusal a person reads (a test's, a campaign's): a status for the page or
the API, a stable code for clients, a message in the person's language, the field at fault."""

from django.utils.translation import gettext_lazy as _


class ReadableError(Exception):
    http_status = 400
    code = "invalid"
    default_message = _("This action is not possible.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))
