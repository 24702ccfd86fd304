"""Shared fixtures. Files go to a temporary media root; mail to Django's in-memory outbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _access_log_inline(settings: Any) -> None:
    """Each request's access-log row is written inline (a batch of 1, no flush thread), so a test reads
    it right after the request. tests/telemetry/test_access_log.py also runs the production default:
    the background thread flushing batches."""
    settings.VIDEOCALL_ACCESS_LOG_BATCH = 1
    settings.VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS = 0


@pytest.fixture(autouse=True)
def _isolated_files(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS  # real Argon2id: the tests check its parameters


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """Create a verified user with the given roles (default: member). Staff users get a TOTP
    authenticator, as in production, where staff pages require MFA (accounts' StaffMFARequiredMiddleware);
    pass ``mfa=False`` to test the enrolment redirect."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from videocall.accounts.models import User
    from videocall.core.permissions import Role, sync_roles

    # A transactional test's flush empties the role tables; restore them before creating users.
    if not Group.objects.filter(name=Role.MEMBER.value, permissions__isnull=False).exists():
        sync_roles()
    counter = {"n": 0}

    def factory(
        email: str | None = None,
        *,
        password: str = "correct horse battery staple",
        roles: list[Role] | None = None,
        first_name: str = "Test",
        last_name: str = "User",
        verified: bool = True,
        mfa: bool | None = None,
    ) -> User:
        counter["n"] += 1
        email = email or f"user{counter['n']}@example.org"
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            age_check_passed_at=timezone.now(),
        )
        user.set_roles(roles or [])
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        if mfa if mfa is not None else any(role.is_staff for role in roles or []):
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(user, generate_totp_secret())
        return user

    return factory


@pytest.fixture
def member(make_user: Callable[..., Any]) -> Any:
    return make_user("member@example.org", first_name="Mia", last_name="Member")


@pytest.fixture
def member_client(client: Any, member: Any) -> Iterator[Any]:
    client.force_login(member)
    yield client


# Figures a test wants in the run's final summary (e.g. the schemathesis case count): a test calls
# record_property("ci_summary", "..."); the lines are printed after the results, also under xdist.
_CI_SUMMARY: list[str] = []


def pytest_runtest_logreport(report: Any) -> None:
    if report.when == "call":
        _CI_SUMMARY.extend(str(value) for key, value in report.user_properties if key == "ci_summary")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in _CI_SUMMARY:
        terminalreporter.write_line(line)
