from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "balise.learning"
    label = "learning"
