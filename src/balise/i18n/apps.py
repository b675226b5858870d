from django.apps import AppConfig


class I18nConfig(AppConfig):
    # An installed app so that Django finds its template tags ({% load balise %}).
    name = "balise.i18n"
    label = "i18n"
