"""The JSON API shell: authentication classes and RFC 9457 problem+json rendering."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.headless.contrib.ninja.security import JWTTokenAuth, XSessionTokenAuth
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

from videocall.core.errors import (
    ApplicationError,
    CsrfFailed,
    ErrorCode,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ProblemCode,
    ValidationFailed,
)
from videocall.core.schemas import ProblemOut

PROBLEM_JSON = "application/problem+json"


class AppSessionTokenAuth(XSessionTokenAuth):
    """The mobile app's allauth headless session token (``X-Session-Token``)."""

    # A complete OpenAPI security scheme (an apiKey needs "in" and "name"; without them the document
    # is invalid and schema-driven tools such as the fuzzer refuse every operation).
    openapi_in = "header"
    openapi_name = "X-Session-Token"


class AppJWTAuth(JWTTokenAuth):
    """allauth headless JWT access tokens (``Authorization: Bearer``), when that strategy is on."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_bearerFormat = "JWT"


def _jwt_enabled() -> bool:
    from django.conf import settings

    return getattr(settings, "HEADLESS_TOKEN_STRATEGY", "").endswith("JWTTokenStrategy")


class _OptionalJWT(AppJWTAuth):
    def __call__(self, request: HttpRequest) -> Any:
        if not _jwt_enabled():
            return None
        return super().__call__(request)


class WebSessionAuth(SessionAuth):
    """The website session cookie; a write without its CSRF token is refused with problem+json code
    ``csrf_failed`` (403), like Django's own CSRF failures under /api/ (core.views.csrf_failure)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError as exc:
            if exc.status_code == 403:
                raise CsrfFailed() from exc
            raise


# Routes use ``auth=api_auth``: a website session (with CSRF) or an app token.
api_auth = [AppSessionTokenAuth(), _OptionalJWT(), WebSessionAuth(csrf=True)]


def problem(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    import json

    return HttpResponse(
        json.dumps(error.as_problem(instance=request.path)),
        status=error.status,
        content_type=PROBLEM_JSON,
    )


def _location(loc: Any) -> str:
    parts = [
        str(p)
        for p in (loc or [])
        if p not in ("body", "query", "path", "form", "header", "cookie", "payload")
    ]
    return ".".join(parts) or "body"


PROBLEM_REF = "#/components/schemas/ProblemOut"
CODE_REF = "#/components/schemas/ProblemCode"


def problem_codes(vocabularies: Iterable[type[ProblemCode]]) -> list[str]:
    """Every value of the given error-code enums, sorted; a value declared by two apps is refused (a
    client switching on ``code`` must get one meaning)."""
    owner: dict[str, str] = {}
    for vocabulary in vocabularies:
        for member in vocabulary:
            previous = owner.setdefault(member.value, vocabulary.__name__)
            if previous != vocabulary.__name__:
                raise ValueError(
                    f"error code {member.value!r} is declared by {previous} and {vocabulary.__name__}"
                )
    return sorted(owner)


def _problem_json_in_schema(api: NinjaAPI, codes: list[str]) -> None:
    """Make the OpenAPI document say what the API sends: error responses (4xx/5xx) are
    ``application/problem+json`` documents (``ProblemOut``, the handlers below) whose ``code`` is one
    of ``ProblemCode`` (every app's codes), and every authenticated operation may answer 401 and 403
    (a website session without its CSRF token is refused with 403)."""
    original = api.get_openapi_schema

    def get_openapi_schema(*args: Any, **kwargs: Any) -> Any:
        schema = original(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict):
                    continue
                responses = operation.setdefault("responses", {})
                for status, response in responses.items():
                    content = response.get("content") if isinstance(response, dict) else None
                    if str(status)[:1] in {"4", "5"} and content and "application/json" in content:
                        content[PROBLEM_JSON] = content.pop("application/json")
                if operation.get("security"):
                    for status, text in (("401", "Sign-in required"), ("403", "Not allowed")):
                        if status not in responses and int(status) not in responses:
                            responses[status] = {
                                "description": text,
                                "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
                            }
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        if "ProblemOut" not in components:
            problem_doc = ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(problem_doc.pop("$defs", {}))
            components["ProblemOut"] = problem_doc
        components["ProblemCode"] = {
            "title": "ProblemCode",
            "description": "Every stable `code` a problem+json error of this API can carry: the generic "
            "codes and each app's own.",
            "type": "string",
            "enum": codes,
        }
        components["ProblemOut"]["properties"]["code"] = {"$ref": CODE_REF}
        return schema

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]


# The status of a django-ninja HttpError (unparsable body 400, a throttle's 429) -> its generic code.
_HTTP_ERROR_CODES = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
    409: ErrorCode.CONFLICT,
    410: ErrorCode.GONE,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION_FAILED,
    429: ErrorCode.RATE_LIMITED,
}


def install_problem_handlers(api: NinjaAPI, *, vocabularies: Iterable[type[ProblemCode]] = ()) -> None:
    """Render errors as problem+json; ``vocabularies`` are the apps' error-code enums (the composition
    root lists them; :class:`ErrorCode` is always included) that the OpenAPI document enumerates."""
    _problem_json_in_schema(api, problem_codes((ErrorCode, *vocabularies)))

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return problem(request, exc)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_location(err.get("loc")), []).append(str(err.get("msg", "invalid")))
        return problem(request, ValidationFailed("Some fields are not valid.", fields=fields))

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(request, NotAuthenticated())

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(request, NotFound())

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = _HTTP_ERROR_CODES.get(exc.status_code, ErrorCode.BAD_REQUEST)
        error = ApplicationError(str(exc.message), status=exc.status_code, code=code)
        return problem(request, error)

    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    @api.exception_handler(DjangoPermissionDenied)
    def forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        return problem(request, PermissionDenied())
