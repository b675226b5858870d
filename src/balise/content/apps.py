from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "balise.content"
    label = "content"
