"""A story's body: simple formatting only (paragraphs, line breaks, bold, italic, lists, headings), cleaned
with nh3 (the Ammonia sanitizer). Everything else — scripts, event handlers, styles, links, images — is
dropped, so the stored body is safe to render as it is. Titles are plain text (escaped by the templates)."""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote"}

BLOCK = re.compile(r"<(p|br|ul|ol|li|h3|h4|blockquote)\b", re.I)


def clean_body(html: str) -> str:
    text = (html or "").strip()
    if text and not BLOCK.search(text):  # typed text: keep the writer's paragraphs and line breaks
        text = "".join(f"<p>{p.strip()}</p>" for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip())
        text = text.replace("\n", "<br>")
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, url_schemes=set(), strip_comments=True).strip()


def plain(html: str) -> str:
    """The body's text alone (for the summary and share metadata)."""
    return " ".join(nh3.clean(html or "", tags=set()).split())
