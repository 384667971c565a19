"""The registry of papers: every kind of paper the system prints, its label and formats (the 示范村考察报告 and
the 督查通报 are built here from the facts apps/villages and apps/oversight provide). A new paper registers,
here or in its app's `ready()`:

    from apps.papers.registry import register
    register("village_report", "示范村考察报告", formats=("pdf", "docx"))

builds a `apps.papers.document.Paper` from its models (one function, the only source of the content) and
serves it with `apps.papers.render.respond("village_report", paper, fmt)` from its page view and its API
endpoint, after fetching the object through `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaperKind:
    key: str
    label: str
    formats: tuple[str, ...] = ("pdf", "docx")
    public: bool = False  # public papers: never an ID number, phone or birth date (tests scan them)


REGISTRY: dict[str, PaperKind] = {}


def register(key: str, label: str, formats: tuple[str, ...] = ("pdf", "docx"), public: bool = False) -> PaperKind:
    REGISTRY[key] = PaperKind(key, label, tuple(formats), public)
    return REGISTRY[key]


def kind(key: str) -> PaperKind:
    return REGISTRY[key]


register("application", "共产党员示范岗申报表")
register("minutes", "支部党员大会会议记录")
register("branch_list", "支部推荐名单")
register("county_list", "镇参评名单")
register("notice", "公示", formats=("pdf", "docx"), public=True)
register("public_notice", "公示（公开）", formats=("pdf",), public=True)
register("commendation", "表彰决定", public=True)
register("certificates", "荣誉证书")
register("village_report", "示范村考察报告")
register("bulletin", "督查通报")
