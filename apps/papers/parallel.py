"""Many PDFs on every core: a batch (the zip of every 申报表 of a town) is cut into one contiguous share per
worker process, each share laid out and written by `render_pdf_many` as on one core, and the bodies come back
in order. WeasyPrint is pure Python under one interpreter lock, so threads would not help; processes do.

The workers are started fresh for the batch (`spawn`: safe under a threaded server, nothing inherited but the
environment) and stop with it; each pays a second or two for Django and the fonts, so small batches stay in
the calling process. PAPER_WORKERS (setting / environment) sets how many; 1 turns the pool off."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings

from .document import Paper
from .fonts import font_dir
from .render_pdf import render_pdf_many

# Below this many papers a pool costs more than it saves (each worker starts Django and loads the fonts).
MIN_PER_WORKER = 8
# A worker lays out at most this many papers at once (bounded memory for a large town).
CHUNK = 50


def workers() -> int:
    return max(1, int(getattr(settings, "PAPER_WORKERS", 0) or os.cpu_count() or 1))


def _start_worker(settings_module: str, fonts: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ["PAPER_FONT_DIR"] = fonts
    import django

    django.setup()
    settings.PAPER_FONT_DIR = fonts  # the caller's fonts, even when its setting was overridden in-process


def _render_share(papers: list[Paper]) -> list[bytes]:
    bodies: list[bytes] = []
    for start in range(0, len(papers), CHUNK):
        bodies += render_pdf_many(papers[start : start + CHUNK])
    return bodies


def render_pdfs(papers: list[Paper]) -> list[bytes]:
    """One PDF per paper, in order, on up to `workers()` processes."""
    n = min(workers(), len(papers) // MIN_PER_WORKER)
    if n <= 1:
        return _render_share(papers)
    size = -(-len(papers) // n)
    shares = [papers[i : i + size] for i in range(0, len(papers), size)]
    context = multiprocessing.get_context("spawn")
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings")
    with ProcessPoolExecutor(len(shares), mp_context=context, initializer=_start_worker, initargs=(settings_module, font_dir())) as pool:
        return [body for share in pool.map(_render_share, shares) for body in share]
