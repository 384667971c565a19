"""One paper, two formats: `render(paper, "pdf" | "docx")` and the HTTP response that downloads it."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse

from .document import Paper
from .registry import kind

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": PDF, "docx": DOCX}


def render(paper: Paper, fmt: str) -> bytes:
    if fmt == "pdf":
        from .render_pdf import render_pdf

        return render_pdf(paper)
    if fmt == "docx":
        from .render_docx import render_docx

        return render_docx(paper)
    raise ValueError(fmt)


def disposition(filename: str, inline: bool = False) -> str:
    """A Chinese file name that every browser keeps (RFC 6266 filename*), with an ASCII fallback."""
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in filename)
    return f"{'inline' if inline else 'attachment'}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def check_format(key: str, fmt: str) -> None:
    """404 for a format the paper does not come in (e.g. the public notice is PDF only)."""
    if fmt not in kind(key).formats:
        raise Http404("未找到该格式的文件。")


def respond(key: str, paper: Paper, fmt: str) -> HttpResponse:
    check_format(key, fmt)
    response = HttpResponse(render(paper, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = disposition(f"{paper.filename}.{fmt}", inline=fmt == "pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
