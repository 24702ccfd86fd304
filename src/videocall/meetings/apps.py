from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "videocall.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from videocall.accounts.selectors import register_avatar_viewer
        from videocall.meetings.selectors import users_share_meeting

        register_avatar_viewer(lambda viewer, owner: users_share_meeting(viewer, owner))
