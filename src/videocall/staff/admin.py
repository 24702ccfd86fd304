"""Console pages for the foundation's models (users, consents, notifications, devices, and news mailings
in ``news_admin``) and the staff app's own (incident register, reveal records, and the audit trail in
``audit_admin``). These are the only console classes of those models: no app registers its own. Every
write goes through a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from videocall.accounts.models import Device, User
from videocall.core.admin import PermissionAdmin, ReadOnlyPermissionAdmin
from videocall.core.crypto import blind_index
from videocall.core.datamap import CATEGORY_LABELS, Category
from videocall.core.errors import ApplicationError
from videocall.core.masking import mask_all, mask_email, mask_text
from videocall.core.permissions import Perm, Role, has_perm
from videocall.notifications.models import Notification
from videocall.privacy.models import ConsentRecord
from videocall.staff import (  # noqa: F401 - audit_admin and news_admin register their pages
    audit_admin,
    news_admin,
    services,
)
from videocall.staff.forms import RolesForm
from videocall.staff.models import Incident, RevealRecord


# The frameworks' own admin pages use Django's per-model permissions and show personal data in
# clear (EmailAddress, UserSession); roles, sessions and MFA are managed from the user page instead.
def _unregister_framework_pages() -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession
    from django.contrib.auth.models import Group

    for model in (Group, EmailAddress, Authenticator, UserSession):
        # Only the frameworks' own pages; an app's replacement (e.g. a masked list) stays.
        registered = admin.site._registry.get(model)
        if registered is not None and type(registered).__module__.startswith(("allauth.", "django.")):
            admin.site.unregister(model)


_unregister_framework_pages()


# --- users ----------------------------------------------------------------------------------------


class RoleFilter(admin.SimpleListFilter):
    title = gettext_lazy("role")
    parameter_name = "role"

    def lookups(self, request: Any, model_admin: Any) -> Any:
        return [(r.value, r.label) for r in Role]

    def queryset(self, request: Any, queryset: Any) -> Any:
        value = self.value()
        if value in Role.__members__.values() or value in {r.value for r in Role}:
            return queryset.filter(groups__name=value)
        return queryset


def _bulk(request: HttpRequest, queryset: Any, service: Any, done: str) -> None:
    count = 0
    for user in queryset:
        try:
            service(actor=request.user, user=user)
        except ApplicationError as error:
            messages.error(request, f"#{user.pk}: {error.message}")
        else:
            count += 1
    messages.success(request, done % {"n": count})


@admin.register(User)
class UserAdmin(PermissionAdmin):
    view_perm = Perm.USERS_VIEW
    change_perm = Perm.USERS_MANAGE
    add_perm = None  # accounts are created by sign-up (or `videocall createadmin`)
    delete_perm = None  # deletion is the privacy erasure flow, never a console delete
    extra_url_perms = {"roles": Perm.USERS_ASSIGN_ROLES}
    masked_fields = {"email": mask_email, "first_name": mask_text, "last_name": mask_text}
    list_display = (
        "id",
        "masked_email",
        "masked_first_name",
        "masked_last_name",
        "role_list",
        "is_active",
        "is_restricted",
        "is_deleted",
        "date_joined",
        "last_login",
    )
    list_display_links = ("id",)
    list_filter = (RoleFilter, "is_active", "is_restricted", "is_deleted")
    search_fields = ("=id",)
    search_help_text = gettext_lazy("An exact email address or an account number.")
    ordering = ("-id",)
    fields = (
        "id",
        "masked_email",
        "masked_first_name",
        "masked_last_name",
        "role_list",
        "is_active",
        "is_restricted",
        "is_deleted",
        "deleted_at",
        "date_joined",
        "last_login",
        "age_check_passed_at",
        "timezone",
        "language",
        "manage_links",
    )
    readonly_fields = fields
    actions = ("activate", "deactivate", "force_sign_out", "reset_mfa")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        term = search_term.strip()
        if "@" in term:
            return queryset.filter(email_index=blind_index(term)), False
        if term.isdigit():
            return queryset.filter(pk=int(term)), False
        if term:
            return queryset.none(), False
        return queryset, False

    @admin.display(description=gettext_lazy("roles"))
    def role_list(self, obj: User) -> str:
        return ", ".join(sorted(r.label for r in obj.roles if r is not Role.MEMBER)) or "—"

    @admin.display(description=gettext_lazy("manage"))
    def manage_links(self, obj: User) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:accounts_user_roles", args=[obj.pk]), _("Assign roles")
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        context = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/roles/",
                self.admin_site.admin_view(self.roles_view),
                name="accounts_user_roles",
            ),
            *super().get_urls(),
        ]

    def roles_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not has_perm(request.user, Perm.USERS_ASSIGN_ROLES):
            raise DjangoPermissionDenied
        user = self.get_object(request, object_id)
        if user is None:
            raise Http404
        initial = {"roles": [r.value for r in user.roles if r is not Role.MEMBER]}
        form = RolesForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.user_set_roles(
                    actor=request.user, user=user, roles=[Role(r) for r in form.cleaned_data["roles"]]
                )
            except ApplicationError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Roles saved."))
                return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign roles"),
            "form": form,
            "object_label": _("Account #%(id)s") % {"id": user.pk},
            "back_url": reverse("admin:accounts_user_change", args=[user.pk]),
        }
        return render(request, "staff/user_roles.html", context)

    @admin.action(description=gettext_lazy("Activate the selected accounts"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: Any) -> None:
        _bulk(request, queryset, services.user_activate, _("%(n)s accounts activated."))

    @admin.action(
        description=gettext_lazy("Deactivate the selected accounts (ends their sessions)"),
        permissions=["change"],
    )
    def deactivate(self, request: HttpRequest, queryset: Any) -> None:
        _bulk(request, queryset, services.user_deactivate, _("%(n)s accounts deactivated."))

    @admin.action(
        description=gettext_lazy("Sign the selected accounts out everywhere (sessions and app tokens)"),
        permissions=["change"],
    )
    def force_sign_out(self, request: HttpRequest, queryset: Any) -> None:
        _bulk(request, queryset, services.user_force_sign_out, _("%(n)s accounts signed out."))

    @admin.action(description=gettext_lazy("Reset two-step sign-in (MFA)"), permissions=["change"])
    def reset_mfa(self, request: HttpRequest, queryset: Any) -> None:
        _bulk(request, queryset, services.user_reset_mfa, _("Two-step sign-in reset for %(n)s accounts."))


# --- read-only views of the foundation's records ---------------------------------------------------


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.PRIVACY_RECORDS_VIEW
    list_display = ("id", "user_id", "purpose", "granted", "policy_version", "channel", "created_at")
    list_filter = ("purpose", "granted", "channel")
    search_fields = ("=user__id",)
    fields = ("id", "user_id", "purpose", "granted", "policy_version", "channel", "created_at")
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.USERS_VIEW
    masked_fields = {"title": mask_all, "body": mask_all}
    list_display = ("id", "user_id", "kind", "masked_title", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("=user__id",)
    fields = ("id", "user_id", "kind", "masked_title", "masked_body", "url", "created_at", "read_at")
    readonly_fields = fields


@admin.register(Device)
class DeviceAdmin(PermissionAdmin):
    view_perm = Perm.USERS_VIEW
    change_perm = None
    add_perm = None
    delete_perm = Perm.USERS_MANAGE  # deleting a device row is revoking it
    masked_fields = {"model": mask_text, "push_token": mask_all}
    list_display = (
        "id",
        "user_id",
        "platform",
        "masked_model",
        "os_name",
        "os_version",
        "app_version",
        "last_seen_at",
    )
    list_filter = ("platform", "push_provider")
    search_fields = ("=user__id",)
    fields = (
        "id",
        "user_id",
        "platform",
        "masked_model",
        "os_name",
        "os_version",
        "app_version",
        "locale",
        "push_provider",
        "masked_push_token",
        "created_at",
        "last_seen_at",
    )
    readonly_fields = fields


# --- the staff app's own records -------------------------------------------------------------------


class IncidentForm(forms.ModelForm):
    affected_categories = forms.MultipleChoiceField(
        label=gettext_lazy("affected data categories"),
        choices=[(c.value, CATEGORY_LABELS[c]) for c in Category],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("description"), widget=forms.Textarea, required=False, max_length=20000
    )
    users_decision_reason = forms.CharField(
        label=gettext_lazy("reason for the decision"), widget=forms.Textarea, required=False, max_length=5000
    )

    class Meta:
        model = Incident
        fields = services.INCIDENT_FIELDS
        help_texts = {
            "description": gettext_lazy("Describe systems and data categories; do not name people."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, message, _code in services.incident_decision_problems(
            users_decision=data.get("users_decision") or None,
            users_decision_reason=data.get("users_decision_reason"),
            status=data.get("status"),
        ):
            self.add_error(field, message)
        return data


def _remaining(delta: Any) -> str:
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        hours = -seconds // 3600
        return _("OVERDUE by %(h)sh") % {"h": hours}
    return _("%(h)sh %(m)smin left") % {"h": seconds // 3600, "m": (seconds % 3600) // 60}


@admin.register(Incident)
class IncidentAdmin(PermissionAdmin):
    view_perm = Perm.INCIDENTS_VIEW
    change_perm = Perm.INCIDENTS_MANAGE
    delete_perm = None  # the register keeps every incident (Art. 33(5))
    audit_changes = False  # the services write the audit events
    form = IncidentForm
    list_display = (
        "id",
        "severity",
        "status",
        "aware_at",
        "authority_deadline_display",
        "authority_notified_at",
        "users_decision",
        "users_decision_at",
    )
    list_filter = ("status", "severity", "users_decision")
    ordering = ("-aware_at",)
    readonly_fields = ("authority_deadline_display", "created_by_id", "created_at", "updated_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*IncidentForm.Meta.fields, *self.readonly_fields]

    @admin.display(description=gettext_lazy("72-hour authority deadline"))
    def authority_deadline_display(self, obj: Incident) -> str:
        if obj.pk is None:
            return "—"
        deadline = timezone.localtime(obj.authority_deadline).strftime("%Y-%m-%d %H:%M %Z")
        left = obj.authority_time_left()
        if left is None:
            return _("%(deadline)s (authority notified)") % {"deadline": deadline}
        return f"{deadline} ({_remaining(left)})"

    def save_model(self, request: HttpRequest, obj: Incident, form: Any, change: bool) -> None:
        data = {
            name: form.cleaned_data[name] for name in IncidentForm.Meta.fields if name in form.cleaned_data
        }
        if change:
            fresh = Incident.objects.get(pk=obj.pk)
            updated = services.incident_update(actor=request.user, incident=fresh, **data)
            obj.pk = updated.pk
        else:
            created = services.incident_create(actor=request.user, **data)
            obj.pk = created.pk

    def changeform_view(
        self, request: HttpRequest, object_id: Any = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(request.get_full_path())


@admin.register(RevealRecord)
class RevealRecordAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.AUDIT_VIEW
    list_display = ("id", "created_at", "actor_id", "subject_type", "subject_id", "field")
    fields = ("id", "created_at", "actor_id", "subject_type", "subject_id", "field", "reason")
    readonly_fields = fields
