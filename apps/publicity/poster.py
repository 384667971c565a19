"""Printable posters (A3 and A4 PDF) of the honour roll (光荣榜) and of a story (典型事迹), drawn by apps/papers'
PDF pipeline (same document blocks, renderer and fonts), each with a QR code of its public page. Names,
organizations, posts and deeds only — never an ID number, a phone or a birth date."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser

from django.utils import timezone

from apps.papers.content import qr_image
from apps.papers.document import Cell, Heading, Image, Paper, Para, Signature, Table, cn_date
from apps.papers.render import render

from .freshness import cached, town_generation
from .honour import honour_roll
from .models import Story

# size → (page size, type scale): an A3 sheet is √2 times an A4 one, and so is its type.
SIZES = {"a4": ("A4", 1.0), "a3": ("A3", 1.414)}


def _sized(paper: Paper, size: str) -> Paper:
    page, scale = SIZES[size]
    paper.page_size = page
    paper.body_size = round(16 * scale, 1)
    paper.title_size = round(26 * scale, 1)
    paper.table_size = round(12 * scale, 1)
    paper.page_numbers = False
    paper.filename = f"{paper.filename}-{page}"
    return paper


def poster(town, home_url: str, size: str = "a4") -> Paper:
    """The town's honour roll, newest year first."""
    scale = SIZES[size][1]
    blocks: list = [Para(f"{town.name}共产党员示范岗、示范村", align="center", indent=False, face="heading")]
    years = honour_roll(town)
    if not years:
        blocks.append(Para("光荣榜尚未发布。", align="center", indent=False))
    for y in years:
        blocks.append(Heading(f"{y.year}年度"))
        if y.posts:
            rows = [[Cell("姓名", label=True), Cell("党组织", label=True), Cell("岗位", label=True), Cell("主要事迹", label=True)]]
            rows += [[Cell(p["name"]), Cell(p["branch"]), Cell(p["post"]), Cell(p["deeds"], align="left")] for p in y.posts]
            blocks.append(Para("共产党员示范岗", indent=False, bold=True))
            blocks.append(Table(rows, widths=[2, 3, 3, 8], header_rows=1))
        if y.villages:
            blocks.append(Para("共产党员示范村", indent=False, bold=True))
            blocks.append(Para("、".join(v["name"] for v in y.villages), indent=False))
    qr = qr_image(home_url, "扫码查看公示与典型事迹", round(28 * scale))
    blocks.append(Signature([town.name, cn_date(timezone.localdate())], image=qr))
    return _sized(Paper(title="光荣榜", filename=f"光荣榜-{town.name}", blocks=blocks), size)


class _Paragraphs(HTMLParser):
    """A sanitized story body (apps/publicity/sanitize.py) → its paragraphs: (text, kind), kind being
    "para", "heading" or "item". Line breaks start a new paragraph."""

    BLOCKS = {"p", "li", "h3", "h4", "blockquote", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__()
        self.out: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.kind = "para"

    def _flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.out.append((text, self.kind))
        self.text = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.BLOCKS or tag == "br":
            self._flush()
        if tag in self.BLOCKS:
            self.kind = {"li": "item", "h3": "heading", "h4": "heading"}.get(tag, "para")

    def handle_endtag(self, tag) -> None:
        if tag in self.BLOCKS:
            self._flush()
            self.kind = "para"

    def handle_data(self, data) -> None:
        self.text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def body_paragraphs(html: str) -> list[tuple[str, str]]:
    parser = _Paragraphs()
    parser.feed(html or "")
    parser.close()
    return parser.out


def story_image_bytes(story: Story) -> bytes:
    if not story.image:
        return b""
    try:
        with story.image.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return b""


def story_poster(story: Story, story_url: str, size: str = "a4") -> Paper:
    """A published story: title, who or which village it is about, the image, the body, a QR code of its page."""
    scale = SIZES[size][1]
    about = []
    if story.nomination_id:
        about.append(f"共产党员示范岗 {story.nomination.member.name}（{story.nomination.org.name}）")
    if story.village_id:
        about.append(f"共产党员示范村 {story.village.org.name}")
    blocks: list = [Para(" · ".join([story.town.name, *about]), align="center", indent=False, face="kai")]
    photo = story_image_bytes(story)
    if photo:
        blocks.append(Image(png=photo, svg="", width_mm=round(120 * scale), photo=True))
    for text, kind in body_paragraphs(story.body):
        if kind == "heading":
            blocks.append(Para(text, indent=False, bold=True))
        elif kind == "item":
            blocks.append(Para(f"· {text}", indent=False, align="left"))
        else:
            blocks.append(Para(text))
    qr = qr_image(story_url, "扫码阅读全文", round(28 * scale))
    day = timezone.localtime(story.published_at).date() if story.published_at else timezone.localdate()
    blocks.append(Signature([story.town.name, cn_date(day)], image=qr))
    return _sized(Paper(title=story.title, filename=f"典型事迹-{story.title}", blocks=blocks), size)


def _key(kind: str, pk: int, size: str, url: str) -> str:
    return f"publicity:poster:{kind}:{pk}:{size}:{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def poster_pdf(town, home_url: str, size: str = "a4") -> tuple[str, bytes]:
    """The honour roll poster, kept for a minute at most (a revocation makes it stale at once)."""

    def build():
        paper = poster(town, home_url, size)
        return (f"{paper.filename}.pdf", render(paper, "pdf"))

    return cached(_key("honour", town.pk, size, home_url), [town_generation(town.pk)], build)


def story_poster_pdf(story: Story, story_url: str, size: str = "a4") -> tuple[str, bytes]:
    def build():
        paper = story_poster(story, story_url, size)
        return (f"{paper.filename}.pdf", render(paper, "pdf"))

    return cached(_key("story", story.pk, size, story_url), [town_generation(story.town_id)], build)
