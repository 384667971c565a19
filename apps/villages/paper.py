"""The 示范村考察报告 as a paper (PDF/DOCX through apps.papers), built from `report_facts` and the report text."""

from __future__ import annotations

import re

from apps.papers.document import Cell, Heading, Paper, Para, Signature, Table, cn_date

from .models import VillageCandidate
from .report import report_facts, report_text

KEY = "village_report"
HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def village_report(candidate: VillageCandidate) -> Paper:
    facts = report_facts(candidate)
    text = facts["report_text"] or report_text(candidate)
    lines = [line.strip() for line in text.splitlines()]
    title = lines[0] if lines and lines[0] else f"关于{facts['village']}创建共产党员示范村的考察报告"
    paper = Paper(title=title, filename=f"示范村考察报告-{facts['village']}")
    for line in lines[1:]:
        if not line:
            continue
        paper.blocks.append(Heading(line) if HEADING.match(line) else Para(line))
    if facts["findings"]:
        rows = [[Cell("序号", label=True), Cell("创建标准", label=True), Cell("考察情况", label=True), Cell("得分", label=True)]]
        rows += [
            [Cell(str(f["order"])), Cell(f["title"]), Cell(f["text"], align="left"), Cell(f"{f['score']}/{facts['max_score']}")]
            for f in facts["findings"]
        ]
        rows.append([Cell("合计", label=True, colspan=3), Cell(facts["total_score"])])
        paper.blocks.append(Table(rows=rows, widths=[1, 3, 8, 2], header_rows=1))
    group = facts["group"]["name"] if facts["group"] else "党建调研督查组"
    finalized = candidate.inspection.finalized_at if hasattr(candidate, "inspection") else None
    paper.blocks.append(Signature([f"{facts['town']}{group}", cn_date(finalized.date() if finalized else None)]))
    return paper
