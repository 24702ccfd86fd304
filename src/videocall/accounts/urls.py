from django.urls import path

from videocall.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.settings_hub, name="settings"),
    path("profile/", views.profile, name="profile"),
    path("picture/", views.picture_upload, name="picture_upload"),
    path("picture/remove/", views.picture_remove, name="picture_remove"),
    path("users/<int:user_id>/picture/", views.avatar, name="avatar"),
    path("pictures/<str:token>/", views.avatar_link, name="avatar_link"),
    path("security/", views.security, name="security"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:session_id>/revoke/", views.session_revoke, name="session_revoke"),
    path("sessions/revoke-others/", views.sessions_revoke_others, name="sessions_revoke_others"),
]
