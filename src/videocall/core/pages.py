"""How a website page shows an :class:`~videocall.core.errors.ApplicationError` (mechanism 5: the API
answers problem+json, the website re-renders the form with messages). One place for every app's views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from videocall.core.errors import ApplicationError


def form_errors(form: Any, error: ApplicationError) -> None:
    """Put the error on the form being re-rendered: each field message on its field (or on the form
    when the form has no such field), else the error's message on the form."""
    for field, problems in error.fields.items():
        target = field if field in form.fields else None
        for problem in problems:
            form.add_error(target, problem)
    if not error.fields:
        form.add_error(None, str(error.message))


def flash_error(request: HttpRequest, error: ApplicationError) -> None:
    """The error as flash messages on the page the view redirects to: its message, then each field's."""
    messages.error(request, str(error.message))
    for problems in error.fields.values():
        for problem in problems:
            messages.error(request, str(problem))
