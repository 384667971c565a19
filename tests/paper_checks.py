"""Reading the papers back in tests: PDF pages, text and embedded fonts (pypdf), the first page as PNG
(poppler's pdftoppm), DOCX page size, fonts and tables (python-docx), and the privacy scan."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image
from pypdf import PdfReader

ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def pdf(body: bytes) -> tuple[PdfReader, str]:
    """The reader and the whole text with white space removed (pypdf breaks lines where the layout does)."""
    reader = PdfReader(io.BytesIO(body))
    text = "".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", "", text)


def fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts") or []:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(f"embedded:{descendant.get_object()['/BaseFont']}")
    return names


def assert_cjk_embedded(reader: PdfReader, family: str = "Noto-Serif-CJK-SC") -> None:
    names = fonts(reader)
    assert any(n.startswith("embedded:") and family in n for n in names), names


def first_page_png(body: bytes) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "p.pdf").write_bytes(body)
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", "-singlefile", "p.pdf", "page"], cwd=tmp, check=True)
        image = Image.open(Path(tmp, "page.png"))
        image.load()
        return image


def assert_not_blank(body: bytes) -> Image.Image:
    image = first_page_png(body).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.005 * image.width * image.height, f"only {dark} dark pixels"
    return image


def docx(body: bytes) -> Document:
    return Document(io.BytesIO(body))


def assert_a4(document: Document, landscape: bool = False) -> None:
    section = document.sections[0]
    size = (section.page_width, section.page_height)
    a4 = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    assert all(abs(got - want) < Mm(0.5) for got, want in zip(size, a4, strict=True)), size


def east_asian_font(document: Document) -> str:
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def docx_text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return re.sub(r"\s+", "", "".join(parts))


def assert_private(text: str, *members) -> None:
    """No 18-digit ID number, no 11-digit mobile number, and none of these members' ID, phone or birth date."""
    assert not ID_NUMBER.search(text), ID_NUMBER.search(text)
    assert not MOBILE.search(text), MOBILE.search(text)
    for m in members:
        birth = m.birth_date
        for secret in (m.id_number, m.phone, f"{birth.year}.{birth.month:02d}", f"{birth.year}年{birth.month}月", birth.isoformat()):
            assert secret not in text, secret
