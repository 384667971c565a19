"""Checking an uploaded evidence file: by its content, not its name.

Allowed: JPEG, PNG (re-encoded with Pillow from their pixels, so EXIF — GPS position, camera, time — and
any other metadata is dropped) and PDF (kept as it is). Empty files and files above
`settings.VILLAGE_EVIDENCE_MAX_BYTES` (default 10 MB) are refused. Files are stored through Django's storage
API (`STORAGES["default"]`: the media directory, or S3-compatible object storage via django-storages)."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.core.actions import ActionError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


@dataclass(frozen=True)
class Checked:
    data: bytes
    content_type: str
    ext: str


def max_bytes() -> int:
    return int(getattr(settings, "VILLAGE_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".rstrip("0").rstrip(".") + " MB"


def _reencode(data: bytes, content_type: str) -> bytes:
    """Decode the image and write its pixels into a new file: no EXIF, no text chunks, no trailing bytes."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img = ImageOps.exif_transpose(img)  # keep the photo upright, then forget the EXIF
                if content_type == "image/jpeg":
                    img = img.convert("RGB")
                elif img.mode not in ("RGB", "RGBA", "L", "LA"):
                    img = img.convert("RGBA")
                clean = Image.new(img.mode, img.size)
                clean.paste(img)
                out = io.BytesIO()
                if content_type == "image/jpeg":
                    clean.save(out, format="JPEG", quality=90)
                else:
                    clean.save(out, format="PNG", optimize=True)
                return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ActionError(["图片文件已损坏或无法识别，请重新拍照或扫描后上传。"]) from None


def check_upload(uploaded) -> Checked:
    """The file's bytes as they will be stored, or ActionError with the reason in Chinese."""
    if uploaded is None:
        raise ActionError(["请选择要上传的文件。"])
    limit = max_bytes()
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise ActionError([f"文件过大：{_mb(size)}，单个文件不能超过 {_mb(limit)}。"])
    data = uploaded.read(limit + 1)
    if not data:
        raise ActionError(["文件为空（0 字节），请重新选择。"])
    if len(data) > limit:
        raise ActionError([f"文件过大：单个文件不能超过 {_mb(limit)}。"])
    kind = filetype.guess(data[:8192])
    content_type = kind.mime if kind else ""
    if content_type not in ALLOWED:
        raise ActionError(["文件类型不允许：只能上传 JPEG、PNG 图片或 PDF 文件（按文件内容识别，与扩展名无关）。"])
    if content_type == "application/pdf":
        if not data.startswith(b"%PDF-"):
            raise ActionError(["PDF 文件无法识别，请重新扫描后上传。"])
        return Checked(data, content_type, "pdf")
    return Checked(_reencode(data, content_type), content_type, ALLOWED[content_type])
