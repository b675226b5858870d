from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "balise.certification"
    label = "certification"
    verbose_name = _("Certification")

    def ready(self):
        # The certification test's policy: evaluation asks it for the next question, whether the
        # candidate may answer now, and the result (evaluation never imports certification).
        from balise.certification import policy  # noqa: F401
