"""docs/jobs.md's periodic schedule lists exactly the entries of CELERY_BEAT_SCHEDULE."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "jobs.md"


def test_the_schedule_table_is_the_beat_schedule(settings):
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Periodic schedule", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", section, re.M)
    documented = dict(rows)
    scheduled = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    assert documented == scheduled
