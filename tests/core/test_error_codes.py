"""Error codes are typed per app and every one of them is listed in the OpenAPI document."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from django.test import RequestFactory
from ninja.errors import HttpError

import videocall
from videocall.config.api import ERROR_CODES, api
from videocall.config.management.commands.export_openapi import current_schema
from videocall.core.api import problem_codes
from videocall.core.errors import ApplicationError, Conflict, ErrorCode, NotFound, ProblemCode

SRC = Path(__file__).resolve().parents[2] / "src" / "videocall"
PROBLEM_JSON = "application/problem+json"


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def _import_everything() -> None:
    for module in pkgutil.walk_packages(videocall.__path__, "videocall."):
        if ".migrations" in module.name or module.name.endswith(("asgi", "wsgi", "cli")):
            continue
        importlib.import_module(module.name)


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(current_schema())


def test_application_error_requires_an_enum_member():
    assert Conflict("x", code=ErrorCode.CONFLICT).code is ErrorCode.CONFLICT
    for code in ("conflict", "made_up"):
        with pytest.raises(TypeError, match="ProblemCode"):
            ApplicationError("x", code=code)  # type: ignore[arg-type]
    body = NotFound("nope").as_problem()
    assert body["code"] == "not_found" and type(body["code"]) is str
    assert body["type"] == "https://videocall.network/problems/not_found"


def test_every_error_class_carries_a_member():
    _import_everything()
    for cls in {ApplicationError, *_subclasses(ApplicationError)}:
        assert isinstance(cls.code, ProblemCode), cls


def test_the_openapi_enum_lists_every_code_of_every_app(document):
    """Every vocabulary in src (found by importing every module) is in config/api.py's list, and the
    document's ProblemCode enum is exactly their union; ProblemOut's code refers to it."""
    _import_everything()
    vocabularies = {cls for cls in _subclasses(ProblemCode) if cls.__module__.startswith("videocall.")}
    assert vocabularies == {ErrorCode, *ERROR_CODES}, "list the new vocabulary in config/api.py ERROR_CODES"
    expected = sorted({member.value for vocabulary in vocabularies for member in vocabulary})
    schemas = document["components"]["schemas"]
    assert schemas["ProblemCode"]["enum"] == expected
    assert schemas["ProblemOut"]["properties"]["code"] == {"$ref": "#/components/schemas/ProblemCode"}
    assert {"meeting_full", "export_expired", "ticket_closed", "crash_bad_key", "csrf_failed"} <= set(
        expected
    )


def test_a_value_belongs_to_one_app():
    class Clash(ProblemCode):
        TAKEN = "not_found"

    with pytest.raises(ValueError, match="not_found"):
        problem_codes((ErrorCode, Clash))


def test_every_problem_response_in_the_document_is_problemout(document):
    checked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status[:1] not in {"4", "5"}:
                    continue
                content = response.get("content", {})
                assert list(content) == [PROBLEM_JSON], (path, method, status)
                assert content[PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/ProblemOut"}, (
                    path,
                    method,
                    status,
                )
                checked += 1
    assert checked > 50


def test_no_raise_passes_a_string_code():
    """Statically, too: a ``code=`` given to an error class is a member of a vocabulary, never text."""
    _import_everything()
    error_classes = {cls.__name__ for cls in {ApplicationError, *_subclasses(ApplicationError)}}
    vocabularies = {cls.__name__: cls for cls in _subclasses(ProblemCode)}
    offenders, checked = [], 0
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id not in error_classes:
                continue
            for keyword in node.keywords:
                if keyword.arg != "code":
                    continue
                checked += 1
                value = keyword.value
                if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
                    vocabulary = vocabularies.get(value.value.id)
                    if vocabulary is not None and value.attr in vocabulary.__members__:
                        continue
                if isinstance(value, ast.Name):  # a variable holding a member (checked at run time)
                    continue
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: code={ast.unparse(value)}")
    assert checked > 50
    assert offenders == [], offenders


@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "bad_request"), (403, "permission_denied"), (429, "rate_limited"), (418, "bad_request")],
)
def test_django_ninja_http_errors_answer_a_listed_code(status, code, document):
    response = api.on_exception(RequestFactory().get("/api/v1/x"), HttpError(status, "nope"))
    body = json.loads(response.content)
    assert response.status_code == status and body["code"] == code
    assert code in document["components"]["schemas"]["ProblemCode"]["enum"]


def test_an_unparsable_body_is_a_listed_problem(member_client):
    response = member_client.patch("/api/v1/me", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_JSON
    assert response.json()["code"] == "bad_request"
