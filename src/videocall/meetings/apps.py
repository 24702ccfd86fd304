from django.apps import AppConfig

from videocall.core.ports import register_usage_series


class MeetingsConfig(AppConfig):
    name = "videocall.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # local import: these modules import models, which exist only once the app registry is ready
        from videocall.accounts.adapter import register_invitation_check
        from videocall.accounts.selectors import register_avatar_viewer
        from videocall.meetings.selectors import meeting_usage_series, users_share_meeting
        from videocall.meetings.views import holds_invitation

        register_avatar_viewer(lambda viewer, owner: users_share_meeting(viewer, owner))
        register_invitation_check(holds_invitation)
        register_usage_series("meetings", meeting_usage_series)
