from __future__ import annotations

from typing import Any

from django import forms

from videocall.notifications.topics import Topic


class PreferencesForm(forms.Form):
    """Two checkboxes per topic: ``<topic>__email`` and ``<topic>__push`` (email only for a topic
    that is never pushed)."""

    def __init__(self, *args: Any, rows: list[tuple[Topic, bool, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for topic, by_email, by_push in rows:
            self.fields[f"{topic.key}__email"] = forms.BooleanField(
                required=False, initial=by_email, label=str(topic.label)
            )
            if topic.push:
                self.fields[f"{topic.key}__push"] = forms.BooleanField(
                    required=False, initial=by_push, label=str(topic.label)
                )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            topic.key: (
                bool(self.cleaned_data[f"{topic.key}__email"]),
                bool(self.cleaned_data.get(f"{topic.key}__push")),
            )
            for topic, _e, _p in self.rows
        }

    def table(self) -> list[tuple[Topic, Any, Any]]:
        return [
            (topic, self[f"{topic.key}__email"], self[f"{topic.key}__push"] if topic.push else None)
            for topic, _e, _p in self.rows
        ]
