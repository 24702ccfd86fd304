"""The API's one problem+json schema (RFC 9457), used by every router for its error responses."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class ProblemFieldOut(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """An RFC 9457 problem document. ``code`` is stable and one of ``ProblemCode`` (in the OpenAPI
    document: the union of every app's error-code enum, which ``config/api.py`` assembles)."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    instance: str | None = Field(default=None, description="the request path")
    errors: list[ProblemFieldOut] | None = Field(default=None, description="per-field messages (422)")
