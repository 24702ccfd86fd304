from django.urls import URLPattern, URLResolver, path

from videocall.meetings import views

app_name = "meetings"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("history/", views.meeting_history, name="history"),
    path("calendar.ics", views.calendar_download, name="calendar"),
    path("invitation/", views.invitation_landing, name="invitation"),
    path("invitation/<str:token>/", views.invitation_open, name="invitation_open"),
    path("<uuid:meeting_id>/", views.meeting_detail, name="detail"),
    path("<uuid:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<uuid:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path("<uuid:meeting_id>/invite/", views.invitation_create, name="invite"),
    path(
        "<uuid:meeting_id>/invitations/<uuid:invitation_id>/resend/", views.invitation_resend, name="resend"
    ),
    path(
        "<uuid:meeting_id>/invitations/<uuid:invitation_id>/revoke/", views.invitation_revoke, name="revoke"
    ),
    path("<uuid:meeting_id>/respond/", views.invitation_respond, name="respond"),
    path("<uuid:meeting_id>/co-hosts/", views.cohost_add, name="cohost_add"),
    path("<uuid:meeting_id>/co-hosts/<int:user_id>/remove/", views.cohost_remove, name="cohost_remove"),
    path("<uuid:meeting_id>/join/", views.meeting_join, name="join"),
    path("<uuid:meeting_id>/attendance/", views.meeting_attendance, name="attendance"),
    path("<uuid:meeting_id>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("<uuid:meeting_id>/meeting.ics", views.meeting_ics_download, name="ics"),
]
