from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from videocall.core.datamap import Category, FieldDecl, LegalBasis, Purpose, data_map
from videocall.notifications.models import Notification
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.models import ConsentRecord, PolicyNotice, PolicyVersion, Processor
from videocall.privacy.selectors import consenting_users, has_consent
from videocall.privacy.services import consent_set, policy_draft_save, policy_publish

pytestmark = pytest.mark.django_db


def test_seed_policy_is_version_one_and_page_generates_sections(client: Any) -> None:
    v1 = PolicyVersion.objects.get(number=1)
    assert v1.status == "published" and "## 11. Contact Us" in v1.text
    page = client.get("/privacy/").content.decode()
    assert "2. Information We Collect" in page and "We never sell your personal data." in page
    assert "retain user data indefinitely" not in page  # section 5 is generated, not the seed's wording
    assert "Full name (first and last name)" in page
    assert "privacy@videocall.network" in page and "supervisory authority" in page
    assert "11. Contact Us" in page and "Children" in page


def test_generated_sections_follow_the_data_map_and_settings(
    client: Any, monkeypatch: Any, settings: Any
) -> None:
    from videocall.core.datamap import CATEGORY_LABELS
    from videocall.privacy.models import PageView

    used = set(data_map.by_category())
    unused = [c for c in Category if c not in used]
    category = unused[0] if unused else Category.MEETING_CONTENT
    if unused:
        # A category nobody declares yet: declaring one field of it adds it to the page.
        label = str(CATEGORY_LABELS[category])
        before = client.get("/privacy/").content.decode()
        assert f'data-category="{category.value}"' not in before, label
    decl = data_map.models["privacy.pageview"]
    monkeypatch.setitem(
        decl.personal,
        "path",
        FieldDecl(category, (Purpose.MEETINGS,), LegalBasis.CONTRACT, "access_log"),
    )
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "access_log": 17}
    Processor.objects.create(
        name="Hosting GmbH", purpose="servers", categories="network", location="Germany", safeguards="EU"
    )
    after = client.get("/privacy/").content.decode()
    assert f'data-category="{category.value}"' in after
    assert "17 days" in after and "Hosting GmbH" in after and "Germany" in after
    assert PageView._meta.get_field("path")


def test_publish_notifies_every_active_user_once(
    make_user: Any, officer: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.VIDEOCALL_PRIVACY_NOTICE_BATCH = 2
    active = [make_user(f"u{i}@example.org") for i in range(3)]
    inactive = make_user("gone@example.org")
    inactive.is_active = False
    inactive.save()
    draft = policy_draft_save(
        actor=officer,
        text="## 1. Intro\n\nNew words.",
        summary="Clearer retention.",
        effective_at=timezone.now(),
    )
    assert draft.number == 2 and draft.status == "draft"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(actor=officer, version=draft)
    recipients = sorted(m.to[0] for m in mail.outbox)
    expected = sorted(u.email for u in [*active, officer])
    assert recipients == expected
    assert Notification.objects.filter(kind="privacy.policy_changed").count() == len(expected)
    assert PolicyNotice.objects.filter(version=draft).count() == len(expected)
    assert not PolicyNotice.objects.filter(user=inactive).exists()
    draft.refresh_from_db()
    assert draft.notify_done_at is not None
    # Resuming the task (e.g. after a crash) sends nothing twice.
    from videocall.privacy.services import policy_notify_batch

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert policy_notify_batch(version_id=draft.pk, batch=10) == 0
    assert mail.outbox == []
    page = __import__("django.test", fromlist=["Client"]).Client().get("/privacy/").content.decode()
    assert "Version 2" in page and "/privacy/versions/1/" in page


def test_reconsent_when_a_version_changes_a_purpose(
    member: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    consent_set(actor=member, user=member, purpose=ConsentPurpose.ANALYTICS, granted=True, channel="settings")
    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.MARKETING_EMAIL, granted=True, channel="settings"
    )
    draft = policy_draft_save(
        actor=officer,
        text="## 1. Intro",
        summary="Analytics now counts meetings.",
        effective_at=timezone.now(),
        reconsent_purposes=["analytics"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(actor=officer, version=draft)
    assert not has_consent(member, ConsentPurpose.ANALYTICS)
    assert has_consent(member, ConsentPurpose.MARKETING_EMAIL)
    email = next(
        m for m in __import__("django.core.mail", fromlist=["outbox"]).outbox if m.to == [member.email]
    )
    assert "ask you again" in email.body
    record = consent_set(
        actor=member, user=member, purpose=ConsentPurpose.ANALYTICS, granted=True, channel="settings"
    )
    assert record.policy_version == 2 and has_consent(member, ConsentPurpose.ANALYTICS)
    assert ConsentRecord.objects.filter(user=member).count() == 3


def test_consenting_users_is_has_consent_as_a_query(
    make_user: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """One consent rule: the queryset for many people answers exactly as ``has_consent`` for each."""

    def choose(user: Any, purpose: ConsentPurpose, granted: bool) -> None:
        consent_set(actor=user, user=user, purpose=purpose, granted=granted, channel="settings")

    people = {
        name: make_user(f"{name}@example.org")
        for name in ("yes", "no", "never", "withdrew", "restricted", "gone", "again")
    }
    for name in ("yes", "withdrew", "restricted", "gone", "again"):
        for purpose in (ConsentPurpose.ANALYTICS, ConsentPurpose.MARKETING_EMAIL):
            choose(people[name], purpose, True)
    choose(people["no"], ConsentPurpose.ANALYTICS, False)
    choose(people["withdrew"], ConsentPurpose.ANALYTICS, False)
    people["restricted"].is_restricted = True
    people["restricted"].save(update_fields=["is_restricted"])
    people["gone"].is_deleted = True
    people["gone"].save(update_fields=["is_deleted"])

    def agree() -> None:
        for purpose in ConsentPurpose:
            counted = set(consenting_users(purpose).values_list("pk", flat=True))
            for name, user in people.items():
                user.refresh_from_db()
                assert (user.pk in counted) == has_consent(user, purpose), (name, purpose)

    agree()
    draft = policy_draft_save(
        actor=officer,
        text="## 1. Intro",
        summary="s",
        effective_at=timezone.now(),
        reconsent_purposes=["analytics"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(actor=officer, version=draft)
    choose(people["again"], ConsentPurpose.ANALYTICS, True)
    agree()
    analytics = set(consenting_users(ConsentPurpose.ANALYTICS).values_list("pk", flat=True))
    assert analytics == {people["again"].pk}  # everyone else must consent again
    marketing = set(consenting_users(ConsentPurpose.MARKETING_EMAIL).values_list("pk", flat=True))
    assert marketing == {people[n].pk for n in ("yes", "withdrew", "again")}


def test_continued_use_is_recorded(
    member: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from videocall.privacy.services import policy_record_continued_use

    draft = policy_draft_save(actor=officer, text="## 1. Intro", summary="s", effective_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(actor=officer, version=draft)
    member.last_login = timezone.now()
    member.save(update_fields=["last_login"])
    assert policy_record_continued_use() >= 1
    assert PolicyNotice.objects.get(user=member, version=draft).continued_use_at is not None


def test_desk_policy_draft_preview_publish(
    client: Any, officer: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(officer)
    response = client.post(
        "/privacy/desk/policy/",
        {
            "text": "## 1. Intro\n\nHello **world**\n\n## 7. Rights\n\nYours.",
            "summary": "x",
            "effective_at": "2030-01-01 00:00",
        },
    )
    version = PolicyVersion.objects.get(number=2)
    assert response["Location"] == f"/privacy/desk/policy/{version.pk}/"
    preview = client.get(f"/privacy/desk/policy/{version.pk}/").content.decode()
    assert "<strong>world</strong>" in preview and "We never sell your personal data." in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/privacy/desk/policy/{version.pk}/publish/")
    version.refresh_from_db()
    assert version.status == "published"
    client.force_login(member)
    assert client.get(f"/privacy/desk/policy/{version.pk}/").status_code == 403


@override_settings(VIDEOCALL_PRIVACY_CONTACT="dpo@example.net")
def test_contact_setting_is_shown(client: Any) -> None:
    assert "dpo@example.net" in client.get("/privacy/").content.decode()


def test_visitor_banner_returns_when_a_version_changes_analytics(
    client: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.post("/privacy/cookies/", {"choice": "accept_all", "next": "/"})
    page = client.get("/").content.decode()
    assert "cookie-banner" not in page and "beacon.js" in page
    draft = policy_draft_save(
        actor=officer,
        text="## 1. Intro",
        summary="s",
        effective_at=timezone.now(),
        reconsent_purposes=["analytics"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(actor=officer, version=draft)
    page = client.get("/").content.decode()
    assert "cookie-banner" in page and "beacon.js" not in page


def test_video_service_follows_jitsi_mode(client: Any, settings: Any) -> None:
    settings.JITSI_MODE = "jaas"
    assert "8x8" in client.get("/privacy/").content.decode()
    settings.JITSI_MODE = "self-hosted"
    settings.JITSI_DOMAIN = "meet.example.org"
    assert "our own Jitsi Meet servers (meet.example.org)" in client.get("/privacy/").content.decode()


def test_page_falls_back_to_the_seed_when_no_version_is_stored(client: Any) -> None:
    PolicyVersion.objects.all().delete()
    page = client.get("/privacy/")
    assert page.status_code == 200
    assert (
        "11. Contact Us" in page.content.decode()
        and "We never sell your personal data." in page.content.decode()
    )
