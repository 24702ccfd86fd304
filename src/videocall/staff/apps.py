from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConfig(AppConfig):
    default = True
    name = "videocall.staff"
    label = "staff"
    verbose_name = "Staff console"

    def ready(self) -> None:
        from videocall.staff import privacy  # noqa: F401  (data map)


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin app with :class:`videocall.staff.admin_site.StaffAdminSite` as ``admin.site``."""

    default = False
    default_site = "videocall.staff.admin_site.StaffAdminSite"
