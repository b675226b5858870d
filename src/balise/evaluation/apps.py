from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "balise.evaluation"
    label = "evaluation"
