from django.urls import URLPattern, URLResolver, path

from videocall.privacy import desk, views

app_name = "privacy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.policy, name="policy"),
    path("versions/<int:number>/", views.policy_version, name="policy_version"),
    path("cookies/", views.cookie_settings, name="cookie_settings"),
    path("beacon/", views.beacon, name="beacon"),
    path("contact/", views.contact, name="contact"),
    path("settings/", views.center, name="center"),
    path("settings/consent/", views.consent_toggle, name="consent_toggle"),
    path("settings/restriction/", views.restriction, name="restriction"),
    path("notice/acknowledge/", views.notice_acknowledge, name="notice_acknowledge"),
    path("exports/", views.export_create, name="export_create"),
    path("exports/<uuid:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:export_id>/download/", views.export_download, name="export_download"),
    path("delete/", views.delete_account, name="delete_account"),
    path("desk/", desk.desk, name="desk"),
    path("desk/requests/<int:pk>/", desk.desk_request, name="desk_request"),
    path("desk/policy/", desk.desk_policy, name="desk_policy"),
    path("desk/policy/<int:pk>/", desk.desk_policy_edit, name="desk_policy_edit"),
    path("desk/policy/<int:pk>/publish/", desk.desk_policy_publish, name="desk_policy_publish"),
    path("desk/records/", desk.desk_records, name="desk_records"),
    path("desk/records.csv", desk.desk_records_csv, name="desk_records_csv"),
    path("desk/users/<int:pk>/under-age/", desk.desk_flag_child, name="desk_flag_child"),
    path("desk/users/<int:pk>/legal-holds/", desk.desk_legal_hold, name="desk_legal_hold"),
]
