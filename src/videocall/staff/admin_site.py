"""The staff console: Django's admin behind our named permissions, at /console/.

It is installed as Django's default admin site (``videocall.staff.apps.StaffAdminConfig`` in INSTALLED_APPS), so
``@admin.register(Model)`` in any app's ``admin.py`` lands here; register with a
:class:`videocall.core.admin.PermissionAdmin` subclass.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from videocall.accounts.selectors import site_config
from videocall.accounts.services import site_settings_update
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.admin import PermissionAdmin
from videocall.core.clients import request_country
from videocall.core.errors import ApplicationError
from videocall.core.permissions import Perm, has_perm
from videocall.staff.forms import RevealForm, SiteSettingsForm
from videocall.staff.selectors import jitsi_summary, retention_rules
from videocall.staff.services import pii_reveal


class StaffAdminSite(admin.AdminSite):
    site_header = gettext_lazy("VideoCall Network staff console")
    site_title = gettext_lazy("Staff console")
    index_title = gettext_lazy("Console")
    index_template = "staff/index.html"
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and has_perm(user, Perm.CONSOLE_ACCESS))

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        user = request.user
        context["console_links"] = [
            (label, reverse(name))
            for perm, label, name in (
                (Perm.AUDIT_VIEW, _("Audit trail"), "admin:audit_auditevent_changelist"),
                (Perm.INCIDENTS_VIEW, _("Security incidents"), "admin:staff_incident_changelist"),
                (Perm.SITE_SETTINGS_VIEW, _("Site settings"), "admin:staff_settings"),
                (Perm.NEWS_SEND, _("News mailings"), "admin:notifications_newsmailing_changelist"),
            )
            if has_perm(user, perm)
        ]
        return context

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        """Every console view; a refusal (403) of a signed-in user is written to the audit trail (S19)."""

        @wraps(view)
        def audited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                return view(request, *args, **kwargs)
            except DjangoPermissionDenied:
                _audit_denied(request)
                raise

        return super().admin_view(audited, cacheable)

    def get_urls(self) -> list[Any]:
        custom = [
            path("settings/", self.admin_view(site_settings_view), name="staff_settings"),
            path(
                "reveal/<str:app_label>/<str:model_name>/<path:object_id>/<str:field>/",
                self.admin_view(reveal_view),
                name="staff_reveal",
            ),
        ]
        return custom + super().get_urls()

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Staff sign in through the account pages like everyone else (rate limits, MFA, sign-in
        audit); the admin's own password form is never shown."""
        from django.contrib.auth.views import redirect_to_login
        from django.utils.http import url_has_allowed_host_and_scheme

        index = reverse("admin:index", current_app=self.name)
        target = request.GET.get("next") or index
        if not (target.startswith(index) and url_has_allowed_host_and_scheme(target, allowed_hosts=None)):
            target = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(target)
            _audit_denied(request)
            raise DjangoPermissionDenied  # signed in, but not staff: no redirect loop back to sign-in
        return redirect_to_login(target, reverse("account_login"))

    def password_change(self, request: HttpRequest, extra_context: Any = None) -> TemplateResponse:
        # Passwords change through the account pages (re-authentication, notification email).
        context = {**self.each_context(request), "title": _("Change password")}
        return TemplateResponse(request, "staff/password_change.html", context)

    def password_change_done(self, request: HttpRequest, extra_context: Any = None) -> TemplateResponse:
        return self.password_change(request, extra_context)


staff_site = admin.site


def _audit_denied(request: HttpRequest) -> None:
    """``staff.console_denied``: who (account id), which console route, from which country."""

    match = getattr(request, "resolver_match", None)
    audit_record(
        actor=request.user,
        action=AuditAction.STAFF_CONSOLE_DENIED,
        metadata={"route": (match.view_name if match else "")[:100], "method": request.method or ""},
        ip_country=request_country(request),
    )


# --- console pages that are not model pages -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reveal_view(
    request: HttpRequest, app_label: str, model_name: str, object_id: str, field: str
) -> HttpResponse:
    """One click + a reason shows one masked value; the reveal is audited (staff.services.pii_reveal)."""
    if not has_perm(request.user, Perm.PII_REVEAL):
        raise DjangoPermissionDenied
    model_admin = next(
        (
            ma
            for model, ma in admin.site._registry.items()
            if model._meta.app_label == app_label and model._meta.model_name == model_name
        ),
        None,
    )
    if not isinstance(model_admin, PermissionAdmin) or field not in model_admin.masked_fields:
        raise Http404
    if not model_admin.has_view_permission(request):
        raise DjangoPermissionDenied
    obj = model_admin.get_object(request, object_id)
    if obj is None:
        raise Http404
    form = RevealForm(request.POST or None)
    value = None
    if request.method == "POST" and form.is_valid():
        try:
            value = pii_reveal(
                actor=request.user, subject=obj, field=field, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            form.add_error("reason", str(error.message))
    context = {
        **admin.site.each_context(request),
        "title": _("Reveal personal data"),
        "form": form,
        "value": value,
        "object_label": f"{model_admin.model._meta.verbose_name} #{obj.pk}",
        "field_label": field.replace("_", " "),
        "masked": model_admin.masked_fields[field](getattr(obj, field, "")),
        "back_url": reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]),
    }
    return render(request, "staff/reveal.html", context)


@require_http_methods(["GET", "POST"])
def site_settings_view(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.SITE_SETTINGS_VIEW):
        raise DjangoPermissionDenied
    can_manage = has_perm(request.user, Perm.SITE_SETTINGS_MANAGE)
    current = site_config()
    initial = {"registration_mode": current.registration_mode, "minimum_age": current.minimum_age}
    form = SiteSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_manage:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                site_settings_update(actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Site settings saved."))
                return HttpResponseRedirect(reverse("admin:staff_settings"))
    context = {
        **admin.site.each_context(request),
        "title": _("Site settings"),
        "form": form,
        "can_manage": can_manage,
        "from_console": current.from_console,
        "jitsi": jitsi_summary(),
        "retention": retention_rules(),
    }
    return TemplateResponse(request, "staff/settings.html", context)
