"""The console page of news mailings (``notifications.NewsMailing``): write a draft, preview it with the
number of people it would reach, send it after a confirmation that says that number again. A sent
mailing is read-only. Every page needs ``NEWS_SEND`` (administrators); writes go through
:mod:`videocall.notifications.news`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from videocall.core.admin import PermissionAdmin
from videocall.core.errors import ApplicationError
from videocall.core.permissions import Perm, has_perm
from videocall.notifications.models import NewsMailing
from videocall.notifications.news import news_body_html, news_save, news_send
from videocall.notifications.selectors import news_recipient_count


@admin.register(NewsMailing)
class NewsMailingAdmin(PermissionAdmin):
    view_perm = Perm.NEWS_SEND
    change_perm = Perm.NEWS_SEND  # drafts only: a sent mailing is read-only (has_change_permission)
    extra_url_perms = {"send": Perm.NEWS_SEND}
    change_form_template = "staff/news_change_form.html"
    list_display = ("id", "subject", "status", "created_at", "sent_at", "recipients")
    list_display_links = ("id", "subject")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    ordering = ("-id",)
    fields = ("subject", "body", "author", "created_at", "sent_at", "recipients")
    readonly_fields = ("author", "created_at", "sent_at", "recipients")

    @admin.display(description=gettext_lazy("status"))
    def status(self, obj: NewsMailing) -> str:
        return _("sent") if obj.sent_at else _("draft")

    @admin.display(description=gettext_lazy("written by"))
    def author(self, obj: NewsMailing) -> str:
        return _("account #%(id)s") % {"id": obj.created_by_id} if obj.created_by_id else "—"

    def object_label(self, obj: Any) -> str:
        return _("News mailing #%(id)s") % {"id": obj.pk}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or obj.sent_at is None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or obj.sent_at is None)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.sent_at is not None:
            return self.fields
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        news_save(actor=request.user, mailing=obj)
        self._changed(request, "changed" if change else "added", obj, sorted(form.changed_data)[:50])

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset.filter(sent_at__isnull=True))  # drafts only

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        obj = self.get_object(request, object_id) if has_perm(request.user, Perm.NEWS_SEND) else None
        extra = dict(extra_context or {})
        if obj is not None:
            extra["news_preview"] = news_body_html(obj)
            if obj.sent_at is None:
                extra["news_audience"] = news_recipient_count(request.user)
                extra["news_send_url"] = reverse("admin:notifications_newsmailing_send", args=[obj.pk])
        return super().change_view(request, object_id, form_url, extra)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/send/",
                self.admin_site.admin_view(self.send_view),
                name="notifications_newsmailing_send",
            ),
            *super().get_urls(),
        ]

    def send_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET: the confirmation (subject, preview, how many people will get it); POST: send."""
        if not has_perm(request.user, Perm.NEWS_SEND):
            raise DjangoPermissionDenied
        mailing = self.get_object(request, object_id)
        if mailing is None:
            raise Http404
        change_url = reverse("admin:notifications_newsmailing_change", args=[mailing.pk])
        if mailing.sent_at is not None:
            messages.info(request, _("This mailing was already sent."))
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            try:
                sent = news_send(actor=request.user, mailing=mailing)
            except ApplicationError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _("The mailing is being sent to %(count)d people.") % {"count": sent.recipients},
                )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send this mailing?"),
            "mailing": mailing,
            "object_label": self.object_label(mailing),
            "preview": news_body_html(mailing),
            "audience": news_recipient_count(request.user),
            "back_url": change_url,
        }
        return render(request, "staff/news_send.html", context)
