from __future__ import annotations

from typing import Any

import pytest

from videocall.core.permissions import Role
from videocall.privacy.models import Disclosure, Processor

pytestmark = pytest.mark.django_db


def test_officer_manages_processors_and_disclosures(client: Any, officer: Any, member: Any) -> None:
    client.force_login(officer)
    assert client.get("/console/privacy/processor/").status_code == 200
    response = client.post(
        "/console/privacy/processor/add/",
        {
            "name": "Mailer Ltd",
            "purpose": "email delivery",
            "categories": "contact",
            "location": "Ireland",
            "safeguards": "EU",
            "active": "on",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert Processor.objects.get().name == "Mailer Ltd"
    assert "Mailer Ltd" in client.get("/privacy/").content.decode()
    response = client.post(
        "/console/privacy/disclosure/add/",
        {
            "user": member.pk,
            "authority": "Police",
            "legal_basis": "Warrant 7",
            "disclosed": "sign-in times",
            "categories": "activity",
            "disclosed_at_0": "2026-01-01",
            "disclosed_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert Disclosure.objects.get().recorded_by == officer
    listing = client.get("/console/privacy/disclosure/").content.decode()
    assert "sign-in times" not in listing  # what was disclosed is not shown in lists


@pytest.mark.parametrize("role", [Role.SUPPORT_AGENT, Role.AUDITOR])
def test_other_staff_cannot_open_privacy_console_pages(client: Any, make_user: Any, role: Role) -> None:
    client.force_login(make_user(f"{role.value}@example.org", roles=[role]))
    assert client.get("/console/privacy/disclosure/").status_code == 403
    assert client.get("/console/privacy/legalhold/").status_code == 403
