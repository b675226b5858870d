from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "balise.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        # The campaign test's policy: evaluation asks it for the next question and the result
        # (evaluation never imports campaigns; decision 0008).
        from balise.campaigns import policy  # noqa: F401
