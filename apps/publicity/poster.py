"""The honour roll (光荣榜) as a printable A4 poster, drawn by apps/papers' PDF pipeline (same renderer, same
fonts), with a QR code of the town's public home. Names, organizations, posts and short deeds only."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from apps.papers.content import qr_image
from apps.papers.document import Cell, Heading, Paper, Para, Signature, Table, cn_date
from apps.papers.render import render

from .honour import honour_roll

CACHE_SECONDS = 60  # a published change shows within a minute


def poster(town, home_url: str) -> Paper:
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
    blocks.append(Signature([town.name, cn_date(timezone.localdate())], image=qr_image(home_url, "扫码查看公示与典型事迹", 28)))
    return Paper(title="光荣榜", filename=f"光荣榜-{town.name}", blocks=blocks)


def poster_pdf(town, home_url: str) -> tuple[str, bytes]:
    key = f"publicity:poster:{town.pk}:{home_url}"
    cached = cache.get(key)
    if cached is None:
        paper = poster(town, home_url)
        cached = (f"{paper.filename}.pdf", render(paper, "pdf"))
        cache.set(key, cached, CACHE_SECONDS)
    return cached
