"""Website views of the privacy center: thin, they call the same services as the API."""

from __future__ import annotations

import json
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from videocall.core import ratelimit
from videocall.core.clients import client_ip
from videocall.core.errors import ApplicationError
from videocall.core.ratelimit import Rate
from videocall.privacy import selectors, services
from videocall.privacy.archive import archive_response
from videocall.privacy.consents import BANNER_PURPOSES, CONSENT_PURPOSES, STRICTLY_NECESSARY, ConsentPurpose
from videocall.privacy.cookies import allows, new_visitor_id, read_choice, write_choice
from videocall.privacy.forms import ContactForm, DeleteAccountForm
from videocall.privacy.models import ConsentRecord, PolicyVersion
from videocall.privacy.policy_page import render_policy

CONTACT_RATE = Rate(limit=5, window=3600)  # valid requests per hour and client IP


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    current = selectors.policy_current()
    if current is None and not PolicyVersion.objects.exists():
        current = selectors.policy_seed_version()
    return _policy_page(request, current)


@require_GET
def policy_version(request: HttpRequest, number: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, number=number, status=PolicyVersion.Status.PUBLISHED)
    return _policy_page(request, version)


def _policy_page(request: HttpRequest, version: PolicyVersion | None) -> HttpResponse:
    if version is None:
        raise Http404
    current = selectors.policy_current()
    return render(
        request,
        "privacy/policy.html",
        {
            "version": version,
            "is_current": current is None or version.pk == current.pk,
            "body": render_policy(version.text),
            "versions": selectors.policy_published(),
            "notice": selectors.notice_pending(request.user),
            "controller": settings.VIDEOCALL_CONTROLLER,
            "authority_url": settings.VIDEOCALL_PRIVACY_AUTHORITY_URL,
        },
    )


@require_http_methods(["GET", "POST"])
def cookie_settings(request: HttpRequest) -> HttpResponse:
    """The banner's target and the footer's "Cookie settings" page: accept all, reject all or choose."""
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if choice == "accept_all":
            wanted = dict.fromkeys(BANNER_PURPOSES, True)
        elif choice == "reject_all":
            wanted = dict.fromkeys(BANNER_PURPOSES, False)
        elif choice == "save":
            chosen = set(request.POST.getlist("purposes"))
            wanted = {p: p.value in chosen for p in BANNER_PURPOSES}
        else:
            return HttpResponseBadRequest(_("Unknown choice."))
        existing = read_choice(request)
        visitor = existing["v"] if existing else new_visitor_id()
        user = request.user if request.user.is_authenticated else None
        services.consents_set_many(
            actor=user,
            user=user,
            choices=wanted,
            channel=ConsentRecord.Channel.BANNER,
            visitor_id=visitor,
        )
        response = redirect(_safe_next(request))
        write_choice(response, visitor=visitor, version=selectors.policy_current_number())
        messages.success(
            request, _("Your cookie choice is saved. You can change it any time from the footer.")
        )
        return response
    return render(
        request,
        "privacy/cookies.html",
        {
            "purposes": [(p.value, CONSENT_PURPOSES[p], allows(request, p)) for p in BANNER_PURPOSES],
            "necessary": STRICTLY_NECESSARY,
            "next": _safe_next(request),
            "chosen": read_choice(request) is not None,
        },
    )


@csrf_exempt
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    """First-party analytics: records a page view only while analytics consent is present."""
    if not allows(request, ConsentPurpose.ANALYTICS):
        return HttpResponse(status=204)
    try:
        payload = json.loads(request.body.decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    path = str(payload.get("path", "")).split("?", 1)[0].split("#", 1)[0] if isinstance(payload, dict) else ""
    if not path.startswith("/") or len(path) > 200:
        return HttpResponse(status=400)
    services.page_view_record(path=path)
    return HttpResponse(status=204)


@login_required
@require_GET
def center(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/center.html",
        {
            "purposes": [
                (p.value, info, selectors.has_consent(request.user, p))
                for p, info in CONSENT_PURPOSES.items()
            ],
            "exports": selectors.exports_of(request.user)[:5],
            "notice": selectors.notice_pending(request.user),
            "history": selectors.consent_history(request.user)[:20],
        },
    )


@login_required
@require_POST
def consent_toggle(request: HttpRequest) -> HttpResponse:
    try:
        purpose = ConsentPurpose(request.POST.get("purpose", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Unknown purpose."))
    granted = request.POST.get("granted") == "1"
    services.consent_set(
        actor=request.user,
        user=request.user,
        purpose=purpose,
        granted=granted,
        channel=ConsentRecord.Channel.SETTINGS,
    )
    messages.success(request, _("Saved."))
    return redirect(_safe_next(request, "/privacy/settings/"))


@login_required
@require_POST
def restriction(request: HttpRequest) -> HttpResponse:
    services.restriction_set(
        actor=request.user, user=request.user, restricted=request.POST.get("restricted") == "1"
    )
    messages.success(request, _("Saved."))
    return redirect("privacy:center")


@login_required
@require_POST
def notice_acknowledge(request: HttpRequest) -> HttpResponse:
    version = get_object_or_404(
        PolicyVersion, number=request.POST.get("number") or 0, status=PolicyVersion.Status.PUBLISHED
    )
    services.policy_acknowledge(actor=request.user, version=version)
    messages.success(request, _("Thank you, noted."))
    return redirect(_safe_next(request, "/privacy/"))


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "1":
        return HttpResponseBadRequest(_("Use the button on the privacy settings page."))
    return _export_create(request)


@reauthentication_required
def _export_create(request: HttpRequest) -> HttpResponse:
    try:
        export = services.export_request(actor=request.user, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:center")
    messages.success(request, _("We are preparing your data. You will be notified when it is ready."))
    return redirect("privacy:export_detail", export_id=export.pk)


@login_required
@require_GET
def export_detail(request: HttpRequest, export_id: Any) -> HttpResponse:
    try:
        export = selectors.export_for_owner(user=request.user, export_id=export_id)
    except ApplicationError as exc:
        raise Http404 from exc
    return render(request, "privacy/export.html", {"export": export})


@login_required
@require_POST
def export_download(request: HttpRequest, export_id: Any) -> HttpResponse | StreamingHttpResponse:
    try:
        export = selectors.export_for_owner(user=request.user, export_id=export_id)
    except ApplicationError as exc:
        raise Http404 from exc
    return _export_download(request, export)


@reauthentication_required
def _export_download(request: HttpRequest, export: Any) -> HttpResponse | StreamingHttpResponse:
    try:
        chunks = services.export_download(actor=request.user, export=export)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("privacy:center")
    return archive_response(chunks)


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.account_erase(actor=user, user=user, reason="self_service")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("privacy:center")
        logout(request)
        messages.success(
            request, _("Your account has been deleted. A confirmation was sent to your address.")
        )
        return redirect("home")
    return render(request, "privacy/delete.html", {"form": form})


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    form = ContactForm(request.POST or None, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume("privacy.contact", client_ip(request), CONTACT_RATE):
            return render(request, "privacy/contact.html", {"form": form, "limited": True}, status=429)
        found = services.privacy_request_create(
            actor=request.user if signed_in else None,
            kind=form.cleaned_data["kind"],
            message=form.cleaned_data["message"],
            user=request.user if signed_in else None,
            email=form.cleaned_data.get("email", ""),
        )
        messages.success(
            request,
            _("Thank you. Your request #%(ref)s was received; we answer within one month.")
            % {"ref": found.pk},
        )
        return redirect("privacy:contact")
    return render(request, "privacy/contact.html", {"form": form, "limited": False})
