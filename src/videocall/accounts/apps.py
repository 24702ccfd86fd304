from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "videocall.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # local import: receivers imports models, which exist only once the app registry is ready
        from videocall.accounts import receivers  # noqa: F401 - connects the audit receivers
