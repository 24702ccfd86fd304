from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from videocall.telemetry import accesslog


@pytest.fixture(autouse=True)
def _fresh_buffer() -> Any:
    accesslog.buffer.clear()
    yield
    accesslog.buffer.clear()


@pytest.fixture
def app_token(client: Any) -> Any:
    """Sign in through allauth headless (app client) and return the X-Session-Token."""

    def login(email: str, password: str = "correct horse battery staple") -> str:
        response = client.post(
            "/api/v1/auth/app/v1/auth/login",
            data={"email": email, "password": password},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return response.json()["meta"]["session_token"]

    return login


def raw_rows(table: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names in tests
        return list(cursor.fetchall())
