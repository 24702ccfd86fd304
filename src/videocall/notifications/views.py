"""Website: the inbox, preferences, one-click unsubscribe and the staff jobs page (thin: services do the work)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from videocall.core.errors import NotFound
from videocall.core.permissions import Perm, permission_required
from videocall.notifications import selectors, services
from videocall.notifications.forms import PreferencesForm
from videocall.notifications.models import JobRecord
from videocall.notifications.services import push_configured
from videocall.privacy.consents import CONSENT_PURPOSES, ConsentPurpose
from videocall.privacy.selectors import has_consent


def _back(request: HttpRequest, default: str = "notifications:inbox") -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@never_cache
@login_required
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@never_cache
@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.notification_mark_read(actor=request.user, notification_id=pk)
    except NotFound:
        return render(request, "errors/404.html", status=404)
    if (
        request.POST.get("open")
        and notification.url.startswith("/")
        and not notification.url.startswith("//")
    ):
        return redirect(notification.url)
    return _back(request)


@never_cache
@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)d notices marked as read.") % {"count": count})
    return _back(request)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    rows = selectors.preferences_for(request.user)
    # Bound on every POST: a form with every box unticked is still a choice (all off).
    form = PreferencesForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(actor=request.user, user=request.user, choices=form.choices())
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")

    needs_consent = {
        topic.key: CONSENT_PURPOSES[topic.consent].label
        for topic, _email, _push in rows
        if topic.consent is not None and not has_consent(request.user, topic.consent)
    }
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "needs_consent": needs_consent,
            "always_sent": selectors.always_sent_labels(),
            "push_consent": has_consent(request.user, ConsentPurpose.PUSH_NOTIFICATIONS),
            "push_available": push_configured(),
        },
    )


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session; the signed token authenticates
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation page (link scanners must not unsubscribe); POST unsubscribes at once."""
    try:
        if request.method == "POST":
            _user, topic = services.unsubscribe(actor=request.user, token=token)
            return render(request, "notifications/unsubscribed.html", {"topic": topic})
        _user, topic = services.unsubscribe_read(token)
    except NotFound:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    response = render(request, "notifications/unsubscribe.html", {"topic": topic, "token": token})
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@permission_required(Perm.JOBS_VIEW)
@require_http_methods(["GET"])
def jobs(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    page = Paginator(selectors.jobs_list(request.user, state=state), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/jobs.html",
        {
            "page": page,
            "state": state,
            "states": JobRecord.State.choices,
            "summary": selectors.jobs_summary(request.user),
        },
    )
