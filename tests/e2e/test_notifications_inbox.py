"""Browser journeys: the bell and inbox, preferences, and one-click unsubscribe from an email link."""

import pytest
from django.conf import settings
from django.test import Client

from videocall.notifications.models import NotificationPreference
from videocall.notifications.services import alert_create, unsubscribe_token
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.models import ConsentRecord
from videocall.privacy.services import consent_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_inbox_bell_mark_read_and_preferences(page, live_server, member):
    alert_create(user=member, kind="generic", title="Your meeting starts soon", body="Room 42")
    alert_create(user=member, kind="generic", title="Support replied")
    _sign_in(page, live_server, member)
    page.goto("/notifications/")
    bell = page.locator("a.bell")
    assert bell.locator(".badge").inner_text() == "2"
    assert page.get_by_text("Your meeting starts soon").is_visible()
    page.get_by_role("button", name="Mark all as read").click()
    assert page.locator("a.bell .badge").count() == 0
    page.get_by_role("link", name="Preferences").click()
    assert page.locator("input[name='meeting_reminder__push']").count() == 0  # nothing sends reminders yet
    assert page.get_by_role("heading", name="Always sent").is_visible()
    page.locator("input[name='support_update__push']").uncheck()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your notification preferences are saved.").is_visible()
    assert NotificationPreference.objects.get(user=member, topic="support_update").by_push is False
    assert page.console_errors == []


def test_unsubscribe_link_from_an_email(page, live_server, member):
    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.MARKETING_EMAIL, granted=True, channel="settings"
    )
    page.goto(f"/notifications/unsubscribe/{unsubscribe_token(user=member, topic='support_update')}/")
    assert not NotificationPreference.objects.filter(user=member).exists()  # opening the link changes nothing
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_role("heading", name="You are unsubscribed").is_visible()
    preference = NotificationPreference.objects.get(user=member, topic="support_update")
    assert preference.by_email is False and preference.by_push is True
    # a support reply's link stops support replies by email, not a consent it was never about
    assert ConsentRecord.objects.filter(user=member).count() == 1
    assert page.console_errors == []
