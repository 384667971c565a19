"""A story's image: JPEG or PNG recognised by content, decoded and re-encoded from its pixels (EXIF, GPS and
every other metadata dropped), resized to at most MAX_SIDE pixels, stored as JPEG under a generated name
through Django's storage API (like apps/villages evidence)."""

from __future__ import annotations

import io
import warnings

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.core.actions import ActionError

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1280


def prepare_image(uploaded) -> bytes:
    data = uploaded.read(MAX_BYTES + 1)
    if not data:
        raise ActionError({"image": ["图片文件为空，请重新选择。"]})
    if len(data) > MAX_BYTES:
        raise ActionError({"image": ["图片过大：不能超过 10 MB。"]})
    kind = filetype.guess(data[:8192])
    if not kind or kind.mime not in ("image/jpeg", "image/png"):
        raise ActionError({"image": ["只能上传 JPEG 或 PNG 图片（按文件内容识别）。"]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                img = ImageOps.exif_transpose(img).convert("RGB")
                img.thumbnail((MAX_SIDE, MAX_SIDE))
                clean = Image.new("RGB", img.size)
                clean.paste(img)
                out = io.BytesIO()
                clean.save(out, format="JPEG", quality=85)
                return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ActionError({"image": ["图片文件已损坏或无法识别，请重新选择。"]}) from None
