"""Role permissions survive the database flush of transactional tests (browser journeys, fuzzing)."""

import pytest

from videocall.core.permissions import Perm, Role, has_perm


@pytest.mark.django_db(transaction=True)
def test_first_transactional_test(make_user):
    assert has_perm(make_user("a@example.org", roles=[Role.AUDITOR]), Perm.AUDIT_VIEW)


@pytest.mark.django_db(transaction=True)
def test_roles_still_grant_permissions_after_the_flush(make_user):
    admin_user = make_user("b@example.org", roles=[Role.ADMINISTRATOR])
    assert has_perm(admin_user, Perm.CONSOLE_ACCESS)
    assert has_perm(admin_user, Perm.USERS_MANAGE)
