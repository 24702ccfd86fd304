"""Reads about accounts, permission-checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

AvatarViewerRule = Callable[[Any, Any], bool]
_avatar_viewer_rules: list[AvatarViewerRule] = []


def register_avatar_viewer(rule: AvatarViewerRule) -> AvatarViewerRule:
    """Let another domain widen who may see a profile picture: ``rule(viewer, owner) -> bool``.

    Meetings registers "shares a meeting with the owner" (privacy by default, R13: pictures are visible
    to co-participants only). Registered from the app's ``AppConfig.ready``.
    """
    if rule not in _avatar_viewer_rules:
        _avatar_viewer_rules.append(rule)
    return rule


def can_view_avatar(viewer: Any, owner: Any) -> bool:
    if viewer is None or not getattr(viewer, "is_authenticated", False) or owner is None:
        return False
    if viewer.pk == owner.pk:
        return True
    if getattr(owner, "is_deleted", False):
        return False
    return any(rule(viewer, owner) for rule in _avatar_viewer_rules)
