from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "balise.spaces"
    label = "spaces"
    verbose_name = _("Spaces")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from balise.spaces import selectors  # noqa: F401  (connects the cache invalidation)
