from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "videocall.meetings"
    label = "meetings"
    verbose_name = "Meetings"
