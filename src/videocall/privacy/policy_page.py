"""The public privacy page: the officer's Markdown with sections 2-6 generated from the data map,
the consent purposes and the processors registry, so the page is true by construction."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from videocall.core.datamap import (
    CATEGORY_LABELS,
    LEGAL_BASIS_LABELS,
    PURPOSE_LABELS,
    Category,
    LegalBasis,
    Purpose,
    data_map,
)
from videocall.core.markdown import markdown_to_html
from videocall.privacy.archive import retention_text
from videocall.privacy.consents import CONSENT_PURPOSES, STRICTLY_NECESSARY
from videocall.privacy.selectors import processors_public

GENERATED_SECTIONS = frozenset({2, 3, 4, 5, 6})
_HEADING = re.compile(r"^##\s+(\d+)\.", re.MULTILINE)
PROVIDED = frozenset(
    {
        Category.IDENTITY,
        Category.CONTACT,
        Category.CREDENTIALS,
        Category.PROFILE_PICTURE,
        Category.SUPPORT_MESSAGES,
        Category.MEETING_CONTENT,
        Category.ACCOUNT,
        Category.CONSENTS,
        Category.PRIVACY_REQUESTS,
    }
)


def split_officer_text(text: str) -> tuple[str, str]:
    """(before, after): the officer's text around sections 2-6, whose own wording is replaced."""
    parts = _HEADING.split(text)
    before: list[str] = [parts[0]]
    after: list[str] = []
    seen_generated = False
    for index in range(1, len(parts), 2):
        number, body = int(parts[index]), parts[index + 1]
        chunk = f"## {number}.{body}"
        if number in GENERATED_SECTIONS:
            seen_generated = True
            continue
        (after if seen_generated or number > max(GENERATED_SECTIONS) else before).append(chunk)
    return "".join(before), "".join(after)


def generated_context() -> dict[str, Any]:
    grouped = data_map.by_category()
    categories = []
    uses: dict[Purpose, set[Category]] = {}
    bases: dict[LegalBasis, set[Purpose]] = {}
    recipients: set[str] = set()
    for category in Category:
        entries = grouped.get(category)
        if not entries:
            continue
        retention = sorted({retention_text(f.retention) for _label, f in entries})
        categories.append(
            {
                "code": category.value,
                "label": CATEGORY_LABELS[category],
                "provided": category in PROVIDED,
                "retention": retention,
                "notes": sorted({f.note for _label, f in entries if f.note}),
            }
        )
        for _label, fdecl in entries:
            for purpose in fdecl.purposes:
                uses.setdefault(purpose, set()).add(category)
                bases.setdefault(fdecl.basis, set()).add(purpose)
            recipients.update(fdecl.recipients)
    processors = list(processors_public())
    return {
        "provided": [c for c in categories if c["provided"]],
        "automatic": [c for c in categories if not c["provided"]],
        "categories": categories,
        "uses": [
            {"label": PURPOSE_LABELS[p], "categories": sorted(str(CATEGORY_LABELS[c]) for c in cats)}
            for p, cats in sorted(uses.items())
        ],
        "bases": [
            {"label": LEGAL_BASIS_LABELS[b], "purposes": sorted(str(PURPOSE_LABELS[p]) for p in purposes)}
            for b, purposes in sorted(bases.items())
        ],
        "necessary": STRICTLY_NECESSARY,
        "consent_purposes": [
            {
                "code": p.value,
                "label": info.label,
                "description": info.description,
                "basis": LEGAL_BASIS_LABELS[info.basis],
            }
            for p, info in CONSENT_PURPOSES.items()
        ],
        "processors": processors,
        "transfers": [p for p in processors if p.safeguards],
        "recipients": sorted(recipients),
        "video_service": _video_service(),
        "controller": settings.VIDEOCALL_CONTROLLER,
        "contact": settings.VIDEOCALL_PRIVACY_CONTACT,
        "authority_url": settings.VIDEOCALL_PRIVACY_AUTHORITY_URL,
    }


def _video_service() -> str:
    """Who runs the video bridge, from the deployment's Jitsi mode (JITSI.md)."""
    from django.utils.translation import gettext as _

    mode, domain = settings.JITSI_MODE, settings.JITSI_DOMAIN
    if mode == "self-hosted":
        return _("Meetings run on our own Jitsi Meet servers (%(domain)s).") % {"domain": domain}
    if mode == "jaas":
        return _(
            "Meetings run on Jitsi as a Service (8x8.vc), operated by 8x8, which receives meeting "
            "metadata, participants' display names and IP addresses."
        )
    return _(
        "Meetings run on the public Jitsi Meet service at %(domain)s, whose operator receives meeting "
        "metadata, participants' display names and IP addresses."
    ) % {"domain": domain}


def render_policy(text: str) -> dict[str, SafeString]:
    before, after = split_officer_text(text)
    generated = render_to_string("privacy/_generated_sections.html", generated_context())
    return {
        "before": mark_safe(markdown_to_html(before)),  # noqa: S308 - sanitised by nh3
        "generated": mark_safe(generated),  # noqa: S308 - our own template, autoescaped
        "after": mark_safe(markdown_to_html(after)),  # noqa: S308 - sanitised by nh3
    }
