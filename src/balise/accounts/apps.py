from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "balise.accounts"
    label = "accounts"
