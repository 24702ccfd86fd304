from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "videocall.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # Each app's privacy.py declares its fields in the data map and registers export/erase hooks.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("privacy")
