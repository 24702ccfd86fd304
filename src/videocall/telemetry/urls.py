from django.urls import URLPattern, URLResolver, path

from videocall.telemetry import views

app_name = "telemetry"
urlpatterns: list[URLPattern | URLResolver] = [
    path("devices/", views.devices, name="devices"),
    path("devices/<int:device_id>/remove/", views.device_remove, name="device_remove"),
    path("crashes/", views.crash_list, name="crash_list"),
    path("crashes/<int:group_id>/", views.crash_detail, name="crash_detail"),
    path("trends/", views.trends, name="trends"),
    path("trends.csv", views.trends_csv, name="trends_csv"),
]
