from __future__ import annotations

import time
from typing import Any

import pytest


def reauthenticated(client: Any, user: Any) -> Any:
    """Record a fresh re-authentication in the client's session, as allauth's reauthenticate flow does."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def officer(make_user: Any) -> Any:
    from videocall.core.permissions import Role

    return make_user("officer@example.org", roles=[Role.PRIVACY_OFFICER])
