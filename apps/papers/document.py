"""The one source of content of a paper: a plain data structure that both renderers (PDF through HTML and
WeasyPrint, DOCX through python-docx) draw, so the two never disagree.

A paper is a title, an optional document number (文号), blocks (paragraphs, headings, bordered tables,
images such as a QR code, page breaks) and a closing signature (issuer and date, bottom right)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


def cn_date(day: dt.date | None, blank: str = "    年  月  日") -> str:
    """2026年5月8日 (GB/T 9704: Arabic numerals, no leading zeros); a blank to fill in by hand when None."""
    return f"{day.year}年{day.month}月{day.day}日" if day else blank


def cn_month(day: dt.date | None) -> str:
    """1980.05, the birth month / joined month of a Chinese form."""
    return f"{day.year}.{day.month:02d}" if day else ""


@dataclass
class Para:
    text: str
    align: str = "justify"  # justify / center / right / left
    indent: bool = True  # first line indented by two characters
    bold: bool = False
    size: float | None = None  # points; None: the paper's body size
    face: str = "body"  # body / title / heading / kai


@dataclass
class Heading:
    """A first-level heading (一、…) in the heading face, flush left after a two-character indent."""

    text: str


@dataclass
class Cell:
    text: str = ""  # newlines make paragraphs
    colspan: int = 1
    rowspan: int = 1
    label: bool = False  # a form label: centred, bold
    align: str = ""  # "" → centre for labels and short values, left for long text
    sign: list[str] = field(default_factory=list)  # lines at the bottom right (signature, seal, date)
    height: float | None = None  # minimum height in mm


@dataclass
class Table:
    rows: list[list[Cell]]
    widths: list[float]  # relative column widths
    header_rows: int = 0  # repeated on each page
    size: float | None = None  # font size in points (default: the paper's table size)


@dataclass
class Image:
    png: bytes  # a photo (photo=True) may be a JPEG here; both renderers take it as it is
    svg: str
    width_mm: float
    caption: str = ""
    align: str = "center"
    photo: bool = False  # a photo: drawn from its raster (png) at width_mm, its height following its proportions


@dataclass
class PageBreak:
    pass


@dataclass
class Signature:
    """Issuer and date at the bottom right (落款), optionally with an image (a QR code) on the left."""

    lines: list[str]
    image: Image | None = None


Block = Para | Heading | Table | Image | PageBreak | Signature


@dataclass
class Paper:
    title: str
    filename: str  # without extension
    blocks: list[Block] = field(default_factory=list)
    doc_number: str = ""  # 文号, centred above the title
    subtitle: str = ""
    body_size: float = 16.0  # 三号
    table_size: float = 12.0  # 小四, inside forms
    title_size: float = 22.0  # 二号
    page_numbers: bool = True
    certificate: bool = False  # 荣誉证书: landscape, large type, no page numbers
    page_size: str = "A4"  # "A4" or "A3" (posters), portrait

    def text(self) -> str:
        """All visible text, for tests and for the privacy scan."""
        out = [self.doc_number, self.title, self.subtitle]
        for b in self.blocks:
            if isinstance(b, (Para, Heading)):
                out.append(b.text)
            elif isinstance(b, Table):
                out.extend(c.text + "".join(c.sign) for row in b.rows for c in row)
            elif isinstance(b, Signature):
                out.extend(b.lines)
                out.append(b.image.caption if b.image else "")
            elif isinstance(b, Image):
                out.append(b.caption)
        return "\n".join(s for s in out if s)
