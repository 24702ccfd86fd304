from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """django-allauth configured to our rules. Phone numbers are not collected (the policy lists none)."""

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        return None
