from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from videocall.core.api import problem
from videocall.core.errors import CsrfFailed, NotFound


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@csrf_exempt  # changes nothing; a POST/DELETE/PATCH here must get this 404, not the CSRF page
def api_not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Unknown paths under /api/ answer problem+json like the rest of the API (whatever the method,
    also for a path whose parameters do not match an operation's, e.g. a negative id)."""
    return problem(request, NotFound("No API operation at this path."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a request under /api/ that Django's CSRF middleware refuses (a
    cookie-session write without its token) gets problem+json like the rest of the API (code
    ``csrf_failed``); the website keeps Django's HTML page. The reason is not echoed."""
    if request.path_info.startswith("/api/"):
        return problem(request, CsrfFailed())
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason=reason)


def error_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
