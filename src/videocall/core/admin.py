"""The base class for every staff-console page (Django admin ``ModelAdmin``).

Console pages check our named permissions (:class:`~videocall.core.permissions.Perm`), never Django's
per-model ``add/change/delete/view`` permissions, and personal data is masked in lists. Usage::

    from videocall.core.admin import PermissionAdmin
    from videocall.core.masking import mask_email

    @admin.register(Ticket)  # admin.site is the staff console (videocall.staff.admin_site)
    class TicketAdmin(PermissionAdmin):
        view_perm = Perm.SUPPORT_QUEUE  # changelist, change page (read-only without change_perm), history
        change_perm = Perm.SUPPORT_REPLY  # edit (and add/delete unless add_perm/delete_perm say otherwise)
        add_perm = None  # None: nobody may add from the console
        delete_perm = None  # None: nobody may delete from the console
        masked_fields = {"requester_email": mask_email}  # shown masked; revealed with a reason, audited
        list_display = ("id", "status", "masked_requester_email")

The role x URL matrix derives each console page's expected access from these attributes
(:meth:`PermissionAdmin.url_rules`), so a page registered without this base class fails the suite.
Saves and deletes send :data:`videocall.core.signals.console_changed`, which the staff app turns into
audit events (core may not import the audit log: docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from videocall.core.access import Access, AnyPerm
from videocall.core.permissions import ROLE_PERMISSIONS, Perm, has_perm
from videocall.core.signals import console_changed

Masker = Callable[[Any], str]

_UNSET: Any = object()


class PermissionAdmin(admin.ModelAdmin):
    """A staff-console page guarded by named permissions (see the module docstring)."""

    view_perm: ClassVar[Perm | None] = None
    change_perm: ClassVar[Perm | None] = None
    add_perm: ClassVar[Perm | None] = _UNSET  # default: change_perm
    delete_perm: ClassVar[Perm | None] = _UNSET  # default: change_perm
    masked_fields: ClassVar[dict[str, Masker]] = {}
    # Extra URLs a subclass adds in get_urls(): url-name suffix (after "<app>_<model>_") -> Perm.
    extra_url_perms: ClassVar[dict[str, Perm]] = {}
    # Audit every save and delete made through the console (field names only, never values).
    audit_changes: ClassVar[bool] = True

    # --- permissions ------------------------------------------------------------------------------
    @classmethod
    def effective_perms(cls) -> dict[str, Perm | None]:
        add = cls.change_perm if cls.add_perm is _UNSET else cls.add_perm
        delete = cls.change_perm if cls.delete_perm is _UNSET else cls.delete_perm
        return {"view": cls.view_perm, "change": cls.change_perm, "add": add, "delete": delete}

    def _allowed(self, request: HttpRequest, kind: str) -> bool:
        perm = self.effective_perms()[kind]
        return perm is not None and has_perm(request.user, perm)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "view") or self._allowed(request, "change")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "change")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request, "add")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "delete")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    @classmethod
    def url_rules(cls, model: type[models.Model]) -> dict[str, Any]:
        """The access rule of each console URL of this page, for the role x URL matrix."""
        perms = cls.effective_perms()
        view: Perm | AnyPerm | None = perms["view"] or perms["change"]
        change = perms["change"]
        # The page opens to either permission's holders: say so when a role holds only the change one.
        change_only = any(
            change in granted and perms["view"] not in granted for granted in ROLE_PERMISSIONS.values()
        )
        if perms["view"] and change and change != perms["view"] and change_only:
            view = AnyPerm({perms["view"], change})
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"

        def rule(perm: Perm | AnyPerm | None) -> Any:
            return perm if perm is not None else Access.NOBODY

        rules: dict[str, Any] = {
            f"{prefix}_changelist": rule(view),
            f"{prefix}_change": rule(view),
            f"{prefix}_history": rule(view),
            f"{prefix}_add": rule(perms["add"]),
            f"{prefix}_delete": rule(perms["delete"]),
        }
        for suffix, perm in cls.extra_url_perms.items():
            rules[f"{prefix}_{suffix}"] = perm
        return rules

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        # Django looks the object up before checking permissions; refuse first so a caller without
        # the permission cannot learn which ids exist (403 either way).
        if not self.has_view_or_change_permission(request):
            raise DjangoPermissionDenied
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if context and context.get("object") is not None:
            label = self.object_label(context["object"])
            context["object"] = _Labelled(context["object"], label)
            context["title"] = _("Change history: %(label)s") % {"label": label}
            context["subtitle"] = None
        return response

    def get_deleted_objects(self, objs: Any, request: Any) -> Any:
        _deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        labels = [self.object_label(obj) for obj in objs]
        return labels, model_count, perms_needed, protected

    # --- masking ------------------------------------------------------------------------------------
    def object_label(self, obj: Any) -> str:
        """How console pages name a row (titles, breadcrumbs, checkboxes): never ``str(obj)``, which
        may hold personal data (a user's name)."""
        return f"{self.model._meta.verbose_name} #{obj.pk}"

    def action_checkbox(self, obj: Any) -> Any:
        from django import forms
        from django.contrib.admin import helpers

        attrs = {
            "class": "action-select",
            "aria-label": _("Select %(label)s") % {"label": self.object_label(obj)},
        }
        checkbox = forms.CheckboxInput(attrs, lambda value: False)
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    def render_change_form(
        self,
        request: Any,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        if obj is not None:
            context["original"] = _Labelled(obj, self.object_label(obj))
            context["subtitle"] = self.object_label(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def __init__(self, model: type[models.Model], admin_site: Any) -> None:
        super().__init__(model, admin_site)
        for field_name in self.masked_fields:
            attr = f"masked_{field_name}"
            if not hasattr(self, attr):
                setattr(self, attr, self._masked_column(field_name))

    def _masked_column(self, field_name: str) -> Callable[[Any], str]:
        masker = self.masked_fields[field_name]
        try:
            label = self.model._meta.get_field(field_name).verbose_name
        except Exception:
            label = field_name.replace("_", " ")

        def column(obj: Any) -> str:
            value = masker(getattr(obj, field_name, ""))
            if not value:
                return ""
            url = reverse(
                "admin:staff_reveal",
                kwargs={
                    "app_label": obj._meta.app_label,
                    "model_name": obj._meta.model_name,
                    "object_id": obj.pk,
                    "field": field_name,
                },
            )
            return format_html('{} <a class="reveal-link" href="{}">{}</a>', value, url, _("reveal"))

        column.short_description = label  # type: ignore[attr-defined]
        return column

    # --- audit ------------------------------------------------------------------------------------
    # The audit log is a higher layer than core: every change is announced with the console_changed
    # signal inside the admin's transaction, and the staff app records it (videocall.staff.receivers).
    def _changed(
        self, request: HttpRequest, change: str, subject: Any, fields: list[str] | None = None
    ) -> None:
        if not self.audit_changes:
            return
        if not console_changed.has_listeners(type(self)):
            raise ImproperlyConfigured(
                "console_changed has no receiver: videocall.staff records console changes"
            )
        console_changed.send(type(self), actor=request.user, change=change, subject=subject, fields=fields)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._changed(request, "changed" if change else "added", obj, sorted(form.changed_data)[:50])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        subject = (obj._meta.label_lower, str(obj.pk))
        super().delete_model(request, obj)
        self._changed(request, "deleted", subject)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        label = queryset.model._meta.label_lower
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        super().delete_queryset(request, queryset)
        for pk in ids:
            self._changed(request, "deleted", (label, pk))

    def log_addition(self, request: Any, obj: Any, message: Any) -> Any:
        return None  # the audit chain is the record; django_admin_log would duplicate it unhashed

    def log_change(self, request: Any, obj: Any, message: Any) -> Any:
        return None

    def log_deletion(self, request: Any, obj: Any, object_repr: Any) -> Any:
        return None

    def log_deletions(self, request: Any, queryset: Any) -> Any:
        return None


class _Labelled:
    """A model instance for templates, whose ``str()`` is the console's masked label."""

    def __init__(self, obj: Any, label: str) -> None:
        self.__dict__["_obj"] = obj
        self.__dict__["_label"] = label

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_obj"], name)

    def __str__(self) -> str:
        return str(self.__dict__["_label"])


class ReadOnlyPermissionAdmin(PermissionAdmin):
    """A page that shows rows and changes nothing (add/change/delete refused for everyone)."""

    change_perm = None
    add_perm = None
    delete_perm = None

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


class FormFilter(admin.SimpleListFilter):
    """A console list filter drawn as its own small GET form (no JavaScript): a template extending
    ``core/form_filter.html`` fills its ``control`` block; the form carries the page's other filter
    values as hidden fields. The control reads ``c.value``, ``c.parameter_name`` and whatever
    :meth:`control_context` adds."""

    template = "core/form_filter.html"

    def control_context(self) -> dict[str, Any]:
        return {}

    def choices(self, changelist: Any) -> Iterator[Any]:
        query_parts = []
        for key, value in changelist.get_filters_params().items():
            if key == self.parameter_name:
                continue
            for item in value if isinstance(value, list) else [value]:
                query_parts.append((key, item))
        yield {
            "query_parts": query_parts,
            "value": self.value() or "",
            "parameter_name": self.parameter_name,
            **self.control_context(),
        }
