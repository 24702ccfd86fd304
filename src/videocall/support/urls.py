from django.urls import URLPattern, URLResolver, path

from videocall.support import desk_views, views

app_name = "support"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ticket_list, name="ticket_list"),
    path("new/", views.ticket_new, name="ticket_new"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:ticket_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path("tickets/<int:ticket_id>/close/", views.ticket_close, name="ticket_close"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("contact/link/<str:token>/", views.contact_verify, name="contact_verify"),
    path("contact/ticket/", views.contact_thread, name="contact_thread"),
    path("contact/ticket/reply/", views.contact_reply, name="contact_reply"),
    path("desk/", desk_views.desk_queue, name="desk_queue"),
    path("desk/privacy/", desk_views.desk_privacy, name="desk_privacy"),
    path("desk/tickets/<int:ticket_id>/", desk_views.desk_ticket, name="desk_ticket"),
    path("desk/tickets/<int:ticket_id>/reply/", desk_views.desk_reply, name="desk_reply"),
    path("desk/tickets/<int:ticket_id>/assign/", desk_views.desk_assign, name="desk_assign"),
    path("desk/tickets/<int:ticket_id>/status/", desk_views.desk_status, name="desk_status"),
    path("desk/tickets/<int:ticket_id>/reveal/", desk_views.desk_reveal, name="desk_reveal"),
    path("desk/canned/", desk_views.desk_canned, name="desk_canned"),
    path("desk/canned/<int:canned_id>/", desk_views.desk_canned_edit, name="desk_canned_edit"),
]
