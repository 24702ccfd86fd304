"""Every background task uses one of the named retry policies in videocall.core.tasks, exactly."""

import pytest

from videocall.config.celery import app
from videocall.core.tasks import POLICIES, POLICY_ATTRIBUTE, RETRYABLE


def _our_tasks() -> dict[str, object]:
    app.loader.import_default_modules()
    return {
        name: task
        for name, task in app.tasks.items()
        if type(task).__module__.startswith("videocall.") or name.startswith(("videocall.", "staff."))
    }


def test_the_project_has_tasks():
    assert len(_our_tasks()) >= 10


@pytest.mark.parametrize("name", sorted(_our_tasks()))
def test_each_task_has_one_named_policy(name):
    task = _our_tasks()[name]
    policy_name = getattr(task, POLICY_ATTRIBUTE, None)
    assert policy_name in POLICIES, f"{name}: use DELIVERY, SWEEP or EXPORT from videocall.core.tasks"
    for option, value in POLICIES[policy_name].items():
        assert getattr(task, option) == value, f"{name}: {option} differs from the {policy_name} policy"


def test_policies_retry_only_transient_errors_within_the_visibility_timeout(settings):
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for name, policy in POLICIES.items():
        assert policy["autoretry_for"] == RETRYABLE and policy["acks_late"] is True, name
        assert 0 < policy["retry_backoff_max"] < visibility, name
        assert 1 <= policy["max_retries"] <= 10, name
    assert POLICIES["delivery"]["max_retries"] > POLICIES["sweep"]["max_retries"]
