"""A paper → DOCX with python-docx: A4 set explicitly, GB/T 9704 margins, the East Asian face set on the
styles (w:eastAsia), bordered tables with the same merges as the PDF, page numbers in the footer."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .document import Cell, Heading, Image, PageBreak, Paper, Para, Signature, Table
from .fonts import faces

ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
}


def _set_font(target, name: str) -> None:
    """Latin and East Asian face of a style or run (python-docx sets only the Latin one by itself)."""
    target.font.name = name
    rpr = target.element.get_or_add_rPr() if hasattr(target.element, "get_or_add_rPr") else target._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


class _Writer:
    def __init__(self, paper: Paper):
        self.paper = paper
        self.f = faces()
        self.doc = Document()
        self._page()
        self._styles()

    def _page(self) -> None:
        section = self.doc.sections[0]
        if self.paper.certificate:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
            section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(30), Mm(25), Mm(35), Mm(35)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.top_margin, section.bottom_margin = Mm(37), Mm(35)
            section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28)
        if self.paper.page_numbers and not self.paper.certificate:
            # GB/T 9704: odd pages' number on the right, even pages' on the left, "— 1 —".
            self.doc.settings.odd_and_even_pages_header_footer = True
            self._page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
            self._page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, p, align) -> None:
        p.alignment = align
        p.add_run("— ")
        run = p.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)
        p.add_run(" —")
        for r in p.runs:
            r.font.size = Pt(14)

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        _set_font(normal, self.f.body)
        normal.font.size = Pt(self.paper.body_size)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        fmt.space_before = fmt.space_after = Pt(0)
        for name in ("Table Grid",):
            _set_font(self.doc.styles[name], self.f.body)

    def run(self, p, text: str, *, face: str = "body", size: float | None = None, bold: bool = False, colour=None):
        r = p.add_run(text)
        _set_font(r, getattr(self.f, face))
        if size:
            r.font.size = Pt(size)
        if bold:
            r.bold = True
        if colour:
            r.font.color.rgb = colour
        return r

    def para(self, text: str, *, align="justify", indent=True, face="body", size=None, bold=False, line=None, colour=None):
        p = self.doc.add_paragraph()
        p.alignment = ALIGN[align]
        if indent and align in ("justify", "left"):
            p.paragraph_format.first_line_indent = Pt(2 * (size or self.paper.body_size))
        if line or (size and size * 1.75 > 28):
            p.paragraph_format.line_spacing = Pt(line or size * 1.75)
        self.run(p, text, face=face, size=size, bold=bold, colour=colour)
        return p

    def write(self) -> bytes:
        paper = self.paper
        if paper.doc_number:
            p = self.para(paper.doc_number, align="center", indent=False)
            p.paragraph_format.space_after = Pt(14)
        if paper.title:
            size = 48 if paper.certificate else paper.title_size
            colour = RGBColor(0xB0, 0, 0) if paper.certificate else None  # a certificate title is red
            for line in paper.title.split("\n"):
                p = self.para(line, align="center", indent=False, face="title", size=size, bold=True, line=size * 1.45, colour=colour)
            p.paragraph_format.space_after = Pt(14)
        if paper.subtitle:
            p = self.para(paper.subtitle, align="center", indent=False, face="kai")
            p.paragraph_format.space_after = Pt(14)
        for block in paper.blocks:
            if isinstance(block, Para):
                size = block.size or (20 if paper.certificate else None)
                red = paper.certificate and block.face == "title"
                self.para(
                    block.text,
                    align=block.align,
                    indent=block.indent,
                    face=block.face,
                    size=size,
                    bold=block.bold,
                    colour=RGBColor(0xB0, 0, 0) if red else None,
                )
            elif isinstance(block, Heading):
                self.para(block.text, face="heading")
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Image):
                self.image(block)
            elif isinstance(block, PageBreak):
                self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            elif isinstance(block, Signature):
                self.doc.add_paragraph()
                if block.image:
                    self.image(block.image, align="left")
                for line in block.lines:
                    p = self.para(line, align="right", indent=False, size=18 if paper.certificate else None)
                    p.paragraph_format.right_indent = Pt(2 * paper.body_size)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def image(self, block: Image, align: str | None = None) -> None:
        align = align or block.align
        p = self.doc.add_paragraph()
        p.alignment = ALIGN[align]
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.add_run().add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
        if block.caption:
            self.para(block.caption, align=align, indent=False, size=10.5)

    def table(self, block: Table) -> None:
        ncols = len(block.widths)
        table = self.doc.add_table(rows=len(block.rows), cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        section = self.doc.sections[-1]
        usable = section.page_width - section.left_margin - section.right_margin
        total = sum(block.widths)
        widths = [int(usable * w / total) for w in block.widths]
        for i, col in enumerate(table.columns):
            col.width = widths[i]
        size = block.size or self.paper.table_size
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(block.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                if c >= ncols:
                    break
                last_r, last_c = r + cell.rowspan - 1, min(c + cell.colspan - 1, ncols - 1)
                for rr in range(r, last_r + 1):
                    for cc in range(c, last_c + 1):
                        taken.add((rr, cc))
                target = table.cell(r, c)
                if (last_r, last_c) != (r, c):
                    target = target.merge(table.cell(last_r, last_c))
                self._fill(target, cell, size)
                if cell.height:
                    tr = table.rows[r]
                    tr.height = Mm(cell.height)
                    tr.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
                c = last_c + 1
        for r in range(block.header_rows):
            trpr = table.rows[r]._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            trpr.append(el)
        for row in table.rows:  # a row is not split across pages (cantSplit comes first in w:trPr)
            row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))
        self.doc.add_paragraph()

    def _fill(self, target, cell: Cell, size: float) -> None:
        lines = cell.text.split("\n") if cell.text else [""]
        align = cell.align or ("center" if cell.label or len(cell.text) <= 24 and "\n" not in cell.text else "left")
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP if cell.height or align == "left" else WD_CELL_VERTICAL_ALIGNMENT.CENTER
        first = target.paragraphs[0]
        for i, line in enumerate(lines):
            p = first if i == 0 else target.add_paragraph()
            p.alignment = ALIGN["center" if cell.label or align == "center" else "justify"]
            p.paragraph_format.line_spacing = Pt(size * 1.5)
            if align == "left" and not cell.label:
                p.paragraph_format.first_line_indent = Pt(2 * size)
            self.run(p, line, size=size, bold=cell.label)
        if cell.sign:
            line_mm = size * 1.5 * 25.4 / 72
            room = (cell.height or 0) - 9 * len(cell.sign) - 4 - line_mm * len(lines)
            for _ in range(max(int(room / line_mm), 1)):
                target.add_paragraph().paragraph_format.line_spacing = Pt(size * 1.5)
            for line in cell.sign:
                p = target.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                p.paragraph_format.line_spacing = Pt(size * 1.5)
                self.run(p, line, size=size)


def render_docx(paper: Paper) -> bytes:
    return _Writer(paper).write()
