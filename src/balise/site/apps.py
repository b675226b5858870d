from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "balise.site"
    label = "site"
