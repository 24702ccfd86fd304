from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from videocall.accounts.models import User
from videocall.core.permissions import Role

pytestmark = pytest.mark.django_db


def test_expired_unverified_signups_are_deleted_and_nothing_else(make_user, settings):
    old = timezone.now() - dt.timedelta(days=settings.RETENTION_DAYS["unverified_signups"] + 1)
    expired = make_user("expired@example.org", verified=False)
    recent = make_user("recent@example.org", verified=False)
    verified = make_user("verified@example.org")
    staff = make_user("staff.pending@example.org", verified=False, roles=[Role.SUPPORT_AGENT])
    operator = User.objects.create_user(email="operator@example.org", password="x" * 20)
    User.objects.filter(pk__in=[expired.pk, verified.pk, staff.pk, operator.pk]).update(date_joined=old)
    from videocall.privacy.retention import sweep_unverified_signups

    days = settings.RETENTION_DAYS["unverified_signups"]
    assert sweep_unverified_signups(now=timezone.now(), days=days) == 1
    remaining = set(User.objects.filter(is_deleted=False).values_list("pk", flat=True))
    assert expired.pk not in remaining
    assert {recent.pk, verified.pk, staff.pk, operator.pk} <= remaining
    assert sweep_unverified_signups(now=timezone.now(), days=days) == 0


def test_ended_and_expired_sessions_leave_no_ip_behind(client, make_user):
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    from videocall.accounts.tasks import purge_ended_sessions

    make_user("expiring@example.org", password="a long and unusual passphrase 42")
    client.post(
        "/accounts/login/",
        {"login": "expiring@example.org", "password": "a long and unusual passphrase 42"},
        REMOTE_ADDR="8.8.8.8",
    )
    assert UserSession.objects.count() == 1
    assert purge_ended_sessions.delay().get() == 0
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert purge_ended_sessions.delay().get() == 1
    assert not UserSession.objects.exists() and not Session.objects.exists()
