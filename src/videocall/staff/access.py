"""Access rules of the staff console and the metrics endpoint.

Site-wide console pages are listed here; every model page's rules come from its
:class:`videocall.core.admin.PermissionAdmin` (``view_perm``/``change_perm``/``add_perm``/
``delete_perm``/``extra_url_perms``), so a console page registered without that base class has no
rule and fails the role x URL matrix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from videocall.core.access import Access, Rule
from videocall.core.admin import PermissionAdmin
from videocall.core.permissions import Perm

SITE_RULES: dict[str, Rule] = {
    "admin:index": Perm.CONSOLE_ACCESS,
    # Hands over to the account sign-in page (anonymous), the console (staff) or 403 (members).
    "admin:login": Access.FRAMEWORK,
    "admin:logout": Access.PUBLIC,  # signing out is never refused (without console access: to the index)
    "admin:password_change": Perm.CONSOLE_ACCESS,  # redirects to the account's password page
    "admin:password_change_done": Perm.CONSOLE_ACCESS,
    "admin:jsi18n": Perm.CONSOLE_ACCESS,
    "admin:view_on_site": Perm.CONSOLE_ACCESS,
    # Without a source field every caller is refused; with one, the source page's view rule applies.
    "admin:autocomplete": Access.NOBODY,
    # App index pages list the models the caller may see (404 when none).
    "admin:app_list": Perm.CONSOLE_ACCESS,
    "admin:staff_settings": Perm.SITE_SETTINGS_VIEW,
    "admin:staff_reveal": Perm.PII_REVEAL,
    "metrics": Access.SECRET,
}


class _ConsoleRules(Mapping[str, Rule]):
    """Site rules plus the model pages' rules, computed when first read (after admin autodiscovery)."""

    def _all(self) -> dict[str, Rule]:
        from django.contrib import admin

        rules = dict(SITE_RULES)
        for model, model_admin in admin.site._registry.items():
            if isinstance(model_admin, PermissionAdmin):
                rules.update(type(model_admin).url_rules(model))
        return rules

    def __getitem__(self, key: str) -> Rule:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def keys(self) -> Any:
        return self._all().keys()


URL_ACCESS: Mapping[str, Rule] = _ConsoleRules()
