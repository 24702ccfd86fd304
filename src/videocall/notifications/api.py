"""App API: the inbox (cursor pagination, since-cursor), mark read / all read, and preferences."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field as NField
from ninja import Query, Router, Schema

from videocall.core.api import api_auth
from videocall.core.errors import NotAuthenticated, NotFound
from videocall.core.schemas import ProblemOut
from videocall.notifications import selectors, services
from videocall.notifications.schemas import (
    NotificationListOut,
    NotificationOut,
    NotificationReadAllOut,
    PreferenceOut,
    PreferencesOut,
    PreferencesUpdateIn,
)
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.selectors import has_consent

router = Router(tags=["notifications"])

MAX_ID = 2**62


class InboxQuery(Schema):
    limit: int = NField(20, ge=1, le=100)
    before: int | None = NField(None, ge=1, le=MAX_ID, description="cursor: alerts older than this id")
    since: int | None = NField(None, ge=0, le=MAX_ID, description="only alerts newer than this id")


def _user(request: HttpRequest) -> Any:
    user = request.auth if getattr(request.auth, "is_authenticated", False) else request.user  # type: ignore[attr-defined]
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated()
    return user


@router.get(
    "/",
    auth=api_auth,
    url_name="notifications_list",
    response={200: NotificationListOut, 401: ProblemOut, 422: ProblemOut},
)
def notifications_list(request: HttpRequest, query: Query[InboxQuery]) -> Any:
    user = _user(request)
    items, next_cursor = selectors.inbox_page(user, limit=query.limit, before=query.before, since=query.since)
    latest = selectors.inbox_for(user).values_list("id", flat=True).first()
    return {
        "items": items,
        "unread_count": selectors.unread_count(user),
        "next_cursor": next_cursor,
        "latest_id": latest,
    }


@router.post(
    "/{int:notification_id}/read",
    auth=api_auth,
    url_name="notifications_read",
    response={200: NotificationOut, 401: ProblemOut, 404: ProblemOut, 422: ProblemOut},
)
def notifications_read(request: HttpRequest, notification_id: int) -> Any:
    user = _user(request)
    if notification_id > MAX_ID:
        raise NotFound()
    return services.notification_mark_read(actor=user, notification_id=notification_id)


@router.post(
    "/read-all",
    auth=api_auth,
    url_name="notifications_read_all",
    response={200: NotificationReadAllOut, 401: ProblemOut},
)
def notifications_read_all(request: HttpRequest) -> Any:
    user = _user(request)
    marked = services.notification_mark_all_read(actor=user)
    return {"marked": marked, "unread_count": selectors.unread_count(user)}


def _preferences(user: Any) -> dict[str, Any]:
    return {
        "items": [
            PreferenceOut(
                topic=topic.key,
                label=str(topic.label),
                description=str(topic.description),
                by_email=by_email,
                by_push=by_push,
                push_offered=topic.push,
            )
            for topic, by_email, by_push in selectors.preferences_for(user)
        ],
        "always_sent": selectors.always_sent_labels(),
        "email_consent": has_consent(user, ConsentPurpose.MARKETING_EMAIL),
        "push_consent": has_consent(user, ConsentPurpose.PUSH_NOTIFICATIONS),
    }


@router.get(
    "/preferences",
    auth=api_auth,
    url_name="notifications_preferences",
    response={200: PreferencesOut, 401: ProblemOut},
)
def preferences_get(request: HttpRequest) -> Any:
    return _preferences(_user(request))


@router.put(
    "/preferences",
    auth=api_auth,
    url_name="notifications_preferences_update",
    response={200: PreferencesOut, 401: ProblemOut, 422: ProblemOut},
)
def preferences_update(request: HttpRequest, payload: PreferencesUpdateIn) -> Any:
    user = _user(request)
    services.preferences_set(
        actor=user, user=user, choices={item.topic: (item.by_email, item.by_push) for item in payload.items}
    )
    return _preferences(user)
