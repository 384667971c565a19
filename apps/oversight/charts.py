"""Bar charts drawn on the server as SVG text: the same chart on the board page and in the printed 督查通报.

No JavaScript and no style attributes (the site's CSP forbids inline styles): only SVG presentation
attributes. Every label and value is escaped."""

from __future__ import annotations

from xml.sax.saxutils import escape

BAR = "#c8161d"
GRID = "#e5e0e0"
TEXT = "#333333"


def bar_chart(data: list[tuple[str, int]], *, title: str = "", width: int = 640, bar_height: int = 22, label_width: int = 170) -> str:
    """Horizontal bars, one per (label, value), in the given order; the value is written after each bar."""
    gap = 8
    top = 30 if title else 8
    height = top + len(data) * (bar_height + gap) + 8
    biggest = max((v for _, v in data), default=0) or 1
    room = width - label_width - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
        parts.append(f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{TEXT}">{escape(title)}</text>')
    for i, (label, value) in enumerate(data):
        y = top + i * (bar_height + gap)
        w = round(room * value / biggest) if value else 0
        mid = y + bar_height / 2 + 4
        parts.append(f'<text x="{label_width - 6}" y="{mid:g}" text-anchor="end" fill="{TEXT}">{escape(str(label))}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{room}" height="{bar_height}" fill="{GRID}" opacity="0.4"/>')
        if w:
            parts.append(f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_height}" fill="{BAR}"/>')
        parts.append(f'<text x="{label_width + w + 6}" y="{mid:g}" fill="{TEXT}" class="value">{int(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def steps_chart(rows) -> str:
    """Branches per step of the procedure (the board's and the bulletin's chart)."""
    from .progress import step_counts

    return bar_chart([(step.label, n) for step, n in step_counts(rows)], title="各环节支部数")
