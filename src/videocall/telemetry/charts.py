"""Server-side SVG bar charts: readable without JavaScript, no inline script or style (colours come
from presentation attributes' classes in telemetry/trends.css)."""

from __future__ import annotations

from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 200
LEFT = 48
BOTTOM = 28
TOP = 12


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def bar_chart(points: list[tuple[date, float | None]], *, title: str, unit: str, period: str) -> SafeString:
    plot_w = WIDTH - LEFT - 8
    plot_h = HEIGHT - TOP - BOTTOM
    values = [v for _d, v in points if v is not None]
    peak = max(values) if values else 0.0
    scale_max = peak if peak > 0 else 1.0
    n = max(1, len(points))
    slot = plot_w / n
    bar_w = max(1.0, slot * 0.8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 8}" y2="{TOP + plot_h}" stroke-width="1"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke-width="1"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11">{_fmt(scale_max)}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    label_every = max(1, n // 8)
    for i, (day, value) in enumerate(points):
        x = LEFT + i * slot + (slot - bar_w) / 2
        label = day.isoformat() if period == "day" else f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}"
        if value is None:
            parts.append(
                f'<rect class="bar nodata" x="{x:.1f}" y="{TOP + plot_h - 2}" width="{bar_w:.1f}" height="2">'
                f"<title>{escape(label)}: -</title></rect>"
            )
        else:
            h = plot_h * (value / scale_max)
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
                f"<title>{escape(label)}: {_fmt(value)} {escape(unit)}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle" '
                f'font-size="10">{escape(label[5:] if period == "day" else label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every dynamic value above is escaped or numeric
