"""The staff desk pages: agents' queue, the privacy desk's list, a ticket's page and its actions,
canned replies. Thin views over the support services and selectors."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from videocall.core.errors import ApplicationError, NotFound, ValidationFailed
from videocall.core.masking import mask_email, mask_text
from videocall.core.pages import flash_error, form_errors
from videocall.core.permissions import Perm, has_perm, permission_required
from videocall.support import selectors, services
from videocall.support.canned import canned_reply_create, canned_reply_delete, canned_reply_update
from videocall.support.forms import CannedReplyForm, RevealForm, StaffReplyForm, StatusForm
from videocall.support.models import CannedReply, Ticket, TicketCategory, TicketPriority, TicketStatus

REVEAL_SESSION_KEY = "support_reveals"


def desk_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Support agents, and the privacy desk (which handles privacy tickets here)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.can_enter_desk(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _age(ticket: Ticket) -> Any:
    return timezone.now() - ticket.created_at


@never_cache
@permission_required(Perm.SUPPORT_QUEUE)
@require_GET
def desk_queue(request: HttpRequest) -> HttpResponse:
    return _desk_list(request, privacy=False)


@never_cache
@permission_required(Perm.PRIVACY_REQUESTS_MANAGE)
@require_GET
def desk_privacy(request: HttpRequest) -> HttpResponse:
    return _desk_list(request, privacy=True)


def _desk_list(request: HttpRequest, *, privacy: bool) -> HttpResponse:
    query = request.GET
    filters = selectors.QueueFilters(
        status=query.get("status", "") if query.get("status", "") in TicketStatus.values else "",
        category=query.get("category", "") if query.get("category", "") in TicketCategory.values else "",
        assignee=query.get("assignee", "")[:12],
        older_than=query.get("older_than", "")
        if query.get("older_than", "") in selectors.AGE_FILTERS
        else "",
    )
    tickets = list(selectors.desk_tickets(request.user, filters, privacy=privacy)[:200])
    return render(
        request,
        "support/desk/queue.html",
        {
            "privacy": privacy,
            "filters": filters,
            "rows": [{"ticket": t, "age": _age(t)} for t in tickets],
            "statuses": TicketStatus.choices,
            "categories": [c for c in TicketCategory.choices if c[0] != TicketCategory.PRIVACY],
            "ages": list(selectors.AGE_FILTERS),
        },
    )


def _revealed(request: HttpRequest, ticket: Ticket) -> bool:
    until = request.session.get(REVEAL_SESSION_KEY, {}).get(str(ticket.pk), 0)
    return bool(until and until > time.time())


def _desk_ticket_or_404(request: HttpRequest, ticket_id: int) -> Ticket:
    try:
        return selectors.desk_ticket(request.user, ticket_id)
    except NotFound as exc:
        raise Http404 from exc


def _render_desk_ticket(
    request: HttpRequest,
    ticket: Ticket,
    *,
    reply_form: StaffReplyForm | None = None,
    reveal_form: RevealForm | None = None,
    status: int = 200,
) -> HttpResponse:
    revealed = _revealed(request, ticket)
    deleted = ticket.requester is not None and ticket.requester.is_deleted
    if deleted or ticket.requester_erased_at:
        name, email = str(_("Deleted user")), ""
    elif revealed:
        name, email = ticket.requester_name, ticket.requester_email
    else:
        name, email = mask_text(ticket.requester_name), mask_email(ticket.requester_email)
    replies = list(selectors.canned_replies(request.user))
    if reply_form is None:
        initial = {}
        chosen = request.GET.get("canned", "")
        if chosen.isdigit():
            picked = next((c for c in replies if c.pk == int(chosen)), None)
            if picked is not None:
                initial["body"] = picked.body
        reply_form = StaffReplyForm(initial=initial)
    return render(
        request,
        "support/desk/ticket.html",
        {
            "ticket": ticket,
            "thread": selectors.desk_thread(ticket),
            "requester_name": name,
            "requester_email": email,
            "revealed": revealed,
            "can_reveal": has_perm(request.user, Perm.PII_REVEAL) and not deleted,
            "can_reply": selectors.can_reply_as_staff(request.user, ticket),
            "can_assign": selectors.can_assign(request.user, ticket),
            "staff": selectors.assignable_staff(ticket),
            "canned": replies,
            "reveals": list(ticket.reveals.select_related("agent")[:10]),
            "reply_form": reply_form,
            "reveal_form": reveal_form or RevealForm(),
            "status_form": StatusForm(initial={"status": ticket.status, "priority": ticket.priority}),
            "statuses": TicketStatus.choices,
            "priorities": TicketPriority.choices,
            "back": "support:desk_privacy"
            if ticket.category == TicketCategory.PRIVACY
            else "support:desk_queue",
        },
        status=status,
    )


@never_cache
@desk_required
@require_GET
def desk_ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _render_desk_ticket(request, _desk_ticket_or_404(request, ticket_id))


def _desk_form_errors(form: Any, error: ApplicationError) -> None:
    """A refusal (403) is the console's permission page; any other error lands on the form."""
    if error.status == 403:
        raise DjangoPermissionDenied from error
    form_errors(form, error)


def _desk_action(
    request: HttpRequest, ticket_id: int, action: Callable[[Ticket], Any], success: str
) -> HttpResponse:
    ticket = _desk_ticket_or_404(request, ticket_id)
    try:
        action(ticket)
    except NotFound as exc:
        raise Http404 from exc
    except ApplicationError as error:
        flash_error(request, error)
    else:
        messages.success(request, success)
    return redirect("support:desk_ticket", ticket_id=ticket.pk)


@desk_required
@require_POST
def desk_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _desk_ticket_or_404(request, ticket_id)
    form = StaffReplyForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_reply_by_staff(
                actor=request.user,
                ticket=ticket,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data["internal"],
                new_status=form.cleaned_data["status"] or None,
            )
        except ApplicationError as error:
            _desk_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Internal note saved.")
                if form.cleaned_data["internal"]
                else _("Reply sent; the requester is emailed."),
            )
            return redirect("support:desk_ticket", ticket_id=ticket.pk)
    return _render_desk_ticket(request, ticket, reply_form=form, status=400)


@desk_required
@require_POST
def desk_assign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    from django.contrib.auth import get_user_model

    raw = request.POST.get("assignee", "")
    if raw == "me":
        assignee: Any = request.user
    elif raw.isdigit():
        assignee = get_user_model().objects.filter(pk=int(raw)).first()
        if assignee is None:
            messages.error(request, _("That person cannot handle this ticket."))
            return redirect("support:desk_ticket", ticket_id=ticket_id)
    else:
        assignee = None

    def act(ticket: Ticket) -> Any:
        return services.ticket_assign(actor=request.user, ticket=ticket, assignee=assignee)

    return _desk_action(request, ticket_id, act, _("Assignment saved."))


@desk_required
@require_POST
def desk_status(request: HttpRequest, ticket_id: int) -> HttpResponse:
    form = StatusForm(request.POST)

    def act(ticket: Ticket) -> Any:
        if not form.is_valid():
            raise ValidationFailed(_("Choose a status."))
        services.ticket_status_set(actor=request.user, ticket=ticket, status=form.cleaned_data["status"])
        if form.cleaned_data["priority"] != ticket.priority:
            services.ticket_priority_set(
                actor=request.user, ticket=ticket, priority=form.cleaned_data["priority"]
            )

    return _desk_action(request, ticket_id, act, _("Status saved."))


@desk_required
@require_POST
def desk_reveal(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _desk_ticket_or_404(request, ticket_id)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            services.requester_reveal(actor=request.user, ticket=ticket, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            _desk_form_errors(form, error)
        else:
            reveals = dict(request.session.get(REVEAL_SESSION_KEY, {}))
            now = time.time()
            reveals = {k: v for k, v in reveals.items() if v > now}
            reveals[str(ticket.pk)] = now + settings.VIDEOCALL_SUPPORT_REVEAL_SECONDS
            request.session[REVEAL_SESSION_KEY] = reveals
            return redirect("support:desk_ticket", ticket_id=ticket.pk)
    return _render_desk_ticket(request, ticket, reveal_form=form, status=400)


@never_cache
@permission_required(Perm.SUPPORT_CANNED_MANAGE)
@require_http_methods(["GET", "POST"])
def desk_canned(request: HttpRequest) -> HttpResponse:
    form = CannedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            canned_reply_create(
                actor=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Canned reply saved."))
            return redirect("support:desk_canned")
    replies = selectors.canned_replies(request.user, include_inactive=True)
    return render(request, "support/desk/canned.html", {"form": form, "replies": replies})


@never_cache
@permission_required(Perm.SUPPORT_CANNED_MANAGE)
@require_http_methods(["GET", "POST"])
def desk_canned_edit(request: HttpRequest, canned_id: int) -> HttpResponse:
    canned = CannedReply.objects.filter(pk=canned_id).first()
    if canned is None:
        raise Http404
    if request.method == "POST" and request.POST.get("delete"):
        canned_reply_delete(actor=request.user, canned=canned)
        messages.success(request, _("Canned reply deleted."))
        return redirect("support:desk_canned")
    form = CannedReplyForm(
        request.POST or None,
        initial={"title": canned.title, "body": canned.body, "is_active": canned.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            canned_reply_update(
                actor=request.user,
                canned=canned,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                is_active=form.cleaned_data["is_active"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Canned reply saved."))
            return redirect("support:desk_canned")
    return render(request, "support/desk/canned_edit.html", {"form": form, "canned": canned})
