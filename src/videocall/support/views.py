"""Website pages of the support desk: thin views over the same services and selectors as the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from videocall.core.clients import client_ip
from videocall.core.errors import ApplicationError, NotFound
from videocall.core.pages import form_errors
from videocall.core.permissions import Perm, has_perm, permission_required
from videocall.support import selectors, services
from videocall.support.forms import (
    ContactForm,
    ContactReplyForm,
    ReplyForm,
    TicketOpenForm,
)
from videocall.support.images import attachment_response
from videocall.support.models import Ticket

CONTACT_COOKIE = "vc_support_contact"
CONTACT_COOKIE_SALT = "videocall.support.contact"


# --- Members --------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = selectors.tickets_of(request.user)
    return render(
        request,
        "support/ticket_list.html",
        {"tickets": tickets, "can_open": has_perm(request.user, Perm.SUPPORT_OPEN_TICKET)},
    )


@never_cache
@permission_required(Perm.SUPPORT_OPEN_TICKET)
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    form = TicketOpenForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_open(
                actor=request.user,
                category=form.cleaned_data["category"],
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
                files=form.cleaned_data["screenshots"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Thank you. We will answer you here and by email."))
            return redirect("support:ticket_detail", ticket_id=ticket.pk)
    return render(request, "support/ticket_new.html", {"form": form})


def _ticket_or_404(request: HttpRequest, ticket_id: int) -> Ticket:
    try:
        return selectors.ticket_of(request.user, ticket_id)
    except NotFound as exc:
        raise Http404 from exc


@never_cache
@login_required
@require_GET
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket_or_404(request, ticket_id)
    return _render_detail(request, ticket, ReplyForm())


def _render_detail(request: HttpRequest, ticket: Ticket, form: ReplyForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "support/ticket_detail.html",
        {"ticket": ticket, "thread": selectors.public_thread(ticket), "form": form},
        status=status,
    )


@login_required
@require_POST
def ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket_or_404(request, ticket_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.ticket_reply_by_requester(
                actor=request.user,
                ticket=ticket,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["screenshots"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect("support:ticket_detail", ticket_id=ticket.pk)
    return _render_detail(request, ticket, form, status=400)


@login_required
@require_POST
def ticket_close(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket_or_404(request, ticket_id)
    services.ticket_close_by_requester(actor=request.user, ticket=ticket)
    messages.success(request, _("The ticket is closed."))
    return redirect("support:ticket_detail", ticket_id=ticket.pk)


@never_cache
@login_required
@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    try:
        found = selectors.attachment_for(request.user, attachment_id)
    except NotFound as exc:
        raise Http404 from exc
    return attachment_response(found)


# --- Contact form (no account) --------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and has_perm(request.user, Perm.SUPPORT_OPEN_TICKET):
        return redirect("support:ticket_new")
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.contact_ticket_open(
                    actor=None,
                    email=form.cleaned_data["email"],
                    category=form.cleaned_data["category"],
                    subject=form.cleaned_data["subject"],
                    message=form.cleaned_data["message"],
                    client_ip=client_ip(request),
                )
            except ApplicationError as error:
                form_errors(form, error)
                status = error.status
            else:
                return redirect("support:contact_sent")
    return render(request, "support/contact.html", {"form": form}, status=status)


@require_GET
def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "support/contact_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def contact_verify(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link. Showing it does not use it up (mail scanners open links); the button does,
    and trades it for a short signed cookie naming this one ticket."""
    if request.method == "GET":
        valid = services.contact_link_check(token=token) is not None
        return render(request, "support/contact_verify.html", {"valid": valid}, status=200 if valid else 404)
    try:
        ticket = services.contact_link_use(actor=None, token=token)
    except NotFound:
        return render(request, "support/contact_verify.html", {"valid": False}, status=404)
    response = redirect("support:contact_thread")
    response.set_signed_cookie(
        CONTACT_COOKIE,
        str(ticket.pk),
        salt=CONTACT_COOKIE_SALT,
        max_age=settings.VIDEOCALL_SUPPORT_CONTACT_SESSION_SECONDS,
        path=reverse("support:contact_thread"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _contact_ticket(request: HttpRequest) -> Ticket | None:
    try:
        value = request.get_signed_cookie(
            CONTACT_COOKIE,
            salt=CONTACT_COOKIE_SALT,
            max_age=settings.VIDEOCALL_SUPPORT_CONTACT_SESSION_SECONDS,
        )
    except (KeyError, signing.BadSignature):
        return None
    if not value or not value.isdigit():
        return None
    return Ticket.objects.filter(
        pk=int(value), requester__isnull=True, contact_verified_at__isnull=False
    ).first()


def _contact_expired(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Your reading time is over. Use the link in your latest email, or write again."))
    return redirect("support:contact")


@never_cache
@require_GET
def contact_thread(request: HttpRequest) -> HttpResponse:
    ticket = _contact_ticket(request)
    if ticket is None:
        return _contact_expired(request)
    return render(
        request,
        "support/contact_thread.html",
        {"ticket": ticket, "thread": selectors.public_thread(ticket), "form": ContactReplyForm()},
    )


@require_POST
def contact_reply(request: HttpRequest) -> HttpResponse:
    ticket = _contact_ticket(request)
    if ticket is None:
        return _contact_expired(request)
    form = ContactReplyForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_reply_by_requester(
                actor=None, ticket=ticket, body=form.cleaned_data["body"], contact=True
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect("support:contact_thread")
    return render(
        request,
        "support/contact_thread.html",
        {"ticket": ticket, "thread": selectors.public_thread(ticket), "form": form},
        status=400,
    )
