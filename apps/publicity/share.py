"""A QR code of a public page's own address (inline SVG, nothing loaded from the internet) and its share metadata."""

from __future__ import annotations

import segno
from django.utils.safestring import mark_safe


def qr_svg(url: str) -> str:
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2))  # noqa: S308  (segno's own markup)


def share(request, title: str, description: str) -> dict:
    url = request.build_absolute_uri(request.path)
    return {"share_url": url, "share_title": title, "share_description": " ".join(description.split())[:120], "qr": qr_svg(url)}
