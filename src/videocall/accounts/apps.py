from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "videocall.accounts"
    label = "accounts"
    verbose_name = "Accounts"
