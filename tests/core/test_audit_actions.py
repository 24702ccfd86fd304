"""The audit log's typed vocabulary: numbered ranges per app, stable stored values, no free-text actions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from videocall.audit.actions import (
    APP_RANGES,
    RETIRED,
    VALUE_PREFIX_APP,
    AuditAction,
    action_choices,
    action_label,
)
from videocall.audit.models import GENESIS, AuditEvent
from videocall.audit.services import audit_record, audit_verify

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "videocall"


def test_every_number_lies_in_its_apps_range():
    for member in AuditAction:
        assert member.value.split(".", 1)[0] in VALUE_PREFIX_APP, member
        assert member.number in APP_RANGES[member.app], (
            f"{member.name} ({member.number}) is not in {member.app}"
        )


def test_numbers_values_and_names_are_unique_and_systematic():
    members = list(AuditAction)
    # A repeated value would silently become an alias of the first member.
    assert len(AuditAction.__members__) == len(members)
    assert len({m.number for m in members}) == len(members)
    assert len({m.value for m in members}) == len(members)
    for member in members:
        assert member.name == member.value.replace(".", "_").upper()
        assert len(member.value) <= AuditEvent._meta.get_field("action").max_length
        assert str(member.label)


def test_the_ranges_do_not_overlap():
    numbers = [n for r in APP_RANGES.values() for n in r]
    assert len(numbers) == len(set(numbers))
    assert set(VALUE_PREFIX_APP.values()) <= set(APP_RANGES)


@pytest.mark.django_db
def test_audit_record_refuses_a_plain_string(member):
    for action in ("auth.login", "anything"):
        with pytest.raises(TypeError, match="AuditAction"):
            audit_record(actor=member, action=action)  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_stored_values_and_the_chain_are_unchanged(member):
    """A row written before the vocabulary existed (the same string) and one written with a member
    chain and verify together: the member stores exactly its value."""
    legacy = AuditEvent(actor_id=member.pk, action="auth.login", prev_hash=GENESIS)
    legacy.hash = legacy.compute_hash()
    legacy.save()
    event = audit_record(actor=member, action=AuditAction.AUTH_LOGIN, subject=member)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert type(stored.action) is str and stored.action == "auth.login" == event.action
    assert stored.compute_hash() == event.hash
    assert stored.prev_hash == legacy.hash
    assert AuditEvent.objects.filter(action=AuditAction.AUTH_LOGIN).count() == 2
    assert audit_verify().ok


# --- no free-text action anywhere in src/ ----------------------------------------------------------


def _trees() -> list[tuple[Path, ast.Module]]:
    """src/ (and the benchmarks, which call audit_record too)."""
    paths = [*sorted(SRC.rglob("*.py")), *sorted((ROOT / "bench").glob("*.py"))]
    return [
        (path, ast.parse(path.read_text(encoding="utf-8")))
        for path in paths
        if "migrations" not in path.parts
    ]


def _action_parameters(trees: list[tuple[Path, ast.Module]]) -> dict[str, tuple[int | None, str]]:
    """``audit_record`` and every function with a parameter annotated ``AuditAction`` (e.g. a
    module's ``_audit`` wrapper): name -> (positional index or None, parameter name)."""
    found: dict[str, tuple[int | None, str]] = {"audit_record": (None, "action")}
    for _path, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            positional = [*node.args.posonlyargs, *node.args.args]
            for index, arg in enumerate(positional):
                if arg.annotation is not None and "AuditAction" in ast.unparse(arg.annotation):
                    found[node.name] = (index, arg.arg)
            for arg in node.args.kwonlyargs:
                if arg.annotation is not None and "AuditAction" in ast.unparse(arg.annotation):
                    found[node.name] = (None, arg.arg)
    return found


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def test_no_audit_record_call_passes_a_string_action():
    trees = _trees()
    params = _action_parameters(trees)
    offenders, checked = [], 0
    for path, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node) not in params:
                continue
            index, name = params[_call_name(node) or ""]
            values = [k.value for k in node.keywords if k.arg == name]
            if not values and index is not None and len(node.args) > index:
                values = [node.args[index]]
            for value in values:
                checked += 1
                literal = any(
                    isinstance(sub, ast.JoinedStr)
                    or (isinstance(sub, ast.Constant) and isinstance(sub.value, str))
                    for sub in ast.walk(value)
                )
                if literal:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(value)}")
    assert checked > 80, "the scan found too few audit calls: is it looking in the right place?"
    assert offenders == [], offenders


def test_every_member_is_recorded_somewhere():
    """No vocabulary that nothing writes: each member is referenced outside audit/actions.py, except
    the retired ones (kept for older rows), which nothing may record."""
    text = "\n".join(
        path.read_text(encoding="utf-8")
        for path in SRC.rglob("*.py")
        if path.name != "actions.py" and "migrations" not in path.parts
    )
    unused = [m.name for m in AuditAction if m not in RETIRED and f"AuditAction.{m.name}" not in text]
    assert unused == [], f"record these or list them in audit.actions.RETIRED: {unused}"
    still_recorded = [m.name for m in RETIRED if f"AuditAction.{m.name}" in text]
    assert still_recorded == [], still_recorded


# --- the console --------------------------------------------------------------------------------------


def test_choices_group_every_member_by_app_in_number_order():
    groups = action_choices()
    assert [app for app, _members in groups] == [
        a for a in APP_RANGES if any(m.app == a for m in AuditAction)
    ]
    values = [value for _app, members in groups for value, _label in members]
    assert sorted(values) == sorted(m.value for m in AuditAction)
    assert action_label("auth.login") == str(AuditAction.AUTH_LOGIN.label)
    assert action_label("test.legacy") == "test.legacy"
