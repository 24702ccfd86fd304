from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps

from videocall.core.signals import console_changed


class StaffConfig(AppConfig):
    default = True
    name = "videocall.staff"
    label = "staff"
    verbose_name = "Staff console"

    def ready(self) -> None:
        # local import: these modules import models, which exist only once the app registry is ready
        from videocall.staff import privacy  # noqa: F401  (its data map entries)
        from videocall.staff.receivers import on_console_changed

        console_changed.connect(on_console_changed, dispatch_uid="videocall.staff.console_changed")


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin app with :class:`videocall.staff.admin_site.StaffAdminSite` as ``admin.site``."""

    default = False
    default_site = "videocall.staff.admin_site.StaffAdminSite"
