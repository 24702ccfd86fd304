"""Website pages of the account: the settings hub, profile and picture, security, sessions and devices.
Thin: every write goes through :mod:`videocall.accounts.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from videocall.accounts import selectors, services
from videocall.accounts.forms import AvatarForm, ProfileForm
from videocall.accounts.models import User
from videocall.core.clients import request_country
from videocall.core.errors import ApplicationError, NotFound

MAX_DB_ID = 2**63 - 1  # ids beyond a bigint are not found (and must not reach PostgreSQL)


def avatar_response(viewer: Any, user_id: int) -> HttpResponse:
    """The picture of ``user_id`` for ``viewer``, or 404 for anyone not allowed (no hint it exists)."""
    if not 0 < user_id <= MAX_DB_ID:
        raise NotFound()
    owner = User.objects.filter(pk=user_id).first()
    if owner is None or not owner.avatar or not selectors.can_view_avatar(viewer, owner):
        raise NotFound()
    return _picture(owner)


def _picture(owner: Any) -> HttpResponse:
    with owner.avatar.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="image/webp")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="picture.webp"'
    return response


@login_required
@require_GET
def settings_hub(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/settings.html",
        {
            "email_verified": selectors.email_verified(request.user),
            "mfa_enabled": selectors.has_mfa(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    initial = {f: getattr(user, f) for f in services.PROFILE_FIELDS}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=user, user=user, data=form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "avatar_form": AvatarForm()})


@login_required
@require_POST
def picture_upload(request: HttpRequest) -> HttpResponse:
    form = AvatarForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a picture to upload."))
        return redirect("accounts:profile")
    try:
        services.avatar_set(actor=request.user, user=request.user, upload=form.cleaned_data["picture"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your picture was updated."))
    return redirect("accounts:profile")


@login_required
@require_POST
def picture_remove(request: HttpRequest) -> HttpResponse:
    services.avatar_remove(actor=request.user, user=request.user)
    messages.success(request, _("Your picture was removed."))
    return redirect("accounts:profile")


@login_required
@require_GET
def avatar(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        return avatar_response(request.user, user_id)
    except NotFound as exc:
        raise Http404 from exc


@require_GET
def avatar_link(request: HttpRequest, token: str) -> HttpResponse:
    """A picture named by a signed, expiring link (the one a meeting token carries for Jitsi)."""
    owner = selectors.avatar_owner_from_link(token)
    if owner is None:
        raise Http404
    response = _picture(owner)
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # Jitsi's page, on its own origin, shows it
    return response


@login_required
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/security.html", {"mfa_enabled": selectors.has_mfa(request.user)})


@login_required
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    rows = selectors.sessions_for(user=request.user, current_session_key=request.session.session_key)
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": rows, "offer": request.GET.get("offer") in {"password", "mfa"}},
    )


@login_required
@require_POST
def session_revoke(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        current = services.session_revoke(
            actor=request.user,
            session_id=session_id,
            current_session_key=request.session.session_key,
            ip_country=request_country(request),
        )
    except NotFound as exc:
        raise Http404 from exc
    if current:
        logout(request)
        return redirect("account_login")
    messages.success(request, _("That session was signed out."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_revoke_others(request: HttpRequest) -> HttpResponse:
    count = services.sessions_revoke_others(
        actor=request.user,
        current_session_key=request.session.session_key,
        ip_country=request_country(request),
    )
    messages.success(request, _("Signed out everywhere else (%(count)d sessions).") % {"count": count})
    return redirect("accounts:sessions")
