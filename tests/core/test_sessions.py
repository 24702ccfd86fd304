import time

from videocall.core.sessions import LAST_SEEN_KEY


def test_idle_session_is_signed_out(member_client, settings):
    settings.VIDEOCALL_SESSION_IDLE_SECONDS = 60
    assert member_client.get("/").context["user"].is_authenticated
    session = member_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 61
    session.save()
    old_key = session.session_key
    response = member_client.get("/")
    assert not response.context["user"].is_authenticated
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=old_key).exists()


def test_active_session_stays(member_client, settings):
    settings.VIDEOCALL_SESSION_IDLE_SECONDS = 60
    session = member_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 30
    session.save()
    assert member_client.get("/").context["user"].is_authenticated
