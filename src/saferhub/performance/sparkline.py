"""A sparkline as a small inline SVG, drawn on the server: no script, no chart library, and a
text alternative that says what the line shows."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 120, 32, 3


def sparkline_svg(values: list[float | None], *, label: str, colour: str = "#1d70b8") -> SafeString:
    """A polyline of the values (gaps where a value is missing), the last point marked."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return mark_safe("")
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return PAD + i * step, HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD)

    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
            continue
        x, y = xy(i, v)
        runs[-1].append(f"{x:.1f},{y:.1f}")
    lines = "".join(
        f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
        for r in runs
        if len(r) > 1
    )
    last_i = max(i for i, v in enumerate(values) if v is not None)
    cx, cy = xy(last_i, values[last_i])
    return mark_safe(
        f'<svg class="sh-sparkline" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" focusable="false">'
        f"{lines}"
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2.5" fill="{colour}"/></svg>'
    )
