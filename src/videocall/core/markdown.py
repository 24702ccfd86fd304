"""Markdown written by staff (the privacy policy, news mailings) rendered to safe HTML: Python-Markdown
for the syntax, then ``nh3`` (an allow-list HTML sanitiser) so no script, style or event handler
survives, whatever the author typed."""

from __future__ import annotations

import markdown
import nh3


def markdown_to_html(text: str) -> str:
    """Sanitised HTML for ``text`` (Markdown with the "extra" and "sane_lists" extensions)."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(html)
