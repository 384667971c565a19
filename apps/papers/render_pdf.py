"""A paper → PDF: the HTML template papers/paper.html drawn by WeasyPrint (A4, GB/T 9704-like margins,
CJK faces embedded as subsets)."""

from __future__ import annotations

import atexit
import base64

from django.template.loader import render_to_string

from .document import Cell, Heading, Image, PageBreak, Paper, Para, Signature, Table
from .fonts import faces

# One FontConfiguration per set of licensed font files (usually one per process: building it through
# fontconfig is the slow part of a first render). Its @font-face fonts stay registered with it, so another
# PAPER_FONT_DIR must not reuse it: the same family names would draw the old files' glyphs.
_font_configs: dict[tuple, object] = {}


def _forget_fonts() -> None:
    """Drop the font configurations while the interpreter is still whole (their __del__ needs its modules)."""
    _base_css.clear()
    _paper_html_class.clear()
    _font_configs.clear()


def _fonts():
    key = tuple(sorted(faces().files.items()))
    if key not in _font_configs:
        from weasyprint.text.fonts import FontConfiguration

        if not _font_configs:
            atexit.register(_forget_fonts)
        _font_configs[key] = FontConfiguration()
    return _font_configs[key]


def _para_classes(p: Para, extra: list[str]) -> str:
    classes = [p.align]
    if p.indent and p.align in ("justify", "left"):
        classes.append("indent")
    if p.bold:
        classes.append("bold")
    if p.face != "body":
        classes.append(f"face-{p.face}")
    if p.size:
        name = f"s{int(p.size * 10)}"
        classes.append(name)
        extra.append(f".{name} {{ font-size: {p.size}pt; line-height: {p.size * 1.75:.1f}pt; }}")
    return " ".join(classes)


def _cell(cell: Cell, table_id: str, extra: list[str], index: int) -> dict:
    lines = cell.text.split("\n") if cell.text else []
    align = cell.align or ("center" if cell.label or len(cell.text) <= 24 and "\n" not in cell.text else "left")
    classes = ["label" if cell.label else align]
    if cell.label:
        classes.append("center")
    if cell.height:
        name = f"{table_id}h{index}"
        classes.append(name)
        extra.append(f"#{table_id} td.{name} {{ height: {cell.height}mm; vertical-align: top; }}")
        if cell.sign:  # the signature, seal and date lines at the bottom of the box
            extra.append(f"#{table_id} td.{name} .text {{ min-height: {max(cell.height - 9 * len(cell.sign) - 4, 0)}mm; }}")
    return {"obj": cell, "lines": lines, "classes": " ".join(classes)}


def _blocks(paper: Paper, extra: list[str]) -> list[dict]:
    out = []
    for n, block in enumerate(paper.blocks, start=1):
        if isinstance(block, Para):
            out.append({"kind": "para", "obj": block, "classes": _para_classes(block, extra)})
        elif isinstance(block, Heading):
            out.append({"kind": "heading", "obj": block})
        elif isinstance(block, Table):
            table_id = f"t{n}"
            total = sum(block.widths)
            for i, w in enumerate(block.widths, start=1):
                extra.append(f"#{table_id} col.c{i} {{ width: {100 * w / total:.2f}%; }}")
            if block.size or paper.table_size:
                size = block.size or paper.table_size
                extra.append(f"#{table_id} td {{ font-size: {size}pt; }}")
            rows = [[_cell(c, table_id, extra, f"{r}x{i}") for i, c in enumerate(row)] for r, row in enumerate(block.rows)]
            out.append({"kind": "table", "widths": block.widths, "head": rows[: block.header_rows], "body": rows[block.header_rows :]})
        elif isinstance(block, Image) and block.photo:
            extra.append(f"img.w{n} {{ width: {block.width_mm}mm; height: auto; }}")
            mime = "image/png" if block.png.startswith(b"\x89PNG") else "image/jpeg"
            out.append({"kind": "image", "obj": block, "src": f"data:{mime};base64," + base64.b64encode(block.png).decode()})
        elif isinstance(block, Image):
            extra.append(f"img.w{n} {{ width: {block.width_mm}mm; height: {block.width_mm}mm; }}")
            src = "data:image/svg+xml;base64," + base64.b64encode(block.svg.encode()).decode()
            out.append({"kind": "image", "obj": block, "src": src})
        elif isinstance(block, PageBreak):
            out.append({"kind": "pagebreak"})
        elif isinstance(block, Signature):
            src = ""
            if block.image:
                extra.append(f"img.w{n} {{ width: {block.image.width_mm}mm; height: {block.image.width_mm}mm; }}")
                src = "data:image/svg+xml;base64," + base64.b64encode(block.image.svg.encode()).decode()
            out.append({"kind": "signature", "obj": block, "src": src})
    return out


def _base_key(paper: Paper, f) -> tuple:
    faces_key = (f.title, f.body, f.heading, f.kai, tuple(sorted(f.files.items())))
    return (faces_key, paper.body_size, paper.title_size, paper.page_numbers, paper.certificate, paper.page_size)


_base_css: dict[tuple, object] = {}


def base_stylesheet(paper: Paper):
    """The stylesheet every paper of this kind shares, parsed once per process (parsing and compiling the
    selectors is a good part of a small paper's time); what differs per paper (column widths, box heights)
    is a small <style> in the paper itself."""
    from weasyprint import CSS

    f = faces()
    key = _base_key(paper, f)
    if key not in _base_css:
        stacks = {role: f.stack(role) for role in ("title", "body", "heading", "kai")}
        text = render_to_string("papers/paper.css", {"paper": paper, "f": stacks, "font_faces": f.font_face_css()})
        _base_css[key] = CSS(string=text, font_config=_fonts())
    return _base_css[key]


def html_of(paper: Paper) -> str:
    extra: list[str] = []
    blocks = _blocks(paper, extra)
    return render_to_string("papers/paper.html", {"paper": paper, "blocks": blocks, "css": "\n".join(extra)})


_paper_html_class: list = []


def _paper_html(text: str):
    """WeasyPrint's HTML with the papers' own small user-agent stylesheet (papers/ua.css) in place of the full
    HTML5 one: the same drawing (tests/test_papers.py compares them), a third less layout for a small paper."""
    if not _paper_html_class:
        from weasyprint import CSS, HTML

        ua = [CSS(string=render_to_string("papers/ua.css"))]

        class PaperHTML(HTML):
            def _ua_stylesheets(self, forms=False):
                return ua

        _paper_html_class.append(PaperHTML)
    return _paper_html_class[0](string=text)


def _layout(paper: Paper):
    return _paper_html(html_of(paper)).render(stylesheets=[base_stylesheet(paper)], font_config=_fonts())


def render_pdf(paper: Paper) -> bytes:
    return _layout(paper).write_pdf()


def render_pdf_many(papers: list[Paper]) -> list[bytes]:
    """Many papers at once (the zip of every 申报表): each laid out on its own (its own page numbers), the
    pages written as one PDF so the fonts are subset and compressed once, then cut back into one file per
    paper. About a third faster than one by one."""
    import io

    from pypdf import PdfReader, PdfWriter

    if not papers:
        return []
    documents = [_layout(p) for p in papers]
    combined = PdfReader(io.BytesIO(documents[0].copy([page for d in documents for page in d.pages]).write_pdf()))
    out, first = [], 0
    for paper, document in zip(papers, documents, strict=True):
        writer = PdfWriter()
        for number in range(first, first + len(document.pages)):
            writer.add_page(combined.pages[number])
        first += len(document.pages)
        writer.add_metadata({"/Title": paper.title.replace("\n", "")})
        body = io.BytesIO()
        writer.write(body)
        out.append(body.getvalue())
    return out
