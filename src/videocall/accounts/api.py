"""``/api/v1/me``: the signed-in user's profile, picture, sessions and devices (website session with CSRF,
or the app's allauth headless token). Sign-up, login, verification, MFA and logout are allauth headless
routes under ``/api/v1/auth/`` (see docs/api.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from videocall.accounts import selectors, services
from videocall.accounts.schemas import MeOut, MeUpdateIn, SessionsRevokedOut, SignInSessionOut
from videocall.accounts.selectors import request_session
from videocall.accounts.views import avatar_response
from videocall.core.api import api_auth
from videocall.core.clients import request_country
from videocall.core.schemas import ProblemOut

router = Router(tags=["accounts"])

PROBLEMS = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut}


def _me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "id": user.pk,
        "email": user.email,
        "email_verified": selectors.email_verified(user),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "timezone": user.timezone,
        "language": user.language,
        "has_picture": bool(user.avatar),
        "picture_url": reverse("accounts:avatar", args=[user.pk]) if user.avatar else None,
        "mfa_enabled": selectors.has_mfa(user),
        "roles": sorted(role.value for role in user.roles),
        "date_joined": user.date_joined,
    }


@router.get("/me", auth=api_auth, response={200: MeOut, 401: ProblemOut}, url_name="me")
def me_get(request: HttpRequest) -> Any:
    return _me(request)


@router.patch(
    "/me", auth=api_auth, response={200: MeOut, 401: ProblemOut, 422: ProblemOut}, url_name="me_update"
)
def me_update(request: HttpRequest, payload: MeUpdateIn) -> Any:
    services.profile_update(actor=request.user, user=request.user, data=payload.dict(exclude_unset=True))
    return _me(request)


@router.post(
    "/me/picture",
    auth=api_auth,
    response={200: MeOut, 401: ProblemOut, 413: ProblemOut, 415: ProblemOut, 422: ProblemOut},
    url_name="me_picture",
)
def me_picture_set(request: HttpRequest, picture: UploadedFile = File(...)) -> Any:  # noqa: B008
    services.avatar_set(actor=request.user, user=request.user, upload=picture)
    return _me(request)


@router.delete(
    "/me/picture", auth=api_auth, response={200: MeOut, 401: ProblemOut}, url_name="me_picture_remove"
)
def me_picture_remove(request: HttpRequest) -> Any:
    services.avatar_remove(actor=request.user, user=request.user)
    return _me(request)


@router.get(
    "/users/{int:user_id}/picture",
    auth=api_auth,
    response={200: None, 401: ProblemOut, 404: ProblemOut},
    url_name="user_picture",
)
def user_picture(request: HttpRequest, user_id: int) -> HttpResponse:
    return avatar_response(request.user, user_id)


@router.get(
    "/me/sessions",
    auth=api_auth,
    response={200: list[SignInSessionOut], 401: ProblemOut},
    url_name="me_sessions",
)
def me_sessions(request: HttpRequest) -> Any:
    session = request_session(request)
    return selectors.sessions_for(
        user=request.user, current_session_key=getattr(session, "session_key", None)
    )


@router.post(
    "/me/sessions/{int:session_id}/revoke",
    auth=api_auth,
    response={204: None, 401: ProblemOut, 404: ProblemOut},
    url_name="me_session_revoke",
)
def me_session_revoke(request: HttpRequest, session_id: int) -> Any:
    session = request_session(request)
    services.session_revoke(
        actor=request.user,
        session_id=session_id,
        current_session_key=getattr(session, "session_key", None),
        ip_country=request_country(request),
    )
    return Status(204, None)


@router.post(
    "/me/sessions/revoke-others",
    auth=api_auth,
    response={200: SessionsRevokedOut, 401: ProblemOut},
    url_name="me_sessions_revoke_others",
)
def me_sessions_revoke_others(request: HttpRequest) -> Any:
    session = request_session(request)
    count = services.sessions_revoke_others(
        actor=request.user,
        current_session_key=getattr(session, "session_key", None),
        ip_country=request_country(request),
    )
    return {"revoked": count}
