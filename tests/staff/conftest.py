from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from videocall.core.permissions import Role


@pytest.fixture
def staff_client(make_user: Any) -> Any:
    """``staff_client(Role.X)`` -> (client signed in as a fresh user with that role, the user)."""

    def factory(role: Role, email: str | None = None) -> tuple[Client, Any]:
        user = make_user(email or f"{role.value}@staff.example.org", roles=[role])
        client = Client()
        client.force_login(user)
        return client, user

    return factory


@pytest.fixture
def target(make_user: Any) -> Any:
    return make_user("mia.target@example.org", first_name="Mia", last_name="Targetson")
