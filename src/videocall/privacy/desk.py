"""The privacy officer's desk: requests, policy versions, records of processing, under-age flags."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from videocall.accounts.models import User
from videocall.core.errors import ApplicationError
from videocall.core.permissions import Perm, permission_required
from videocall.privacy import selectors, services
from videocall.privacy.forms import LegalHoldForm, PolicyDraftForm, RequestExtendForm, RequestUpdateForm
from videocall.privacy.models import LegalHold, PolicyVersion, PrivacyRequest
from videocall.privacy.policy_page import render_policy
from videocall.privacy.records import COLUMNS, record_rows, records_csv


def _user_or_404(pk: int) -> Any:
    return get_object_or_404(User, pk=pk, is_deleted=False)


def _done(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run one desk action: its error becomes the page's error message (False), otherwise the
    ``success`` message is shown (True)."""
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


@permission_required(Perm.PRIVACY_REQUESTS_MANAGE)
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in PrivacyRequest.Status.values:
        status = ""
    return render(
        request,
        "privacy/desk/index.html",
        {"requests": selectors.requests_for_desk(actor=request.user, status=status)[:200], "status": status},
    )


@permission_required(Perm.PRIVACY_REQUESTS_MANAGE)
@require_http_methods(["GET", "POST"])
def desk_request(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.request_for_desk(actor=request.user, request_id=pk)
    except ApplicationError as exc:
        raise Http404 from exc
    update_form = RequestUpdateForm(request.POST if request.POST.get("form") == "update" else None)
    extend_form = RequestExtendForm(request.POST if request.POST.get("form") == "extend" else None)
    if request.method == "POST":
        form_name = request.POST.get("form")
        action: Callable[[], object]
        if form_name == "update" and update_form.is_valid():
            action = partial(
                services.privacy_request_update, actor=request.user, request=found, **update_form.cleaned_data
            )
        elif form_name == "extend" and extend_form.is_valid():
            action = partial(
                services.privacy_request_extend, actor=request.user, request=found, **extend_form.cleaned_data
            )
        elif form_name == "run":
            action = partial(
                services.privacy_request_run,
                actor=request.user,
                request=found,
                action=request.POST.get("action", ""),
            )
        else:
            messages.error(request, _("Please correct the form."))
            return render(
                request, "privacy/desk/request.html", _request_context(found, update_form, extend_form)
            )
        _done(request, action, _("Saved."))
        return redirect("privacy:desk_request", pk=found.pk)
    return render(request, "privacy/desk/request.html", _request_context(found, update_form, extend_form))


def _request_context(found: PrivacyRequest, update_form: Any, extend_form: Any) -> dict[str, Any]:
    return {
        "req": found,
        "events": found.events.all(),
        "update_form": update_form,
        "extend_form": extend_form,
    }


@permission_required(Perm.PRIVACY_POLICY_MANAGE)
@require_http_methods(["GET", "POST"])
def desk_policy(request: HttpRequest) -> HttpResponse:
    """Policy versions and a new draft (pre-filled with the current text)."""
    current = selectors.policy_current()
    initial = {"text": current.text if current else "", "effective_at": None}
    form = PolicyDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_draft_save(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("privacy:desk_policy_edit", pk=version.pk)
    return render(
        request,
        "privacy/desk/policy.html",
        {"form": form, "versions": PolicyVersion.objects.order_by("-number")},
    )


@permission_required(Perm.PRIVACY_POLICY_MANAGE)
@require_http_methods(["GET", "POST"])
def desk_policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, pk=pk)
    initial = {
        "text": version.text,
        "summary": version.summary,
        "effective_at": version.effective_at,
        "reconsent_purposes": version.reconsent_list,
    }
    form = PolicyDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _done(
            request,
            partial(services.policy_draft_save, actor=request.user, version=version, **form.cleaned_data),
            _("Draft saved."),
        )
        return redirect("privacy:desk_policy_edit", pk=version.pk)
    return render(
        request,
        "privacy/desk/policy_edit.html",
        {"version": version, "form": form, "preview": render_policy(version.text)},
    )


@permission_required(Perm.PRIVACY_POLICY_MANAGE)
@require_POST
def desk_policy_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, pk=pk)
    _done(
        request,
        partial(services.policy_publish, actor=request.user, version=version),
        _("Published. Change notices are being sent."),
    )
    return redirect("privacy:desk_policy")


@permission_required(Perm.PRIVACY_RECORDS_VIEW)
@require_GET
def desk_records(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/desk/records.html", {"columns": COLUMNS, "rows": list(record_rows())})


@permission_required(Perm.PRIVACY_RECORDS_VIEW)
@require_GET
def desk_records_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(records_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="records-of-processing.csv"'
    return response


@permission_required(Perm.PRIVACY_FLAG_CHILD)
@require_http_methods(["GET", "POST"])
def desk_flag_child(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_or_404(pk)
    if (
        request.method == "POST"
        and request.POST.get("confirm") == "yes"
        and _done(
            request,
            partial(services.user_flag_child, actor=request.user, user=user),
            _("The account was flagged as under-age and erased."),
        )
    ):
        return redirect("admin:index")
    return render(request, "privacy/desk/flag_child.html", {"subject": user})


@permission_required(Perm.PRIVACY_LEGAL_HOLDS)
@require_http_methods(["GET", "POST"])
def desk_legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_or_404(pk)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("release"):
            hold = get_object_or_404(LegalHold, pk=request.POST.get("release"), user=user)
            services.legal_hold_release(actor=request.user, hold=hold)
            messages.success(request, _("Hold released."))
            return redirect("privacy:desk_legal_hold", pk=user.pk)
        if form.is_valid() and _done(
            request,
            partial(services.legal_hold_set, actor=request.user, user=user, **form.cleaned_data),
            _("Hold set."),
        ):
            return redirect("privacy:desk_legal_hold", pk=user.pk)
    return render(
        request,
        "privacy/desk/legal_hold.html",
        {"subject": user, "form": form, "holds": LegalHold.objects.filter(user=user)},
    )
