from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "videocall.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from videocall.accounts import receivers  # noqa: F401 - connects the audit receivers
