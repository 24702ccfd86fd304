from django.contrib import admin
from django.urls import include, path, re_path

from videocall.config.api import api
from videocall.config.views import readyz
from videocall.core.views import api_not_found
from videocall.staff.metrics import metrics_view

handler403 = "videocall.core.views.error_403"
handler404 = "videocall.core.views.error_404"
handler500 = "videocall.core.views.error_500"

urlpatterns = [
    path("", include("videocall.core.urls")),
    path("readyz", readyz, name="readyz"),  # the database, cache and broker the composition root set up
    path("api/v1/", api.urls),
    path("api/v1/auth/", include("allauth.headless.urls")),
    path("api/", include("videocall.telemetry.ingest_urls")),  # Sentry-compatible crash intake
    path("accounts/", include("allauth.urls")),
    path("account/", include("videocall.accounts.urls")),
    path("meetings/", include("videocall.meetings.urls")),
    path("privacy/", include("videocall.privacy.urls")),
    path("support/", include("videocall.support.urls")),
    path("telemetry/", include("videocall.telemetry.urls")),
    path("notifications/", include("videocall.notifications.urls")),
    path("console/", admin.site.urls),  # the staff console (videocall.staff.admin_site.StaffAdminSite)
    path("metrics", metrics_view, name="metrics"),
    re_path(r"^api/(?P<path>.*)$", api_not_found, name="api_not_found"),
]
